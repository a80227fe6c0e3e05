/**
 * Kubernetes: what workloads cost on the nodes the stack creates, before deploy.
 *
 * - A workload's persistent volumes (StatefulSet volumeClaimTemplates × replicas, PersistentVolumeClaims) are priced
 *   as the disks their storage class provisions, provisioned IOPS and throughput included: the class named, else the
 *   cluster's default class (the EKS component's `gp3`; on GKE, `standard-rwo`: pd-balanced). A claim a StatefulSet
 *   adopts (named as its template would name it) is priced once, with the StatefulSet.
 * - Node cost is allocated to workloads by their requests, as OpenCost does: a workload's share of the cluster is
 *   half its share of the cluster's vCPUs plus half its share of its memory (requests × replicas over the node
 *   groups' capacity at creation; a container without requests gets its limits, which is what Kubernetes requests;
 *   init containers count as the scheduler counts them). Each node group or pool passes that share of its own cost
 *   to each workload and keeps the rest (idle capacity) through one negative "allocated to workloads" component, so
 *   per-resource and per-line sums still add up to what the clusters cost. When requests exceed the capacity, the
 *   shares are scaled down to the whole.
 */
import { addEbs, type Pricer } from "./aws";
import { addDisk } from "./gcp";
import { Bill, CostInput, FREE, PricingContext, awsTable, gcpTable, unpriced } from "./model";
import { asArray, asCount, asObject, asString, at, cents, quantityCores, quantityGiB } from "./read";
import { CostComponent, RegionGap, ResourceCost } from "./types";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
export const NODE_TYPES = ["aws:eks/nodeGroup:NodeGroup", "gcp:container/nodePool:NodePool"];
/** Workloads that hold requests for as long as they exist, and where their pod spec is. */
export const WORKLOAD_POD_SPEC: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:Deployment": "spec.template.spec",
  "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
  "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
  "kubernetes:apps/v1:ReplicaSet": "spec.template.spec",
  "kubernetes:core/v1:Pod": "spec",
};

/**
 * A Helm release runs pods too: the charts the estate installs take their pods' `resources` and `replicaCount` in
 * their values (the common chart convention), and a release that sets them is charged like a Deployment.
 */
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** Whether `r` holds requests on the cluster's nodes for as long as it exists. */
const isWorkload = (r: CostInput): boolean => r.type in WORKLOAD_POD_SPEC || (r.type === HELM_RELEASE && at(r.inputs, "values.resources") !== undefined);

/** The pod spec of a workload: its own, or for a Helm release one container with the values' resources. */
const podSpecOf = (r: CostInput): unknown =>
  r.type === HELM_RELEASE ? { containers: [{ resources: at(r.inputs, "values.resources") }] } : at(r.inputs, WORKLOAD_POD_SPEC[r.type]);

interface Cluster {
  readonly component: CostInput;
  readonly provider: CostInput;
  readonly kind: "eks" | "gke" | "other";
  /** The EKS or GKE cluster resource. */
  readonly resource?: CostInput;
}

/** The cluster a Kubernetes resource runs on: the component its provider belongs to. */
export function clusterOf(r: CostInput, ctx: PricingContext): Cluster | { reason: string } {
  if (!r.provider) return { reason: "it names no Kubernetes provider, so the cluster it runs on is not in this stack" };
  const provider = ctx.index.providerOf(r);
  if (!provider) return { reason: `its provider (${r.provider}) is not among the stack's resources` };
  const component = ctx.index.get(provider.parent);
  if (!component || component.type.startsWith("pulumi:pulumi:")) return { reason: `its provider ${provider.name} belongs to no cluster component of this stack` };
  const below = ctx.index.descendantsOf(component.urn);
  const eks = below.find((d) => d.type === "aws:eks/cluster:Cluster");
  const gke = below.find((d) => d.type === "gcp:container/cluster:Cluster");
  return { component, provider, kind: eks ? "eks" : gke ? "gke" : "other", resource: eks ?? gke };
}

/** GKE's built-in classes, by the disk they provision. */
const GKE_CLASSES: Readonly<Record<string, string>> = { "standard-rwo": "pd-balanced", "premium-rwo": "pd-ssd", standard: "pd-standard" };

