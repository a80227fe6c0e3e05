/** Chain indexers: each config entry becomes one ChainIndexer on its cluster, its database in the cluster's network. */
import * as pulumi from "@pulumi/pulumi";
import { ApiServiceEgress } from "../components/api-service";
import { EksCluster, GkeCluster } from "../components/cluster";
import { CHAIN_IDS, EthereumNode, RPC_PORTS } from "../components/ethereum-node";
import { ChainIndexer, ChainIndexerIdentity, IndexerDatabasePlacement } from "../components/indexer";
import { EstateConfig, IndexerConfig } from "./config";
import { READ_API } from "./config-indexers";
import { addressBookGap } from "./indexer-address-books";
import { Platform } from "./platform";
import { CloudProviders, componentProviders } from "./providers";
import { workloadTags } from "./tags";

export const indexerWorkload = (name: string): string => `indexer-${name}`;

export function buildIndexers(config: EstateConfig, providers: CloudProviders, platform: Platform, nodes: Record<string, EthereumNode>): Record<string, ChainIndexer> {
  return Object.fromEntries(config.indexers.map((indexer) => [indexer.name, buildIndexer(config, providers, platform, nodes, indexer)]));
}

function buildIndexer(config: EstateConfig, providers: CloudProviders, platform: Platform, nodes: Record<string, EthereumNode>, indexer: IndexerConfig): ChainIndexer {
  const cluster = config.clusters.find((c) => c.name === indexer.cluster)!;
  const namespace = cluster.namespaces.find((n) => n.name === indexer.namespace)!;
  const k8sCluster = platform.clusters[indexer.cluster];
  // Services that call the read API are let in by its NetworkPolicy.
  const callers = config.apiServices.filter((s) => s.upstream && "indexer" in s.upstream && s.upstream.indexer === indexer.name && s.cluster === indexer.cluster);
  const db = indexer.database;
  const gap = addressBookGap(indexer, callers.map((s) => s.name));
  if (gap) pulumi.log.warn(gap.message);
  return new ChainIndexer(`idx-${indexer.name}`, {
    indexer: indexer.name,
    chain: indexer.chain,
    chainId: CHAIN_IDS[indexer.chain],
    kubernetes: { provider: k8sCluster.provider, namespace: k8sCluster.namespaces[indexer.namespace].metadata.name, identity: identityOf(config, k8sCluster) },
    rpc: {
      headUrl: nodes[indexer.rpcPool].rpcUrl,
      backfillUrl: nodes[indexer.backfillRpcPool].rpcUrl,
      egress: uniqueRules([indexer.rpcPool, indexer.backfillRpcPool].map((pool) => rpcEgress(config, platform, pool))),
    },
    database: {
      engineVersion: db.version,
      instanceClass: db.instanceClass,
      storageGiB: db.storageGiB,
      maxStorageGiB: db.maxStorageGiB,
      backupRetentionDays: db.backupRetentionDays,
      highAvailability: db.highAvailability,
      readReplicas: db.readReplicas,
      databaseName: indexer.name.replace(/-/g, "_"),
      placement: placementOf(config, platform, db.network),
    },
    worker: { ...indexer.worker, env: { ...indexer.worker.env }, replicas: gap ? 0 : 1 },
    deployments: indexer.deployments.map((d) => ({ ...d })),
    live: indexer.live,
    api: {
      image: indexer.api.image,
      port: indexer.api.port,
      probes: { readinessPath: indexer.api.readinessPath, livenessPath: indexer.api.livenessPath },
      resources: { cpu: indexer.api.cpu, memory: indexer.api.memory },
      replicas: { ...indexer.api.replicas },
      env: { ...indexer.api.env },
      allowFrom: [...new Set([...indexer.api.allowFrom, ...callers.map((s) => s.namespace)])],
    },
    consumers: indexer.consumers.map((c) => ({
      name: c.name,
      reads: c.reads,
      via: c.via === READ_API ? "the read API, inside the cluster" : `the API service ${c.via}${hostOf(config, c.via)}`,
    })),
    tags: workloadTags(config, { budgetLine: namespace.budgetLine, workload: indexerWorkload(indexer.name) }),
    protectData: config.environment === "prod",
  }, { providers: componentProviders(providers) });
}

function hostOf(config: EstateConfig, service: string): string {
  const ingress = config.apiServices.find((s) => s.name === service)?.ingress;
  return ingress ? ` (https://${ingress.host}${ingress.path})` : "";
}

function identityOf(config: EstateConfig, cluster: Platform["clusters"][string]): ChainIndexerIdentity {
  if (cluster instanceof EksCluster) return { kind: "aws-irsa", oidcProviderArn: cluster.oidcProviderArn, oidcIssuerUrl: cluster.oidcIssuerUrl, region: config.aws!.region };
  if (cluster instanceof GkeCluster) return { kind: "gcp-workload-identity", project: config.gcp!.project };
  // The config admits indexers on eks and gke clusters only.
  throw new Error("an indexer needs an EKS or GKE cluster of the estate");
}

function placementOf(config: EstateConfig, platform: Platform, network: string): IndexerDatabasePlacement {
  const aws = platform.awsNetworks[network];
  if (aws) return { kind: "aws", vpcId: aws.vpcId, privateSubnetIds: aws.privateSubnetIds, clientCidrs: [aws.cidr] };
  const gcp = platform.gcpNetworks[network];
  return { kind: "gcp", project: config.gcp!.project, region: config.gcp!.region, network: gcp.networkSelfLink, privateServices: gcp.privateServices };
}

/** Two pools in one network need one rule. */
function uniqueRules(rules: ApiServiceEgress[]): ApiServiceEgress[] {
  return [...new Map(rules.map((rule) => [JSON.stringify(rule), rule])).values()];
}

/** Where the workers reach a pool: its namespace on the same cluster, or the VMs' network. */
function rpcEgress(config: EstateConfig, platform: Platform, pool: string): ApiServiceEgress {
  const node = config.ethereumNodes.find((n) => n.name === pool)!;
  const ports = [...RPC_PORTS];
  if (node.platform === "kubernetes") return { namespace: node.namespace!, ports };
  const network = platform.awsNetworks[node.network!] ?? platform.gcpNetworks[node.network!];
  return { cidr: network.cidr, ports };
}
