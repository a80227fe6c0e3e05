/**
 * A containerised HTTP service on Kubernetes: a hardened Deployment (probes, requests and limits, non-root, read-only
 * root filesystem, zone spread, graceful drain), a ClusterIP Service, an autoscaler and a disruption budget, a
 * NetworkPolicy, and optionally a public HTTPS Ingress with its certificate and a DNS record:
 *
 * - `aws-acm`: EKS with the AWS Load Balancer Controller installed: an internet-facing ALB named deterministically,
 *   an ACM certificate DNS-validated in Route 53, HTTPS only (HTTP redirects), a TLS 1.3 policy, pods as IP targets.
 * - `gke-managed`: GKE Ingress (class gce) on a reserved global IPv4 address, a Google-managed certificate,
 *   HTTP redirected to HTTPS, container-native load balancing with the health check on the readiness path.
 * - `cert-manager`: any cluster with cert-manager and an ingress controller: the issuer's certificate in `<name>-tls`.
 *
 * Every object carries the cost labels (the Deployment's pod template too); selectors use stable labels only.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { throwIfAny } from "../cluster/validation";
import { CLUSTER_DOMAIN } from "../ethereum-node/kubernetes";
import type { ApiServiceTarget } from "../monitoring/targets";
import { CostTags } from "../tagging";
import { apiServiceWorkload } from "./deployment";
import { dnsRecord } from "./dns";
import { IngressEndpoint } from "./endpoint";
import { awsAlbIngress } from "./ingress-aws";
import { certManagerIngress } from "./ingress-cert-manager";
import { gkeManagedIngress } from "./ingress-gke";
import { apiServiceNetworkPolicy } from "./network-policy";
import { SERVICE_PORT } from "./pod";
import { apiServiceProblems } from "./validate";

export { imageProblem } from "./image";
export { apiServiceProblems } from "./validate";
export { albName, ALB_SSL_POLICY } from "./ingress-aws";
export { gkeUrlMapNameRegex } from "./ingress-gke";
export { API_CONTAINER, API_UID, SERVICE_PORT } from "./pod";
export { selectorLabels } from "./deployment";

export type ApiServiceTls =
  /** EKS + AWS Load Balancer Controller; the ACM certificate is DNS-validated in this Route 53 zone. */
  | { kind: "aws-acm"; zoneId: pulumi.Input<string> }
  /** GKE Ingress (class gce) with a ManagedCertificate on a reserved global address in `project`. */
  | { kind: "gke-managed"; project: string }
  /** Any cluster: cert-manager issues into the secret `<name>-tls` for the ingress class named. */
  | { kind: "cert-manager"; clusterIssuer: string; ingressClassName: string };

export type ApiServiceDns = { kind: "route53"; zoneId: pulumi.Input<string> } | { kind: "cloud-dns"; project: string; managedZone: string };

export type ApiServiceEgress = { namespace: string; podLabels?: Record<string, string>; ports: number[] } | { cidr: string; ports: number[] };

