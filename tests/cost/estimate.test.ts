/** The estimator on hand-written resources: the reference's figures, what it leaves out and why, and malformed inputs. */
import fc from "fast-check";
import { PRICERS, estimateCosts, pricingOf } from "../../cost/estimate";
import { FREE_OR_USAGE } from "../../cost/free-or-usage";
import { HOURS_PER_MONTH } from "../../cost/types";
import { AWS_PROVIDER, GCP_PROVIDER, onAws, onGcp, res } from "./helpers";

const costOf = (resources: Parameters<typeof estimateCosts>[0], name: string) => {
  const costs = estimateCosts([AWS_PROVIDER, GCP_PROVIDER, ...resources]);
  return costs.get(resources.find((r) => r.name === name)!.urn)!;
};
const components = (cost: { costComponents: readonly { name: string; monthlyUsd: number }[] }) => cost.costComponents.map((c) => [c.name, c.monthlyUsd]);

describe("AWS prices", () => {
  it("an EBS gp3 volume: 0.08 per GiB, 0.005 per IOPS above 3,000, 0.04 per MB/s above 125", () => {
    const volume = res("aws:ebs/volume:Volume", "data", { type: "gp3", size: 2300, iops: 8000, throughput: 500 }, onAws);
    expect(costOf([volume], "data")).toEqual({
      monthlyUsd: 224,
      costComponents: [
        { name: "volume: 2300 GiB gp3", unit: "GiB-months", quantity: 2300, unitPriceUsd: 0.08, monthlyUsd: 184, price: "aws-us-east-1.json#ebs.gp3.storage" },
        { name: "volume: 8000 IOPS, above 3000", unit: "IOPS-months", quantity: 5000, unitPriceUsd: 0.005, monthlyUsd: 25, price: "aws-us-east-1.json#ebs.gp3.iops" },
        { name: "volume: 500 MB/s, above 125", unit: "MBps-months", quantity: 375, unitPriceUsd: 0.04, monthlyUsd: 15, price: "aws-us-east-1.json#ebs.gp3.throughput" },
      ],
    });
    const baseline = res("aws:ebs/volume:Volume", "small", { type: "gp3", size: 100, iops: 3000, throughput: 125 }, onAws);
    expect(costOf([baseline], "small").monthlyUsd).toBe(8);
    const gp2 = res("aws:ebs/volume:Volume", "old", { type: "gp2", size: 100 }, onAws);
    expect(costOf([gp2], "old")).toEqual({ monthlyUsd: null, costComponents: [], unpricedReason: "volume: EBS gp2 is not in the price tables" });
  });

  it("an instance of its launch template's type (r7g.2xlarge 0.4284 × 730), root volume and public IPv4", () => {
    const template = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "r7g.2xlarge", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3" } }] }, onAws);
    const instance = res("aws:ec2/instance:Instance", "node", { launchTemplate: { id: "lt-id" }, associatePublicIpAddress: true }, { ...onAws, dependencies: [template.urn] });
    const cost = costOf([template, instance], "node");
    expect(components(cost)).toEqual([
      ["instance hours: r7g.2xlarge (on-demand)", 312.73],
      ["volume /dev/xvda (launch template): 30 GiB gp3", 2.4],
      ["public IPv4 address", 3.65],
    ]);
    expect(cost.costComponents[0]).toMatchObject({ quantity: HOURS_PER_MONTH, unitPriceUsd: 0.4284, price: "aws-us-east-1.json#ec2Instances.r7g.2xlarge" });
    expect(cost.monthlyUsd).toBe(318.78);
    expect(costOf([template, instance], "lt")).toEqual({ monthlyUsd: 0, costComponents: [] });
  });

  it("an instance type the tables lack is unpriced, naming it, never extrapolated", () => {
    const instance = res("aws:ec2/instance:Instance", "big", { instanceType: "r7g.16xlarge" }, onAws);
    expect(costOf([instance], "big")).toEqual({ monthlyUsd: null, costComponents: [], unpricedReason: "instance type r7g.16xlarge is not in aws-us-east-1.json" });
  });

  it("an EKS node group: desiredSize × the first instance type; spot at the on-demand rate as an upper bound, saying so", () => {
    const template = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3" } }] }, onAws);
    const group = res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: ["m7g.large", "m6g.large"], capacityType: "SPOT", scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 } }, { ...onAws, dependencies: [template.urn] });
    const cost = costOf([template, group], "ng");
    expect(components(cost)).toEqual([
      ["instance hours: 2 × m7g.large (spot: priced at the on-demand rate as an upper bound, the first of m7g.large, m6g.large)", 119.14],
      ["volume /dev/xvda (launch template): 2 × 50 GiB gp3", 8],
    ]);
    expect(cost.monthlyUsd).toBe(127.14);
  });

  it("NAT gateway, EKS control plane, load balancers and EIPs: their hours; usage-based parts named with their rates", () => {
    const nat = res("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "s" }, onAws);
    expect(costOf([nat], "nat")).toEqual({
      monthlyUsd: 32.85,
      costComponents: [{ name: "NAT gateway hours", unit: "hours", quantity: 730, unitPriceUsd: 0.045, monthlyUsd: 32.85, price: "aws-us-east-1.json#natGateway.hour" }],
      unpricedReason: "data processing unpriced: usage-based (0.045 USD/GB)",
    });
    const eks = res("aws:eks/cluster:Cluster", "eks", { region: "us-east-1", upgradePolicy: { supportType: "STANDARD" } });
    expect(costOf([eks], "eks")).toMatchObject({ monthlyUsd: 73, costComponents: [{ unitPriceUsd: 0.1 }] });
    const internal = res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network", internal: true, subnets: ["a", "b"] }, onAws);
    expect(costOf([internal], "nlb")).toMatchObject({ monthlyUsd: 16.43, unpricedReason: "capacity units (LCU) unpriced: usage-based (0.006 USD/LCU-hour)" });
    const publicAlb = res("aws:lb/loadBalancer:LoadBalancer", "alb", { subnets: ["a", "b", "c"] }, onAws);
    expect(components(costOf([publicAlb], "alb"))).toEqual([
      ["application load balancer hours", 16.43],
      ["public IPv4 addresses: one in each of 3 subnets", 10.95],
    ]);
    expect(costOf([res("aws:ec2/eip:Eip", "ip", { domain: "vpc" }, onAws)], "ip").monthlyUsd).toBe(3.65);
    expect(costOf([res("aws:kms/key:Key", "key", {}, onAws)], "key").monthlyUsd).toBe(1);
  });

  it("RDS PostgreSQL: class, Multi-AZ and gp3 storage; other engines unpriced", () => {
    const db = res("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t3.large", multiAz: true, storageType: "gp3", allocatedStorage: 100 }, onAws);
    expect(components(costOf([db], "db"))).toEqual([
      ["instance hours: db.t3.large, Multi-AZ (2 × single-AZ)", 211.7],
      ["storage: 100 GiB gp3 × 2 (Multi-AZ)", 23],
    ]);
    const mysql = res("aws:rds/instance:Instance", "my", { engine: "mysql", instanceClass: "db.t3.large" }, onAws);
    expect(costOf([mysql], "my").unpricedReason).toBe("RDS engine mysql: the price tables hold PostgreSQL prices only");
  });
});

