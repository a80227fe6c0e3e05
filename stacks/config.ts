/**
 * The estate's stack configuration: one typed EstateConfig, parsed from the `core-unit-estate:` keys of a stack.
 * Every problem is reported at once, each naming the key, the value found and what is allowed.
 */
import { BUDGET_LINES, CANONICAL_BUDGET_CATEGORY_IDS, CanonicalBudgetCategory, MIP_BUDGET, TAG_VALUE_PATTERN, TAG_VALUE_RULE, findBudgetLine } from "../components/tagging";
import { overlaps, parseCidr } from "../components/network/cidr";
import { LOG_RETENTION_DAYS } from "../components/network/log-retention";
import { eksStandardSupport, eksVersionRule } from "../components/cluster/eks-versions";
import { ConfigProblem, ConfigReader, Obj, complete, formatProblem } from "./config-reader";
import { EthereumNodeConfig, readCheckpointSyncUrls, readEthereumNodes } from "./config-ethereum-nodes";
import { CostGovernanceConfig, readCostGovernance } from "./config-cost-governance";
import { SandboxConfig, SandboxOptions, readSandboxes } from "./config-sandboxes";
import { IndexerConfig, readIndexers } from "./config-indexers";
import { ApiServiceConfig, readApiServices } from "./config-api-services";
import { MonitoringConfig, WEBHOOK_KEY, readMonitoring } from "./config-monitoring";
import { AWS_REGIONS, GCP_REGIONS } from "./regions";
import type { Chain } from "../components/ethereum-node/catalog";

export type { EthereumNodeConfig } from "./config-ethereum-nodes";
export type { CostGovernanceConfig } from "./config-cost-governance";
export type { SandboxConfig } from "./config-sandboxes";
export type { IndexerConfig, IndexerDatabaseConfig } from "./config-indexers";
export type { ApiServiceConfig, ApiServiceIngressConfig } from "./config-api-services";
export type { MonitoringConfig } from "./config-monitoring";

