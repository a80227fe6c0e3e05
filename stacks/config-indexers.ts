/**
 * The `indexers` section: chain indexers (the VulcanizeDB replacement), each a Postgres database, blue/green worker
 * deployments reading the estate's own RPC pools, a read API, and the consumers that read from it.
 */
import type { Chain } from "../components/ethereum-node/catalog";
import {
  CLOUD_SQL_TIER_RULE,
  MAX_BACKUP_RETENTION_DAYS,
  MAX_READ_REPLICAS,
  MAX_STORAGE_GIB,
  MIN_BACKUP_RETENTION_DAYS,
  MIN_STORAGE_GIB,
  RDS_INSTANCE_CLASS,
  SUPPORTED_ENGINE_VERSIONS,
  cloudSqlTierFault,
  minMaxStorageGiB,
} from "../components/indexer/database-validate";
import { CACHE_MB_RULE, cacheMb } from "../indexer/src/api/cache-size";
import { ConfigReader, complete } from "./config-reader";
import { ClusterRef, HTTP_CONTAINER_KEYS, HttpContainerConfig, NamespaceRef, clusterRef, cpu, env, httpContainer, httpPath, image, memory, port } from "./config-workload-fields";

export interface IndexerDatabaseConfig {
  /** The estate network the database lives in; its cloud picks RDS (aws) or Cloud SQL (gcp). */
  readonly network: string;
  readonly cloud: "aws" | "gcp";
  readonly version: "16" | "17";
  readonly instanceClass: string;
  readonly storageGiB: number;
  readonly maxStorageGiB: number;
  readonly backupRetentionDays: number;
  readonly highAvailability: boolean;
  readonly readReplicas: number;
}

export interface IndexerConfig {
  readonly name: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly chain: Chain;
  /** The pool that follows the head, and the archive pool backfills read from (the head pool when not set). */
  readonly rpcPool: string;
  readonly backfillRpcPool: string;
  readonly database: IndexerDatabaseConfig;
  readonly worker: {
    readonly port: number;
    readonly readinessPath: string;
    readonly statusPath: string;
    readonly statusBlockPointer: string;
    readonly cpu: string;
    readonly memory: string;
    readonly env: Readonly<Record<string, string>>;
  };
  /** Deployment id to image: each writes its own schema; at most two at a time (blue/green). */
  readonly deployments: readonly { readonly id: string; readonly image: string }[];
  /** The deployment whose schema the read API serves. */
  readonly live: string;
  /** The read API; API services whose upstream is this indexer may call it too. */
  readonly api: HttpContainerConfig;
  readonly consumers: readonly { readonly name: string; readonly reads: string; readonly via: string }[];
}

export interface IndexerReferences {
  readonly clusters: readonly ClusterRef[];
  readonly networks: readonly { name: string; cloud: unknown }[];
  readonly ethereumNodes: readonly { name: string; platform: string; network?: string; cluster?: string; chain: string; mode: string }[];
  /** Node pools declared (valid or not), so a bad pool is reported once, where it is. */
  readonly declaredPools: readonly string[];
  readonly apiServices: readonly string[];
  /** Clusters declared (valid or not), so a bad cluster is reported once, where it is. */
  readonly declaredClusters: readonly string[];
  readonly prod: boolean;
}

export const INDEXER_KEYS = ["cluster", "namespace", "rpcPool", "backfillRpcPool", "database", "worker", "deployments", "live", "api", "consumers"] as const;
const DATABASE_KEYS = ["network", "version", "instanceClass", "storageGiB", "maxStorageGiB", "backupRetentionDays", "highAvailability", "readReplicas"] as const;
const WORKER_KEYS = ["port", "readinessPath", "statusPath", "statusBlockPointer", "cpu", "memory", "env"] as const;
/** Set by the estate on worker and read-API pods (components/indexer). */
export const INDEXER_RESERVED_ENV = [
  "DATABASE_URL", "DATABASE_SCHEMA", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE", "PGPASSFILE", "PGOPTIONS", "RPC_URL", "BACKFILL_RPC_URL", "CHAIN_ID",
];
export const READ_API = "read-api";
// Single '-' only: the name is part of RDS identifiers, which refuse "--".
const NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,15}$/;
const NAME_RULE = "lowercase letters, digits and single '-', 1-16 characters, starting with a letter, not ending with '-' (it prefixes the database schemas and the RDS identifiers)";
const DEPLOYMENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/;
const JSON_POINTER = /^(?:\/[^/\s]+)+$/;

