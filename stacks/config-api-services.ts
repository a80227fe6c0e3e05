/**
 * The `apiServices` section: containerised HTTP services on a cluster, each behind an HPA and a PDB, optionally
 * published through an Ingress with TLS and a DNS record, calling an indexer's read API or an external URL.
 */
import { ConfigReader, complete } from "./config-reader";
import { ClusterRef, HTTP_CONTAINER_KEYS, HttpContainerConfig, clusterRef, httpContainer, httpPath } from "./config-workload-fields";

export interface ApiServiceIngressConfig {
  readonly host: string;
  readonly path: string;
  /** managed: ACM + ALB on EKS, a Google-managed certificate on GKE; cert-manager: any cluster with an issuer. */
  readonly tls: "managed" | "cert-manager";
  readonly clusterIssuer?: string;
  readonly ingressClassName?: string;
  /** A Route 53 hosted zone id (EKS) or a Cloud DNS managed zone name (GKE) to publish `host` in. */
  readonly dnsZone?: string;
}

export interface ApiServiceConfig extends HttpContainerConfig {
  readonly name: string;
  readonly cluster: string;
  readonly namespace: string;
  /** What the service calls, handed over as UPSTREAM_URL: an indexer's read API, or an https URL. */
  readonly upstream?: { readonly indexer: string } | { readonly url: string };
  readonly ingress?: ApiServiceIngressConfig;
  readonly latencyP95Ms: number;
}

export interface ApiServiceReferences {
  readonly clusters: readonly ClusterRef[];
  /** Indexers declared (valid or not), with the cluster they name. */
  readonly indexers: readonly { name: string; cluster: unknown }[];
  /** Clusters declared (valid or not), so a bad cluster is reported once, where it is. */
  readonly declaredClusters: readonly string[];
  readonly prod: boolean;
}

export const API_SERVICE_KEYS = ["cluster", "namespace", ...HTTP_CONTAINER_KEYS, "upstream", "ingress", "latencyP95Ms"] as const;
export const UPSTREAM_ENV = "UPSTREAM_URL";
const NAME = /^[a-z](?:[a-z0-9-]{0,22}[a-z0-9])?$/;
const NAME_RULE = "lowercase letters, digits and '-', 1-24 characters, starting with a letter";
const HOST = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ROUTE53_ZONE = /^Z[A-Z0-9]{1,31}$/;
const CLOUD_DNS_ZONE = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const K8S_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function readApiServices(r: ConfigReader, value: unknown, refs: ApiServiceReferences): ApiServiceConfig[] {
  const services: ApiServiceConfig[] = [];
  for (const [name, entry] of r.entries("apiServices", value, NAME, NAME_RULE)) {
    const path = `apiServices.${name}`;
    const obj = r.object(path, entry, API_SERVICE_KEYS, "an API service");
    if (!obj) continue;
    const { cluster, namespaceOf } = clusterRef(r, `${path}.cluster`, obj.cluster, refs);
    const defaults = { port: 8080, livenessPath: "/healthz", cpu: "250m", memory: "512Mi", reservedEnv: [UPSTREAM_ENV] };
    const service = {
      name,
      cluster: cluster?.name,
      namespace: namespaceOf(`${path}.namespace`, obj.namespace),
      ...httpContainer(r, path, obj, { prod: refs.prod, namespaceOf, defaults }),
      latencyP95Ms: r.number(`${path}.latencyP95Ms`, obj.latencyP95Ms, { min: 50, max: 60_000, integer: true, fallback: 1000 }),
    };
    const upstream = obj.upstream === undefined ? undefined : readUpstream(r, `${path}.upstream`, obj.upstream, refs, cluster?.name);
    // An ingress's rules depend on the cluster's kind: without a known cluster there is nothing to check it against.
    const ingress = obj.ingress === undefined || !cluster ? undefined : readIngress(r, `${path}.ingress`, obj.ingress, cluster.kind);
    if ((obj.upstream !== undefined && !upstream) || (obj.ingress !== undefined && !ingress) || !cluster) continue;
    if (complete(service)) services.push({ ...service, ...(upstream && { upstream }), ...(ingress && { ingress }) });
  }
  const hosts = new Map<string, string>();
  for (const s of services) {
    if (!s.ingress) continue;
    const route = `${s.ingress.host}${s.ingress.path}`;
    const other = hosts.get(route);
    if (other) r.fail(`apiServices.${s.name}.ingress.host`, route, `a host and path no other service publishes (apiServices.${other} does)`);
    hosts.set(route, s.name);
  }
  return services;
}

