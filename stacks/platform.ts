/** Networks and Kubernetes clusters: the shared platform the workloads run on. */
import * as pulumi from "@pulumi/pulumi";
import { AwsNetwork, GcpNetwork } from "../components/network";
import { EksCluster, ExistingCluster, GkeCluster, KubernetesCluster, WorkloadNamespace } from "../components/cluster";
import { ClusterConfig, EstateConfig, NetworkConfig } from "./config";
import { CloudProviders } from "./providers";
import { workloadTags } from "./tags";

export interface Platform {
  readonly awsNetworks: Record<string, AwsNetwork>;
  readonly gcpNetworks: Record<string, GcpNetwork>;
  readonly clusters: Record<string, KubernetesCluster>;
}

export function buildPlatform(config: EstateConfig, providers: CloudProviders): Platform {
  const awsNetworks: Record<string, AwsNetwork> = {};
  const gcpNetworks: Record<string, GcpNetwork> = {};
  for (const network of config.networks) {
    if (network.cloud === "aws") awsNetworks[network.name] = buildAwsNetwork(config, network, providers);
    else gcpNetworks[network.name] = buildGcpNetwork(config, network, providers);
  }
  const clusters: Record<string, KubernetesCluster> = {};
  for (const cluster of config.clusters) {
    clusters[cluster.name] = buildCluster(config, cluster, providers, { awsNetworks, gcpNetworks });
  }
  return { awsNetworks, gcpNetworks, clusters };
}

function buildAwsNetwork(config: EstateConfig, network: Extract<NetworkConfig, { cloud: "aws" }>, providers: CloudProviders): AwsNetwork {
  return new AwsNetwork(
    `net-${network.name}`,
    {
      cidr: network.cidr,
      availabilityZones: network.availabilityZones,
      natGateways: network.natGateways,
      flowLogRetentionDays: network.flowLogRetentionDays,
      tags: workloadTags(config, { budgetLine: network.budgetLine, workload: "network" }),
    },
    { provider: providers.aws },
  );
}

function buildGcpNetwork(config: EstateConfig, network: Extract<NetworkConfig, { cloud: "gcp" }>, providers: CloudProviders): GcpNetwork {
  return new GcpNetwork(
    `net-${network.name}`,
    {
      region: config.gcp!.region,
      cidr: network.cidr,
      podsCidr: network.podsCidr,
      servicesCidr: network.servicesCidr,
      tags: workloadTags(config, { budgetLine: network.budgetLine, workload: "network" }),
    },
    { provider: providers.gcp },
  );
}

function buildCluster(
  config: EstateConfig,
  cluster: ClusterConfig,
  providers: CloudProviders,
  networks: Pick<Platform, "awsNetworks" | "gcpNetworks">,
): KubernetesCluster {
  const name = `k8s-${cluster.name}`;
  const tags = workloadTags(config, { budgetLine: cluster.budgetLine, workload: "kubernetes" });
  const namespaces: WorkloadNamespace[] = cluster.namespaces.map((ns) => ({
    name: ns.name,
    tags: workloadTags(config, { budgetLine: ns.budgetLine, workload: ns.workload }),
  }));
  const prod = config.environment === "prod";
  switch (cluster.kind) {
    case "eks": {
      const network = networks.awsNetworks[cluster.network];
      return new EksCluster(
        name,
        {
          region: config.aws!.region,
          version: cluster.version,
          vpcId: network.vpcId,
          subnetIds: network.privateSubnetIds,
          publicAccessCidrs: [...cluster.publicAccessCidrs],
          nodeGroups: cluster.nodeGroups.map((g) => ({ ...g, instanceTypes: [...g.instanceTypes] })),
          namespaces,
          tags,
          deletionProtection: prod,
        },
        { provider: providers.aws },
      );
    }
    case "gke": {
      const network = networks.gcpNetworks[cluster.network];
      return new GkeCluster(
        name,
        {
          project: config.gcp!.project,
          region: config.gcp!.region,
          regional: cluster.regional,
          network: network.networkSelfLink,
          subnetwork: network.subnetworkSelfLink,
          podsRangeName: network.podsRangeName,
          servicesRangeName: network.servicesRangeName,
          releaseChannel: cluster.releaseChannel,
          masterCidr: cluster.masterCidr,
          masterAuthorizedCidrs: [...cluster.masterAuthorizedCidrs],
          nodePools: cluster.nodePools.map((p) => ({ ...p })),
          namespaces,
          tags,
          deletionProtection: prod,
        },
        { provider: providers.gcp },
      );
    }
    case "existing":
      return new ExistingCluster(name, { kubeconfig: pulumi.secret(cluster.kubeconfig), context: cluster.context, namespaces });
  }
}
