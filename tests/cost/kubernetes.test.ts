/** Kubernetes workloads' share of the node cost they run on (by requests, as OpenCost does) and their volumes. */
import { estimateCosts } from "../../cost/estimate";
import { podRequests } from "../../cost/kubernetes";
import { CostInput } from "../../cost/model";
import { ResourceCost } from "../../cost/types";
import { AWS_PROVIDER, STACK, onAws, res } from "./helpers";

const EKS = "estate:cluster:EksCluster";
const GKE = "estate:cluster:GkeCluster";

/** A cluster component with a control plane, one node group or pool, its Kubernetes provider and storage classes. */
function cluster(kind: "eks" | "gke", nodes: Record<string, unknown>, more: (component: CostInput, provider: string) => CostInput[] = () => []): CostInput[] {
  const componentType = kind === "eks" ? EKS : GKE;
  const component = res(componentType, `k8s-${kind}`, {}, { custom: false });
  const child = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<CostInput> = {}) =>
    ({ ...res(type, name, inputs, extra), urn: `${STACK}::${componentType}$${type}::${name}`, parent: component.urn }) as CostInput;
  const provider = child("pulumi:providers:kubernetes", `k8s-${kind}-k8s`, { kubeconfig: "[secret]" });
  const providerRef = `${provider.urn}::k8s-${kind}-k8s-id`;
  if (kind === "eks") {
    const control = child("aws:eks/cluster:Cluster", "k8s-eks-cluster", { region: "us-east-1", upgradePolicy: { supportType: "STANDARD" } }, onAws);
    const template = child("aws:ec2/launchTemplate:LaunchTemplate", "k8s-eks-lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3" } }] }, onAws);
    const group = child("aws:eks/nodeGroup:NodeGroup", "k8s-eks-ng", { instanceTypes: ["m7g.large"], capacityType: "ON_DEMAND", ...nodes }, { ...onAws, dependencies: [control.urn, template.urn] });
    const gp3 = child("kubernetes:storage.k8s.io/v1:StorageClass", "k8s-eks-gp3", {
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3" },
    }, { provider: providerRef });
    return [AWS_PROVIDER, component, control, template, group, provider, gp3, ...more(component, providerRef)];
  }
  const control = child("gcp:container/cluster:Cluster", "k8s-gke-cluster", { location: "us-central1-a", removeDefaultNodePool: true });
  const pool = child("gcp:container/nodePool:NodePool", "k8s-gke-pool", { location: "us-central1-a", nodeConfig: { machineType: "n2-standard-4", diskSizeGb: 100 }, ...nodes }, { dependencies: [control.urn] });
  return [component, control, pool, provider, ...more(component, providerRef)];
}

const container = (cpu: string | undefined, memory: string | undefined) => ({ name: "c", resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } });
const statefulSet = (name: string, provider: string, replicas: number, containers: unknown[], claims: unknown[] = []) =>
  res("kubernetes:apps/v1:StatefulSet", name, { spec: { replicas, template: { spec: { containers } }, volumeClaimTemplates: claims } }, { provider });
const deployment = (name: string, provider: string, replicas: number, containers: unknown[]) =>
  res("kubernetes:apps/v1:Deployment", name, { spec: { replicas, template: { spec: { containers } } } }, { provider });
const claim = (storage: string, storageClassName?: string) => ({ metadata: { name: "data" }, spec: { resources: { requests: { storage } }, ...(storageClassName ? { storageClassName } : {}) } });

function costsOf(resources: CostInput[]): Map<string, ResourceCost> & { of(name: string): ResourceCost } {
  const costs = estimateCosts(resources) as Map<string, ResourceCost> & { of(name: string): ResourceCost };
  costs.of = (name) => costs.get(resources.find((r) => r.name === name)!.urn)!;
  return costs;
}
const sum = (costs: readonly ResourceCost[]) => Math.round(costs.reduce((n, c) => n + (c.monthlyUsd ?? 0), 0) * 100) / 100;

