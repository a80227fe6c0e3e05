import { Plan } from "../../tools/plan/plan";
import { describeEstateInvariants, planOf } from "../helpers/estate";

let plan: Plan;
beforeAll(async () => {
  plan = await planOf("prod");
});
const ofType = (type: string) => plan.resources.filter((r) => r.type === type);

describeEstateInvariants("prod", () => plan);

describe("stack prod: HA where it matters", () => {
  it("spreads over three zones with a NAT gateway in each", () => {
    expect(ofType("aws:ec2/subnet:Subnet")).toHaveLength(6);
    expect(ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
  });

  it("keeps at least two on-demand nodes per EKS node group", () => {
    const groups = ofType("aws:eks/nodeGroup:NodeGroup");
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      expect(g.inputs.capacityType).toBe("ON_DEMAND");
      expect((g.inputs.scalingConfig as any).minSize).toBeGreaterThanOrEqual(2);
    }
  });

  it("protects the EKS cluster and its secrets key from deletion", () => {
    const [eks] = ofType("aws:eks/cluster:Cluster");
    expect(eks.inputs.deletionProtection).toBe(true);
    expect(ofType("aws:kms/key:Key").map((k) => k.protect)).toEqual([true]);
  });

  it("runs a regional GKE cluster with deletion protection", () => {
    const [gke] = ofType("gcp:container/cluster:Cluster");
    expect(gke.inputs.location).toBe("us-central1");
    expect(gke.inputs.deletionProtection).toBe(true);
  });

  it("charges the keepers namespace to third-party integrations", () => {
    const keepers = ofType("kubernetes:core/v1:Namespace").find((n) => (n.inputs.metadata as any).name === "keepers");
    expect(keepers?.costTags).toMatchObject({ "budget-line": "third-party-integrations", workload: "keepers", environment: "prod" });
  });
});
