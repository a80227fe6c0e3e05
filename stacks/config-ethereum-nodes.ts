/** The `ethereumNodes` and `checkpointSyncUrls` sections of the stack config. */
import { CHAINS, Chain, DISK_LIMITS, SERVED_CHAINS, SYNC_MODES, SyncMode, SizeOverrides, findClient, recommendedSize } from "../components/ethereum-node/catalog";
import { ConfigReader, complete } from "./config-reader";

export const NODE_PLATFORMS = ["aws", "gcp", "kubernetes"] as const;
export type NodePlatform = (typeof NODE_PLATFORMS)[number];

export interface EthereumNodeConfig {
  readonly name: string;
  readonly platform: NodePlatform;
  /** aws and gcp: the estate network the nodes join. */
  readonly network?: string;
  /** kubernetes: the cluster and one of its declared namespaces. */
  readonly cluster?: string;
  readonly namespace?: string;
  readonly chain: Chain;
  readonly mode: SyncMode;
  readonly execution: string;
  readonly consensus: string;
  readonly count: number;
  readonly budgetLine: string;
  readonly size: SizeOverrides & { readonly instanceType?: string; readonly machineType?: string };
  readonly p2pService: "LoadBalancer" | "NodePort";
}

/** What the node section needs to know about the rest of the config, to check its references. */
export interface NodeReferences {
  networks: { name: string; cloud: unknown }[];
  clusters: { name: string; namespaces: string[] }[];
  budgetLineRef: (path: string, value: unknown) => string | undefined;
  /** Chains with a checkpoint-sync URL given, valid or not (an invalid one is reported once, where it is). */
  checkpointChains: string[];
}

const NAME = /^[a-z](?:[a-z0-9-]{0,22}[a-z0-9])?$/;
const NAME_RULE = "lowercase letters, digits and '-', 1-24 characters, starting with a letter";
const NODE_KEYS = ["platform", "network", "cluster", "namespace", "chain", "mode", "execution", "consensus", "count", "budgetLine", "size", "p2pService"];
const SIZE_KEYS = ["diskGiB", "iops", "throughputMBps", "vcpu", "memoryGiB", "instanceType", "machineType"];
const clientIds = (kind: "execution" | "consensus") =>
  (kind === "execution" ? ["geth", "nethermind", "erigon", "reth", "besu"] : ["lighthouse", "teku", "prysm", "nimbus", "caplin"]).filter((id) => findClient(kind, id));

