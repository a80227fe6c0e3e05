/**
 * The public path of an ApiService on GKE, through GKE Ingress (class gce, an external Application Load Balancer):
 * a reserved global IPv4 address (stable across Ingress re-creations, the DNS record's target), a Google-managed
 * certificate (ManagedCertificate; provisioned once the host resolves to that address), a FrontendConfig that
 * redirects HTTP to HTTPS under a modern TLS policy, and a BackendConfig health-checking the readiness path on the
 * pods (container-native load balancing through the Service's NEG annotation).
 */
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels } from "../tagging";
import { backendConfigName } from "./deployment";
import { IngressEndpoint } from "./endpoint";
import type { ApiServiceArgs } from "./index";
import { ingressMetadata, ingressRule } from "./ingress-spec";
import { DRAIN_SECONDS } from "./pod";

/** GKE Ingress's v2 resource names: `k8s2-um-<cluster uid>-<namespace>-<name>-<hash>`, namespace + name trimmed to 36. */
const GKE_COMBINED_NAME_LENGTH = 36;
/** Namespaces are DNS labels. */
const MAX_NAMESPACE_LENGTH = 63;

/** ingress-gce's TrimFieldsEvenly: shortens the fields in proportion to their lengths until they fit in `max`. */
export function trimFieldsEvenly(max: number, ...fields: string[]): string[] {
  const total = fields.reduce((n, f) => n + f.length, 0);
  if (total <= max) return fields;
  const excess = total - max;
  const lengths = fields.map((f) => f.length - Math.floor((f.length * excess) / total) - 1);
  const remaining = max - lengths.reduce((n, l) => n + l, 0);
  for (let i = 0; i < remaining; i++) lengths[i]++;
  return fields.map((f, i) => f.slice(0, lengths[i]));
}

/**
 * An RE2 full-match regex for the `url_map_name` label of the load balancer GKE creates for the Ingress
 * `ingressName`, for Cloud Monitoring filters. Exact when the namespace is known here; when it is only known at
 * deploy time, any namespace and the part of the name that survives the longest one.
 */
export function gkeUrlMapNameRegex(namespace: string | undefined, ingressName: string): string {
  if (namespace !== undefined) {
    const [ns, name] = trimFieldsEvenly(GKE_COMBINED_NAME_LENGTH, namespace, ingressName);
    return `k8s2-um-[a-z0-9]{8}-${ns}-${name}-[a-z0-9]{8}`;
  }
  let kept = ingressName.length;
  for (let length = 1; length <= MAX_NAMESPACE_LENGTH; length++) {
    kept = Math.min(kept, trimFieldsEvenly(GKE_COMBINED_NAME_LENGTH, "n".repeat(length), ingressName)[1].length);
  }
  return `k8s2-um-[a-z0-9]{8}-[a-z0-9-]+-${ingressName.slice(0, kept)}[a-z0-9-]*-[a-z0-9]{8}`;
}

export interface GkeIngressArgs extends ApiServiceArgs {
  ingress: NonNullable<ApiServiceArgs["ingress"]>;
  tls: { kind: "gke-managed"; project: string };
}

export interface GkeIngress {
  readonly ingress: k8s.networking.v1.Ingress;
  readonly address: gcp.compute.GlobalAddress;
  readonly endpoint: IngressEndpoint;
  readonly urlMapNameRegex: string;
}

export function gkeManagedIngress(name: string, args: GkeIngressArgs, service: k8s.core.v1.Service, parent: pulumi.Resource): GkeIngress {
  const { host, path } = args.ingress;
  const { project } = args.tls;
  const k8sOpts = { parent, provider: args.provider };
  const meta = (objectName: string) => ingressMetadata(objectName, name, args.namespace, args.tags);

  const address = new gcp.compute.GlobalAddress(
    `${name}-ip`,
    { project, addressType: "EXTERNAL", ipVersion: "IPV4", description: `Ingress address of ${host}`, labels: gcpLabels(args.tags) },
    { parent },
  );
  const sslPolicy = new gcp.compute.SSLPolicy(
    `${name}-tls`,
    { project, profile: "MODERN", minTlsVersion: "TLS_1_2", description: `TLS policy of ${host}` },
    { parent },
  );
  const certificate = new k8s.apiextensions.CustomResource(
    `${name}-cert`,
    { apiVersion: "networking.gke.io/v1", kind: "ManagedCertificate", metadata: meta(`${name}-cert`), spec: { domains: [host] } },
    k8sOpts,
  );
  const frontend = new k8s.apiextensions.CustomResource(
    `${name}-frontend`,
    {
      apiVersion: "networking.gke.io/v1beta1",
      kind: "FrontendConfig",
      metadata: meta(`${name}-frontend`),
      spec: { redirectToHttps: { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" }, sslPolicy: sslPolicy.name },
    },
    k8sOpts,
  );
  // The Service names it in its `cloud.google.com/backend-config` annotation.
  const backend = new k8s.apiextensions.CustomResource(
    `${name}-backend`,
    {
      apiVersion: "cloud.google.com/v1",
      kind: "BackendConfig",
      metadata: meta(backendConfigName(name)),
      spec: {
        // With NEGs the health check reaches the pod directly, on the container port.
        healthCheck: { type: "HTTP", requestPath: args.probes.readinessPath, port: args.port, checkIntervalSec: 10, timeoutSec: 5, healthyThreshold: 1, unhealthyThreshold: 3 },
        connectionDraining: { drainingTimeoutSec: DRAIN_SECONDS },
      },
    },
    k8sOpts,
  );

  const ingress = new k8s.networking.v1.Ingress(
    `${name}-ingress`,
    {
      metadata: ingressMetadata(name, name, args.namespace, args.tags, {
        // GKE's controller reads the class from the annotation, not spec.ingressClassName.
        "kubernetes.io/ingress.class": "gce",
        "kubernetes.io/ingress.global-static-ip-name": address.name,
        "networking.gke.io/managed-certificates": certificate.metadata.name,
        "networking.gke.io/v1beta1.FrontendConfig": frontend.metadata.name,
      }),
      spec: { rules: [ingressRule(host, path, service)] },
    },
    { ...k8sOpts, dependsOn: [backend] },
  );

  return {
    ingress,
    address,
    endpoint: { kind: "address", ip: address.address },
    urlMapNameRegex: gkeUrlMapNameRegex(typeof args.namespace === "string" ? args.namespace : undefined, name),
  };
}