export function readIndexers(r: ConfigReader, value: unknown, refs: IndexerReferences): IndexerConfig[] {
  const indexers: IndexerConfig[] = [];
  for (const [name, entry] of r.entries("indexers", value, NAME, NAME_RULE)) {
    const path = `indexers.${name}`;
    const obj = r.object(path, entry, INDEXER_KEYS, "an indexer");
    if (!obj) continue;
    const { cluster, namespaceOf } = clusterRef(r, `${path}.cluster`, obj.cluster, refs);
    if (cluster && cluster.kind !== "eks" && cluster.kind !== "gke") {
      r.fail(`${path}.cluster`, obj.cluster, "an eks or gke cluster of the estate: database credentials reach the pods through IRSA or GKE workload identity");
    }
    const rpcPool = pool(r, `${path}.rpcPool`, obj.rpcPool, cluster, refs, false);
    // Full nodes serve every block, receipt and log; an archive pool is for backfills that read historical state.
    const backfillRpcPool = obj.backfillRpcPool === undefined ? rpcPool : pool(r, `${path}.backfillRpcPool`, obj.backfillRpcPool, cluster, refs, true);
    const head = refs.ethereumNodes.find((n) => n.name === rpcPool);
    const archive = refs.ethereumNodes.find((n) => n.name === backfillRpcPool);
    if (head && archive && head.chain !== archive.chain) {
      r.fail(`${path}.backfillRpcPool`, backfillRpcPool, `an archive pool on ${head.chain}, the chain of rpcPool ${rpcPool}`);
    }
    const deployments = readDeployments(r, `${path}.deployments`, obj.deployments);
    const live = deployments && (typeof obj.live === "string" && deployments.some((d) => d.id === obj.live)
      ? obj.live
      : r.fail(`${path}.live`, obj.live, `the id of one of the deployments: ${deployments.map((d) => d.id).join(", ")}`));
    const indexer = {
      name,
      cluster: cluster?.name,
      namespace: namespaceOf(`${path}.namespace`, obj.namespace),
      chain: head?.chain as Chain | undefined,
      rpcPool,
      backfillRpcPool,
      database: readDatabase(r, `${path}.database`, obj.database, cluster, refs),
      worker: readWorker(r, `${path}.worker`, obj.worker),
      deployments,
      live,
      api: readApi(r, `${path}.api`, obj.api, namespaceOf, refs.prod),
      consumers: readConsumers(r, `${path}.consumers`, obj.consumers, refs.apiServices),
    };
    // Both serve the read API (the worker its own copy): a bad cache size would stop them at start.
    for (const [where, vars] of [["worker", indexer.worker?.env], ["api", indexer.api?.env]] as const) {
      if (vars?.API_CACHE_MB !== undefined && cacheMb(vars.API_CACHE_MB) === undefined) r.fail(`${path}.${where}.env.API_CACHE_MB`, vars.API_CACHE_MB, CACHE_MB_RULE);
    }
    if (complete(indexer)) indexers.push(indexer);
  }
  return indexers;
}

function pool(r: ConfigReader, path: string, value: unknown, cluster: IndexerReferences["clusters"][number] | undefined, refs: IndexerReferences, archive: boolean): string | undefined {
  const found = refs.ethereumNodes.find((n) => n.name === value);
  if (!found) {
    if (typeof value === "string" && refs.declaredPools.includes(value)) return undefined;
    return r.fail(path, value, `the name of an Ethereum node pool declared under ethereumNodes: ${refs.ethereumNodes.map((n) => n.name).join(", ") || "none declared"}`);
  }
  if (archive && found.mode !== "archive") {
    return r.fail(path, value, `an archive pool (backfills read historical state): ${refs.ethereumNodes.filter((n) => n.mode === "archive").map((n) => n.name).join(", ") || "none declared"}`);
  }
  if (cluster && !reachable(found, cluster)) {
    return r.fail(path, value, `a pool the cluster ${cluster.name} reaches privately: on that cluster, or VMs in its network (${String(cluster.network ?? "none")})`);
  }
  return found.name;
}