describe("node cost allocated to workloads by requests", () => {
  // 2 × m7g.large (2 vCPUs, 8 GiB each): 4 vCPUs and 16 GiB; 2 × 0.0816 × 730 + 2 × 50 GiB × 0.08 = 127.14 USD.
  const resources = cluster("eks", { scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 2 } }, (_c, provider) => [
    statefulSet("db", provider, 1, [container("1", "4Gi")], [claim("100Gi")]),
    deployment("api", provider, 2, [container("500m", "1Gi")]),
  ]);
  const costs = costsOf(resources);

  it("gives each workload half its CPU share plus half its memory share of the node group's cost", () => {
    // db: 0.5 × 1/4 + 0.5 × 4/16 = 0.25; api: 0.5 × 1/4 + 0.5 × 2/16 = 0.1875.
    expect(costs.of("db").costComponents.map((c) => [c.quantity, c.monthlyUsd, c.price])).toEqual([
      [100, 8, "aws-us-east-1.json#ebs.gp3.storage"],
      [0.25, 31.79, "allocation#k8s-eks-ng"],
    ]);
    expect(costs.of("db").costComponents[0].name).toBe("volume data × 1 replica (storage class gp3): 100 GiB gp3");
    expect(costs.of("api")).toEqual({
      monthlyUsd: 23.84,
      costComponents: [
        {
          name: "node cost share of k8s-eks-ng: 1 of 4 vCPUs and 2 of 16 GiB requested (2 × pod), half by CPU, half by memory",
          unit: "share",
          quantity: 0.1875,
          unitPriceUsd: 127.14,
          monthlyUsd: 23.84,
          price: "allocation#k8s-eks-ng",
        },
      ],
    });
  });

  it("leaves the idle remainder on the node group through one negative component, so the sums still add up", () => {
    const group = costs.of("k8s-eks-ng");
    expect(group.costComponents.at(-1)).toMatchObject({ monthlyUsd: -55.63, price: "allocation#requests", name: expect.stringContaining("allocated to 2 workloads") });
    expect(group.monthlyUsd).toBe(71.51);
    const nodeCost = group.costComponents.filter((c) => c.monthlyUsd > 0).reduce((n, c) => n + c.monthlyUsd, 0);
    const allocated = ["db", "api"].flatMap((n) => costs.of(n).costComponents.filter((c) => c.price.startsWith("allocation#"))).reduce((n, c) => n + c.monthlyUsd, 0);
    expect(Math.round((group.monthlyUsd! + allocated) * 100) / 100).toBe(Math.round(nodeCost * 100) / 100);
    // Nothing appears or vanishes: the whole estimate is the cluster's cost plus the volume.
    expect(sum([...costs.values()])).toBe(73 + 127.14 + 8);
  });

  it("scales the shares down to the whole cluster when requests exceed its capacity", () => {
    const over = costsOf(cluster("eks", { scalingConfig: { desiredSize: 1 } }, (_c, p) => [deployment("a", p, 3, [container("2", "8Gi")]), deployment("b", p, 1, [container("2", "8Gi")])]));
    expect([over.of("a").monthlyUsd, over.of("b").monthlyUsd, over.of("k8s-eks-ng").monthlyUsd]).toEqual([47.68, 15.89, 0]);
    expect(over.of("a").unpricedReason).toContain("request more than its capacity (400%)");
  });

  it("runs a DaemonSet's pod on every node and counts a workload without requests as no share", () => {
    const daemon = res("kubernetes:apps/v1:DaemonSet", "agent", { spec: { template: { spec: { containers: [container("500m", "512Mi")] } } } });
    const costs2 = costsOf(cluster("eks", { scalingConfig: { desiredSize: 2 } }, (_c, p) => [{ ...daemon, provider: p }, deployment("idle", p, 1, [{ name: "c" }])]));
    expect(costs2.of("agent").costComponents[0].name).toContain("1 of 4 vCPUs and 1 of 16 GiB requested (2 × pod)");
    expect(costs2.of("idle")).toEqual({ monthlyUsd: 0, costComponents: [], unpricedReason: "no CPU or memory requests: allocation by requests gives it none of the node cost" });
  });

  it("prices a claim without a class by the cluster's default: the EKS gp3 class, GKE's pd-balanced", () => {
    const gke = costsOf(cluster("gke", { initialNodeCount: 1 }, (_c, p) => [statefulSet("db", p, 2, [container("1", "4Gi")], [claim("200Gi")])]));
    expect(gke.of("db").costComponents[0]).toMatchObject({ name: "volume data × 2 replicas (storage class standard-rwo): 2 × 200 GiB pd-balanced", monthlyUsd: 40 });
    expect(gke.of("db").costComponents[1].price).toBe("allocation#k8s-gke-pool");
    const named = costsOf(cluster("gke", { initialNodeCount: 1 }, (_c, p) => [statefulSet("db", p, 1, [], [claim("100Gi", "premium-rwo")])]));
    expect(named.of("db").costComponents[0]).toMatchObject({ monthlyUsd: 17, price: "gcp-us-central1.json#disk.pd-ssd" });
    const unknownClass = costsOf(cluster("eks", { scalingConfig: { desiredSize: 1 } }, (_c, p) => [statefulSet("db", p, 1, [container("1", "1Gi")], [claim("100Gi", "io2-fast")])]));
    expect(unknownClass.of("db").unpricedReason).toBe("volume data × 1 replica: storage class io2-fast of cluster k8s-eks is not one the estimator can price");
    const pvc = res("kubernetes:core/v1:PersistentVolumeClaim", "scratch", { spec: { resources: { requests: { storage: "50Gi" } } } });
    const withPvc = costsOf(cluster("eks", { scalingConfig: { desiredSize: 1 } }, (_c, p) => [{ ...pvc, provider: p }]));
    expect(withPvc.of("scratch").monthlyUsd).toBe(4);
  });

  it("says why it cannot allocate: no provider, or a cluster whose nodes are not in the stack", () => {
    const orphan = deployment("orphan", "", 1, [container("1", "1Gi")]);
    expect(costsOf([{ ...orphan, provider: undefined }]).of("orphan")).toEqual({
      monthlyUsd: null,
      costComponents: [],
      unpricedReason: "node cost not allocated: it names no Kubernetes provider, so the cluster it runs on is not in this stack",
    });
    const existing = res("estate:cluster:ExistingCluster", "onprem", {}, { custom: false });
    const provider = { ...res("pulumi:providers:kubernetes", "onprem-k8s", {}), parent: existing.urn };
    const onExisting = deployment("app", `${provider.urn}::id`, 1, [container("1", "1Gi")]);
    expect(costsOf([existing, provider, onExisting]).of("app").unpricedReason).toBe("node cost not allocated: cluster onprem has no node groups in this stack");
  });

  it("reads requests as the scheduler does: limits stand in for missing requests; init containers count when larger", () => {
    expect(podRequests({ containers: [{ resources: { limits: { cpu: "2", memory: "1G" } } }, { resources: { requests: { cpu: "250m", memory: "256Mi" } } }] })).toEqual({
      cpu: 2.25,
      memoryGiB: 1e9 / 2 ** 30 + 0.25,
    });
    expect(podRequests({ containers: [container("1", "1Gi")], initContainers: [container("3", "512Mi")] })).toEqual({ cpu: 3, memoryGiB: 1 });
    expect(podRequests("nonsense")).toEqual({ cpu: 0, memoryGiB: 0 });
  });
});