export const PROJECT = "core-unit-estate";
export const ENVIRONMENTS = ["staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const SHARED_BUDGET_LINE = "infrastructure-tools";

export interface BudgetAllocation {
  readonly id: string;
  readonly name: string;
  readonly monthlyCapDai: number;
  /** The SES category the budget statement reports the line under; absent: the line's default (BUDGET_LINES). */
  readonly canonicalBudgetCategory?: CanonicalBudgetCategory;
}

export interface AwsSettings {
  readonly region: string;
}

export interface GcpSettings {
  readonly project: string;
  readonly region: string;
}

interface NetworkBase {
  readonly name: string;
  readonly cidr: string;
  readonly budgetLine: string;
  /** Never peered or connected to the stack's other networks, so its ranges may overlap theirs. */
  readonly neverPeered: boolean;
}

export interface AwsNetworkConfig extends NetworkBase {
  readonly cloud: "aws";
  readonly availabilityZones: number;
  readonly natGateways: "single" | "per-az";
  readonly flowLogRetentionDays: number;
}

export interface GcpNetworkConfig extends NetworkBase {
  readonly cloud: "gcp";
  readonly podsCidr: string;
  readonly servicesCidr: string;
}

export type NetworkConfig = AwsNetworkConfig | GcpNetworkConfig;

export interface NamespaceConfig {
  readonly name: string;
  readonly budgetLine: string;
  readonly workload: string;
}

export interface EksNodeGroupConfig {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly capacityType: "on-demand" | "spot";
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskGiB: number;
}

export interface GkeNodePoolConfig {
  readonly name: string;
  readonly machineType: string;
  readonly spot: boolean;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly diskGiB: number;
  readonly diskType: "pd-balanced" | "pd-ssd";
}

interface ClusterBase {
  readonly name: string;
  readonly budgetLine: string;
  readonly namespaces: readonly NamespaceConfig[];
}

export interface EksClusterConfig extends ClusterBase {
  readonly kind: "eks";
  readonly network: string;
  readonly version: string;
  readonly publicAccessCidrs: readonly string[];
  readonly nodeGroups: readonly EksNodeGroupConfig[];
}

export interface GkeClusterConfig extends ClusterBase {
  readonly kind: "gke";
  readonly network: string;
  readonly releaseChannel: "RAPID" | "REGULAR" | "STABLE";
  readonly regional: boolean;
  readonly masterCidr: string;
  readonly masterAuthorizedCidrs: readonly string[];
  readonly nodePools: readonly GkeNodePoolConfig[];
}

export interface ExistingClusterConfig extends ClusterBase {
  readonly kind: "existing";
  /** The kubeconfig context to use; the kubeconfig itself is the secret `kubeconfigs.<name>`. */
  readonly context?: string;
  readonly kubeconfig: string;
}

export type ClusterConfig = EksClusterConfig | GkeClusterConfig | ExistingClusterConfig;

export interface EstateConfig {
  readonly project: string;
  readonly stack: string;
  readonly coreUnit: string;
  readonly environment: Environment;
  readonly owner: string;
  readonly daiPerUsd: number;
  readonly budgetLines: readonly BudgetAllocation[];
  readonly aws?: AwsSettings;
  readonly gcp?: GcpSettings;
  readonly networks: readonly NetworkConfig[];
  readonly clusters: readonly ClusterConfig[];
  /** Beacon nodes serving finalized state, per chain, for consensus clients' checkpoint sync. */
  readonly checkpointSyncUrls: Readonly<Partial<Record<Chain, string>>>;
  readonly ethereumNodes: readonly EthereumNodeConfig[];
  /** Chain indexers (components/indexer): database, blue/green workers, read API, consumers. */
  readonly indexers: readonly IndexerConfig[];
  /** Containerised HTTP services (components/api-service). */
  readonly apiServices: readonly ApiServiceConfig[];
  /** Alarms, their recipients and the weekly drill (components/monitoring); required in prod. */
  readonly monitoring?: MonitoringConfig;
  /** R&D / proof-of-concept sandboxes (components/sandbox), each with an owner, a budget and an expiry. */
  readonly sandboxes: readonly SandboxConfig[];
  /** Budgets, alerts and billing exports per cloud the stack configures; none without the section. */
  readonly costGovernance?: CostGovernanceConfig;
}

export const TOP_LEVEL_KEYS = [
  "coreUnit",
  "environment",
  "owner",
  "daiPerUsd",
  "budgetLines",
  "aws",
  "gcp",
  "networks",
  "clusters",
  "kubeconfigs",
  "checkpointSyncUrls",
  "ethereumNodes",
  "indexers",
  "apiServices",
  "sandboxes",
  "sandboxOwners",
  "sandboxEmailDomain",
  "sandboxMaxLifetimeDays",
  "costGovernance",
  "monitoring",
  "onCallWebhookUrl",
] as const;

const NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const NAME_RULE = "lowercase letters, digits and '-', 1-32 characters, starting with a letter";
/** The cluster components' bound on a node group's or pool's name (components/cluster/validation.ts). */
const PART_NAME = /^[a-z](?:[a-z0-9-]{0,22}[a-z0-9])?$/;
const PART_NAME_RULE = "lowercase letters, digits and '-', 1-24 characters, starting with a letter";
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const AWS_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const GCP_MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z]+(?:-\d+)?$/;
const CIDR_RULE = "an IPv4 CIDR block with no host bits set, e.g. 10.20.0.0/16";
const OPEN_TO_THE_INTERNET = ["0.0.0.0/0", "::/0"];

export type ParseResult = { ok: true; config: EstateConfig } | { ok: false; problems: ConfigProblem[] };

export interface ParseOptions extends SandboxOptions {
  /** Keys (without the namespace) the stack holds as secrets. */
  readonly secretKeys: readonly string[];
  /** The offline plan replaces secrets by a stand-in: their format cannot be checked there. */
  readonly secretsAreStandIns: boolean;
  /**
   * Paths (without the namespace) of the values the stack file holds encrypted, where the reader can tell them
   * apart (the offline plan can: `kubeconfigs.lab`); a running program only knows which top-level keys are secret.
   */
  readonly secretPaths?: readonly string[];
}

