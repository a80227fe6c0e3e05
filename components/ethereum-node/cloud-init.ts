/**
 * The #cloud-config of a node VM on Amazon Linux 2023 (AWS) or Container-Optimized OS (GCP): the chain-data mount, the
 * engine JWT generated in memory at boot, the health sidecar's source, one systemd unit per container running
 * `docker run --network host`, the execution client first, and what ships the sidecar's /metrics: the CloudWatch
 * agent on AWS, Managed Service for Prometheus's collector container on GCP. Pure: the same plan renders the same text.
 */
import { stringify } from "yaml";
import { cloudWatchAgentConfig, vmScrapeConfig } from "../metrics/cloudwatch";
import { GMP_COLLECTOR_IMAGE, GMP_COLLECTOR_LISTEN, INSTANCE_PLACEHOLDER, vmCollectorArgs, vmCollectorScrapeConfig } from "../metrics/gmp";
import { ContainerPlan, HEALTH_PORT, HEALTH_SCRIPT_PATH } from "./containers";
import { DATA_ROOT, JWT_DIR, JWT_PATH, NodePoolPlan } from "./plan";
import { UnitFile, commandLine, renderUnit } from "./systemd";
import { DATA_UNIT, HOST_LAYOUT, HostLayout, JWT_UNIT, NODE_UID, VmPlatform, containerUnit } from "./vm-layout";
import { compactScript } from "./script-compact";
import { FIREWALL_UNIT, hostFirewallScript } from "./vm-host-firewall";
import { gatesSetting, servedPorts } from "./vm-ports";
import { generateJwtScript, prepareDataScript } from "./vm-scripts";

export type CloudInitPlan = Pick<NodePoolPlan, "containers" | "shutdownGraceSeconds" | "healthScript" | "pool" | "ports">;

/** How a VM ships its health sidecar's metrics: the CloudWatch agent on AWS, Google's Prometheus collector on GCP. */
export type VmMetrics =
  | {
      readonly kind: "cloudwatch-agent";
      /**
       * The SSM parameter (name `AmazonCloudWatch-...`, which CloudWatchAgentServerPolicy may read) holding the agent's
       * JSON configuration, as cloudWatchAgentVmConfig renders it: fetched at boot, kept out of the 16 KiB user data.
       */
      readonly configParameter: string;
    }
  | { readonly kind: "managed-prometheus"; readonly project: string; readonly location: string };

/** Where a VM keeps its collector's Prometheus scrape configuration. */
export const scrapeConfigPath = (platform: VmPlatform): string => `${HOST_LAYOUT[platform].configDir}/prometheus.yaml`;

/** The CloudWatch agent's configuration on an EC2 node: scrape the sidecar, ship its series as EMF to `logGroupName`. */
export function cloudWatchAgentVmConfig(region: string, logGroupName: string): string {
  return JSON.stringify(
    cloudWatchAgentConfig({ region, logGroupName, prometheusConfigPath: scrapeConfigPath("aws"), kinds: ["ethereum"], runAsUser: CLOUDWATCH_AGENT_USER }),
  );
}

const METRICS_KIND: Readonly<Record<VmPlatform, VmMetrics["kind"]>> = { aws: "cloudwatch-agent", gcp: "managed-prometheus" };
/** The agent package's own unprivileged user. */
const CLOUDWATCH_AGENT_USER = "cwagent";
const CLOUDWATCH_AGENT_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";
export const METRICS_UNIT = "ethereum-metrics.service";
/** The GCP collector's user: the image's own (nobody). */
const COLLECTOR_UID = 65534;

const DOCKER = "/usr/bin/docker";
const HEALTH_SCRIPT_FILE = "sync-health.js";
/** What an engine JWT looks like; no input may carry one. */
const HEX_SECRET = /[0-9a-fA-F]{64}/;
const SUBDIR = /^[a-z][a-z0-9-]*$/;

const usesJwt = (c: ContainerPlan) => c.args.some((a) => a.includes(JWT_PATH));
const isHealth = (c: ContainerPlan) => c.args.includes(HEALTH_SCRIPT_PATH);

