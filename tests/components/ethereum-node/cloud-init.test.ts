/** The node VM's #cloud-config, rendered from plans built from the catalog, read back as YAML and checked with bash. */
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { VmMetrics, cloudInitProblems, cloudWatchAgentVmConfig, renderCloudInit } from "../../../components/ethereum-node/cloud-init";
import { compactScript } from "../../../components/ethereum-node/script-compact";
import { HEALTH_SCRIPT_PATH } from "../../../components/ethereum-node/containers";
import { NodePoolPlan } from "../../../components/ethereum-node/plan";
import { CONSENSUS_CLIENTS, EXECUTION_CLIENTS } from "../../../components/ethereum-node/clients";
import { recommendedSize } from "../../../components/ethereum-node/sizing";
import { systemdWord } from "../../../components/ethereum-node/systemd";
import { GMP_COLLECTOR_IMAGE } from "../../../components/metrics/gmp";
import { CLOUDWATCH_NAMESPACE, ETHEREUM_METRICS } from "../../../components/monitoring/targets";
import { JWT_GENERATE_COMMAND } from "../../../components/ethereum-node/vm-scripts";
import { HEALTH_SCRIPT, HEX_SECRET, poolPlan } from "./vm-fixtures";
import { USER_DATA_LIMIT_BYTES, encodeUserData, userDataBytes } from "../../../components/ethereum-node/user-data";

interface CloudConfig {
  write_files: { path: string; owner: string; permissions: string; content: string }[];
  runcmd: string[][];
}

export const METRICS: Record<"aws" | "gcp", VmMetrics> = {
  aws: { kind: "cloudwatch-agent", configParameter: "AmazonCloudWatch-eth-main-abc123" },
  gcp: { kind: "managed-prometheus", project: "tocu-estate-staging", location: "us-central1" },
};

function rendered(platform: "aws" | "gcp", plan: NodePoolPlan) {
  const text = renderCloudInit(platform, plan, METRICS[platform]);
  const config = parse(text) as CloudConfig;
  const file = (path: string) => {
    const found = config.write_files.find((f) => f.path === path);
    if (!found) throw new Error(`no file ${path}; files: ${config.write_files.map((f) => f.path).join(", ")}`);
    return found;
  };
  const unit = (name: string) => file(`/etc/systemd/system/${name}`).content;
  /** A unit's directive values, continuation lines joined. */
  const directive = (name: string, key: string) =>
    unit(name)
      .replace(/ \\\n\s*/g, " ")
      .split("\n")
      .filter((l) => l.startsWith(`${key}=`))
      .map((l) => l.slice(key.length + 1));
  return { text, config, file, unit, directive };
}

const GETH = poolPlan({ execution: "geth", consensus: "lighthouse" });
const NETHERMIND = poolPlan({ execution: "nethermind", consensus: "teku" });
const CAPLIN = poolPlan({ execution: "erigon", consensus: "caplin" });