/** Adds `count` volumes of `sizeGiB` of storage class `className` (default: the cluster's) to `bill`. */
function addClaim(bill: Bill, ctx: PricingContext, cluster: Cluster, className: string | undefined, sizeGiB: number | undefined, count: number, label: string): void {
  if (sizeGiB === undefined) {
    bill.note(`${label}: no storage request, unpriced`);
    return;
  }
  const classes = ctx.index.resources.filter((c) => c.type === STORAGE_CLASS && ctx.index.providerOf(c)?.urn === cluster.provider.urn);
  const named = className === undefined ? classes.find((c) => asObject(at(c.inputs, "metadata.annotations"))?.["storageclass.kubernetes.io/is-default-class"] === "true") : classes.find((c) => at(c.inputs, "metadata.name") === className);
  const chosen = className ?? (named ? asString(at(named.inputs, "metadata.name")) : cluster.kind === "gke" ? "standard-rwo" : undefined);
  const provisioner = asString(named?.inputs.provisioner);
  const parameters = asObject(named?.inputs.parameters) ?? {};
  if (cluster.kind === "eks" && cluster.resource && (provisioner === "ebs.csi.aws.com" || provisioner === "kubernetes.io/aws-ebs")) {
    const type = asString(parameters.type) ?? (provisioner === "ebs.csi.aws.com" ? "gp3" : "gp2");
    const spec = { type, sizeGiB, iops: asCount(parameters.iops), throughputMBps: asCount(parameters.throughput) };
    addEbs(bill, awsTable(cluster.resource, ctx), spec, count, `${label} (storage class ${chosen})`);
    return;
  }
  if (cluster.kind === "gke" && cluster.resource) {
    const builtIn = named ? undefined : GKE_CLASSES[chosen ?? ""];
    if (named && parameters["replication-type"] === "regional-pd") {
      bill.note(`${label}: regional persistent disks are not in the price tables`);
      return;
    }
    const diskType = builtIn ?? (provisioner === "pd.csi.storage.gke.io" || provisioner === "kubernetes.io/gce-pd" ? (asString(parameters.type) ?? "pd-standard") : undefined);
    if (diskType) {
      addDisk(bill, gcpTable(cluster.resource, ctx, asString(cluster.resource.inputs.location)), diskType, sizeGiB, count, `${label} (storage class ${chosen})`);
      return;
    }
  }
  bill.note(`${label}: storage class ${chosen ?? "(the cluster's default)"} of cluster ${cluster.component.name} is not one the estimator can price`);
}

function claimSize(claim: unknown): number | undefined {
  return quantityGiB(at(claim, "spec.resources.requests.storage"));
}

/**
 * The StatefulSet whose claim template names this claim (`<template>-<statefulset>-<ordinal>`, ordinal below its
 * replicas) on the same cluster: it adopts the claim, and its templates price it.
 */
function adoptingStatefulSet(r: CostInput, ctx: PricingContext): CostInput | undefined {
  const name = asString(at(r.inputs, "metadata.name"));
  if (name === undefined) return undefined;
  return ctx.index.resources.find((s) => {
    if (s.type !== "kubernetes:apps/v1:StatefulSet" || s.provider !== r.provider) return false;
    const sts = asString(at(s.inputs, "metadata.name"));
    const replicas = asCount(at(s.inputs, "spec.replicas")) ?? 1;
    return asArray(at(s.inputs, "spec.volumeClaimTemplates")).some((t) => {
      const prefix = `${asString(at(t, "metadata.name"))}-${sts}-`;
      const ordinal = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
      return Number.isInteger(ordinal) && ordinal >= 0 && ordinal < replicas;
    });
  });
}

const persistentVolumeClaim: Pricer = (r, ctx) => {
  const cluster = clusterOf(r, ctx);
  if ("reason" in cluster) return unpriced(`a persistent volume on an unknown cluster: ${cluster.reason}`);
  const adopter = adoptingStatefulSet(r, ctx);
  // Priced once: with the StatefulSet whose pod mounts it.
  if (adopter) return FREE;
  const bill = new Bill();
  addClaim(bill, ctx, cluster, asString(at(r.inputs, "spec.storageClassName")), claimSize(r.inputs), 1, "volume");
  return bill.cost();
};

const HPA_TYPES = ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:autoscaling/v1:HorizontalPodAutoscaler"];

/**
 * Replicas a workload runs at creation (a DaemonSet's come from its cluster's node count, at allocation): those it
 * declares (default 1), kept within the bounds of a HorizontalPodAutoscaler that targets it (one depending on it),
 * which raises a workload without `replicas` to its minimum.
 */
function replicasOf(r: CostInput, ctx: PricingContext): number {
  if (r.type === "kubernetes:core/v1:Pod") return 1;
  if (r.type === HELM_RELEASE) return asCount(at(r.inputs, "values.replicaCount")) ?? 1;
  const declared = asCount(at(r.inputs, "spec.replicas")) ?? 1;
  const hpa = HPA_TYPES.flatMap((type) => ctx.index.dependentsOf(r, type))[0];
  const min = asCount(at(hpa?.inputs, "spec.minReplicas")) ?? (hpa ? 1 : undefined);
  const max = asCount(at(hpa?.inputs, "spec.maxReplicas"));
  return Math.min(Math.max(declared, min ?? 0), max ?? Number.POSITIVE_INFINITY);
}

