/**
 * The #cloud-config of a node VM on Amazon Linux 2023 (AWS) or Container-Optimized OS (GCP): the chain-data mount, the
 * engine JWT generated in memory at boot, the health sidecar's source, and one systemd unit per container running
 * `docker run --network host`, the execution client first. Pure: the same plan renders the same text.
 */
import { stringify } from "yaml";
import { ContainerPlan, HEALTH_SCRIPT_PATH } from "./containers";
import { DATA_ROOT, JWT_DIR, JWT_PATH, NodePoolPlan } from "./plan";
import { UnitFile, commandLine, renderUnit } from "./systemd";
import { DATA_UNIT, HOST_LAYOUT, HostLayout, JWT_UNIT, NODE_UID, VmPlatform, containerUnit } from "./vm-layout";
import { generateJwtScript, prepareDataScript } from "./vm-scripts";

export type CloudInitPlan = Pick<NodePoolPlan, "containers" | "shutdownGraceSeconds" | "healthScript">;

const DOCKER = "/usr/bin/docker";
const HEALTH_SCRIPT_FILE = "sync-health.js";
/** What an engine JWT looks like; no input may carry one. */
const HEX_SECRET = /[0-9a-fA-F]{64}/;
const SUBDIR = /^[a-z][a-z0-9-]*$/;

const usesJwt = (c: ContainerPlan) => c.args.some((a) => a.includes(JWT_PATH));
const isHealth = (c: ContainerPlan) => c.args.includes(HEALTH_SCRIPT_PATH);

/** Everything renderCloudInit assumes about the plan, as `plan.<path>: <problem>`. */
export function cloudInitProblems(plan: CloudInitPlan): string[] {
  const problems: string[] = [];
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
    ["--security-opt", "no-new-privileges"],
    // The attached output reaches the journal through the unit; a second copy in docker's json logs would fill the root disk.
    ["--log-driver", "none"],
    ["--stop-timeout", String(c.shutdownGraceSeconds)],
    ...(c.dataSubdir !== undefined ? [["--volume", `${layout.dataMount}/${c.dataSubdir}:${DATA_ROOT}/${c.dataSubdir}`]] : []),
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
  const needs = [...(c.dataSubdir !== undefined ? [DATA_UNIT] : []), ...(usesJwt(c) ? [JWT_UNIT] : [])];
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
function runcmd(platform: VmPlatform, units: readonly string[]): string[][] {
  const start = [
    ["systemctl", "daemon-reload"],
    ["systemctl", "enable", "--now", "--no-block", "docker.service", ...units],
  ];
  if (platform === "gcp") return start;
  return [
    ["sh", "-c", "for i in 1 2 3 4 5; do dnf install -y docker && exit 0; sleep 15; done; exit 1"],
    // Access is through SSM Session Manager; nothing listens for SSH.
    ["systemctl", "disable", "--now", "sshd.service"],
    ...start,
  ];
}

export function renderCloudInit(platform: VmPlatform, plan: CloudInitPlan): string {
  const problems = cloudInitProblems(plan);
  if (problems.length > 0) throw new Error(`cloud-init (${platform}): ${problems.join("; ")}`);
  const layout = HOST_LAYOUT[platform];
  const directories = plan.containers.flatMap((c) => (c.dataSubdir !== undefined ? [{ subdir: c.dataSubdir, nonRoot: c.nonRoot }] : []));
  const prepareData = `${layout.configDir}/prepare-data.sh`;
  const generateJwt = `${layout.configDir}/generate-jwt.sh`;
  const units: [string, UnitFile][] = [
    [DATA_UNIT, ONESHOT(`Ethereum chain-data disk at ${layout.dataMount}`, prepareData, [["After", "local-fs.target"]])],
    [JWT_UNIT, ONESHOT("Ethereum engine API secret, in memory", generateJwt)],
    ...plan.containers.map((c, i): [string, UnitFile] => [containerUnit(c.name), containerUnitFile(c, plan.containers.slice(0, i), plan, layout)]),
  ];
  const file = (path: string, permissions: string, content: string) => ({ path, owner: "root:root", permissions, content });
  const config = {
    write_files: [
      file(prepareData, "0755", prepareDataScript(platform, layout, directories)),
      file(generateJwt, "0755", generateJwtScript(layout, JWT_PATH.slice(JWT_DIR.length + 1))),
      file(`${layout.configDir}/${HEALTH_SCRIPT_FILE}`, "0644", plan.healthScript),
      ...units.map(([unit, content]) => file(`/etc/systemd/system/${unit}`, "0644", renderUnit(content))),
    ],
    runcmd: runcmd(
      platform,
      plan.containers.map((c) => containerUnit(c.name)),
    ),
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0, blockQuote: "literal" })}`;
}