export interface ApiServiceArgs {
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
  /** Pinned: a tag other than `latest`, or a sha256 digest. */
  image: string;
  /** Container port, named "http"; the Service serves it on port 80. */
  port: number;
  command?: string[];
  args?: string[];
  /** Plain configuration only: no secret values (use a cloud-managed secret the pod reads at runtime). */
  env?: Record<string, pulumi.Input<string>>;
  probes: { readinessPath: string; livenessPath: string };
  /** Kubernetes quantities, e.g. "250m", "512Mi"; memoryLimit defaults to memory, no CPU limit unless given. */
  resources: { cpu: string; memory: string; cpuLimit?: string; memoryLimit?: string };
  /** HorizontalPodAutoscaler bounds and CPU target (default 70% of the request). */
  replicas: { min: number; max: number; targetCpuPercent?: number };
  /** Default true; /tmp is always an emptyDir. */
  readOnlyRootFilesystem?: boolean;
  serviceAccountName?: pulumi.Input<string>;
  /** Extra pod-template labels (e.g. RPC_CLIENT_LABEL); never part of the selector. */
  podLabels?: Record<string, string>;
  /** Extra containers and volumes (ChainIndexer's read API). */
  pod?: {
    initContainers?: k8s.types.input.core.v1.Container[];
    sidecars?: k8s.types.input.core.v1.Container[];
    volumes?: k8s.types.input.core.v1.Volume[];
    /** Mounted into the main container. */
    volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
  };
  ingress?: {
    /** The public host name, e.g. api.example.org. */
    host: string;
    /** Default "/"; a prefix. */
    path?: string;
    tls: ApiServiceTls;
    dns?: ApiServiceDns;
  };
  /** Namespaces whose pods may call the service; the load balancer's or ingress controller's path is allowed when ingress is set. */
  allowFrom?: string[];
  /** Where the pods may connect, besides cluster DNS (always allowed). */
  egress?: ApiServiceEgress[];
  tags: CostTags;
  /** Alarm threshold for the 95th percentile latency; default 1000. */
  latencyP95Ms?: number;
  /**
   * Plan the service held, for a component whose backend cannot run yet (ChainIndexer's read API while its workers
   * are held): no pod, no autoscaler (an HPA cannot rest at 0 without the HPAScaleToZero feature gate), no disruption
   * budget, and its alarms planned disabled. `replicas` still applies, from the deploy that lifts the hold. Never config.
   */
  held?: boolean;
}

export const DEFAULT_LATENCY_P95_MS = 1000;

export class ApiService extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  /** http://<service>.<namespace>.svc.cluster.local:80 */
  readonly internalUrl: pulumi.Output<string>;
  /** https://<host><path>, when the service has an ingress. */
  readonly url?: pulumi.Output<string>;
  readonly monitoringTarget: ApiServiceTarget;

  constructor(name: string, args: ApiServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("ApiService", name, apiServiceProblems(name, args));
    super("estate:api-service:ApiService", name, {}, opts);
    const tls = args.ingress?.tls;
    const workload = apiServiceWorkload(name, args, this);
    this.serviceName = workload.service.metadata.name;
    this.internalUrl = pulumi.interpolate`http://${workload.service.metadata.name}.${workload.service.metadata.namespace}.svc.${CLUSTER_DOMAIN}:${SERVICE_PORT}`;

    let endpoint: IngressEndpoint | undefined;
    let loadBalancer: ApiServiceTarget["loadBalancer"];
    if (args.ingress && tls?.kind === "aws-acm") {
      const alb = awsAlbIngress(name, { ...args, ingress: args.ingress, tls }, workload.service, this);
      endpoint = alb.endpoint;
      loadBalancer = { kind: "aws-alb", arnSuffix: alb.arnSuffix };
    } else if (args.ingress && tls?.kind === "gke-managed") {
      const gke = gkeManagedIngress(name, { ...args, ingress: args.ingress, tls }, workload.service, this);
      endpoint = gke.endpoint;
      loadBalancer = { kind: "gcp-https-lb", project: tls.project, urlMapNameRegex: gke.urlMapNameRegex };
    } else if (args.ingress && tls?.kind === "cert-manager") {
      endpoint = certManagerIngress(name, { ...args, ingress: args.ingress, tls }, workload.service, this).endpoint;
    }
    if (args.ingress?.dns && endpoint) dnsRecord(name, { host: args.ingress.host, dns: args.ingress.dns, endpoint }, this);

    apiServiceNetworkPolicy(name, args, this);

    if (args.ingress) this.url = pulumi.output(`https://${args.ingress.host}${args.ingress.path ?? "/"}`);
    this.monitoringTarget = {
      kind: "api-service",
      service: name,
      ...(loadBalancer ? { loadBalancer } : {}),
      latencyP95Ms: args.latencyP95Ms ?? DEFAULT_LATENCY_P95_MS,
      ...(args.held ? { held: true } : {}),
    };
    this.registerOutputs({ costTags: args.tags, serviceName: this.serviceName, internalUrl: this.internalUrl, url: this.url });
  }
}