describe("GCP prices", () => {
  it("a VM: N2 vCPU and memory rates, its boot disk and its external address", () => {
    const vm = res("gcp:compute/instance:Instance", "vm", {
      zone: "us-central1-a",
      machineType: "n2-standard-8",
      bootDisk: { initializeParams: { size: 20, type: "pd-balanced" } },
      networkInterfaces: [{ accessConfigs: [{}] }],
    });
    const cost = costOf([vm], "vm");
    expect(components(cost)).toEqual([
      ["VM hours (on-demand): n2-standard-8, 8 vCPUs", 184.61],
      ["VM hours (on-demand): n2-standard-8, 32 GB memory", 98.98],
      ["boot disk: 20 GiB pd-balanced", 2],
      ["external IPv4 address (in use on a standard VM)", 3.65],
    ]);
    expect(cost.costComponents[0].unitPriceUsd * 8 + cost.costComponents[1].unitPriceUsd * 32).toBeCloseTo(0.388472, 6);
    expect(costOf([res("gcp:compute/disk:Disk", "d", { zone: "us-central1-a", type: "pd-ssd", size: 400 })], "d").monthlyUsd).toBe(68);
  });

  it("a GKE cluster's fee; a regional node pool counts its per-zone nodes in three zones, within its autoscaling bounds", () => {
    const cluster = res("gcp:container/cluster:Cluster", "gke", { location: "us-central1", removeDefaultNodePool: true });
    expect(costOf([cluster], "gke").monthlyUsd).toBe(73);
    const pool = (name: string, inputs: Record<string, unknown>) =>
      res("gcp:container/nodePool:NodePool", name, { nodeConfig: { machineType: "n2-standard-4", diskSizeGb: 100, diskType: "pd-balanced" }, ...inputs }, { dependencies: [cluster.urn] });
    const nodesOf = (p: ReturnType<typeof pool>) => costOf([cluster, p], p.name).costComponents[0].quantity / (4 * 730);
    expect(nodesOf(pool("regional", { location: "us-central1", initialNodeCount: 1, autoscaling: { totalMinNodeCount: 1, totalMaxNodeCount: 3 } }))).toBe(3);
    expect(nodesOf(pool("capped", { location: "us-central1", initialNodeCount: 1, autoscaling: { totalMaxNodeCount: 2 } }))).toBe(2);
    expect(nodesOf(pool("zonal", { location: "us-central1-a", initialNodeCount: 1 }))).toBe(1);
    expect(nodesOf(pool("fixed", { location: "us-central1", nodeLocations: ["us-central1-a", "us-central1-b"], nodeCount: 2 }))).toBe(4);
    const spot = res("gcp:container/nodePool:NodePool", "spot", { location: "us-central1-a", initialNodeCount: 1, nodeConfig: { machineType: "e2-standard-4", spot: true, diskSizeGb: 50 } });
    expect(components(costOf([spot], "spot"))).toEqual([
      ["node hours (spot: priced at the on-demand rate as an upper bound; 1 per zone × 1 zone): e2-standard-4", 97.83],
      ["boot disks: 50 GiB pd-balanced", 5],
    ]);
  });

  it("Cloud NAT per VM it serves: private GKE nodes and VMs without an external address on its network", () => {
    const network = res("gcp:compute/network:Network", "net", {}, onGcp);
    const router = res("gcp:compute/router:Router", "router", { region: "us-central1" }, { dependencies: [network.urn] });
    const nat = res("gcp:compute/routerNat:RouterNat", "nat", { region: "us-central1" }, { dependencies: [router.urn] });
    const cluster = res("gcp:container/cluster:Cluster", "gke", { location: "us-central1", privateClusterConfig: { enablePrivateNodes: true } }, { dependencies: [network.urn] });
    const pool = res("gcp:container/nodePool:NodePool", "pool", { location: "us-central1", initialNodeCount: 1 }, { dependencies: [cluster.urn] });
    const privateVm = res("gcp:compute/instance:Instance", "vm", { zone: "us-central1-a", machineType: "e2-medium", networkInterfaces: [{}] }, { dependencies: [network.urn] });
    const publicVm = res("gcp:compute/instance:Instance", "pub", { zone: "us-central1-a", machineType: "e2-medium", networkInterfaces: [{ accessConfigs: [{}] }] }, { dependencies: [network.urn] });
    const cost = costOf([network, router, nat, cluster, pool, privateVm, publicVm], "nat");
    expect(components(cost)).toEqual([["VMs served: 4 (1 VMs, 3 private GKE nodes)", 4.09]]);
    expect(cost.unpricedReason).toBe("data processing unpriced: usage-based (0.045 USD/GB)");
    expect(costOf([nat], "nat").monthlyUsd).toBeNull();
  });

  it("Cloud SQL custom tiers by vCPU and memory, zonal or regional; forwarding rules unpriced with the reason", () => {
    const sql = res("gcp:sql/databaseInstance:DatabaseInstance", "sql", { region: "us-central1", settings: { tier: "db-custom-2-7680", diskSize: 10 } });
    expect(components(costOf([sql], "sql"))).toEqual([
      ["vCPUs: 2 (zonal)", 60.3],
      ["memory: 7.5 GB (zonal)", 38.33],
      ["storage: 10 GB SSD (zonal)", 1.7],
    ]);
    const ha = res("gcp:sql/databaseInstance:DatabaseInstance", "ha", { region: "us-central1", settings: { tier: "db-custom-2-7680", availabilityType: "REGIONAL" } });
    expect(costOf([ha], "ha").monthlyUsd).toBe(120.6 + 76.65 + 3.4);
    const rule = res("gcp:compute/forwardingRule:ForwardingRule", "fr", { region: "us-central1", loadBalancingScheme: "INTERNAL" });
    expect(costOf([rule], "fr")).toMatchObject({ monthlyUsd: null, unpricedReason: expect.stringContaining("billed per project in tiers") });
  });
});