export function parseEstateConfig(raw: Obj, stack: string, options: Partial<ParseOptions> = {}): ParseResult {
  const r = new ConfigReader(PROJECT);
  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      r.fail(key, raw[key], `no such key; known keys: ${TOP_LEVEL_KEYS.join(", ")}`);
    }
  }
  const coreUnit = r.string("coreUnit", raw.coreUnit, { pattern: TAG_VALUE_PATTERN, allowed: `the Core Unit id (${TAG_VALUE_RULE}), e.g. tocu-001` });
  const environment = r.oneOf("environment", raw.environment, ENVIRONMENTS);
  const owner = r.string("owner", raw.owner, { pattern: TAG_VALUE_PATTERN, allowed: `the owning team (${TAG_VALUE_RULE}), e.g. techops` });
  const daiPerUsd = r.number("daiPerUsd", raw.daiPerUsd, { min: 0.5, max: 2, fallback: 1 });
  const budgetLines = readBudgetLines(r, raw.budgetLines);
  // References are checked against what is declared, so one bad entry is reported once, not again at every use.
  const lineIds = new Set(r.isObject(raw.budgetLines) ? Object.keys(raw.budgetLines).filter((id) => findBudgetLine(id)?.cloudSpend) : []);
  const budgetLineRef = (path: string, value: unknown): string | undefined => {
    const id = value ?? SHARED_BUDGET_LINE;
    if (typeof id === "string" && lineIds.has(id)) return id;
    return r.fail(path, value ?? `${SHARED_BUDGET_LINE} (the default)`, `a budget line configured under budgetLines: ${[...lineIds].join(", ") || "none configured"}`);
  };

  const aws = readAws(r, raw.aws);
  const gcp = readGcp(r, raw.gcp);
  const networks = readNetworks(r, raw.networks, budgetLineRef, { aws: aws !== undefined || raw.aws !== undefined, gcp: gcp !== undefined || raw.gcp !== undefined }, environment);
  const kubeconfigs = readKubeconfigs(r, raw.kubeconfigs, {
    secret: (options.secretKeys ?? []).includes("kubeconfigs"),
    secretPaths: options.secretPaths,
  });
  const declaredNetworks = r.isObject(raw.networks)
    ? Object.entries(raw.networks).map(([name, n]) => ({ name, cloud: r.isObject(n) ? n.cloud : undefined }))
    : [];
  const clusters = readClusters(r, raw.clusters, declaredNetworks, kubeconfigs, budgetLineRef, environment, options.today ?? new Date());
  const existing = r.isObject(raw.clusters) ? Object.entries(raw.clusters).filter(([, c]) => r.isObject(c) && c.kind === "existing").map(([name]) => name) : [];
  for (const name of kubeconfigs.keys()) {
    if (!existing.includes(name)) {
      r.fail(`kubeconfigs.${name}`, "[secret]", `a kubeconfig for a cluster declared with kind: existing (${existing.join(", ") || "none declared"})`);
    }
  }
  const checkpointSyncUrls = readCheckpointSyncUrls(r, raw.checkpointSyncUrls);
  const declaredClusters = r.isObject(raw.clusters)
    ? Object.entries(raw.clusters).map(([name, c]) => ({
        name,
        namespaces: r.isObject(c) && r.isObject(c.namespaces) ? Object.keys(c.namespaces) : [],
      }))
    : [];
  const ethereumNodes = readEthereumNodes(r, raw.ethereumNodes, {
    networks: declaredNetworks,
    clusters: declaredClusters,
    budgetLineRef,
    checkpointChains: r.isObject(raw.checkpointSyncUrls) ? Object.keys(raw.checkpointSyncUrls) : [],
  }, checkpointSyncUrls);
  const costGovernance = readCostGovernance(r, raw.costGovernance, { gcp: raw.gcp !== undefined, budgetLineRef });
  const sandboxes = readSandboxes(r, raw, {
    networks: declaredNetworks,
    clusters: r.isObject(raw.clusters) ? Object.entries(raw.clusters).map(([name, c]) => ({ name, kind: r.isObject(c) ? c.kind : undefined, namespaces: declaredClusters.find((d) => d.name === name)?.namespaces ?? [] })) : [],
    gcpBillingAccount: r.isObject(raw.costGovernance) && raw.costGovernance.gcpBillingAccount !== undefined,
  }, { today: options.today ?? new Date(), allowExpired: options.allowExpired ?? false });
  const prod = environment === "prod";
  const workloadClusters = clusters.map((c) => ({ name: c.name, kind: c.kind, network: c.kind === "existing" ? undefined : c.network, namespaces: c.namespaces.map((n) => n.name) }));
  const indexers = readIndexers(r, raw.indexers, {
    clusters: workloadClusters,
    networks: declaredNetworks,
    ethereumNodes,
    declaredPools: r.isObject(raw.ethereumNodes) ? Object.keys(raw.ethereumNodes) : [],
    apiServices: r.isObject(raw.apiServices) ? Object.keys(raw.apiServices) : [],
    declaredClusters: declaredClusters.map((c) => c.name),
    prod,
  });
  const apiServices = readApiServices(r, raw.apiServices, {
    clusters: workloadClusters,
    indexers: r.isObject(raw.indexers)
      ? Object.entries(raw.indexers).map(([name, i]) => ({ name, cluster: r.isObject(i) && declaredClusters.some((c) => c.name === i.cluster) ? i.cluster : undefined }))
      : [],
    declaredClusters: declaredClusters.map((c) => c.name),
    prod,
  });
  const monitoring = readMonitoring(
    r,
    raw.monitoring,
    { value: raw[WEBHOOK_KEY], secret: (options.secretKeys ?? []).includes(WEBHOOK_KEY), standIn: options.secretsAreStandIns ?? false },
    prod,
  );

  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  return {
    ok: true,
    config: {
      project: PROJECT,
      stack,
      coreUnit: coreUnit!,
      environment: environment!,
      owner: owner!,
      daiPerUsd: daiPerUsd!,
      budgetLines,
      aws,
      gcp,
      networks,
      clusters,
      checkpointSyncUrls,
      ethereumNodes,
      indexers,
      apiServices,
      sandboxes,
      costGovernance,
      monitoring,
    },
  };
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  return [`Stack configuration has ${problems.length} ${noun}:`, ...problems.map((p) => `  - ${formatProblem(p)}`)].join("\n");
}