describe("renderCloudInit", () => {
  const aws = rendered("aws", GETH);
  const gcp = rendered("gcp", GETH);

  it("is a #cloud-config document that writes the node's scripts, the health script and one unit per container", () => {
    expect(aws.text.startsWith("#cloud-config\n")).toBe(true);
    expect(aws.config.write_files.map((f) => f.path)).toEqual([
      "/etc/ethereum/prepare-data.sh",
      "/etc/ethereum/generate-jwt.sh",
      "/etc/ethereum/sync-health.js",
      "/etc/ethereum/prometheus.yaml",
      "/etc/systemd/system/ethereum-data.service",
      "/etc/systemd/system/ethereum-jwt.service",
      "/etc/systemd/system/ethereum-execution.service",
      "/etc/systemd/system/ethereum-consensus.service",
      "/etc/systemd/system/ethereum-health.service",
    ]);
    for (const f of aws.config.write_files) expect(f.owner).toBe("root:root");
    expect(aws.file("/etc/ethereum/sync-health.js")).toMatchObject({ permissions: "0644", content: compactScript(HEALTH_SCRIPT) });
  });

  it("runs every container with docker run --network host, its image and its arguments, restarting always", () => {
    for (const c of GETH.containers) {
      const unit = `ethereum-${c.name}.service`;
      const [execStart] = aws.directive(unit, "ExecStart");
      expect(execStart.startsWith(`/usr/bin/docker run --rm --name ethereum-${c.name} --network host `)).toBe(true);
      expect(execStart.endsWith(` ${c.image} ${c.args.join(" ")}`)).toBe(true);
      expect(aws.directive(unit, "Restart")).toEqual(["always"]);
      expect(aws.directive(unit, "ExecStartPre")).toEqual([`-/usr/bin/docker rm -f ethereum-${c.name}`]);
      for (const [k, v] of Object.entries(c.env)) expect(execStart).toContain(`--env ${k}=${v}`);
    }
  });

  it("stops each container within its own grace and gives systemd the plan's longer grace", () => {
    expect(GETH.shutdownGraceSeconds).toBe(510);
    for (const [name, grace] of [["execution", 480], ["consensus", 300], ["health", 5]] as const) {
      const unit = `ethereum-${name}.service`;
      expect(aws.directive(unit, "ExecStart")[0]).toContain(`--stop-timeout ${grace} `);
      expect(aws.directive(unit, "ExecStop")).toEqual([`/usr/bin/docker stop --time=${grace} ethereum-${name}`]);
      expect(aws.directive(unit, "TimeoutStopSec")).toEqual(["510"]);
    }
  });

  it("starts the execution client before the consensus client, and the health sidecar after both", () => {
    expect(aws.directive("ethereum-execution.service", "After")[0].split(" ")).not.toContain("ethereum-consensus.service");
    expect(aws.directive("ethereum-consensus.service", "After")[0].split(" ")).toContain("ethereum-execution.service");
    expect(aws.directive("ethereum-health.service", "After")[0].split(" ")).toEqual(expect.arrayContaining(["ethereum-execution.service", "ethereum-consensus.service"]));
    for (const name of ["execution", "consensus"]) {
      expect(aws.directive(`ethereum-${name}.service`, "Requires")).toEqual(["docker.service ethereum-data.service ethereum-jwt.service"]);
    }
    // The sidecar reads the data disk for its disk metric: it waits for the mount.
    expect(aws.directive("ethereum-health.service", "Requires")).toEqual(["docker.service ethereum-data.service"]);
  });

  it("mounts each client's data subdirectory at DATA_ROOT and the in-memory JWT directory read-only at JWT_DIR", () => {
    for (const name of ["execution", "consensus"]) {
      const [execStart] = aws.directive(`ethereum-${name}.service`, "ExecStart");
      expect(execStart).toContain(`--volume /data/${name}:/data/${name} `);
      expect(execStart).toContain("--volume /run/ethereum:/jwt:ro ");
    }
    // Container-Optimized OS mounts disks under /mnt/disks; the containers still see /data.
    expect(gcp.directive("ethereum-execution.service", "ExecStart")[0]).toContain("--volume /mnt/disks/data/execution:/data/execution ");
    const [health] = aws.directive("ethereum-health.service", "ExecStart");
    expect(health).toContain(`--volume /etc/ethereum/sync-health.js:${HEALTH_SCRIPT_PATH}:ro `);
    expect(health).not.toContain("/jwt");
    expect(health.match(/--volume \S*\/data\S*/g)).toEqual(["--volume /data:/data:ro"]);
    expect(gcp.directive("ethereum-health.service", "ExecStart")[0]).toContain("--volume /mnt/disks/data:/data:ro ");
  });

  it("runs clients that allow it as the node's non-root user, owner of their data directories, and root-only images as root", () => {
    expect(aws.directive("ethereum-execution.service", "ExecStart")[0]).toContain("--user 10001:10001 --cap-drop ALL");
    const script = aws.file("/etc/ethereum/prepare-data.sh").content;
    expect(script).toContain('install -d -m 0750 -o 10001 -g 10001 "$MOUNT/execution"');
    // Every catalog client runs non-root (nethermind through its chiseled image); a root-only image would keep root.
    expect(rendered("aws", NETHERMIND).directive("ethereum-execution.service", "ExecStart")[0]).toContain("--user 10001:10001");
    const rootOnly = { ...NETHERMIND, containers: NETHERMIND.containers.map((c) => (c.name === "execution" ? { ...c, nonRoot: false } : c)) };
    const root = rendered("aws", rootOnly);
    expect(root.directive("ethereum-execution.service", "ExecStart")[0]).not.toContain("--user");
    expect(root.directive("ethereum-consensus.service", "ExecStart")[0]).toContain("--user 10001:10001");
    expect(root.file("/etc/ethereum/prepare-data.sh").content).toContain('install -d -m 0750 -o 0 -g 0 "$MOUNT/execution"');
  });

  it("gives every non-root client of every catalog pair a writable $HOME (its data directory) on both clouds, as the pod does", () => {
    // uid 10001's $HOME is "/", which it cannot write; reth keeps its logs under $HOME/.cache and panics without it.
    for (const el of EXECUTION_CLIENTS) {
      for (const cl of CONSENSUS_CLIENTS.filter((c) => !c.pairsWith || c.pairsWith.includes(el.id))) {
        const plan = poolPlan({ execution: el.id, consensus: cl.id, chain: "hoodi", mode: el.modes[0] });
        for (const platform of ["aws", "gcp"] as const) {
          const r = rendered(platform, plan);
          for (const c of plan.containers.filter((c) => c.dataSubdir !== undefined)) {
            const [execStart] = r.directive(`ethereum-${c.name}.service`, "ExecStart");
            const home = /--env HOME=(\S+)/.exec(execStart)?.[1];
            const at = `${platform} ${el.id}/${cl.id} ${c.name}`;
            if (c.nonRoot) {
              expect([at, home]).toEqual([at, `/data/${c.dataSubdir}`]);
              // The directory is the client's own bind mount, owned by the uid it runs as.
              expect([at, execStart.includes(`:/data/${c.dataSubdir} `)]).toEqual([at, true]);
            } else expect([at, home]).toEqual([at, undefined]);
          }
        }
      }
    }
    expect(rendered("aws", poolPlan({ execution: "reth", consensus: "lighthouse" })).directive("ethereum-execution.service", "ExecStart")[0]).toContain("--env HOME=/data/execution");
  });

  it("formats the data disk only when blkid finds no signature, and mounts it by a stable device path", () => {
    for (const r of [aws, gcp]) {
      const script = r.file("/etc/ethereum/prepare-data.sh").content;
      expect(script).toContain('blkid -p "$device"');
      expect(script).toMatch(/\n {2}2\) mkfs\.ext4 [^\n]*"\$device" ;;\n/);
      expect(script).toMatch(/\n {2}\*\) echo "blkid failed[^\n]*exit 1 ;;\n/);
      expect(script.match(/mkfs/g)).toHaveLength(1);
    }
    expect(aws.file("/etc/ethereum/prepare-data.sh").content).toContain("MOUNT=/data\n");
    expect(aws.file("/etc/ethereum/prepare-data.sh").content).toContain("ebsnvme-id -b");
    expect(aws.file("/etc/ethereum/prepare-data.sh").content).toContain("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol");
    expect(gcp.file("/etc/ethereum/prepare-data.sh").content).toContain("MOUNT=/mnt/disks/data\n");
    expect(gcp.file("/etc/ethereum/prepare-data.sh").content).toContain("/dev/disk/by-id/google-chain-data");
    expect(aws.directive("ethereum-data.service", "ExecStart")).toEqual(["/bin/bash /etc/ethereum/prepare-data.sh"]);
  });

  it("generates the engine JWT at every boot on tmpfs, mode 0600, and carries no secret itself", () => {
    const script = aws.file("/etc/ethereum/generate-jwt.sh").content;
    expect(script).toContain(`${JWT_GENERATE_COMMAND} > /run/ethereum/jwt.hex.new`);
    expect(script).toContain("chmod 0600 /run/ethereum/jwt.hex");
    expect(script).toContain('"$(findmnt -n -o FSTYPE --target /run/ethereum)" != "tmpfs"');
    expect(aws.directive("ethereum-jwt.service", "Type")).toEqual(["oneshot"]);
    for (const r of [aws, gcp, rendered("aws", NETHERMIND), rendered("gcp", CAPLIN)]) expect(r.text).not.toMatch(HEX_SECRET);
  });

  it("generates 32 random bytes as 64 hex characters with the command the node runs", () => {
    const run = () => execFileSync("bash", ["-c", JWT_GENERATE_COMMAND], { encoding: "utf8" });
    const [a, b] = [run(), run()];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).not.toBe(a);
  });

  it("writes scripts bash accepts", () => {
    for (const r of [aws, gcp]) {
      for (const path of ["/etc/ethereum/prepare-data.sh", "/etc/ethereum/generate-jwt.sh"]) {
        expect(() => execFileSync("bash", ["-n"], { input: r.file(path).content })).not.toThrow();
      }
    }
    expect(() => execFileSync("bash", ["-n"], { input: gcp.file("/etc/ethereum/firewall.sh").content })).not.toThrow();
  });

  it("installs Docker on Amazon Linux and closes SSH there; uses the image's Docker on Container-Optimized OS", () => {
    const units = ["ethereum-execution.service", "ethereum-consensus.service", "ethereum-health.service"];
    expect(aws.config.runcmd[0].join(" ")).toContain("dnf install -y docker amazon-cloudwatch-agent");
    expect(aws.config.runcmd).toContainEqual(["systemctl", "disable", "--now", "sshd.service"]);
    expect(aws.config.runcmd.slice(-3, -1)).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "--no-block", "docker.service", ...units],
    ]);
    expect(gcp.config.runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "--no-block", "docker.service", "ethereum-firewall.service", ...units, "ethereum-metrics.service"],
    ]);
    expect(gcp.text).not.toContain("dnf");
  });

  it("runs Caplin inside Erigon: no consensus unit, the sidecar after the execution client", () => {
    const caplin = rendered("gcp", CAPLIN);
    expect(caplin.config.write_files.map((f) => f.path)).not.toContain("/etc/systemd/system/ethereum-consensus.service");
    expect(caplin.directive("ethereum-health.service", "After")[0]).toContain("ethereum-execution.service");
    expect(caplin.file("/etc/ethereum/prepare-data.sh").content).not.toContain("consensus");
  });

  it("has the health sidecar gate the served RPC ports on both clouds: GATES=gate:client for JSON-RPC and WebSocket", () => {
    for (const r of [aws, gcp, rendered("aws", NETHERMIND), rendered("gcp", CAPLIN)]) {
      expect(r.directive("ethereum-health.service", "ExecStart")[0]).toContain("--env GATES=18545:8545,18546:8546 ");
    }
    // The plan itself is platform-neutral: the Kubernetes pod's sidecar has no gates (a Service never fails open).
    expect(GETH.containers.find((c) => c.name === "health")!.env.GATES).toBeUndefined();
  });

  it("opens Container-Optimized OS's host firewall to what the VPC firewall admits, and sends RPC packets to the gates", () => {
    expect(aws.text).not.toContain("iptables");
    expect(gcp.directive("ethereum-firewall.service", "ExecStart")).toEqual(["/bin/bash /etc/ethereum/firewall.sh"]);
    expect(gcp.unit("ethereum-firewall.service")).toContain("[Install]\nWantedBy=multi-user.target\n");
    // Run by bash against a fake iptables that keeps the rules in a file: twice, as a restarted unit would.
    const dir = mkdtempSync(path.join(os.tmpdir(), "host-firewall-"));
    const rules = path.join(dir, "rules");
    writeFileSync(rules, "");
    const fake = path.join(dir, "iptables");
    writeFileSync(
      fake,
      `#!/bin/bash\n[ "$1" = -w ] || exit 2\nshift\nall="$*"\nrule="\${all/-C /}"\nrule="\${rule/-A /}"\ncase " $* " in *" -C "*) grep -qxF -- "$rule" ${rules} ;; *" -A "*) echo "$rule" >> ${rules} ;; *) exit 2 ;; esac\n`,
      { mode: 0o755 },
    );
    const script = gcp.file("/etc/ethereum/firewall.sh").content;
    for (let i = 0; i < 2; i++) execFileSync("bash", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    const applied = readFileSync(rules, "utf8").trim().split("\n");
    const accepted = applied.filter((r) => r.startsWith("-t filter INPUT")).map((r) => /-p (\w+) --dport (\d+) -j ACCEPT$/.exec(r)!.slice(1).join("/"));
    const p2p = GETH.ports.public.map((p) => `${p.protocol.toLowerCase()}/${p.port}`);
    const privateTcp = GETH.ports.private.filter((p) => ![8545, 8546].includes(p.port)).map((p) => `tcp/${p.port}`);
    expect(accepted.sort()).toEqual([...p2p, ...privateTcp, "tcp/18545", "tcp/18546"].sort());
    expect(accepted).toEqual(expect.arrayContaining(["tcp/30303", "udp/30303", "tcp/8590", "tcp/5052"]));
    expect(applied.filter((r) => r.startsWith("-t nat"))).toEqual([
      "-t nat PREROUTING -p tcp --dport 8545 -j REDIRECT --to-ports 18545",
      "-t nat PREROUTING -p tcp --dport 8546 -j REDIRECT --to-ports 18546",
    ]);
    expect(applied).toHaveLength(accepted.length + 2);
  });

  it("renders the same text from the same plan", () => {
    expect(renderCloudInit("aws", poolPlan({ execution: "geth", consensus: "lighthouse" }), METRICS.aws)).toBe(aws.text);
  });
});