/** Everything renderCloudInit assumes about the plan (and the metrics shipping), as `plan.<path>: <problem>`. */
export function cloudInitProblems(plan: CloudInitPlan, platform?: VmPlatform, metrics?: VmMetrics): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(plan.pool ?? "")) problems.push(`plan.pool: ${JSON.stringify(plan.pool)} is not a pool name`);
  if (platform && metrics && metrics.kind !== METRICS_KIND[platform]) problems.push(`metrics.kind: ${platform} nodes ship metrics with ${METRICS_KIND[platform]}, not ${metrics.kind}`);
  for (const [key, value] of Object.entries(metrics ?? {})) {
    if (typeof value !== "string" || !/^[A-Za-z0-9/_.-]+$/.test(value)) problems.push(`metrics.${key}: ${JSON.stringify(value)} is not a plain name`);
  }
  if (metrics?.kind === "cloudwatch-agent" && !metrics.configParameter.startsWith("AmazonCloudWatch-")) {
    problems.push(`metrics.configParameter: "${metrics.configParameter}" must start with AmazonCloudWatch-, the parameters CloudWatchAgentServerPolicy may read`);
  }
  const listenPort = Number(GMP_COLLECTOR_LISTEN.split(":")[1]);
  if (plan.containers.some((c) => c.ports.some((p) => p.port === listenPort))) problems.push(`plan.containers: port ${listenPort} is the metrics collector's`);
  const names = plan.containers.map((c) => c.name);
  if (names.filter((n) => n === "execution").length !== 1) problems.push("plan.containers: exactly one execution container is required");
  if (plan.containers.filter(isHealth).length !== 1) problems.push(`plan.containers: exactly one container must run the health script at ${HEALTH_SCRIPT_PATH}`);
  for (const n of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`plan.containers: "${n}" appears more than once`);
  if (!Number.isInteger(plan.shutdownGraceSeconds) || plan.shutdownGraceSeconds < 1) {
    problems.push(`plan.shutdownGraceSeconds: ${plan.shutdownGraceSeconds} must be a positive whole number`);
  }
  if (plan.healthScript.trim() === "") problems.push("plan.healthScript: empty");
  plan.containers.forEach((c, i) => {
    const at = `plan.containers[${i}]`;
    if (!/^\S+$/.test(c.image)) problems.push(`${at}.image: "${c.image}" is not an image reference`);
    if (!Number.isInteger(c.shutdownGraceSeconds) || c.shutdownGraceSeconds < 1) {
      problems.push(`${at}.shutdownGraceSeconds: ${c.shutdownGraceSeconds} must be a positive whole number`);
    } else if (c.shutdownGraceSeconds >= plan.shutdownGraceSeconds) {
      problems.push(`plan.shutdownGraceSeconds: ${plan.shutdownGraceSeconds} leaves no margin over ${c.name}'s ${c.shutdownGraceSeconds}s`);
    }
    if (c.dataSubdir !== undefined && !SUBDIR.test(c.dataSubdir)) problems.push(`${at}.dataSubdir: "${c.dataSubdir}" is not a plain directory name`);
    const words = [...c.args.map((a, j) => [`args[${j}]`, a]), ...Object.entries(c.env).map(([k, v]) => [`env.${k}`, `${k}=${v}`])];
    for (const [path, word] of words) {
      if (/[\r\n]/.test(word)) problems.push(`${at}.${path}: contains a line break`);
      if (HEX_SECRET.test(word)) problems.push(`${at}.${path}: looks like a secret (64 hex characters); secrets never go into user data`);
    }
  });
  return problems;
}

function dockerRun(c: ContainerPlan, layout: HostLayout): string[][] {
  const name = `ethereum-${c.name}`;
  return [
    [DOCKER, "run", "--rm", "--name", name],
    ["--network", "host"],
    ...(c.nonRoot ? [["--user", `${NODE_UID}:${NODE_UID}`], ["--cap-drop", "ALL"]] : []),
    // $HOME of that uid is "/", which it cannot write: a client that keeps logs or caches there (reth) gets its data directory.
    ...(c.nonRoot && c.dataSubdir !== undefined ? [["--env", `HOME=${DATA_ROOT}/${c.dataSubdir}`]] : []),
    ["--security-opt", "no-new-privileges"],
    // The attached output reaches the journal through the unit; a second copy in docker's json logs would fill the root disk.
    ["--log-driver", "none"],
    ["--stop-timeout", String(c.shutdownGraceSeconds)],
    ...(c.dataSubdir !== undefined ? [["--volume", `${layout.dataMount}/${c.dataSubdir}:${DATA_ROOT}/${c.dataSubdir}`]] : []),
    ...(c.readsDataRoot ? [["--volume", `${layout.dataMount}:${DATA_ROOT}:ro`]] : []),
    ...(usesJwt(c) ? [["--volume", `${layout.jwtDir}:${JWT_DIR}:ro`]] : []),
    ...(isHealth(c) ? [["--volume", `${layout.configDir}/${HEALTH_SCRIPT_FILE}:${HEALTH_SCRIPT_PATH}:ro`]] : []),
    ...Object.entries(c.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => ["--env", `${k}=${v}`]),
    [c.image],
    ...c.args.map((a) => [a]),
  ];
}