function readBudgetLines(r: ConfigReader, value: unknown): BudgetAllocation[] {
  const cloudLines = BUDGET_LINES.filter((l) => l.cloudSpend).map((l) => l.id);
  if (value === undefined) {
    r.fail("budgetLines", value, `a map of budget line id to { monthlyCapDai }, ids among ${cloudLines.join(", ")}`);
    return [];
  }
  const lines: BudgetAllocation[] = [];
  for (const [id, entry] of r.entries("budgetLines", value, /^[a-z][a-z0-9-]*$/, "a budget line id")) {
    const line = findBudgetLine(id);
    if (!line || !line.cloudSpend) {
      r.fail(`budgetLines.${id}`, entry, `a budget line of ${MIP_BUDGET.mip} that may carry cloud spend: ${cloudLines.join(", ")}`);
      continue;
    }
    const obj = r.object(`budgetLines.${id}`, entry, ["monthlyCapDai", "canonicalBudgetCategory"], "a budget line allocation");
    const cap = obj && r.number(`budgetLines.${id}.monthlyCapDai`, obj.monthlyCapDai, { min: 1, max: MIP_BUDGET.monthlyCapDai });
    const category = obj?.canonicalBudgetCategory === undefined ? undefined : r.oneOf(`budgetLines.${id}.canonicalBudgetCategory`, obj.canonicalBudgetCategory, CANONICAL_BUDGET_CATEGORY_IDS);
    if (cap !== undefined && (obj?.canonicalBudgetCategory === undefined || category)) lines.push({ id, name: line.name, monthlyCapDai: cap, ...(category ? { canonicalBudgetCategory: category } : {}) });
  }
  if (r.isObject(value) && Object.keys(value).length === 0) {
    r.fail("budgetLines", value, `at least one budget line among ${cloudLines.join(", ")}: { monthlyCapDai }`);
  }
  const total = lines.reduce((sum, l) => sum + l.monthlyCapDai, 0);
  if (total > MIP_BUDGET.monthlyCapDai) {
    r.fail("budgetLines", Object.fromEntries(lines.map((l) => [l.id, l.monthlyCapDai])), `monthly caps adding up to at most ${MIP_BUDGET.monthlyCapDai} DAI, the ${MIP_BUDGET.mip} monthly total (these add up to ${total})`);
  }
  return lines;
}

function readAws(r: ConfigReader, value: unknown): AwsSettings | undefined {
  if (value === undefined) return undefined;
  const obj = r.object("aws", value, ["region"], "AWS settings");
  const region = obj && regionOf(r, "aws.region", obj.region, "an AWS region", AWS_REGIONS);
  return region ? { region } : undefined;
}

/** A region of the cloud's list (stacks/regions.ts). */
function regionOf(r: ConfigReader, path: string, value: unknown, what: string, regions: readonly string[]): string | undefined {
  if (typeof value === "string" && regions.includes(value)) return value;
  return r.fail(path, value, `${what} (stacks/regions.ts): ${regions.join(", ")}`);
}