describe("metrics shipping", () => {
  const aws = rendered("aws", GETH);
  const gcp = rendered("gcp", GETH);

  it("configures the CloudWatch agent on AWS to scrape the sidecar into CLOUDWATCH_NAMESPACE, dimension Pool", () => {
    const agent = JSON.parse(cloudWatchAgentVmConfig("eu-west-1", "/estate/eth-main-abc123/prometheus"));
    expect(agent.agent).toEqual({ region: "eu-west-1", run_as_user: "cwagent" });
    const prometheus = agent.logs.metrics_collected.prometheus;
    expect(prometheus).toMatchObject({ log_group_name: "/estate/eth-main-abc123/prometheus", prometheus_config_path: "/etc/ethereum/prometheus.yaml" });
    expect(prometheus.emf_processor.metric_namespace).toBe(CLOUDWATCH_NAMESPACE);
    expect(prometheus.emf_processor.metric_declaration).toEqual([
      { source_labels: ["Pool"], label_matcher: "^.+$", dimensions: [["Pool"]], metric_selectors: Object.values(ETHEREUM_METRICS).map((m) => `^${m}$`) },
    ]);
    expect(prometheus.emf_processor.metric_unit).toEqual({ eth_head_age_seconds: "Seconds", eth_peers: "Count", eth_disk_used_percent: "Percent" });
    // The agent reads the scrape config the user data writes.
    const scrape = parse(aws.file(prometheus.prometheus_config_path).content);
    expect(scrape.scrape_configs).toEqual([
      expect.objectContaining({ job_name: "ethereum-health", static_configs: [{ targets: ["127.0.0.1:8590"], labels: { Pool: "main" } }] }),
    ]);
    expect(scrape.scrape_configs[0].metric_relabel_configs[0]).toMatchObject({ source_labels: ["__name__"], action: "keep" });
    expect(aws.config.runcmd.at(-1)).toEqual([
      "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl",
      "-a",
      "fetch-config",
      "-m",
      "ec2",
      "-s",
      "-c",
      "ssm:AmazonCloudWatch-eth-main-abc123",
    ]);
    expect(aws.text).not.toContain("ethereum-metrics.service");
  });

  it("runs Managed Service for Prometheus's collector on GCP: pinned, unprivileged, read-only, on loopback", () => {
    expect(gcp.text).not.toContain("cloudwatch");
    const [execStart] = gcp.directive("ethereum-metrics.service", "ExecStart");
    expect(GMP_COLLECTOR_IMAGE).toMatch(/^gke\.gcr\.io\/prometheus-engine\/prometheus:v\d+\.\d+\.\d+-gmp\.\d+-gke\.\d+$/);
    expect(execStart).toContain(` ${GMP_COLLECTOR_IMAGE} `);
    for (const flag of [
      "--network host",
      "--user 65534:65534 --cap-drop ALL",
      "--security-opt no-new-privileges --read-only",
      "--export.label.project-id=tocu-estate-staging",
      "--export.label.location=us-central1",
      "--web.listen-address=127.0.0.1:19090",
      "--volume /run/ethereum-metrics/prometheus.yaml:/etc/prometheus/prometheus.yaml:ro",
    ]) {
      expect(execStart).toContain(flag);
    }
    expect(gcp.directive("ethereum-metrics.service", "After")[0]).toContain("ethereum-health.service");
    expect(gcp.directive("ethereum-metrics.service", "Restart")).toEqual(["always"]);
    const scrape = parse(gcp.file("/etc/ethereum/prometheus.yaml").content);
    expect(scrape.scrape_configs[0].static_configs).toEqual([{ targets: ["127.0.0.1:8590"], labels: { instance: "@INSTANCE@" } }]);
  });

  it("gives each VM's series its own instance: the unit's sed, as systemd and sh run it, writes the hostname", () => {
    const [, substitute] = gcp.directive("ethereum-metrics.service", "ExecStartPre");
    const match = /^\/bin\/sh -c "(.*)"$/.exec(substitute);
    expect(match).not.toBeNull();
    // systemd: \" is a quote, $$ a dollar.
    const command = match![1].replace(/\\"/g, '"').replace(/\$\$/g, "$");
    const dir = mkdtempSync(path.join(os.tmpdir(), "gmp-"));
    writeFileSync(path.join(dir, "in.yaml"), gcp.file("/etc/ethereum/prometheus.yaml").content);
    const local = command.replace("/etc/ethereum/prometheus.yaml", path.join(dir, "in.yaml")).replace("/run/ethereum-metrics/prometheus.yaml", path.join(dir, "out.yaml"));
    execFileSync("/bin/sh", ["-c", local]);
    const out = parse(readFileSync(path.join(dir, "out.yaml"), "utf8"));
    expect(out.scrape_configs[0].static_configs[0].labels.instance).toBe(readFileSync("/proc/sys/kernel/hostname", "utf8").trim());
  });

  it("keeps every catalog pair's AWS user data, compressed, within 75% of EC2's 16 KiB: room for the next flag or script", () => {
    for (const el of EXECUTION_CLIENTS) {
      for (const cl of CONSENSUS_CLIENTS.filter((c) => !c.pairsWith || c.pairsWith.includes(el.id))) {
        for (const mode of el.modes) {
          if (!recommendedSize(el, cl, "mainnet", mode)) continue;
          const bytes = userDataBytes(encodeUserData(renderCloudInit("aws", poolPlan({ execution: el.id, consensus: cl.id, mode }), METRICS.aws)));
          expect([`${el.id}/${cl.id}/${mode}`, bytes <= 0.75 * USER_DATA_LIMIT_BYTES]).toEqual([`${el.id}/${cl.id}/${mode}`, true]);
        }
      }
    }
  });

  it("refuses metrics shipping of the other cloud", () => {
    expect(() => renderCloudInit("aws", GETH, METRICS.gcp)).toThrow(/metrics\.kind: aws nodes ship metrics with cloudwatch-agent, not managed-prometheus/);
  });
});

describe("cloudInitProblems", () => {
  const execution = GETH.containers[0];
  it.each([
    ["a secret in an argument", { containers: [{ ...execution, args: [...execution.args, `--secret=${"ab".repeat(32)}`] }, ...GETH.containers.slice(1)] }, /plan\.containers\[0\]\.args\[\d+\]: looks like a secret/],
    ["a line break in an environment value", { containers: [...GETH.containers.slice(0, 2), { ...GETH.containers[2], env: { A: "x\ny" } }] }, /plan\.containers\[2\]\.env\.A: contains a line break/],
    ["no margin over a client's grace", { shutdownGraceSeconds: 480 }, /plan\.shutdownGraceSeconds: 480 leaves no margin over execution's 480s/],
    ["no execution container", { containers: GETH.containers.slice(1) }, /plan\.containers: exactly one execution container/],
    ["an empty health script", { healthScript: " " }, /plan\.healthScript: empty/],
  ])("reports %s", (_, change, message) => {
    const problems = cloudInitProblems({ ...GETH, ...change });
    expect(problems.join("; ")).toMatch(message);
    expect(() => renderCloudInit("aws", { ...GETH, ...change }, METRICS.aws)).toThrow(/^cloud-init \(aws\): /);
  });

  it("finds nothing wrong with the catalog's pairs", () => {
    for (const plan of [GETH, NETHERMIND, CAPLIN, poolPlan({ execution: "besu", consensus: "prysm" }), poolPlan({ execution: "reth", consensus: "nimbus" })]) {
      expect(cloudInitProblems(plan)).toEqual([]);
    }
  });
});

describe("systemdWord", () => {
  it.each([
    ["--http.api=eth,net,web3,txpool", "--http.api=eth,net,web3,txpool"],
    ["--http.vhosts=*", "--http.vhosts=*"],
    ["a b", '"a b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["100%", '"100%%"'],
    ["$HOME", '"$$HOME"'],
    ["", '""'],
  ])("writes %j as %s", (word, expected) => {
    expect(systemdWord(word)).toBe(expected);
  });

  it("refuses a line break", () => {
    expect(() => systemdWord("a\nb")).toThrow(/line break/);
  });
});