function containerUnitFile(c: ContainerPlan, before: readonly ContainerPlan[], plan: CloudInitPlan, layout: HostLayout): UnitFile {
  const name = `ethereum-${c.name}`;
  const earlier = before.map((b) => containerUnit(b.name));
  // Whatever mounts the data disk waits for it: a bind mount made earlier would show the root disk instead.
  const needs = [...(c.dataSubdir !== undefined || c.readsDataRoot ? [DATA_UNIT] : []), ...(usesJwt(c) ? [JWT_UNIT] : [])];
  return {
    unit: [
      ["Description", `Ethereum ${c.name} container (${c.image})`],
      ["Requires", ["docker.service", ...needs].join(" ")],
      ["Wants", ["network-online.target", ...earlier].join(" ")],
      ["After", ["docker.service", "network-online.target", ...needs, ...earlier].join(" ")],
      ["StartLimitIntervalSec", "0"],
    ],
    service: [
      ["Restart", "always"],
      ["RestartSec", "10"],
      ["TimeoutStopSec", String(plan.shutdownGraceSeconds)],
      ["ExecStartPre", `-${DOCKER} rm -f ${name}`],
      ["ExecStart", commandLine(dockerRun(c, layout))],
      ["ExecStop", `${DOCKER} stop --time=${c.shutdownGraceSeconds} ${name}`],
    ],
    install: [["WantedBy", "multi-user.target"]],
  };
}

const ONESHOT = (description: string, script: string, extra: [string, string][] = []): UnitFile => ({
  unit: [["Description", description], ...extra],
  service: [
    ["Type", "oneshot"],
    ["RemainAfterExit", "yes"],
    ["TimeoutStartSec", "infinity"],
    ["ExecStart", `/bin/bash ${script}`],
  ],
});

/** Commands run once, after the files are written. */
function runcmd(platform: VmPlatform, units: readonly string[], metrics: VmMetrics): string[][] {
  const start = [
    ["systemctl", "daemon-reload"],
    ["systemctl", "enable", "--now", "--no-block", "docker.service", ...units],
  ];
  if (platform === "gcp") return start;
  return [
    ["sh", "-c", "for i in 1 2 3 4 5; do dnf install -y docker amazon-cloudwatch-agent && exit 0; sleep 15; done; exit 1"],
    // Access is through SSM Session Manager; nothing listens for SSH.
    ["systemctl", "disable", "--now", "sshd.service"],
    ...start,
    // Fetches the configuration from SSM, then enables and starts the agent.
    ...(metrics.kind === "cloudwatch-agent" ? [[CLOUDWATCH_AGENT_CTL, "-a", "fetch-config", "-m", "ec2", "-s", "-c", `ssm:${metrics.configParameter}`]] : []),
  ];
}

/**
 * GCP: Managed Service for Prometheus's collector as one more container, unprivileged, read-only, its storage in
 * memory. The scrape config gets the VM's hostname as `instance` at each start, so the nodes' series stay apart.
 */
function collectorUnitFile(metrics: Extract<VmMetrics, { kind: "managed-prometheus" }>, configFile: string): UnitFile {
  const name = "ethereum-metrics";
  const runtimeConfig = `/run/${name}/prometheus.yaml`;
  const substitute = `sed "s/${INSTANCE_PLACEHOLDER}/$(cat /proc/sys/kernel/hostname)/" ${configFile} > ${runtimeConfig}`;
  return {
    unit: [
      ["Description", `Managed Service for Prometheus collector (${GMP_COLLECTOR_IMAGE})`],
      ["Requires", "docker.service"],
      ["Wants", `network-online.target ${containerUnit("health")}`],
      ["After", `docker.service network-online.target ${containerUnit("health")}`],
      ["StartLimitIntervalSec", "0"],
    ],
    service: [
      ["Restart", "always"],
      ["RestartSec", "10"],
      ["RuntimeDirectory", name],
      ["ExecStartPre", `-${DOCKER} rm -f ${name}`],
      ["ExecStartPre", commandLine([["/bin/sh", "-c", substitute]])],
      [
        "ExecStart",
        commandLine([
          [DOCKER, "run", "--rm", "--name", name],
          ["--network", "host"],
          ["--user", `${COLLECTOR_UID}:${COLLECTOR_UID}`, "--cap-drop", "ALL"],
          ["--security-opt", "no-new-privileges", "--read-only"],
          ["--log-driver", "none"],
          ["--tmpfs", "/prometheus:rw,size=256m,mode=1777"],
          ["--volume", `${runtimeConfig}:/etc/prometheus/prometheus.yaml:ro`],
          [GMP_COLLECTOR_IMAGE],
          ...vmCollectorArgs("/etc/prometheus/prometheus.yaml", "/prometheus", metrics).map((a) => [a]),
        ]),
      ],
      ["ExecStop", `${DOCKER} stop --time=10 ${name}`],
    ],
    install: [["WantedBy", "multi-user.target"]],
  };
}