/** The input fields the price modules read, to fuzz with anything. */
const FIELDS = [
  "instanceType", "launchTemplate", "rootBlockDevice", "ebsBlockDevices", "associatePublicIpAddress", "scalingConfig", "instanceTypes", "capacityType",
  "type", "size", "iops", "throughput", "loadBalancerType", "internal", "subnets", "upgradePolicy", "engine", "instanceClass", "multiAz", "allocatedStorage",
  "storageType", "machineType", "bootDisk", "networkInterfaces", "scheduling", "zone", "region", "location", "nodeConfig", "initialNodeCount", "nodeCount",
  "autoscaling", "nodeLocations", "settings", "spec", "metadata", "vpcEndpointType", "publicIpv4Pool",
];

describe("what the estimator does not price", () => {
  it("free types cost 0 with no components; usage-based ones are unpriced with the reason and the rates", () => {
    expect(costOf([res("aws:ec2/vpc:Vpc", "vpc", {}, onAws)], "vpc")).toEqual({ monthlyUsd: 0, costComponents: [] });
    expect(costOf([res("aws:cloudwatch/logGroup:LogGroup", "logs", {}, onAws)], "logs")).toEqual({
      monthlyUsd: null,
      costComponents: [],
      unpricedReason: "usage-based: log ingestion and storage (0.5 USD/GB, 0.03 USD/GB-month)",
    });
    expect(costOf([res("estate:cluster:EksCluster", "c", {}, { custom: false })], "c")).toEqual({ monthlyUsd: 0, costComponents: [] });
  });

  it("a type it does not know, or a region without a price table, is unpriced with the reason", () => {
    expect(costOf([res("aws:sagemaker/domain:Domain", "sm", {}, onAws)], "sm").unpricedReason).toBe(
      "no price rule for aws:sagemaker/domain:Domain: price it in cost/ or list it in cost/free-or-usage.ts",
    );
    expect(costOf([res("aws:ec2/natGateway:NatGateway", "nat", { region: "eu-west-1" })], "nat").unpricedReason).toBe(
      "no price table for AWS region eu-west-1 (cost/prices/aws-eu-west-1.json)",
    );
    expect(costOf([res("aws:ec2/natGateway:NatGateway", "nat", {})], "nat").unpricedReason).toBe("no AWS region found (on the resource, its provider or the stack's config)");
    expect(estimateCosts([res("aws:ec2/natGateway:NatGateway", "nat", {})], { awsRegion: "us-east-1" }).values().next().value?.monthlyUsd).toBe(32.85);
  });

  it("knows every type it prices or lists exactly once", () => {
    expect(Object.keys(PRICERS).filter((t) => t in FREE_OR_USAGE)).toEqual([]);
    expect(pricingOf("aws:ec2/vpc:Vpc")).toBe("free");
    expect(pricingOf("aws:ec2/natGateway:NatGateway")).toBe("priced");
    expect(pricingOf("aws:s3/bucket:Bucket")).toBe("usage");
    for (const entry of Object.values(FREE_OR_USAGE)) expect(entry.reason.length).toBeGreaterThan(10);
  });

  it("never throws on malformed inputs: the resource is unpriced with a reason, or priced", () => {
    const types = [...Object.keys(PRICERS), "aws:cloudwatch/logGroup:LogGroup", "kubernetes:apps/v1:StatefulSet"];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.dictionary(fc.constantFrom(...FIELDS), fc.anything()), fc.string(), (type, inputs, dependency) => {
        const resource = res(type, "r", inputs, { ...onAws, dependencies: [dependency] });
        const cost = estimateCosts([AWS_PROVIDER, resource]).get(resource.urn)!;
        return cost.monthlyUsd === null ? typeof cost.unpricedReason === "string" && cost.unpricedReason.length > 0 : Number.isFinite(cost.monthlyUsd);
      }),
      { numRuns: 300 },
    );
    const throwing = new Proxy({}, { get: () => { throw new Error("unknown during preview"); } });
    const cost = estimateCosts([res("aws:ebs/volume:Volume", "v", throwing as Record<string, unknown>, onAws)]).values().next().value;
    expect(cost).toEqual({ monthlyUsd: null, costComponents: [], unpricedReason: "could not be priced: unknown during preview" });
  });
});