function readGcp(r: ConfigReader, value: unknown): GcpSettings | undefined {
  if (value === undefined) return undefined;
  const obj = r.object("gcp", value, ["project", "region"], "GCP settings");
  if (!obj) return undefined;
  const project = r.string("gcp.project", obj.project, { pattern: GCP_PROJECT, allowed: "a GCP project id: 6-30 lowercase letters, digits or '-', starting with a letter" });
  const region = regionOf(r, "gcp.region", obj.region, "a GCP region", GCP_REGIONS);
  return project && region ? { project, region } : undefined;
}

type BudgetLineRef = (path: string, value: unknown) => string | undefined;

function cidr(r: ConfigReader, path: string, value: unknown, minPrefix: number, maxPrefix: number): string | undefined {
  if (typeof value === "string" && OPEN_TO_THE_INTERNET.includes(value.trim())) {
    return r.fail(path, value, `not ${value.trim()}, which is open to the internet: the ranges that may reach the endpoint (an office, a VPN, a CI runner's egress), ${CIDR_RULE.replace("an IPv4", "each an IPv4")}, prefix /${minPrefix} to /${maxPrefix}`);
  }
  const parsed = typeof value === "string" ? parseCidr(value) : undefined;
  if (!parsed || parsed.prefix < minPrefix || parsed.prefix > maxPrefix) {
    return r.fail(path, value, `${CIDR_RULE}, prefix /${minPrefix} to /${maxPrefix}`);
  }
  return value as string;
}

function readNetworks(r: ConfigReader, value: unknown, budgetLineRef: BudgetLineRef, clouds: { aws: boolean; gcp: boolean }, environment: Environment | undefined): NetworkConfig[] {
  const networks: NetworkConfig[] = [];
  for (const [name, entry] of r.entries("networks", value, NAME, NAME_RULE)) {
    const path = `networks.${name}`;
    const cloud = r.isObject(entry) ? entry.cloud : undefined;
    if (cloud === "aws") {
      const obj = r.object(path, entry, ["cloud", "cidr", "availabilityZones", "natGateways", "flowLogRetentionDays", "budgetLine", "neverPeered"], "an AWS network");
      if (!obj) continue;
      if (!clouds.aws) r.fail(`${path}.cloud`, cloud, "gcp, unless the aws section (aws.region) is configured");
      const net = {
        name,
        cloud: "aws" as const,
        cidr: cidr(r, `${path}.cidr`, obj.cidr, 16, 20),
        availabilityZones: r.number(`${path}.availabilityZones`, obj.availabilityZones, { min: 2, max: 6, integer: true, fallback: 2 }),
        natGateways: r.oneOf(`${path}.natGateways`, obj.natGateways, ["single", "per-az"] as const, "single"),
        flowLogRetentionDays: retentionDays(r, `${path}.flowLogRetentionDays`, obj.flowLogRetentionDays),
        budgetLine: budgetLineRef(`${path}.budgetLine`, obj.budgetLine),
        neverPeered: r.boolean(`${path}.neverPeered`, obj.neverPeered, false),
      };
      if (environment === "prod" && net.natGateways === "single") {
        r.fail(`${path}.natGateways`, obj.natGateways ?? "single (the default)", "per-az in prod: one NAT gateway per zone, so losing a zone does not cut egress for the others");
      }
      if (complete(net)) networks.push(net);
    } else if (cloud === "gcp") {
      const obj = r.object(path, entry, ["cloud", "cidr", "podsCidr", "servicesCidr", "budgetLine", "neverPeered"], "a GCP network");
      if (!obj) continue;
      if (!clouds.gcp) r.fail(`${path}.cloud`, cloud, "aws, unless the gcp section (gcp.project, gcp.region) is configured");
      const net = {
        name,
        cloud: "gcp" as const,
        cidr: cidr(r, `${path}.cidr`, obj.cidr, 8, 29),
        podsCidr: cidr(r, `${path}.podsCidr`, obj.podsCidr, 8, 24),
        servicesCidr: cidr(r, `${path}.servicesCidr`, obj.servicesCidr, 8, 27),
        budgetLine: budgetLineRef(`${path}.budgetLine`, obj.budgetLine),
        neverPeered: r.boolean(`${path}.neverPeered`, obj.neverPeered, false),
      };
      const ranges = [net.cidr, net.podsCidr, net.servicesCidr];
      if (ranges.every((c) => c !== undefined)) {
        const [a, b, c] = ranges.map((x) => parseCidr(x!)!);
        if (overlaps(a, b) || overlaps(a, c) || overlaps(b, c)) {
          r.fail(path, { cidr: net.cidr, podsCidr: net.podsCidr, servicesCidr: net.servicesCidr }, "cidr, podsCidr and servicesCidr that do not overlap");
        }
      }
      if (complete(net)) networks.push(net);
    } else {
      r.fail(`${path}.cloud`, cloud, "aws or gcp");
    }
  }
  checkNetworkOverlaps(r, networks);
  return networks;
}