function reachable(node: IndexerReferences["ethereumNodes"][number], cluster: IndexerReferences["clusters"][number]): boolean {
  if (node.platform === "kubernetes") return node.cluster === cluster.name;
  return (node.platform === "aws" ? cluster.kind === "eks" : cluster.kind === "gke") && node.network === cluster.network;
}

function readDeployments(r: ConfigReader, path: string, value: unknown): { id: string; image: string }[] | undefined {
  const entries = r.entries(path, value, DEPLOYMENT_ID, "lowercase letters, digits and '-', 1-12 characters (it suffixes the schema)");
  if (entries.length === 0 || entries.length > 2) {
    return r.fail(path, value, "one or two deployments, id: image (blue/green: the new one backfills into its own schema while the live one serves)");
  }
  const deployments = entries.map(([id, img]) => ({ id, image: image(r, `${path}.${id}`, img) }));
  return deployments.every((d) => d.image !== undefined) ? (deployments as { id: string; image: string }[]) : undefined;
}

function readDatabase(r: ConfigReader, path: string, value: unknown, cluster: IndexerReferences["clusters"][number] | undefined, refs: IndexerReferences): IndexerDatabaseConfig | undefined {
  const obj = r.object(path, value, DATABASE_KEYS, "a database");
  if (!obj) return undefined;
  const network = refs.networks.find((n) => n.name === obj.network);
  let cloud: "aws" | "gcp" | undefined;
  if (!network || (network.cloud !== "aws" && network.cloud !== "gcp")) {
    r.fail(`${path}.network`, obj.network, `the name of a network declared under networks: ${refs.networks.map((n) => n.name).join(", ") || "none declared"}`);
  } else if (cluster && cluster.network !== undefined && cluster.network !== network.name) {
    r.fail(`${path}.network`, obj.network, `the network of cluster ${cluster.name} (${String(cluster.network)}): the workers reach the database on its private address`);
  } else {
    cloud = network.cloud;
  }
  const highAvailability = r.boolean(`${path}.highAvailability`, obj.highAvailability, refs.prod);
  if (refs.prod && highAvailability === false) {
    r.fail(`${path}.highAvailability`, obj.highAvailability, "true in prod: a standby in another zone (RDS Multi-AZ, Cloud SQL regional) takes over when a zone fails");
  }
  const storage = { min: MIN_STORAGE_GIB, max: MAX_STORAGE_GIB, integer: true };
  const storageGiB = r.number(`${path}.storageGiB`, obj.storageGiB, storage);
  const maxStorageGiB = r.number(`${path}.maxStorageGiB`, obj.maxStorageGiB, { ...storage, fallback: storageGiB && Math.min(MAX_STORAGE_GIB, storageGiB * 4) });
  if (storageGiB !== undefined && maxStorageGiB !== undefined && maxStorageGiB < minMaxStorageGiB(storageGiB)) {
    r.fail(`${path}.maxStorageGiB`, maxStorageGiB, `at least ${minMaxStorageGiB(storageGiB)}, storageGiB (${storageGiB}) plus 10%: the ceiling storage autoscaling may grow to`);
  }
  const instanceClass = readInstanceClass(r, `${path}.instanceClass`, obj.instanceClass, cloud);
  const database = {
    network: network?.name,
    cloud,
    version: r.oneOf(`${path}.version`, typeof obj.version === "number" ? String(obj.version) : obj.version, SUPPORTED_ENGINE_VERSIONS, "16"),
    instanceClass,
    storageGiB,
    maxStorageGiB,
    backupRetentionDays: r.number(`${path}.backupRetentionDays`, obj.backupRetentionDays, { min: MIN_BACKUP_RETENTION_DAYS, max: MAX_BACKUP_RETENTION_DAYS, integer: true, fallback: refs.prod ? 14 : MIN_BACKUP_RETENTION_DAYS }),
    highAvailability,
    readReplicas: r.number(`${path}.readReplicas`, obj.readReplicas, { min: 0, max: MAX_READ_REPLICAS, integer: true, fallback: 0 }),
  };
  return complete(database) ? database : undefined;
}

