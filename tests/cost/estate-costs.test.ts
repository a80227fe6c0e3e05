/** Both stacks' plans, priced: every resource that costs money is priced or unpriced with a reason, and the sums add up. */
import { pricingOf } from "../../cost/estimate";
import { Plan } from "../../tools/plan/plan";
import { planOf } from "../helpers/estate";

const cents = (n: number) => Math.round(n * 100) / 100;
const plans: Record<string, Plan> = {};
beforeAll(async () => {
  plans.prod = await planOf("prod");
  plans.staging = await planOf("staging");
});

describe.each(["prod", "staging"])("stack %s, priced", (stack) => {
  const plan = () => plans[stack];

  it("knows every resource type the stack creates: priced, free by itself, or usage-based with a reason", () => {
    const cloudTypes = [...new Set(plan().resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")).map((r) => r.type))];
    expect(cloudTypes.filter((t) => pricingOf(t) === "unknown")).toEqual([]);
  });

  it("prices every resource or lists it as unpriced with its reason, never a silent zero", () => {
    for (const r of plan().resources) {
      if (r.monthlyUsd === null) expect({ name: r.name, reason: r.unpricedReason }).toEqual({ name: r.name, reason: expect.stringMatching(/\w{3,}/) });
      else expect(Number.isFinite(r.monthlyUsd)).toBe(true);
      expect(r.unpricedReason ?? "").not.toMatch(/no price rule|could not be priced/);
    }
    expect(plan().unpriced).toEqual(plan().resources.filter((r) => r.monthlyUsd === null).map((r) => ({ urn: r.urn, type: r.type, name: r.name, reason: r.unpricedReason, regionGap: null })));
  });

  it("adds each budget line up from its resources, in USD and DAI against its cap; the total from all resources", () => {
    const { budgetLines, resources, daiPerUsd, totalMonthlyUsd } = plan();
    for (const line of budgetLines) {
      const members = resources.filter((r) => r.budgetLine === line.id);
      expect(line.estimatedMonthlyUsd).toBe(cents(members.reduce((n, r) => n + (r.monthlyUsd ?? 0), 0)));
      expect(line.estimatedMonthlyDai).toBe(cents(line.estimatedMonthlyUsd * daiPerUsd));
      expect(line.utilization).toBeCloseTo(line.estimatedMonthlyDai / line.monthlyCapDai, 10);
      expect(line.resourceCount).toBe(members.filter((r) => r.custom && !r.type.startsWith("pulumi:")).length);
    }
    expect(totalMonthlyUsd).toBe(cents(resources.reduce((n, r) => n + (r.monthlyUsd ?? 0), 0)));
    expect(Object.keys(budgetLines[0])).toEqual(["id", "name", "monthlyCapDai", "resourceCount", "estimatedMonthlyUsd", "estimatedMonthlyDai", "utilization", "unpricedByRegion", "capCheck", "canonicalBudgetCategory"]);
  });

  it("keeps every component's sum equal to its quantity × price, and each resource's to its components'", () => {
    for (const r of plan().resources) {
      for (const c of r.costComponents) expect(Math.abs(c.monthlyUsd - c.quantity * c.unitPriceUsd)).toBeLessThan(0.01);
      if (r.monthlyUsd !== null) expect(r.monthlyUsd).toBe(cents(r.costComponents.reduce((n, c) => n + c.monthlyUsd, 0)));
    }
  });

  it("passes on exactly what the node groups cost: allocated shares plus idle remainders add up to the node cost", () => {
    const nodes = plan().resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" || r.type === "gcp:container/nodePool:NodePool");
    const nodeCost = nodes.flatMap((r) => r.costComponents.filter((c) => c.monthlyUsd > 0)).reduce((n, c) => n + c.monthlyUsd, 0);
    const kept = nodes.reduce((n, r) => n + (r.monthlyUsd ?? 0), 0);
    const allocated = plan().resources.flatMap((r) => (r.type.startsWith("kubernetes:") ? r.costComponents.filter((c) => c.price.startsWith("allocation#")) : [])).reduce((n, c) => n + c.monthlyUsd, 0);
    expect(cents(kept + allocated)).toBe(cents(nodeCost));
  });
});

describe("the figures the plan shows", () => {
  const find = (stack: string, name: string) => plans[stack].resources.find((r) => r.name === name)!;

  it("prod: r7g.2xlarge nodes at 0.4284 × 730 with their root volume and public IPv4; NAT gateways and EKS by the hour", () => {
    expect(find("prod", "eth-mainnet-rpc-node-0").costComponents.map((c) => [c.price, c.monthlyUsd])).toEqual([
      ["aws-us-east-1.json#ec2Instances.r7g.2xlarge", 312.73],
      ["aws-us-east-1.json#ebs.gp3.storage", 2.4],
      ["aws-us-east-1.json#publicIpv4.hour", 3.65],
    ]);
    expect(["net-main-nat-0", "net-main-nat-1", "net-main-nat-2"].map((n) => find("prod", n).monthlyUsd)).toEqual([32.85, 32.85, 32.85]);
    expect(find("prod", "net-main-nat-0").unpricedReason).toBe("data processing unpriced: usage-based (0.045 USD/GB)");
    expect(find("prod", "k8s-core-cluster").monthlyUsd).toBe(73);
    // A regional pool of 1 node per zone in 3 zones: 3 × n2-standard-4 and their 100 GiB pd-balanced disks.
    expect(find("prod", "k8s-analytics-general-node-pool").costComponents.slice(0, 3).map((c) => c.quantity)).toEqual([3 * 4 * 730, 3 * 16 * 730, 300]);
  });

  it("prod: the P2P Service's NLB (AWS Load Balancer Controller) is priced by the hour, its capacity units named as usage", () => {
    const p2p = find("prod", "eth-mainnet-k8s-p2p-0");
    expect(p2p.costComponents.map((c) => [c.price, c.monthlyUsd])).toEqual([["aws-us-east-1.json#elb.network.hour", 16.43]]);
    expect(p2p.unpricedReason).toContain("capacity units (LCU)");
  });

  it("prod: the Kubernetes Ethereum node carries its gp3 volume with the catalog's IOPS and throughput, and its share of the EKS nodes", () => {
    const node = find("prod", "eth-mainnet-k8s-statefulset");
    expect(node.costComponents.map((c) => c.price)).toEqual([
      "aws-us-east-1.json#ebs.gp3.storage",
      "aws-us-east-1.json#ebs.gp3.iops",
      "aws-us-east-1.json#ebs.gp3.throughput",
      "allocation#k8s-core-system-node-group",
      "allocation#k8s-core-workloads-node-group",
    ]);
    expect(node.budgetLine).toBe("infrastructure-tools");
  });

  it("staging: spot capacity priced at the on-demand rate as an upper bound, and saying so", () => {
    expect(find("staging", "k8s-core-general-node-group").costComponents[0].name).toBe(
      "instance hours: 2 × m7g.large (spot: priced at the on-demand rate as an upper bound, the first of m7g.large, m6g.large)",
    );
    expect(find("staging", "k8s-lab-spot-node-pool").costComponents[0].name).toContain("spot: priced at the on-demand rate as an upper bound");
  });
});
