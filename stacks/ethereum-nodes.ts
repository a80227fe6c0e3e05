/** Ethereum node pools: each config entry becomes one EthereumNode on its platform, right-sized from the catalog. */
import * as pulumi from "@pulumi/pulumi";
import { EthereumNode, EthereumNodeArgs, awsInstanceTypeFor, findClient, gcpMachineTypeFor, recommendedSize, withOverrides } from "../components/ethereum-node";
import { EksCluster, GkeCluster } from "../components/cluster";
import { EstateConfig, EthereumNodeConfig } from "./config";
import { Platform } from "./platform";
import { CloudProviders } from "./providers";
import { workloadTags } from "./tags";

export const ETHEREUM_NODE_WORKLOAD = "ethereum-node";

export function buildEthereumNodes(config: EstateConfig, providers: CloudProviders, platform: Platform): Record<string, EthereumNode> {
  return Object.fromEntries(config.ethereumNodes.map((node) => [node.name, buildNode(config, providers, platform, node)]));
}

function buildNode(config: EstateConfig, providers: CloudProviders, platform: Platform, node: EthereumNodeConfig): EthereumNode {
  const { instanceType, machineType, ...overrides } = node.size;
  const size = withOverrides(recommendedSize(findClient("execution", node.execution)!, findClient("consensus", node.consensus)!, node.chain, node.mode)!, overrides);
  const args: Omit<EthereumNodeArgs, "platform"> = {
    pool: node.name,
    chain: node.chain,
    mode: node.mode,
    execution: node.execution,
    consensus: node.consensus,
    count: node.count,
    checkpointSyncUrl: config.checkpointSyncUrls[node.chain],
    size,
    tags: workloadTags(config, { budgetLine: node.budgetLine, workload: ETHEREUM_NODE_WORKLOAD }),
    protectData: config.environment === "prod",
  };
  const name = `eth-${node.name}`;
  const fits = (shape: string | undefined): string => {
    if (!shape) throw new pulumi.RunError(`ethereumNodes.${node.name}: no machine in the catalog has ${size.vcpu} vCPUs and ${size.memoryGiB} GiB; set size.instanceType or size.machineType`);
    return shape;
  };
  switch (node.platform) {
    case "aws": {
      const network = platform.awsNetworks[node.network!];
      return new EthereumNode(
        name,
        {
          ...args,
          platform: {
            kind: "aws",
            region: config.aws!.region,
            vpcId: network.vpcId,
            vpcCidr: network.cidr,
            publicSubnetIds: network.publicSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            instanceType: instanceType ?? fits(awsInstanceTypeFor(size)),
          },
        },
        { provider: providers.aws },
      );
    }
    case "gcp": {
      const network = platform.gcpNetworks[node.network!];
      return new EthereumNode(
        name,
        {
          ...args,
          platform: {
            kind: "gcp",
            project: config.gcp!.project,
            region: config.gcp!.region,
            network: network.networkSelfLink,
            subnetwork: network.subnetworkSelfLink,
            internalCidrs: [network.cidr, network.podsCidr, network.servicesCidr],
            machineType: machineType ?? fits(gcpMachineTypeFor(size)),
          },
        },
        { provider: providers.gcp },
      );
    }
    case "kubernetes": {
      const cluster = platform.clusters[node.cluster!];
      return new EthereumNode(name, {
        ...args,
        platform: {
          kind: "kubernetes",
          provider: cluster.provider,
          namespace: cluster.namespaces[node.namespace!].metadata.name,
          p2pService: node.p2pService,
          cluster: cluster instanceof EksCluster ? "eks" : cluster instanceof GkeCluster ? "gke" : undefined,
        },
      });
    }
  }
}