/** The address ranges of a network another network must not overlap once they are peered or connected. */
function networkRanges(n: NetworkConfig): [field: string, cidr: string][] {
  return n.cloud === "aws" ? [["cidr", n.cidr]] : [["cidr", n.cidr], ["podsCidr", n.podsCidr], ["servicesCidr", n.servicesCidr]];
}

/**
 * Two networks of a stack may be peered (VPC peering, a transit gateway, a VPN between the clouds): with overlapping
 * ranges they could not route to each other. Each overlap is reported once, on the later network.
 */
function checkNetworkOverlaps(r: ConfigReader, networks: readonly NetworkConfig[]): void {
  networks.forEach((b, i) => {
    if (b.neverPeered) return;
    for (const a of networks.slice(0, i)) {
      if (a.neverPeered) continue;
      for (const [bField, bCidr] of networkRanges(b)) {
        const clash = networkRanges(a).find(([, aCidr]) => overlaps(parseCidr(aCidr)!, parseCidr(bCidr)!));
        if (clash) {
          r.fail(`networks.${b.name}.${bField}`, bCidr, `a range that does not overlap networks.${a.name}.${clash[0]} (${clash[1]}), so the two can be peered; or neverPeered: true on a network that is never peered or connected to the others`);
        }
      }
    }
  });
}

function retentionDays(r: ConfigReader, path: string, value: unknown): number | undefined {
  const days = value === undefined ? 30 : typeof value === "string" ? Number(value) : value;
  if (typeof days === "number" && (LOG_RETENTION_DAYS as readonly number[]).includes(days)) return days;
  return r.fail(path, value, `a retention CloudWatch Logs offers, in days: ${LOG_RETENTION_DAYS.join(", ")}`);
}

/** Kubeconfigs carry cluster credentials: only as secrets, never in plain text in a committed stack file. */
/** Name -> kubeconfig; null where the entry was refused (reported once, here). */
function readKubeconfigs(r: ConfigReader, value: unknown, secrecy: { secret: boolean; secretPaths?: readonly string[] }): Map<string, string | null> {
  const kubeconfigs = new Map<string, string | null>();
  for (const [name, entry] of r.entries("kubeconfigs", value, NAME, NAME_RULE)) {
    const path = `kubeconfigs.${name}`;
    const setIt = `pulumi config set --secret --path '${path}' "$(cat kubeconfig.yaml)"`;
    kubeconfigs.set(name, null);
    if (!secrecy.secret || (secrecy.secretPaths !== undefined && !secrecy.secretPaths.includes(path))) {
      r.fail(path, "[not shown]", `a secret: ${setIt} (a kubeconfig carries the cluster's credentials; remove the plain text from the stack file)`);
    } else if (typeof entry === "string" && entry.length > 0) kubeconfigs.set(name, entry);
    else r.fail(path, "[secret, not shown]", `a kubeconfig document, set with ${setIt}`);
  }
  return kubeconfigs;
}

function readNamespaces(r: ConfigReader, path: string, value: unknown, budgetLineRef: BudgetLineRef): NamespaceConfig[] {
  const namespaces: NamespaceConfig[] = [];
  for (const [name, entry] of r.entries(path, value, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "a Kubernetes namespace name (lowercase letters, digits, '-')")) {
    const obj = r.object(`${path}.${name}`, entry, ["budgetLine", "workload"], "a namespace");
    if (!obj) continue;
    const ns = {
      name,
      budgetLine: budgetLineRef(`${path}.${name}.budgetLine`, obj.budgetLine),
      workload: r.string(`${path}.${name}.workload`, obj.workload, { pattern: TAG_VALUE_PATTERN, allowed: `a workload name (${TAG_VALUE_RULE})`, fallback: name }),
    };
    if (complete(ns)) namespaces.push(ns);
  }
  return namespaces;
}

