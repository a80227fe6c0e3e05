/** What EthereumNode tells the Monitoring component: its pool, its size and where its metrics land, per platform. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EthereumNode, EthereumNodeArgs, findClient, recommendedSize } from "../../../components/ethereum-node";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { cloudName } from "../../helpers/resources";
import { settled } from "../cluster/fixtures";
import { tagsFor } from "./vm-fixtures";

const base = (): Omit<EthereumNodeArgs, "platform"> => ({
  pool: "mainnet-rpc",
  chain: "mainnet",
  mode: "full",
  execution: "geth",
  consensus: "lighthouse",
  count: 2,
  checkpointSyncUrl: "https://checkpoint.example.org",
  size: recommendedSize(findClient("execution", "geth")!, findClient("consensus", "lighthouse")!, "mainnet", "full")!,
  tags: tagsFor("prod"),
  protectData: false,
});

describe("EthereumNode.monitoringTarget", () => {
  const nodes: Record<string, EthereumNode> = {};
  let resources: RecordedResource[];
  beforeAll(async () => {
    ({ resources } = await recordResources(
      () => {
        const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
        nodes.aws = new EthereumNode("eth-aws", {
          ...base(),
          platform: {
            kind: "aws",
            region: "eu-west-1",
            vpcId: "vpc-1",
            vpcCidr: "10.10.0.0/16",
            publicSubnetIds: ["subnet-a", "subnet-b"],
            privateSubnetIds: ["subnet-c", "subnet-d"],
            instanceType: "r7g.2xlarge",
          },
        });
        nodes.eks = new EthereumNode("eth-eks", { ...base(), pool: "eks-pool", count: 1, platform: { kind: "kubernetes", provider, namespace: "ethereum", p2pService: "NodePort", cluster: "eks" } });
        nodes.other = new EthereumNode("eth-other", { ...base(), pool: "other-pool", count: 1, platform: { kind: "kubernetes", provider, namespace: "ethereum", p2pService: "NodePort" } });
      },
      { awsRegion: "eu-west-1" },
    ));
  });

  it("names the pool and its node count, and the NLB, target group and instances of a VM pool", async () => {
    const target = nodes.aws.monitoringTarget;
    expect(target).toMatchObject({ kind: "ethereum-pool", pool: "mainnet-rpc", count: 2, platform: "aws-vm" });
    expect(await settled(pulumi.output(target.aws!.loadBalancerArnSuffix))).toMatch(new RegExp(`^net/${cloudName(resources, "eth-aws-lb")}/[0-9a-f]{16}$`));
    expect(await settled(pulumi.output(target.aws!.targetGroupArnSuffix))).toMatch(new RegExp(`^targetgroup/${cloudName(resources, "eth-aws-rpc-tg")}/[0-9a-f]{16}$`));
    expect(target.aws!.instanceIds).toHaveLength(2);
  });

  it("says which cluster kind a Kubernetes pool runs on, and so where its metrics land", () => {
    expect(nodes.eks.monitoringTarget).toEqual({ kind: "ethereum-pool", pool: "eks-pool", count: 1, platform: "eks" });
    expect(nodes.other.monitoringTarget).toEqual({ kind: "ethereum-pool", pool: "other-pool", count: 1, platform: "kubernetes" });
  });

  it("rejects a pool name that cannot label metrics", () => {
    const platform = { kind: "kubernetes" as const, provider: undefined as unknown as k8s.Provider, namespace: "x", p2pService: "NodePort" as const };
    expect(() => new EthereumNode("bad", { ...base(), pool: "Mainnet RPC", platform })).toThrow(
      `EthereumNode "bad": pool: "Mainnet RPC" must be 1-63 lowercase letters, digits or '-', starting with a letter (it labels the pool's metrics)`,
    );
  });
});
