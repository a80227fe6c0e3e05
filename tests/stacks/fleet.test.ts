/** The Ethereum fleet across both stacks: diversity, platforms, protection of prod chain data, security invariants. */
import { Plan, PlannedResource } from "../../tools/plan/plan";
import { planOf } from "../helpers/estate";
import { USER_DATA_LIMIT_BYTES, decodeUserData, userDataBytes } from "../../components/ethereum-node/user-data";
import { findClient, imageRef } from "../../components/ethereum-node/clients";

let prod: Plan;
let staging: Plan;
beforeAll(async () => {
  prod = await planOf("prod");
  staging = await planOf("staging");
});

const nodes = (plan: Plan) => plan.resources.filter((r) => r.type === "estate:ethereum-node:EthereumNode");
const below = (plan: Plan, root: PlannedResource) => plan.resources.filter((r) => isDescendant(plan, r, root));
function isDescendant(plan: Plan, r: PlannedResource, root: PlannedResource): boolean {
  const byUrn = new Map(plan.resources.map((x) => [x.urn, x]));
  for (let p = r.parent; p; p = byUrn.get(p)?.parent ?? null) if (p === root.urn) return true;
  return false;
}
const images = (plan: Plan): string[] => {
  // AWS user data is base64, as the EC2 API takes it.
  const userData = plan.resources.map((r) => r.inputs.userData).filter((u): u is string => typeof u === "string").map(decodeUserData);
  const text = JSON.stringify(plan.resources.map((r) => r.inputs)) + userData.join("\n");
  return [...new Set([...text.matchAll(/(ethereum\/client-go|nethermind\/nethermind|erigontech\/erigon|paradigmxyz\/reth|hyperledger\/besu|sigp\/lighthouse|consensys\/teku|prysm\/beacon-chain|nimbus-eth2):/g)].map((m) => m[1]))].sort();
};

describe("the Ethereum fleet", () => {
  it("prod runs a diverse mainnet fleet: three execution and two consensus clients on two platforms, with an archive node", () => {
    expect(nodes(prod).map((n) => n.name).sort()).toEqual(["eth-mainnet-archive", "eth-mainnet-k8s", "eth-mainnet-rpc"]);
    expect(images(prod)).toEqual(["consensys/teku", "ethereum/client-go", "nethermind/nethermind", "paradigmxyz/reth", "sigp/lighthouse"]);
    const platforms = new Set(nodes(prod).map((n) => (below(prod, n).some((r) => r.type.startsWith("kubernetes:")) ? "kubernetes" : "aws")));
    expect(platforms).toEqual(new Set(["aws", "kubernetes"]));
    const archive = nodes(prod).find((n) => n.name === "eth-mainnet-archive")!;
    const [template] = below(prod, archive).filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
    const userData = decodeUserData(template.inputs.userData as string);
    expect(userData).toContain(imageRef(findClient("execution", "reth")!));
    expect(userData).toContain("--chain=mainnet");
    expect(userData).not.toContain("--full");
  });

  it("keeps each prod node pool's EC2 user data within 75% of the 16 KiB limit, gzip-compressed as cloud-init reads it", () => {
    const templates = prod.resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && typeof r.inputs.userData === "string");
    expect(templates.map((t) => t.name).sort()).toEqual(["eth-mainnet-archive-launch-template", "eth-mainnet-rpc-launch-template"]);
    for (const t of templates) {
      expect([t.name, userDataBytes(t.inputs.userData as string) <= 0.75 * USER_DATA_LIMIT_BYTES]).toEqual([t.name, true]);
      expect(decodeUserData(t.inputs.userData as string)).toMatch(/^#cloud-config\n/);
    }
  });

  it("staging runs a testnet node on GCP, so the two stacks exercise all three platforms", () => {
    const [node] = nodes(staging);
    expect(node.name).toBe("eth-hoodi-gcp");
    expect(below(staging, node).filter((r) => r.type === "gcp:compute/instance:Instance")).toHaveLength(1);
    expect(images(staging)).toEqual(["hyperledger/besu", "nimbus-eth2"]);
  });

  it("protects and retains prod chain data, and not staging's", () => {
    const volumes = prod.resources.filter((r) => r.type === "aws:ebs/volume:Volume");
    expect(volumes).toHaveLength(3);
    for (const v of volumes) expect([v.name, v.protect, v.retainOnDelete]).toEqual([v.name, true, true]);
    const statefulSet = prod.resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
    expect(statefulSet.retainOnDelete).toBe(true);
    expect((statefulSet.inputs.spec as any).persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    for (const d of staging.resources.filter((r) => r.type === "gcp:compute/disk:Disk")) expect([d.protect, d.retainOnDelete]).toEqual([false, false]);
  });

  it.each(["prod", "staging"])("%s: no JWT or other 32-byte hex secret in any input", (stack) => {
    const plan = stack === "prod" ? prod : staging;
    expect(JSON.stringify(plan.resources.map((r) => r.inputs))).not.toMatch(/(?<![0-9a-fA-F])(0x)?[0-9a-fA-F]{64}(?![0-9a-fA-F])/);
  });

  it("requires IMDSv2 on every launch template and encrypts every EBS volume", () => {
    for (const lt of prod.resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")) {
      expect([lt.name, (lt.inputs.metadataOptions as any)?.httpTokens]).toEqual([lt.name, "required"]);
    }
    for (const v of prod.resources.filter((r) => r.type === "aws:ebs/volume:Volume")) expect([v.name, v.inputs.encrypted]).toEqual([v.name, true]);
  });

  it("puts every pool behind an internal RPC front that only synced nodes join", () => {
    const lbs = prod.resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer");
    expect(lbs.map((lb) => [lb.inputs.internal, lb.inputs.loadBalancerType])).toEqual([
      [true, "network"],
      [true, "network"],
    ]);
    for (const tg of prod.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup")) {
      expect(tg.inputs.healthCheck).toMatchObject({ protocol: "HTTP", path: "/ready", port: "8590" });
    }
    const rpcService = prod.resources.find((r) => r.type === "kubernetes:core/v1:Service" && r.name === "eth-mainnet-k8s-rpc")!;
    expect((rpcService.inputs.spec as any).type ?? "ClusterIP").toBe("ClusterIP");
    const statefulSet = prod.resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
    const health = (statefulSet.inputs.spec as any).template.spec.containers.find((c: any) => c.name === "health");
    expect(health.readinessProbe.httpGet).toMatchObject({ path: "/ready", port: 8590 });
  });
});
