/** Field readers shared by the Kubernetes workload sections (indexers, apiServices): images, ports, paths, sizes, env. */
import { looksLikeCredential } from "../components/api-service/credential-names";
import { imageProblem } from "../components/api-service/image";
import { ConfigReader } from "./config-reader";

export const CPU_RULE = "a Kubernetes CPU quantity, e.g. 250m or 2";
export const MEMORY_RULE = "a Kubernetes memory quantity in Mi or Gi, e.g. 512Mi or 4Gi";
const CPU = /^(?:[1-9]\d{0,4}m|\d{1,3}(?:\.\d{1,3})?)$/;
const MEMORY = /^[1-9]\d{0,5}(?:Mi|Gi)$/;
const HTTP_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,62}$/;

export function image(r: ConfigReader, path: string, value: unknown): string | undefined {
  if (typeof value !== "string") return r.fail(path, value, "a container image pinned by a version tag or a sha256 digest, e.g. ghcr.io/org/app:1.4.2");
  const problem = imageProblem(value);
  return problem ? r.fail(path, value, `a container image pinned by a version tag or a sha256 digest (${problem})`) : value;
}

export function port(r: ConfigReader, path: string, value: unknown, fallback?: number): number | undefined {
  return r.number(path, value, { min: 1024, max: 65535, integer: true, fallback });
}

export function httpPath(r: ConfigReader, path: string, value: unknown, fallback?: string): string | undefined {
  return r.string(path, value, { pattern: HTTP_PATH, allowed: "an HTTP path starting with '/', e.g. /ready", fallback });
}

export function cpu(r: ConfigReader, path: string, value: unknown, fallback?: string): string | undefined {
  return r.string(path, typeof value === "number" ? String(value) : value, { pattern: CPU, allowed: CPU_RULE, fallback });
}

export function memory(r: ConfigReader, path: string, value: unknown, fallback?: string): string | undefined {
  return r.string(path, value, { pattern: MEMORY, allowed: MEMORY_RULE, fallback });
}

/**
 * Plain environment variables for a container. `reserved` are set by the estate itself; names that look like
 * credentials are refused, because config values land in state and in the plan in clear.
 */
export function env(r: ConfigReader, path: string, value: unknown, reserved: readonly string[]): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (!r.isObject(value)) return r.fail(path, value, "a map of environment variable name to a string value");
  const vars: Record<string, string> = {};
  const before = r.problems.length;
  for (const [name, v] of Object.entries(value)) {
    const key = `${path}.${name}`;
    if (!ENV_NAME.test(name)) r.fail(key, v, "an environment variable name: uppercase letters, digits and '_'");
    else if (reserved.includes(name)) r.fail(key, v, `a name the estate does not set itself (it sets ${reserved.join(", ")})`);
    else if (looksLikeCredential(name)) r.fail(key, "[not shown]", "no credentials in config: they would sit in clear in the stack file, the state and the plan; the database password reaches pods from the cloud's secret store");
    else if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") r.fail(key, v, "a string");
    else vars[name] = String(v);
  }
  return r.problems.length === before ? vars : undefined;
}

/** Replica bounds for an HPA; prod wants two at least, so a node drain or a rollout never leaves none. */
export function replicas(r: ConfigReader, path: string, obj: Record<string, unknown>, prod: boolean): { min: number; max: number } | undefined {
  const min = r.number(`${path}.minReplicas`, obj.minReplicas, { min: 1, max: 50, integer: true, fallback: prod ? 2 : 1 });
  const max = r.number(`${path}.maxReplicas`, obj.maxReplicas, { min: 1, max: 100, integer: true, fallback: Math.max(min ?? 1, prod ? 6 : 2) });
  if (min === undefined || max === undefined) return undefined;
  if (prod && min < 2) return r.fail(`${path}.minReplicas`, obj.minReplicas, "at least 2 in prod, so a node drain or a rollout never leaves the service without a pod");
  if (min > max) return r.fail(path, { minReplicas: min, maxReplicas: max }, "minReplicas <= maxReplicas");
  return { min, max };
}

/** A containerised HTTP server: what ApiService runs, for an API service or an indexer's read API. */
export interface HttpContainerConfig {
  readonly image: string;
  readonly port: number;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly cpu: string;
  readonly memory: string;
  readonly replicas: { readonly min: number; readonly max: number };
  readonly env: Readonly<Record<string, string>>;
  /** Namespaces of the same cluster whose pods may call it directly. */
  readonly allowFrom: readonly string[];
}

export const HTTP_CONTAINER_KEYS = ["image", "port", "readinessPath", "livenessPath", "cpu", "memory", "minReplicas", "maxReplicas", "env", "allowFrom"] as const;

export interface HttpContainerDefaults {
  readonly port: number;
  readonly livenessPath: string;
  readonly cpu: string;
  readonly memory: string;
  /** Environment variables the estate sets itself. */
  readonly reservedEnv: readonly string[];
}

export function httpContainer(
  r: ConfigReader,
  path: string,
  obj: Record<string, unknown>,
  context: { prod: boolean; namespaceOf: NamespaceRef; defaults: HttpContainerDefaults },
): Partial<HttpContainerConfig> {
  const { defaults, namespaceOf } = context;
  return {
    image: image(r, `${path}.image`, obj.image),
    port: port(r, `${path}.port`, obj.port, defaults.port),
    readinessPath: httpPath(r, `${path}.readinessPath`, obj.readinessPath, "/ready"),
    livenessPath: httpPath(r, `${path}.livenessPath`, obj.livenessPath, defaults.livenessPath),
    cpu: cpu(r, `${path}.cpu`, obj.cpu, defaults.cpu),
    memory: memory(r, `${path}.memory`, obj.memory, defaults.memory),
    replicas: replicas(r, path, obj, context.prod),
    env: env(r, `${path}.env`, obj.env, defaults.reservedEnv),
    allowFrom: r.list(`${path}.allowFrom`, obj.allowFrom, namespaceOf, { min: 0, max: 20, fallback: [] }),
  };
}

/** A workload's view of a declared cluster. */
export interface ClusterRef {
  readonly name: string;
  readonly kind: unknown;
  readonly network?: unknown;
  readonly namespaces: readonly string[];
}

export type NamespaceRef = (path: string, value: unknown) => string | undefined;

/**
 * The cluster a workload names and a reader of namespaces declared there. A cluster that is declared but invalid
 * was reported where it is: it yields undefined without a second problem, and its namespaces go unchecked.
 */
export function clusterRef(
  r: ConfigReader,
  path: string,
  value: unknown,
  refs: { clusters: readonly ClusterRef[]; declaredClusters: readonly string[] },
): { cluster: ClusterRef | undefined; namespaceOf: NamespaceRef } {
  const cluster = refs.clusters.find((c) => c.name === value);
  if (!cluster && !(typeof value === "string" && refs.declaredClusters.includes(value))) {
    r.fail(path, value, `the name of a cluster declared under clusters: ${refs.clusters.map((c) => c.name).join(", ") || "none declared"}`);
  }
  const namespaceOf: NamespaceRef = (p, v) =>
    cluster === undefined || (typeof v === "string" && cluster.namespaces.includes(v))
      ? (v as string | undefined)
      : r.fail(p, v, `a namespace declared under clusters.${cluster.name}.namespaces: ${cluster.namespaces.join(", ") || "none declared"}`);
  return { cluster, namespaceOf };
}
