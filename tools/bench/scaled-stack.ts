/**
 * A project directory whose prod stack is the prod estate × `factor`: its node pools, indexers and API services
 * repeated under new names (each copy reading its own copy's pools and indexer), plus staging's two sandboxes
 * repeated as often (with staging's R&D budget line). Networks and clusters stay as they are. For the benchmark only.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PROJECT } from "../../stacks/config";

type Section = Record<string, Record<string, unknown>>;

const key = (name: string) => `${PROJECT}:${name}`;
/** The name of copy `k` (1 is the original). */
const copyName = (name: string, k: number) => (k === 1 ? name : `${name}${k}`);

function repeat(section: Section | undefined, factor: number, rewrite: (entry: Record<string, unknown>, k: number) => Record<string, unknown>): Section {
  const out: Section = {};
  for (let k = 1; k <= factor; k++) for (const [name, entry] of Object.entries(section ?? {})) out[copyName(name, k)] = rewrite(structuredClone(entry), k);
  return out;
}

function rename(entry: Record<string, unknown>, field: string, k: number): void {
  if (typeof entry[field] === "string") entry[field] = copyName(entry[field], k);
}

/** The config of the prod stack × factor. */
export function scaledConfig(projectDir: string, factor: number): Record<string, unknown> {
  const prod = (parse(fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
  const staging = (parse(fs.readFileSync(path.join(projectDir, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
  const config = structuredClone(prod);
  config[key("ethereumNodes")] = repeat(prod[key("ethereumNodes")] as Section, factor, (e) => e);
  config[key("indexers")] = repeat(prod[key("indexers")] as Section, factor, (e, k) => {
    rename(e, "rpcPool", k);
    rename(e, "backfillRpcPool", k);
    return e;
  });
  config[key("apiServices")] = repeat(prod[key("apiServices")] as Section, factor, (e, k) => {
    const upstream = e.upstream as Record<string, unknown> | undefined;
    if (upstream) rename(upstream, "indexer", k);
    const ingress = e.ingress as Record<string, unknown> | undefined;
    if (ingress && typeof ingress.host === "string" && k > 1) ingress.host = `s${k}-${ingress.host}`;
    return e;
  });
  // Staging's sandboxes, on prod's clusters and network.
  const clusters = Object.keys(prod[key("clusters")] as Section);
  const awsNetwork = Object.entries(prod[key("networks")] as Section).find(([, n]) => n.cloud === "aws")?.[0];
  config[key("sandboxOwners")] = staging[key("sandboxOwners")];
  config[key("sandboxEmailDomain")] = staging[key("sandboxEmailDomain")];
  config[key("sandboxes")] = repeat(staging[key("sandboxes")] as Section, factor, (e, k) => {
    e.cluster = clusters[k % clusters.length];
    const vm = e.vm as Record<string, unknown> | undefined;
    if (vm) vm.network = awsNetwork;
    return e;
  });
  config[key("budgetLines")] = { ...(staging[key("budgetLines")] as Section), ...(prod[key("budgetLines")] as Section) };
  return config;
}

/** Prod's pack config with the stack's budget lines allowed and capped. */
function scaledPackConfig(projectDir: string, config: Record<string, unknown>): Record<string, unknown> {
  const pack = JSON.parse(fs.readFileSync(path.join(projectDir, "policies", "config.prod.json"), "utf8")) as Record<string, Record<string, unknown>>;
  const lines = config[key("budgetLines")] as Section;
  pack["budget-line-allowed"].allowedBudgetLines = Object.keys(lines);
  pack["budget-cap"].caps = Object.fromEntries(Object.entries(lines).map(([id, line]) => [id, line.monthlyCapDai]));
  return pack;
}

/** Writes the project (Pulumi.yaml, Pulumi.prod.yaml, its pack config) into a new temp dir; returns it. */
export function writeScaledProject(projectDir: string, factor: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `estate-x${factor}-`));
  fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  const config = scaledConfig(projectDir, factor);
  fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), stringify({ config }));
  fs.mkdirSync(path.join(dir, "policies"));
  fs.writeFileSync(path.join(dir, "policies", "config.prod.json"), `${JSON.stringify(scaledPackConfig(projectDir, config), null, 2)}\n`);
  return dir;
}