export function readCheckpointSyncUrls(r: ConfigReader, value: unknown): Partial<Record<Chain, string>> {
  const urls: Partial<Record<Chain, string>> = {};
  for (const [chain, url] of r.entries("checkpointSyncUrls", value, /^[a-z]+$/, "a chain name")) {
    if (!(SERVED_CHAINS as readonly string[]).includes(chain)) {
      r.fail(`checkpointSyncUrls.${chain}`, url, `a chain among ${SERVED_CHAINS.join(", ")}`);
      continue;
    }
    const checked = r.string(`checkpointSyncUrls.${chain}`, url, { pattern: /^https:\/\/[^\s/$.?#].[^\s]*$/, allowed: "an https URL of a beacon node serving checkpoint state" });
    if (checked) urls[chain as Chain] = checked;
  }
  return urls;
}

export function readEthereumNodes(r: ConfigReader, value: unknown, refs: NodeReferences, checkpointSyncUrls: Partial<Record<Chain, string>>): EthereumNodeConfig[] {
  const nodes: EthereumNodeConfig[] = [];
  for (const [name, entry] of r.entries("ethereumNodes", value, NAME, NAME_RULE)) {
    const path = `ethereumNodes.${name}`;
    const obj = r.object(path, entry, NODE_KEYS, "an Ethereum node pool");
    if (!obj) continue;
    const platform = r.oneOf(`${path}.platform`, obj.platform, NODE_PLATFORMS);
    const chain = readChain(r, `${path}.chain`, obj.chain);
    const mode = r.oneOf(`${path}.mode`, obj.mode, SYNC_MODES, "full");
    const execution = r.oneOf(`${path}.execution`, obj.execution, clientIds("execution"));
    const consensus = r.oneOf(`${path}.consensus`, obj.consensus, clientIds("consensus"));
    const placement = platform && readPlacement(r, path, obj, platform, refs);
    const node = {
      name,
      platform,
      chain,
      mode,
      execution,
      consensus,
      count: r.number(`${path}.count`, obj.count, { min: 1, max: 10, integer: true, fallback: 1 }),
      budgetLine: refs.budgetLineRef(`${path}.budgetLine`, obj.budgetLine),
      p2pService: r.oneOf(`${path}.p2pService`, obj.p2pService, ["LoadBalancer", "NodePort"] as const, "LoadBalancer"),
    };
    if (chain && !checkpointSyncUrls[chain] && !refs.checkpointChains.includes(chain)) {
      r.fail(`checkpointSyncUrls.${chain}`, undefined, `a checkpoint-sync URL for ${chain}, used by ethereumNodes.${name}: a beacon node you trust that serves finalized state`);
    }
    const pair = execution && consensus && mode && chain ? checkPair(r, path, execution, consensus, chain, mode) : false;
    const size = pair ? readSize(r, `${path}.size`, obj.size, execution!, consensus!, chain!, mode!) : undefined;
    if (complete(node) && placement && size) nodes.push({ ...node, ...placement, size });
  }
  return nodes;
}

function readChain(r: ConfigReader, path: string, value: unknown): Chain | undefined {
  if (value === "holesky") return r.fail(path, value, "a chain still served: holesky was shut down in 2025; use hoodi (staking and infrastructure tests) or sepolia (applications)");
  return r.oneOf(path, value, CHAINS.filter((c) => SERVED_CHAINS.includes(c)));
}

function readPlacement(r: ConfigReader, path: string, obj: Record<string, unknown>, platform: NodePlatform, refs: NodeReferences): Partial<EthereumNodeConfig> | undefined {
  if (platform === "kubernetes") {
    for (const key of ["network"]) if (obj[key] !== undefined) r.fail(`${path}.${key}`, obj[key], "nothing for platform kubernetes: name the cluster and namespace");
    const cluster = refs.clusters.find((c) => c.name === obj.cluster);
    if (!cluster) return r.fail(`${path}.cluster`, obj.cluster, `a cluster declared under clusters: ${refs.clusters.map((c) => c.name).join(", ") || "none declared"}`);
    if (typeof obj.namespace !== "string" || !cluster.namespaces.includes(obj.namespace)) {
      return r.fail(`${path}.namespace`, obj.namespace, `a namespace declared under clusters.${cluster.name}.namespaces: ${cluster.namespaces.join(", ") || "none declared"}`);
    }
    return { cluster: cluster.name, namespace: obj.namespace };
  }
  for (const key of ["cluster", "namespace", "p2pService"]) if (obj[key] !== undefined) r.fail(`${path}.${key}`, obj[key], `nothing for platform ${platform}: name the network`);
  const candidates = refs.networks.filter((n) => n.cloud === platform).map((n) => n.name);
  if (typeof obj.network === "string" && candidates.includes(obj.network)) return { network: obj.network };
  return r.fail(`${path}.network`, obj.network, `the name of a ${platform} network declared under networks: ${candidates.join(", ") || `none declared, so platform ${platform} is not configured in this stack`}`);
}

function checkPair(r: ConfigReader, path: string, execution: string, consensus: string, chain: Chain, mode: SyncMode): boolean {
  const el = findClient("execution", execution)!;
  const cl = findClient("consensus", consensus)!;
  if (!el.modes.includes(mode)) {
    const offering = clientIds("execution").filter((id) => findClient("execution", id)!.modes.includes(mode));
    r.fail(`${path}.mode`, mode, `a mode ${execution} offers (${el.modes.join(", ")}); ${mode} is offered by ${offering.join(", ")}`);
    return false;
  }
  if (cl.pairsWith && !cl.pairsWith.includes(execution)) {
    r.fail(`${path}.consensus`, consensus, `${consensus} runs inside ${cl.pairsWith.join(", ")} only; with ${execution} choose ${clientIds("consensus").filter((id) => !findClient("consensus", id)!.pairsWith).join(", ")}`);
    return false;
  }
  if (!recommendedSize(el, cl, chain, mode)) {
    r.fail(path, { execution, consensus, chain, mode }, `a client pair the catalog sizes for ${chain} ${mode}`);
    return false;
  }
  return true;
}

function readSize(r: ConfigReader, path: string, value: unknown, execution: string, consensus: string, chain: Chain, mode: SyncMode): EthereumNodeConfig["size"] | undefined {
  if (value === undefined) return {};
  const obj = r.object(path, value, SIZE_KEYS, "size overrides");
  if (!obj) return undefined;
  const recommended = recommendedSize(findClient("execution", execution)!, findClient("consensus", consensus)!, chain, mode)!;
  const optional = <T>(key: string, read: (p: string, v: unknown) => T | undefined): T | undefined => (obj[key] === undefined ? undefined : read(`${path}.${key}`, obj[key]));
  const size = {
    diskGiB: optional("diskGiB", (p, v) => {
      const n = r.number(p, v, { min: 1, max: DISK_LIMITS.maxGiB, integer: true });
      if (n !== undefined && n < recommended.minDiskGiB) {
        return r.fail(p, v, `at least ${recommended.minDiskGiB} GiB, what ${execution} + ${consensus} need for ${chain} ${mode} today (the catalog recommends ${recommended.diskGiB})`);
      }
      return n;
    }),
    iops: optional("iops", (p, v) => r.number(p, v, { min: DISK_LIMITS.minIops, max: DISK_LIMITS.maxIops, integer: true })),
    throughputMBps: optional("throughputMBps", (p, v) => r.number(p, v, { min: DISK_LIMITS.minThroughputMBps, max: DISK_LIMITS.maxThroughputMBps, integer: true })),
    vcpu: optional("vcpu", (p, v) => r.number(p, v, { min: 1, max: 32, integer: true })),
    memoryGiB: optional("memoryGiB", (p, v) => r.number(p, v, { min: 2, max: 256 })),
    instanceType: optional("instanceType", (p, v) => r.string(p, v, { pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, allowed: "an EC2 instance type, e.g. r7g.2xlarge" })),
    machineType: optional("machineType", (p, v) => r.string(p, v, { pattern: /^[a-z][a-z0-9]*-[a-z]+(?:-\d+)?$/, allowed: "a Compute Engine machine type, e.g. n2-highmem-8" })),
  };
  const given = Object.entries(obj).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (given.some((k) => size[k as keyof typeof size] === undefined)) return undefined;
  return Object.fromEntries(Object.entries(size).filter(([, v]) => v !== undefined));
}