/** The database component's own rules for its cloud, so a class the config accepts is one it can build. */
function readInstanceClass(r: ConfigReader, path: string, value: unknown, cloud: "aws" | "gcp" | undefined): string | undefined {
  if (cloud === undefined) return r.string(path, value, { allowed: "an RDS instance class or a Cloud SQL tier" });
  if (cloud === "aws") return r.string(path, value, { pattern: RDS_INSTANCE_CLASS, allowed: "an RDS instance class, e.g. db.r7g.large" });
  const fault = typeof value === "string" ? cloudSqlTierFault(value) : "";
  if (fault === undefined) return value as string;
  return r.fail(path, value, `a Cloud SQL custom tier${fault ? ` (this one has ${fault})` : ""}: ${CLOUD_SQL_TIER_RULE}`);
}

function readWorker(r: ConfigReader, path: string, value: unknown): IndexerConfig["worker"] | undefined {
  const obj = r.object(path, value ?? {}, WORKER_KEYS, "the indexer worker");
  if (!obj) return undefined;
  const worker = {
    port: port(r, `${path}.port`, obj.port, 42069),
    readinessPath: httpPath(r, `${path}.readinessPath`, obj.readinessPath, "/ready"),
    statusPath: httpPath(r, `${path}.statusPath`, obj.statusPath, "/status"),
    statusBlockPointer: r.string(`${path}.statusBlockPointer`, obj.statusBlockPointer, { pattern: JSON_POINTER, allowed: "a JSON pointer to the indexed block number in the status response, e.g. /mainnet/block/number" }),
    cpu: cpu(r, `${path}.cpu`, obj.cpu, "1"),
    memory: memory(r, `${path}.memory`, obj.memory, "2Gi"),
    env: env(r, `${path}.env`, obj.env, INDEXER_RESERVED_ENV),
  };
  return complete(worker) ? worker : undefined;
}

function readApi(r: ConfigReader, path: string, value: unknown, namespaceOf: NamespaceRef, prod: boolean): IndexerConfig["api"] | undefined {
  const obj = r.object(path, value, HTTP_CONTAINER_KEYS, "the read API");
  if (!obj) return undefined;
  const defaults = { port: 42069, livenessPath: "/health", cpu: "500m", memory: "1Gi", reservedEnv: INDEXER_RESERVED_ENV };
  const api = httpContainer(r, path, obj, { prod, namespaceOf, defaults });
  return complete(api) ? (api as HttpContainerConfig) : undefined;
}

function readConsumers(r: ConfigReader, path: string, value: unknown, apiServices: readonly string[]): IndexerConfig["consumers"] | undefined {
  const consumers: { name: string; reads: string; via: string }[] = [];
  const before = r.problems.length;
  const vias = [READ_API, ...apiServices];
  for (const [name, entry] of r.entries(path, value ?? {}, /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/, "lowercase letters, digits and '-'")) {
    const obj = r.object(`${path}.${name}`, entry, ["reads", "via"], "a consumer: { reads, via }");
    if (!obj) continue;
    const reads = r.string(`${path}.${name}.reads`, obj.reads, { pattern: /^\S.{0,199}$/, allowed: "the endpoint or view it reads, 1-200 characters" });
    const via = typeof obj.via === "string" && vias.includes(obj.via)
      ? obj.via
      : r.fail(`${path}.${name}.via`, obj.via, `${READ_API} (the indexer's own API, inside the cluster) or the name of a service declared under apiServices: ${apiServices.join(", ") || "none declared"}`);
    if (reads && via) consumers.push({ name, reads, via });
  }
  return r.problems.length === before ? consumers : undefined;
}
