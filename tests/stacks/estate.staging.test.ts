import { Plan } from "../../tools/plan/plan";
import { describeEstateInvariants, planOf } from "../helpers/estate";

let plan: Plan;
beforeAll(async () => {
  plan = await planOf("staging");
});
const ofType = (type: string) => plan.resources.filter((r) => r.type === type);

describeEstateInvariants("staging", () => plan);

describe("stack staging: small and cheap", () => {
  it("uses one NAT gateway for its two zones", () => {
    expect(ofType("aws:ec2/subnet:Subnet")).toHaveLength(4);
    expect(ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
  });

  it("runs spot EKS nodes and a zonal GKE cluster without deletion protection", () => {
    expect(ofType("aws:eks/nodeGroup:NodeGroup").map((g) => g.inputs.capacityType)).toEqual(["SPOT"]);
    const [gke] = ofType("gcp:container/cluster:Cluster");
    expect(gke.inputs.location).toBe("us-central1-a");
    expect(gke.inputs.deletionProtection).toBe(false);
  });

  it("charges the GCP lab to R&D/POC and the shared platform to Infrastructure & Tools", () => {
    const line = (name: string) => plan.resources.find((r) => r.name === name)?.budgetLine;
    expect(line("k8s-lab-cluster")).toBe("rnd-poc");
    expect(line("net-lab-network")).toBe("rnd-poc");
    expect(line("net-main-vpc")).toBe("infrastructure-tools");
    expect(plan.budgetLines.map((l) => [l.id, l.monthlyCapDai])).toEqual([
      ["infrastructure-tools", 6000],
      ["rnd-poc", 2500],
    ]);
  });

  it("gives every workload its own labelled namespace", () => {
    const namespaces = ofType("kubernetes:core/v1:Namespace").map((n) => [(n.inputs.metadata as any).name, n.costTags?.workload]);
    expect(namespaces).toEqual(
      expect.arrayContaining([
        ["ethereum", "ethereum-node"],
        ["indexer", "indexer"],
        ["api", "api-services"],
        ["poc", "poc"],
      ]),
    );
  });
});