/** First pass: the workload's own volumes; its node share is added when node costs are allocated. */
const workload: Pricer = (r, ctx) => {
  const templates = asArray(at(r.inputs, "spec.volumeClaimTemplates"));
  if (templates.length === 0) return FREE;
  const cluster = clusterOf(r, ctx);
  if ("reason" in cluster) return unpriced(`its persistent volumes are on an unknown cluster: ${cluster.reason}`);
  const bill = new Bill();
  const replicas = replicasOf(r, ctx);
  for (const claim of templates) {
    const name = asString(at(claim, "metadata.name")) ?? "claim";
    addClaim(bill, ctx, cluster, asString(at(claim, "spec.storageClassName")), claimSize(claim), replicas, `volume ${name} × ${replicas} replica${replicas === 1 ? "" : "s"}`);
  }
  return bill.cost();
};

/** The AWS Load Balancer Controller's class for an NLB (components/ethereum-node/kubernetes.ts asks for it). */
const EKS_NLB_CLASS = "service.k8s.aws/nlb";

const service: Pricer = (r, ctx) => {
  if (at(r.inputs, "spec.type") !== "LoadBalancer") return FREE;
  const cluster = clusterOf(r, ctx);
  if (at(r.inputs, "spec.loadBalancerClass") === EKS_NLB_CLASS && !("reason" in cluster) && cluster.kind === "eks" && cluster.resource) {
    // The controller makes one NLB per Service: its hours are known, its capacity units and addresses are not.
    const t = awsTable(cluster.resource, ctx);
    if (t.missing) return unpriced(t.missing);
    const bill = new Bill().hourly("network load balancer hours (AWS Load Balancer Controller)", 1, t.need("elb.network.hour"));
    bill.note(`capacity units (LCU) unpriced: usage-based (${t.rate("elb.network.lcu")})`);
    bill.note("public IPv4 addresses: one per zone the controller picks, unpriced");
    return bill.cost();
  }
  return unpriced("a LoadBalancer Service makes the cluster create a cloud load balancer outside this plan; its hours and traffic are not priced here");
};

export const KUBERNETES_PRICERS: Readonly<Record<string, Pricer>> = {
  "kubernetes:core/v1:Service": service,
  "kubernetes:core/v1:PersistentVolumeClaim": persistentVolumeClaim,
  ...Object.fromEntries(Object.keys(WORKLOAD_POD_SPEC).map((type) => [type, workload])),
};

/** CPU cores and memory GiB one pod requests: the sum of its containers, or its largest init container if more. */
export function podRequests(podSpec: unknown): { cpu: number; memoryGiB: number } {
  const request = (container: unknown) => ({
    cpu: quantityCores(at(container, "resources.requests.cpu") ?? at(container, "resources.limits.cpu")) ?? 0,
    memoryGiB: quantityGiB(at(container, "resources.requests.memory") ?? at(container, "resources.limits.memory")) ?? 0,
  });
  const app = asArray(at(podSpec, "containers")).map(request);
  const init = asArray(at(podSpec, "initContainers")).map(request);
  const sum = (key: "cpu" | "memoryGiB") => app.reduce((n, c) => n + c[key], 0);
  const max = (key: "cpu" | "memoryGiB") => init.reduce((n, c) => Math.max(n, c[key]), 0);
  return { cpu: Math.max(sum("cpu"), max("cpu")), memoryGiB: Math.max(sum("memoryGiB"), max("memoryGiB")) };
}

/**
 * `cost` with more components and notes; `failed`: the notes say a part that costs money could not be priced;
 * `gap`: that part is missing because its region has no price table (the cost's own gap is kept).
 */
