/** What an ApiService costs in the offline plan: its pods' share of the nodes at the autoscaler's minimum, nothing else by itself. */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiService } from "../../../components/api-service";
import { estimateCosts } from "../../../cost/estimate";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { DEPLOYMENT, apiArgs } from "./fixtures";

/** Stands in for the EksCluster component: a control plane, two m7g.large nodes (4 vCPUs, 16 GiB) and its provider. */
class Cluster extends pulumi.ComponentResource {
  readonly provider: k8s.Provider;
  constructor(name: string) {
    super("estate:cluster:EksCluster", name, {}, {});
    new aws.eks.Cluster(`${name}-cluster`, { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"] } }, { parent: this });
    new aws.eks.NodeGroup(
      `${name}-ng`,
      { clusterName: name, nodeRoleArn: "arn:aws:iam::123456789012:role/node", subnetIds: ["subnet-1"], instanceTypes: ["m7g.large"], scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 2 } },
      { parent: this },
    );
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: "{}" }, { parent: this });
    this.registerOutputs({});
  }
}

describe("ApiService costs", () => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    ({ resources } = await recordResources(() => {
      const cluster = new Cluster("k8s-core");
      // 250m and 256Mi a pod, at least 2 pods: 0.5 of 4 vCPUs and 0.5 of 16 GiB.
      new ApiService("vault-api", { ...apiArgs({ ingress: { host: "api.techops.example", tls: { kind: "aws-acm", zoneId: "Z0" }, dns: { kind: "route53", zoneId: "Z0" } } }), provider: cluster.provider });
    }));
  });

  it("allocates the Deployment its share of the nodes at the autoscaler's minimum, though it declares no replicas", () => {
    const costs = estimateCosts(resources, { awsRegion: "us-east-1" });
    const deployment = resources.find((r) => r.type === DEPLOYMENT)!;
    const [share] = costs.get(deployment.urn)!.costComponents;
    expect(share.name).toBe("node cost share of k8s-core-ng: 0.5 of 4 vCPUs and 0.5 of 16 GiB requested (2 × pod), half by CPU, half by memory");
    expect(share.quantity).toBe(0.5 * (0.5 / 4) + 0.5 * (0.5 / 16));
  });

  it("prices nothing else of it: free configuration, or usage-based with the reason (the ALB the controller creates, DNS queries)", () => {
    const costs = estimateCosts(resources, { awsRegion: "us-east-1" });
    const mine = resources.filter((r) => r.name.startsWith("vault-api-") && r.type !== DEPLOYMENT);
    const unpriced = mine.filter((r) => costs.get(r.urn)!.monthlyUsd === null).map((r) => [r.type, costs.get(r.urn)!.unpricedReason]);
    expect(unpriced.sort()).toEqual([
      ["aws:route53/record:Record", expect.stringContaining("DNS queries")],
      ["aws:route53/record:Record", expect.stringContaining("DNS queries")],
      ["kubernetes:networking.k8s.io/v1:Ingress", expect.stringContaining("ingress controller may create a cloud load balancer")],
    ]);
    expect(mine.filter((r) => costs.get(r.urn)!.monthlyUsd !== null).every((r) => costs.get(r.urn)!.monthlyUsd === 0)).toBe(true);
  });
});
