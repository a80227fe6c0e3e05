/** Chain data of Kubernetes pools: a StorageClass per performance class, claims that grow in place, daily snapshots. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { costTags } from "../../../components/tagging";
import { findClient } from "../../../components/ethereum-node/clients";
import { nodeContainers, nodePorts, shutdownGraceSeconds } from "../../../components/ethereum-node/containers";
import { buildKubernetesNodePool, kubernetesPlacementProblems, KubernetesPlacement } from "../../../components/ethereum-node/kubernetes";
import { SNAPSHOT_SCHEDULE, claimName } from "../../../components/ethereum-node/kubernetes-storage";
import { DATA_ROOT, JWT_PATH, NodePoolPlan } from "../../../components/ethereum-node/plan";
import { recommendedSize } from "../../../components/ethereum-node/sizing";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { planOf } from "../../helpers/estate";
import { named } from "../cluster/fixtures";

const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "ethereum-node", owner: "techops" });
const HEALTH_SCRIPT = fs.readFileSync(path.resolve(__dirname, "../../../components/ethereum-node/health/sync-health.js"), "utf8");

function plan(diskGiB?: number): NodePoolPlan {
  const el = findClient("execution", "nethermind")!;
  const cl = findClient("consensus", "teku")!;
  const containers = nodeContainers({ pool: "main", chain: "mainnet", mode: "full", execution: el, consensus: cl, dataRoot: DATA_ROOT, jwtPath: JWT_PATH, checkpointSyncUrl: "https://c.example" });
  const size = recommendedSize(el, cl, "mainnet", "full")!;
  return {
    pool: "main",
    chain: "mainnet",
    mode: "full",
    count: 2,
    containers,
    ports: nodePorts(containers),
    size: { ...size, diskGiB: diskGiB ?? size.diskGiB },
    shutdownGraceSeconds: shutdownGraceSeconds(containers),
    healthScript: HEALTH_SCRIPT,
    tags: TAGS,
    protectData: true,
  };
}

class Pool extends pulumi.ComponentResource {
  constructor(name: string, p: NodePoolPlan, placement: Omit<KubernetesPlacement, "kind">) {
    super("estate:ethereum-node:EthereumNode", name, {}, {});
    buildKubernetesNodePool(this, name, p, { kind: "kubernetes", ...placement });
    this.registerOutputs({ costTags: p.tags });
  }
}

async function render(diskGiB?: number): Promise<RecordedResource[]> {
  const { resources } = await recordResources(() => {
    const eks = new k8s.Provider("eks", { kubeconfig: "{}" });
    const gke = new k8s.Provider("gke", { kubeconfig: "{}" });
    new Pool("eth-eks", plan(diskGiB), { provider: eks, namespace: "ethereum", p2pService: "LoadBalancer", cluster: "eks" });
    new Pool("eth-gke", plan(diskGiB), { provider: gke, namespace: "ethereum", p2pService: "NodePort", cluster: "gke" });
  });
  return resources;
}

let resources: RecordedResource[];
beforeAll(async () => {
  resources = await render();
});
const inputs = (name: string): any => named(resources, name).inputs;

describe("storage classes", () => {
  it("gives an EKS pool a gp3 class with the catalog's IOPS and throughput, expandable and retained", () => {
    const size = plan().size;
    expect(size.iops).toBe(10000);
    expect(inputs("eth-eks-data")).toMatchObject({
      metadata: { name: "eth-eks-data" },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", iops: "10000", throughput: String(size.throughputMBps), encrypted: "true" },
      allowVolumeExpansion: true,
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
    });
    // The pool's cost tags reach its EBS volumes.
    expect(Object.values(inputs("eth-eks-data").parameters)).toContain("budget-line=infrastructure-tools");
    expect(inputs("eth-eks-statefulset").spec.volumeClaimTemplates[0].spec.storageClassName).toBe("eth-eks-data");
  });

  it("gives a GKE pool a pd-ssd class, labelled with its cost tags", () => {
    expect(inputs("eth-gke-data")).toMatchObject({ provisioner: "pd.csi.storage.gke.io", parameters: { type: "pd-ssd" }, allowVolumeExpansion: true, reclaimPolicy: "Retain" });
    expect(inputs("eth-gke-data").parameters.labels).toContain("budget-line=infrastructure-tools");
  });

  it("refuses IOPS or throughput gp3 cannot provision, naming the argument", () => {
    const tooMuch = { ...plan(), size: { ...plan().size, iops: 3000, throughputMBps: 1000 } };
    const placement: KubernetesPlacement = { kind: "kubernetes", provider: undefined as never, namespace: "ethereum", p2pService: "NodePort", cluster: "eks" };
    expect(kubernetesPlacementProblems("eth", tooMuch, placement).join("; ")).toContain("plan.size.throughputMBps: 1000 exceeds gp3's 0.25 MiB/s per IOPS of 3000 IOPS");
    expect(kubernetesPlacementProblems("eth", tooMuch, { ...placement, storageClassName: "mine" })).toEqual([]);
  });

  it("prices the provisioned IOPS and throughput of the prod pool's volumes once, with the StatefulSet", async () => {
    const prod = await planOf("prod");
    const sts = prod.resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.name === "eth-mainnet-k8s-statefulset")!;
    const parts = sts.costComponents.map((c) => [c.unit, c.quantity, c.monthlyUsd]);
    expect(parts).toEqual(expect.arrayContaining([["IOPS-months", 10000 - 3000, 35], ["MBps-months", 500 - 125, 15]]));
    const claims = prod.resources.filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim" && r.name.startsWith("eth-mainnet-k8s-data-"));
    expect(claims.length).toBeGreaterThan(0);
    for (const c of claims) expect([c.name, c.monthlyUsd]).toEqual([c.name, 0]);
  });
});

describe("growing a disk", () => {
  it("claims each pod's volume as a protected, retained resource the StatefulSet adopts by name", () => {
    for (const pool of ["eth-eks", "eth-gke"]) {
      for (const i of [0, 1]) {
        const claim = named(resources, `${pool}-data-${i}`) as RecordedResource & { inputs: any };
        expect(claim.inputs.metadata.name).toBe(claimName(pool, i));
        expect(claim.inputs.metadata.name).toBe(`${inputs(`${pool}-statefulset`).spec.volumeClaimTemplates[0].metadata.name}-${pool}-${i}`);
        expect(claim.inputs.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: `${pool}-data`, resources: { requests: { storage: `${plan().size.diskGiB}Gi` } } });
        expect([claim.protect, claim.retainOnDelete]).toEqual([true, true]);
        expect(named(resources, `${pool}-statefulset`).dependencies).toContain(claim.urn);
      }
    }
  });

  it("changes only the claims' requests when the disk grows; the StatefulSet ignores its templates, so it is never replaced", async () => {
    const bigger = await render(plan().size.diskGiB + 500);
    const sts = (rs: RecordedResource[]) => named(rs, "eth-eks-statefulset");
    expect(sts(bigger).ignoreChanges).toEqual(["spec.volumeClaimTemplates"]);
    expect((named(bigger, "eth-eks-data-0").inputs as any).spec.resources.requests.storage).toBe(`${plan().size.diskGiB + 500}Gi`);
    // Everything else the StatefulSet declares is unchanged.
    const withoutTemplates = (r: RecordedResource) => ({ ...r.inputs, spec: { ...(r.inputs.spec as object), volumeClaimTemplates: undefined } });
    expect(withoutTemplates(sts(bigger))).toEqual(withoutTemplates(sts(resources)));
    expect(named(bigger, "eth-eks-data").inputs).toEqual(inputs("eth-eks-data"));
  });
});

describe("snapshots", () => {
  it("snapshots every claim daily with a class of the cluster's CSI driver, seven kept", () => {
    expect(inputs("eth-eks-snapshot-class")).toMatchObject({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", driver: "ebs.csi.aws.com", deletionPolicy: "Delete" });
    expect(inputs("eth-gke-snapshot-class")).toMatchObject({ driver: "pd.csi.storage.gke.io" });
    const job = inputs("eth-eks-snapshots");
    expect(job.spec).toMatchObject({ schedule: SNAPSHOT_SCHEDULE, concurrencyPolicy: "Forbid", timeZone: "Etc/UTC" });
    const pod = job.spec.jobTemplate.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({ SNAPSHOT_CLASS: "eth-eks-snapshots", KEEP: "7", SELECTOR: "app.kubernetes.io/name=ethereum-node,app.kubernetes.io/instance=eth-eks" });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    // Its pods are not the pool's: no Service, NetworkPolicy or disruption budget of the pool selects them.
    expect(job.spec.jobTemplate.spec.template.metadata.labels["app.kubernetes.io/instance"]).toBe("eth-eks");
    expect(job.spec.jobTemplate.spec.template.metadata.labels["app.kubernetes.io/component"]).toBe("snapshots");
  });

  it("lets the job list claims and manage snapshots in its namespace, nothing else", () => {
    expect(inputs("eth-eks-snapshots-role").rules).toEqual([
      { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["get", "list"] },
      { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["create", "get", "list", "delete"] },
    ]);
    expect(inputs("eth-eks-snapshots-binding").subjects).toEqual([{ kind: "ServiceAccount", name: "eth-eks-snapshots", namespace: "ethereum" }]);
  });
});