function merged(cost: ResourceCost | undefined, extra: readonly CostComponent[], notes: readonly string[], failed = false, gap?: RegionGap): ResourceCost {
  const components = [...(cost?.costComponents ?? []), ...extra];
  const reasons = [...(cost?.unpricedReason ? [cost.unpricedReason] : []), ...notes];
  const regionGap = cost?.regionGap ?? gap;
  const nothingPriced = components.length === 0 && (cost?.monthlyUsd === null || failed);
  if (nothingPriced) return unpriced(reasons.join("; ") || "unpriced", regionGap);
  const monthlyUsd = cents(components.reduce((n, c) => n + c.monthlyUsd, 0));
  const withGap = regionGap ? { regionGap } : {};
  return reasons.length > 0 ? { monthlyUsd, costComponents: components, unpricedReason: reasons.join("; "), ...withGap } : { monthlyUsd, costComponents: components };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => round(n, 2).toLocaleString("en-US");

/**
 * Second pass: each cluster's node cost to its workloads by requests (see the file's comment); updates `costs`
 * in place, for the workloads and the node groups and pools.
 */
export function allocateNodeCosts(costs: Map<string, ResourceCost>, ctx: PricingContext): void {
  const byCluster = new Map<string, { cluster: Cluster; workloads: CostInput[] }>();
  for (const w of ctx.index.resources.filter(isWorkload)) {
    const cluster = clusterOf(w, ctx);
    if ("reason" in cluster) {
      costs.set(w.urn, merged(costs.get(w.urn), [], [`node cost not allocated: ${cluster.reason}`], true));
      continue;
    }
    const entry = byCluster.get(cluster.component.urn) ?? { cluster, workloads: [] };
    entry.workloads.push(w);
    byCluster.set(cluster.component.urn, entry);
  }

  for (const { cluster, workloads } of byCluster.values()) {
    const groups = ctx.index.descendantsOf(cluster.component.urn).filter((d) => NODE_TYPES.includes(d.type));
    const priced = groups.filter((g) => typeof costs.get(g.urn)?.monthlyUsd === "number" && ctx.nodeCapacity.has(g.urn));
    const skipped = groups.filter((g) => !priced.includes(g)).map((g) => g.name);
    const capacity = priced.map((g) => ({ group: g, cost: costs.get(g.urn)!.monthlyUsd as number, ...ctx.nodeCapacity.get(g.urn)! }));
    const nodes = capacity.reduce((n, c) => n + c.nodes, 0);
    const cpu = capacity.reduce((n, c) => n + c.nodes * c.vcpu, 0);
    const memory = capacity.reduce((n, c) => n + c.nodes * c.memoryGiB, 0);
    const skippedNote = skipped.length > 0 ? [`node cost of ${skipped.join(", ")} (unpriced) not allocated`] : [];
    // A node group unpriced for want of its region's table leaves its workloads' share unknown for the same reason.
    const gap = groups.flatMap((g) => (priced.includes(g) ? [] : (costs.get(g.urn)?.regionGap ?? [])))[0];
    if (cpu <= 0 || memory <= 0) {
      const why = groups.length === 0 ? `cluster ${cluster.component.name} has no node groups in this stack` : `cluster ${cluster.component.name} has no priced node capacity at creation`;
      for (const w of workloads) costs.set(w.urn, merged(costs.get(w.urn), [], [`node cost not allocated: ${why}`], true, gap));
      continue;
    }

    const requests = workloads.map((w) => {
      const pod = podRequests(podSpecOf(w));
      const replicas = w.type === "kubernetes:apps/v1:DaemonSet" ? nodes : replicasOf(w, ctx);
      return { w, replicas, cpu: pod.cpu * replicas, memoryGiB: pod.memoryGiB * replicas };
    });
    const raw = requests.map((q) => 0.5 * (q.cpu / cpu) + 0.5 * (q.memoryGiB / memory));
    const total = raw.reduce((n, s) => n + s, 0);
    const scale = total > 1 ? 1 / total : 1;
    const passedOn = new Map<string, number>(capacity.map((c) => [c.group.urn, 0]));

    requests.forEach((q, i) => {
      const share = raw[i] * scale;
      const notes = [...skippedNote];
      if (share === 0) notes.push("no CPU or memory requests: allocation by requests gives it none of the node cost");
      if (scale < 1) notes.push(`the cluster's workloads request more than its capacity (${fmt(total * 100)}%): shares scaled down to the whole`);
      const components = share === 0 ? [] : capacity.map((c): CostComponent => {
        const monthlyUsd = cents(share * c.cost);
        passedOn.set(c.group.urn, cents(passedOn.get(c.group.urn)! + monthlyUsd));
        return {
          name: `node cost share of ${c.group.name}: ${fmt(q.cpu)} of ${fmt(cpu)} vCPUs and ${fmt(q.memoryGiB)} of ${fmt(memory)} GiB requested (${q.replicas} × pod), half by CPU, half by memory`,
          unit: "share",
          quantity: round(share, 6),
          unitPriceUsd: c.cost,
          monthlyUsd,
          price: `allocation#${c.group.name}`,
        };
      });
      costs.set(q.w.urn, merged(costs.get(q.w.urn), components, notes, false, skipped.length > 0 ? gap : undefined));
    });

    for (const c of capacity) {
      const given = passedOn.get(c.group.urn)!;
      if (given === 0) continue;
      const component: CostComponent = {
        name: `allocated to ${workloads.length} workload${workloads.length === 1 ? "" : "s"} of cluster ${cluster.component.name} by their requests; the rest is idle capacity`,
        unit: "share",
        quantity: -round(given / c.cost, 6),
        unitPriceUsd: c.cost,
        monthlyUsd: -given,
        price: "allocation#requests",
      };
      costs.set(c.group.urn, merged(costs.get(c.group.urn), [component], []));
    }
  }
}