function readUpstream(r: ConfigReader, path: string, value: unknown, refs: ApiServiceReferences, cluster: string | undefined): ApiServiceConfig["upstream"] {
  const obj = r.object(path, value, ["indexer", "url"], "an upstream: { indexer: <name> } or { url: https://... }");
  if (!obj) return undefined;
  if ((obj.indexer === undefined) === (obj.url === undefined)) return r.fail(path, value, "exactly one of indexer (an indexer's read API) or url (an https URL)");
  if (obj.indexer !== undefined) {
    const indexer = refs.indexers.find((i) => i.name === obj.indexer);
    if (!indexer) return r.fail(`${path}.indexer`, obj.indexer, `the name of an indexer declared under indexers: ${refs.indexers.map((i) => i.name).join(", ") || "none declared"}`);
    if (cluster !== undefined && typeof indexer.cluster === "string" && indexer.cluster !== cluster) {
      return r.fail(`${path}.indexer`, obj.indexer, `an indexer on this service's cluster (${cluster}); ${indexer.name} runs on ${String(indexer.cluster)}: reach it through its public API with upstream.url`);
    }
    return { indexer: indexer.name };
  }
  const url = r.string(`${path}.url`, obj.url, { pattern: /^https:\/\/[a-z0-9.-]+(?::\d+)?(?:\/\S*)?$/, allowed: "an https URL" });
  return url ? { url } : undefined;
}

function readIngress(r: ConfigReader, path: string, value: unknown, clusterKind: unknown): ApiServiceIngressConfig | undefined {
  const obj = r.object(path, value, ["host", "path", "tls", "clusterIssuer", "ingressClassName", "dnsZone"], "an ingress");
  if (!obj) return undefined;
  const managedPossible = clusterKind === "eks" || clusterKind === "gke";
  const tls = r.oneOf(`${path}.tls`, obj.tls, ["managed", "cert-manager"] as const, managedPossible ? "managed" : "cert-manager");
  const ingress = {
    host: r.string(`${path}.host`, obj.host, { pattern: HOST, allowed: "a DNS host name in lowercase, e.g. api.techops.example" }),
    path: httpPath(r, `${path}.path`, obj.path, "/"),
    tls,
  };
  if (tls === "managed" && !managedPossible && clusterKind !== undefined) {
    r.fail(`${path}.tls`, tls, "cert-manager on an existing cluster: a managed certificate needs the estate's EKS (ACM + ALB) or GKE (Google-managed certificate)");
  }
  let extra: Partial<ApiServiceIngressConfig> = {};
  if (tls === "cert-manager") {
    extra = {
      clusterIssuer: r.string(`${path}.clusterIssuer`, obj.clusterIssuer, { pattern: K8S_NAME, allowed: "the name of a cert-manager ClusterIssuer, e.g. letsencrypt" }),
      ingressClassName: r.string(`${path}.ingressClassName`, obj.ingressClassName, { pattern: K8S_NAME, allowed: "the IngressClass of the cluster's controller, e.g. nginx" }),
    };
  } else {
    for (const key of ["clusterIssuer", "ingressClassName"] as const) {
      if (obj[key] !== undefined) r.fail(`${path}.${key}`, obj[key], "only with tls: cert-manager");
    }
  }
  if (obj.dnsZone !== undefined) {
    const pattern = clusterKind === "gke" ? CLOUD_DNS_ZONE : ROUTE53_ZONE;
    const rule = clusterKind === "gke" ? "a Cloud DNS managed zone name, e.g. techops-example" : "a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ";
    extra = { ...extra, dnsZone: r.string(`${path}.dnsZone`, obj.dnsZone, { pattern, allowed: rule }) };
  } else if (tls === "managed" && clusterKind === "eks") {
    r.fail(`${path}.dnsZone`, undefined, "the Route 53 hosted zone id of the host: ACM validates the certificate by a DNS record there");
  }
  const all = { ...ingress, ...extra };
  return complete(all) ? all : undefined;
}