/** On a VM the sidecar also gates the served RPC ports, for the load balancer that fails open. */
function withGates(plan: CloudInitPlan): CloudInitPlan {
  const GATES = gatesSetting(servedPorts(plan));
  return { ...plan, containers: plan.containers.map((c) => (isHealth(c) ? { ...c, env: { ...c.env, GATES } } : c)) };
}

export function renderCloudInit(platform: VmPlatform, ungated: CloudInitPlan, metrics: VmMetrics): string {
  const problems = cloudInitProblems(ungated, platform, metrics);
  if (problems.length > 0) throw new Error(`cloud-init (${platform}): ${problems.join("; ")}`);
  const plan = withGates(ungated);
  const layout = HOST_LAYOUT[platform];
  const directories = plan.containers.flatMap((c) => (c.dataSubdir !== undefined ? [{ subdir: c.dataSubdir, nonRoot: c.nonRoot }] : []));
  const prepareData = `${layout.configDir}/prepare-data.sh`;
  const generateJwt = `${layout.configDir}/generate-jwt.sh`;
  const firewall = `${layout.configDir}/firewall.sh`;
  const units: [string, UnitFile][] = [
    ...(platform === "gcp" ? [[FIREWALL_UNIT, { ...ONESHOT("Ethereum node host firewall", firewall, [["After", "network-online.target"]]), install: [["WantedBy", "multi-user.target"]] }] as [string, UnitFile]] : []),
    [DATA_UNIT, ONESHOT(`Ethereum chain-data disk at ${layout.dataMount}`, prepareData, [["After", "local-fs.target"]])],
    [JWT_UNIT, ONESHOT("Ethereum engine API secret, in memory", generateJwt)],
    ...plan.containers.map((c, i): [string, UnitFile] => [containerUnit(c.name), containerUnitFile(c, plan.containers.slice(0, i), plan, layout)]),
  ];
  const file = (path: string, permissions: string, content: string) => ({ path, owner: "root:root", permissions, content });
  const healthTarget = `127.0.0.1:${HEALTH_PORT}`;
  const scrapeConfig = scrapeConfigPath(platform);
  // JSON is YAML, and shorter.
  const scrape = metrics.kind === "cloudwatch-agent" ? vmScrapeConfig(plan.pool, healthTarget) : vmCollectorScrapeConfig(healthTarget);
  const metricsFiles = [file(scrapeConfig, "0644", `${JSON.stringify(scrape)}\n`)];
  if (metrics.kind === "managed-prometheus") units.push([METRICS_UNIT, collectorUnitFile(metrics, scrapeConfig)]);
  const config = {
    write_files: [
      file(prepareData, "0755", prepareDataScript(platform, layout, directories)),
      file(generateJwt, "0755", generateJwtScript(layout, JWT_PATH.slice(JWT_DIR.length + 1))),
      ...(platform === "gcp" ? [file(firewall, "0755", hostFirewallScript(plan))] : []),
      // Without comments and indentation: EC2 caps user data at 16 KiB.
      file(`${layout.configDir}/${HEALTH_SCRIPT_FILE}`, "0644", compactScript(plan.healthScript)),
      ...metricsFiles,
      ...units.map(([unit, content]) => file(`/etc/systemd/system/${unit}`, "0644", renderUnit(content))),
    ],
    runcmd: runcmd(
      platform,
      [...(platform === "gcp" ? [FIREWALL_UNIT] : []), ...plan.containers.map((c) => containerUnit(c.name)), ...(metrics.kind === "managed-prometheus" ? [METRICS_UNIT] : [])],
      metrics,
    ),
  };
  // Sequences unindented: every line of every file is indented once less, which counts against EC2's 16 KiB.
  return `#cloud-config\n${stringify(config, { lineWidth: 0, blockQuote: "literal", indentSeq: false })}`;
}