function readClusters(
  r: ConfigReader,
  value: unknown,
  networks: { name: string; cloud: unknown }[],
  kubeconfigs: Map<string, string | null>,
  budgetLineRef: BudgetLineRef,
  environment: Environment | undefined,
  today: Date,
): ClusterConfig[] {
  const clusters: ClusterConfig[] = [];
  const networkOf = (path: string, ref: unknown, cloud: "aws" | "gcp"): string | undefined => {
    const candidates = networks.filter((n) => n.cloud === cloud).map((n) => n.name);
    if (typeof ref === "string" && candidates.includes(ref)) return ref;
    return r.fail(path, ref, `the name of a ${cloud} network declared under networks: ${candidates.join(", ") || "none declared"}`);
  };
  for (const [name, entry] of r.entries("clusters", value, NAME, NAME_RULE)) {
    const path = `clusters.${name}`;
    const kind = r.isObject(entry) ? entry.kind : undefined;
    if (kind === "eks") {
      const obj = r.object(path, entry, ["kind", "network", "version", "publicAccessCidrs", "nodeGroups", "namespaces", "budgetLine"], "an EKS cluster");
      if (!obj) continue;
      const cluster = {
        name,
        kind: "eks" as const,
        network: networkOf(`${path}.network`, obj.network, "aws"),
        // Past standard support a cluster costs six times the fee, or (support type STANDARD) EKS upgrades it unasked.
        version: typeof obj.version === "string" && eksStandardSupport(obj.version, today) ? obj.version : r.fail(`${path}.version`, obj.version, eksVersionRule(today)),
        publicAccessCidrs: r.list(`${path}.publicAccessCidrs`, obj.publicAccessCidrs, (p, v) => cidr(r, p, v, 8, 32), { min: 0, max: 40, fallback: [] }),
        nodeGroups: readNodeGroups(r, `${path}.nodeGroups`, obj.nodeGroups, environment),
        namespaces: readNamespaces(r, `${path}.namespaces`, obj.namespaces, budgetLineRef),
        budgetLine: budgetLineRef(`${path}.budgetLine`, obj.budgetLine),
      };
      if (complete(cluster)) clusters.push(cluster);
    } else if (kind === "gke") {
      const obj = r.object(path, entry, ["kind", "network", "releaseChannel", "regional", "masterCidr", "masterAuthorizedCidrs", "nodePools", "namespaces", "budgetLine"], "a GKE cluster");
      if (!obj) continue;
      const cluster = {
        name,
        kind: "gke" as const,
        network: networkOf(`${path}.network`, obj.network, "gcp"),
        releaseChannel: r.oneOf(`${path}.releaseChannel`, obj.releaseChannel, ["RAPID", "REGULAR", "STABLE"] as const, "REGULAR"),
        regional: r.boolean(`${path}.regional`, obj.regional, environment === "prod"),
        masterCidr: cidr(r, `${path}.masterCidr`, obj.masterCidr ?? "172.16.0.0/28", 28, 28),
        masterAuthorizedCidrs: r.list(`${path}.masterAuthorizedCidrs`, obj.masterAuthorizedCidrs, (p, v) => cidr(r, p, v, 8, 32), { min: 0, max: 50, fallback: [] }),
        nodePools: readNodePools(r, `${path}.nodePools`, obj.nodePools),
        namespaces: readNamespaces(r, `${path}.namespaces`, obj.namespaces, budgetLineRef),
        budgetLine: budgetLineRef(`${path}.budgetLine`, obj.budgetLine),
      };
      if (environment === "prod" && cluster.regional === false) {
        r.fail(`${path}.regional`, obj.regional, "true in prod: a regional control plane and nodes in every zone survive a zone outage");
      }
      if (complete(cluster)) clusters.push(cluster);
    } else if (kind === "existing") {
      const obj = r.object(path, entry, ["kind", "context", "namespaces", "budgetLine"], "an existing cluster reached by kubeconfig");
      if (!obj) continue;
      const kubeconfig = kubeconfigs.get(name) ?? undefined;
      if (!kubeconfigs.has(name)) {
        r.fail(`kubeconfigs.${name}`, undefined, `the cluster's kubeconfig as a secret: pulumi config set --secret --path 'kubeconfigs.${name}' "$(cat kubeconfig.yaml)"`);
      }
      const cluster = {
        name,
        kind: "existing" as const,
        kubeconfig,
        namespaces: readNamespaces(r, `${path}.namespaces`, obj.namespaces, budgetLineRef),
        budgetLine: budgetLineRef(`${path}.budgetLine`, obj.budgetLine),
      };
      const context = obj.context === undefined ? undefined : r.string(`${path}.context`, obj.context, { allowed: "the name of a context in the kubeconfig" });
      if (complete(cluster)) clusters.push(context === undefined ? cluster : { ...cluster, context });
    } else {
      r.fail(`${path}.kind`, kind, "eks, gke or existing");
    }
  }
  return clusters;
}

