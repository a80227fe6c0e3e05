/** Composition: what this stack's configuration asks for, built from the components. */
import * as pulumi from "@pulumi/pulumi";
import { EksCluster, GkeCluster } from "../components/cluster";
import { EstateConfig } from "./config";
import { buildCostGovernance } from "./cost-governance";
import { buildEthereumNodes } from "./ethereum-nodes";
import { buildPlatform } from "./platform";
import { buildSandboxes } from "./sandboxes";
import { buildIndexers } from "./indexers";
import { buildApiServices } from "./api-services";
import { buildMonitoring } from "./monitoring";
import { cloudProviders } from "./providers";
import { GcpServices } from "../components/gcp-services";
import { workloadTags } from "./tags";

export interface EstateOutputs {
  coreUnit: string;
  environment: string;
  budgetLines: { id: string; monthlyCapDai: number }[];
  networks: Record<string, pulumi.Output<string>>;
  /** Kubeconfigs of the clusters this stack created (secrets): `pulumi stack output kubeconfigs --show-secrets`. */
  kubeconfigs: Record<string, pulumi.Output<string>>;
  /** JSON-RPC endpoint of each Ethereum node pool (sync-aware), for the indexer and API services. */
  ethereumRpc: Record<string, pulumi.Output<string>>;
  /** Each indexer's read API (in-cluster URL), live schema and consumers. */
  indexers: Record<string, { readApi: pulumi.Output<string>; liveSchema: string; consumers: { name: string; reads: string; via: string }[] }>;
  /** Each API service's public URL, or its in-cluster URL when it has no ingress. */
  apiServices: Record<string, pulumi.Output<string>>;
  /** Where alarms notify: the SNS topic and the GCP notification channels. */
  alerting?: { snsTopicArn?: pulumi.Output<string>; notificationChannels?: pulumi.Output<string>[] };
  /** Each sandbox's Kubernetes namespace. */
  sandboxes: Record<string, pulumi.Output<string>>;
  /** Where billing data lands: the AWS CUR 2.0 bucket and the BigQuery dataset to point the GCP billing export at. */
  costExports: { awsBucket?: pulumi.Output<string>; gcpDataset?: pulumi.Output<string> };
}

export function buildEstate(config: EstateConfig): EstateOutputs {
  const providers = cloudProviders(config);
  if (config.gcp) {
    // Every GCP resource declared from here on waits for its API to be enabled in the project.
    // Charged, at no cost, to the line of the project's shared platform: its network's.
    const budgetLine = config.networks.find((n) => n.cloud === "gcp")?.budgetLine ?? config.budgetLines[0].id;
    const tags = workloadTags(config, { budgetLine, workload: "gcp-services" });
    const services = new GcpServices("gcp-services", { project: config.gcp.project, tags }, { provider: providers.gcp });
    pulumi.runtime.registerStackTransformation(services.transformation);
  }
  const platform = buildPlatform(config, providers);
  const nodes = buildEthereumNodes(config, providers, platform);
  const governance = buildCostGovernance(config, providers);
  const sandboxes = buildSandboxes(config, providers, platform);
  const indexers = buildIndexers(config, providers, platform, nodes);
  const apiServices = buildApiServices(config, providers, platform, indexers);
  const monitoring = buildMonitoring(config, providers, platform, { nodes, indexers, apiServices });
  const kubeconfigs: Record<string, pulumi.Output<string>> = {};
  for (const [name, cluster] of Object.entries(platform.clusters)) {
    if (cluster instanceof EksCluster || cluster instanceof GkeCluster) kubeconfigs[name] = cluster.kubeconfig;
  }
  return {
    coreUnit: config.coreUnit,
    environment: config.environment,
    budgetLines: config.budgetLines.map((l) => ({ id: l.id, monthlyCapDai: l.monthlyCapDai })),
    networks: {
      ...Object.fromEntries(Object.entries(platform.awsNetworks).map(([n, net]) => [n, net.vpcId])),
      ...Object.fromEntries(Object.entries(platform.gcpNetworks).map(([n, net]) => [n, net.networkId])),
    },
    kubeconfigs,
    ethereumRpc: Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, node.rpcUrl])),
    indexers: Object.fromEntries(
      Object.entries(indexers).map(([name, i]) => [name, { readApi: i.readApi.internalUrl, liveSchema: i.liveSchema, consumers: i.consumers }]),
    ),
    apiServices: Object.fromEntries(Object.entries(apiServices).map(([name, s]) => [name, s.url ?? s.internalUrl])),
    alerting: monitoring && { snsTopicArn: monitoring.snsTopicArn, notificationChannels: monitoring.notificationChannels },
    sandboxes: Object.fromEntries(Object.entries(sandboxes).map(([name, s]) => [name, s.namespaceName])),
    costExports: { awsBucket: governance.aws?.exportBucket, gcpDataset: governance.gcp?.billingDataset },
  };
}
