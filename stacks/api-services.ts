/** API services: each config entry becomes one ApiService on its cluster, published with TLS where it has an ingress. */
import * as pulumi from "@pulumi/pulumi";
import { ApiService, ApiServiceDns, ApiServiceEgress, ApiServiceTls } from "../components/api-service";
import { ChainIndexer } from "../components/indexer";
import { ApiServiceConfig, ClusterConfig, EstateConfig } from "./config";
import { UPSTREAM_ENV } from "./config-api-services";
import { Platform } from "./platform";
import { CloudProviders, componentProviders } from "./providers";
import { workloadTags } from "./tags";

export function buildApiServices(config: EstateConfig, providers: CloudProviders, platform: Platform, indexers: Record<string, ChainIndexer>): Record<string, ApiService> {
  return Object.fromEntries(config.apiServices.map((service) => [service.name, buildApiService(config, providers, platform, indexers, service)]));
}

function buildApiService(config: EstateConfig, providers: CloudProviders, platform: Platform, indexers: Record<string, ChainIndexer>, service: ApiServiceConfig): ApiService {
  const cluster = config.clusters.find((c) => c.name === service.cluster)!;
  const namespace = cluster.namespaces.find((n) => n.name === service.namespace)!;
  const k8sCluster = platform.clusters[service.cluster];
  const upstream = upstreamOf(config, indexers, service);
  return new ApiService(`api-${service.name}`, {
    provider: k8sCluster.provider,
    namespace: k8sCluster.namespaces[service.namespace].metadata.name,
    image: service.image,
    port: service.port,
    env: { ...service.env, ...(upstream && { [UPSTREAM_ENV]: upstream.url }) },
    probes: { readinessPath: service.readinessPath, livenessPath: service.livenessPath },
    resources: { cpu: service.cpu, memory: service.memory },
    replicas: { ...service.replicas },
    allowFrom: [...service.allowFrom],
    egress: upstream ? [upstream.egress] : [],
    ingress: service.ingress && {
      host: service.ingress.host,
      path: service.ingress.path,
      tls: tlsOf(config, cluster, service.ingress),
      dns: dnsOf(config, cluster, service.ingress.dnsZone),
    },
    tags: workloadTags(config, { budgetLine: namespace.budgetLine, workload: service.name }),
    latencyP95Ms: service.latencyP95Ms,
  }, { providers: componentProviders(providers) });
}

/** The upstream's URL and the egress rule that reaches it; the config keeps an upstream indexer on the same cluster. */
function upstreamOf(config: EstateConfig, indexers: Record<string, ChainIndexer>, service: ApiServiceConfig): { url: pulumi.Input<string>; egress: ApiServiceEgress } | undefined {
  const upstream = service.upstream;
  if (!upstream) return undefined;
  if ("url" in upstream) return { url: upstream.url, egress: { cidr: "0.0.0.0/0", ports: [443] } };
  const indexer = config.indexers.find((i) => i.name === upstream.indexer)!;
  return { url: indexers[indexer.name].readApi.internalUrl, egress: { namespace: indexer.namespace, ports: [indexer.api.port] } };
}

function tlsOf(config: EstateConfig, cluster: ClusterConfig, ingress: NonNullable<ApiServiceConfig["ingress"]>): ApiServiceTls {
  if (ingress.tls === "cert-manager") return { kind: "cert-manager", clusterIssuer: ingress.clusterIssuer!, ingressClassName: ingress.ingressClassName! };
  if (cluster.kind === "eks") return { kind: "aws-acm", zoneId: ingress.dnsZone! };
  return { kind: "gke-managed", project: config.gcp!.project };
}

function dnsOf(config: EstateConfig, cluster: ClusterConfig, zone: string | undefined): ApiServiceDns | undefined {
  if (zone === undefined) return undefined;
  return cluster.kind === "gke" ? { kind: "cloud-dns", project: config.gcp!.project, managedZone: zone } : { kind: "route53", zoneId: zone };
}