function readNodeGroups(r: ConfigReader, path: string, value: unknown, environment: Environment | undefined): EksNodeGroupConfig[] | undefined {
  const groups: EksNodeGroupConfig[] = [];
  const entries = r.entries(path, value, PART_NAME, PART_NAME_RULE);
  if (entries.length === 0) return r.fail(path, value, "at least one node group: name: { instanceTypes, minSize, desiredSize, maxSize }");
  for (const [name, entry] of entries) {
    const p = `${path}.${name}`;
    const obj = r.object(p, entry, ["instanceTypes", "capacityType", "minSize", "desiredSize", "maxSize", "diskGiB"], "an EKS node group");
    if (!obj) continue;
    const group = {
      name,
      instanceTypes: r.list(`${p}.instanceTypes`, obj.instanceTypes, (ip, v) => r.string(ip, v, { pattern: AWS_INSTANCE_TYPE, allowed: "an EC2 instance type, e.g. m7g.large" }), { min: 1, max: 10 }),
      capacityType: r.oneOf(`${p}.capacityType`, obj.capacityType, ["on-demand", "spot"] as const, "on-demand"),
      minSize: r.number(`${p}.minSize`, obj.minSize, { min: 0, max: 100, integer: true }),
      desiredSize: r.number(`${p}.desiredSize`, obj.desiredSize, { min: 0, max: 100, integer: true }),
      maxSize: r.number(`${p}.maxSize`, obj.maxSize, { min: 1, max: 100, integer: true }),
      diskGiB: r.number(`${p}.diskGiB`, obj.diskGiB, { min: 20, max: 16384, integer: true, fallback: 50 }),
    };
    if (!complete(group)) continue;
    if (!(group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize)) {
      r.fail(p, { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize }, "minSize <= desiredSize <= maxSize");
    } else if (environment === "prod" && group.minSize < 2) {
      r.fail(`${p}.minSize`, group.minSize, "at least 2 in prod, so one node can fail or drain without downtime");
    } else {
      groups.push(group);
    }
  }
  return groups;
}

function readNodePools(r: ConfigReader, path: string, value: unknown): GkeNodePoolConfig[] | undefined {
  const pools: GkeNodePoolConfig[] = [];
  const entries = r.entries(path, value, PART_NAME, PART_NAME_RULE);
  if (entries.length === 0) return r.fail(path, value, "at least one node pool: name: { machineType, minNodes, maxNodes }");
  for (const [name, entry] of entries) {
    const p = `${path}.${name}`;
    const obj = r.object(p, entry, ["machineType", "spot", "minNodes", "maxNodes", "diskGiB", "diskType"], "a GKE node pool");
    if (!obj) continue;
    const pool = {
      name,
      machineType: r.string(`${p}.machineType`, obj.machineType, { pattern: GCP_MACHINE_TYPE, allowed: "a Compute Engine machine type, e.g. e2-standard-4" }),
      spot: r.boolean(`${p}.spot`, obj.spot, false),
      minNodes: r.number(`${p}.minNodes`, obj.minNodes, { min: 0, max: 100, integer: true }),
      maxNodes: r.number(`${p}.maxNodes`, obj.maxNodes, { min: 1, max: 100, integer: true }),
      diskGiB: r.number(`${p}.diskGiB`, obj.diskGiB, { min: 20, max: 65536, integer: true, fallback: 50 }),
      diskType: r.oneOf(`${p}.diskType`, obj.diskType, ["pd-balanced", "pd-ssd"] as const, "pd-balanced"),
    };
    if (!complete(pool)) continue;
    if (pool.minNodes > pool.maxNodes) r.fail(p, { minNodes: pool.minNodes, maxNodes: pool.maxNodes }, "minNodes <= maxNodes");
    else pools.push(pool);
  }
  return pools;
}
