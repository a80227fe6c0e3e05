/** Prices of the GCP resource types the estate creates that cost money, from cost/prices/gcp-<region>.json. */
import type { Pricer } from "./aws";
import { Bill, CostInput, FREE, PricingContext, TableLookup, gcpTable, isGcpZone, unpriced } from "./model";
import { toPrice } from "./prices";
import { asArray, asCount, asObject, asString, at, isTrue } from "./read";
import { addIdleStopSaving } from "./schedule";

/** Zones a regional GKE node pool spreads over when it names none (GKE's default). */
export const GKE_DEFAULT_REGIONAL_ZONES = 3;

export interface MachineShape {
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** One machine's hourly rate and the price entries it comes from. */
  readonly hourly?: { readonly usd: number; readonly ref: string };
}

/**
 * `count` machines of `machineType` into `bill`: a type listed in `machineTypes` at its price, a predefined type of a
 * family in `machineFamilies` (`n2-standard-4`) at the family's vCPU and memory rates; else a reason.
 */
export function addMachine(bill: Bill, t: TableLookup, machineType: string, count: number, label: string): MachineShape | { reason: string } {
  if (t.missing) return { reason: t.missing };
  const table = t.table!;
  const listed = table.machineTypes?.[machineType];
  if (listed?.usd !== undefined) {
    const price = toPrice(table, `machineTypes.${machineType}`, listed);
    bill.hourly(`${label}: ${count === 1 ? "" : `${count} × `}${machineType}`, count, price);
    return { vcpu: listed.vcpu ?? 0, memoryGiB: listed.memoryGiB ?? 0, hourly: { usd: price.usd, ref: price.ref } };
  }
  const match = /^([a-z0-9]+)-([a-z]+)-(\d+)$/.exec(machineType);
  const family = match ? table.machineFamilies?.[match[1]] : undefined;
  const perVcpu = match && family ? family.memoryPerVcpu[match[2]] : undefined;
  const vcpu = match ? Number(match[3]) : NaN;
  if (!match || !family || perVcpu === undefined || !family.vcpuCounts.includes(vcpu)) {
    return { reason: `machine type ${machineType} is not in ${table.file} (neither listed nor a predefined type of a family it prices)` };
  }
  const memory = vcpu * perVcpu;
  const each = count === 1 ? "" : `${count} × `;
  const vcpuPrice = toPrice(table, `machineFamilies.${match[1]}.vcpu`, family.vcpu);
  const memoryPrice = toPrice(table, `machineFamilies.${match[1]}.memory`, family.memory);
  bill.add(`${label}: ${each}${machineType}, ${vcpu} vCPUs`, "vCPU-hours", count * vcpu * 730, vcpuPrice);
  bill.add(`${label}: ${each}${machineType}, ${memory} GB memory`, "GB-hours", count * memory * 730, memoryPrice);
  return { vcpu, memoryGiB: memory, hourly: { usd: vcpu * vcpuPrice.usd + memory * memoryPrice.usd, ref: `${vcpuPrice.ref} + ${memoryPrice.ref}` } };
}

/** `count` persistent disks into `bill`, or a note when the type or size is not known. */
export function addDisk(bill: Bill, t: TableLookup, type: string, sizeGiB: number | undefined, count: number, label: string): void {
  if (t.missing) {
    bill.noTable(t, label);
    return;
  }
  const price = t.price(`disk.${type}`);
  if (!price) {
    bill.note(`${label}: disk type ${type} is not in the price tables`);
    return;
  }
  if (sizeGiB === undefined) {
    bill.note(`${label}: size not set (the image's or snapshot's size), unpriced`);
    return;
  }
  bill.add(`${label}: ${count === 1 ? "" : `${count} × `}${sizeGiB} GiB ${type}`, "GiB-months", count * sizeGiB, price);
}

function spotLabel(spot: boolean): string {
  return spot ? "spot: priced at the on-demand rate as an upper bound" : "on-demand";
}

const instance: Pricer = (r, ctx) => {
  const t = gcpTable(r, ctx);
  if (t.missing) return t.unpriced();
  const machineType = asString(r.inputs.machineType);
  if (!machineType) return unpriced("no machineType");
  const spot = at(r.inputs, "scheduling.provisioningModel") === "SPOT" || isTrue(at(r.inputs, "scheduling.preemptible"));
  const bill = new Bill();
  const shape = addMachine(bill, t, machineType, 1, `VM hours (${spotLabel(spot)})`);
  if ("reason" in shape) return unpriced(shape.reason);
  if (shape.hourly) addIdleStopSaving(bill, r, ctx, shape.hourly);
  const boot = asObject(at(r.inputs, "bootDisk.initializeParams"));
  if (boot || !asString(at(r.inputs, "bootDisk.source"))) addDisk(bill, t, asString(boot?.type) ?? "pd-standard", asCount(boot?.size), 1, "boot disk");
  if (asArray(r.inputs.scratchDisks).length > 0) bill.note("local SSD scratch disks are not in the price tables");
  const addresses = asArray(r.inputs.networkInterfaces).reduce<number>((n, nic) => n + asArray(at(nic, "accessConfigs")).length, 0);
  if (addresses > 0) bill.hourly(`external IPv4 address${addresses === 1 ? "" : `es: ${addresses}`} (in use on a standard VM)`, addresses, t.need("externalIpv4.standardVm"));
  return bill.cost();
};

const disk: Pricer = (r, ctx) => {
  const t = gcpTable(r, ctx);
  if (t.missing) return t.unpriced();
  const bill = new Bill();
  addDisk(bill, t, asString(r.inputs.type) ?? "pd-standard", asCount(r.inputs.size), 1, "disk");
  return bill.cost();
};

const cluster: Pricer = (r, ctx) => {
  const t = gcpTable(r, ctx);
  if (t.missing) return t.unpriced();
  const bill = new Bill().hourly("GKE cluster management fee", 1, t.need("gke.cluster"));
  if (isTrue(r.inputs.enableAutopilot)) bill.note("Autopilot bills pods by their requests, which are not priced here");
  else if (!isTrue(r.inputs.removeDefaultNodePool)) bill.note("the default node pool (kept: removeDefaultNodePool is not set) is not priced");
  return bill.cost();
};

/** Zones of a node pool: its nodeLocations, else three for a regional location, one for a zone. */
function zonesOf(pool: CostInput, ctx: PricingContext): number {
  const own = asArray(pool.inputs.nodeLocations).length;
  if (own > 0) return own;
  const clusterNodeLocations = ctx.index.dependenciesOf(pool, "gcp:container/cluster:Cluster").map((c) => asArray(c.inputs.nodeLocations).length)[0] ?? 0;
  if (clusterNodeLocations > 0) return clusterNodeLocations;
  return isGcpZone(asString(pool.inputs.location)) ? 1 : GKE_DEFAULT_REGIONAL_ZONES;
}

/**
 * Nodes at creation: nodeCount (else initialNodeCount) per zone × zones, kept within the autoscaling bounds
 * (totalMin/MaxNodeCount for the pool, min/maxNodeCount per zone).
 */
export function nodePoolSize(pool: CostInput, ctx: PricingContext): { nodes: number; how: string } | { reason: string } {
  const perZone = asCount(pool.inputs.nodeCount) ?? asCount(pool.inputs.initialNodeCount);
  if (perZone === undefined) return { reason: "neither nodeCount nor initialNodeCount: the node count is unknown" };
  const zones = zonesOf(pool, ctx);
  let nodes = perZone * zones;
  let how = `${perZone} per zone × ${zones} zone${zones === 1 ? "" : "s"}`;
  const scaling = asObject(pool.inputs.autoscaling);
  const min = asCount(scaling?.totalMinNodeCount) ?? (asCount(scaling?.minNodeCount) !== undefined ? asCount(scaling?.minNodeCount)! * zones : undefined);
  const max = asCount(scaling?.totalMaxNodeCount) ?? (asCount(scaling?.maxNodeCount) !== undefined ? asCount(scaling?.maxNodeCount)! * zones : undefined);
  if (min !== undefined && nodes < min) [nodes, how] = [min, `the autoscaling minimum`];
  if (max !== undefined && nodes > max) [nodes, how] = [max, `the autoscaling maximum`];
  return { nodes, how };
}

const nodePool: Pricer = (r, ctx) => {
  const t = gcpTable(r, ctx);
  if (t.missing) return t.unpriced();
  const size = nodePoolSize(r, ctx);
  if ("reason" in size) return unpriced(size.reason);
  const config = asObject(r.inputs.nodeConfig) ?? {};
  const machineType = asString(config.machineType) ?? "e2-medium"; // GKE's default machine type
  const spot = isTrue(config.spot) || isTrue(config.preemptible);
  const bill = new Bill();
  const shape = addMachine(bill, t, machineType, size.nodes, `node hours (${spotLabel(spot)}; ${size.how})`);
  if ("reason" in shape) return unpriced(shape.reason);
  // GKE's defaults: 100 GB pd-balanced boot disks.
  addDisk(bill, t, asString(config.diskType) ?? "pd-balanced", asCount(config.diskSizeGb) ?? 100, size.nodes, "boot disks");
  if (asCount(config.localSsdCount)) bill.note("local SSDs are not in the price tables");
  ctx.nodeCapacity.set(r.urn, { nodes: size.nodes, vcpu: shape.vcpu, memoryGiB: shape.memoryGiB, instanceType: machineType });
  return bill.cost();
};

/**
 * Cloud NAT: per VM it serves, per hour. The VMs are those of its router's network without an external address:
 * Compute Engine instances and the nodes of private GKE clusters on that network (node pools at creation size).
 */
const routerNat: Pricer = (r, ctx) => {
  const t = gcpTable(r, ctx);
  if (t.missing) return t.unpriced();
  const usage = `data processing unpriced: usage-based (${t.rate("cloudNat.dataProcessed")})`;
  const router = ctx.index.dependenciesOf(r, "gcp:compute/router:Router")[0];
  const network = router && ctx.index.dependenciesOf(router, "gcp:compute/network:Network")[0];
  if (!network) return unpriced(`the VMs it serves cannot be determined (no router and network among its dependencies); ${usage}`);
  const vms = ctx.index
    .dependentsOf(network, "gcp:compute/instance:Instance")
    .filter((vm) => !asArray(vm.inputs.networkInterfaces).some((nic) => asArray(at(nic, "accessConfigs")).length > 0)).length;
  const privateClusters = ctx.index.dependentsOf(network, "gcp:container/cluster:Cluster").filter((c) => isTrue(at(c.inputs, "privateClusterConfig.enablePrivateNodes")));
  let nodes = 0;
  for (const c of privateClusters) {
    for (const pool of ctx.index.dependentsOf(c, "gcp:container/nodePool:NodePool")) {
      const size = nodePoolSize(pool, ctx);
      if ("reason" in size) return unpriced(`the VMs it serves cannot be counted: node pool ${pool.name}: ${size.reason}; ${usage}`);
      nodes += size.nodes;
    }
  }
  const price = t.need("cloudNat.vm");
  const served = vms + nodes;
  if (price.entry.maxQuantityPerHour !== undefined && served > price.entry.maxQuantityPerHour) {
    return unpriced(`it serves ${served} VMs; above ${price.entry.maxQuantityPerHour} the per-gateway rate applies, which is not in the price tables; ${usage}`);
  }
  if (served === 0) return { monthlyUsd: 0, costComponents: [], unpricedReason: `serves no VM at creation; ${usage}` };
  return new Bill().hourly(`VMs served: ${served} (${vms} VMs, ${nodes} private GKE nodes)`, served, price).note(usage).cost();
};

const forwardingRule: Pricer = (r) =>
  unpriced(
    `forwarding rules are billed per project in tiers (the first five together), which a per-resource estimate cannot split; not in the price tables (${asString(r.inputs.loadBalancingScheme) ?? "EXTERNAL"} scheme); processed data is usage-based`,
  );

const sqlInstance: Pricer = (r, ctx) => {
  const t = gcpTable(r, ctx, asString(r.inputs.region));
  if (t.missing) return t.unpriced();
  const settings = asObject(r.inputs.settings) ?? {};
  const tier = asString(settings.tier);
  if (!tier) return unpriced("no settings.tier");
  if (asString(settings.edition) === "ENTERPRISE_PLUS") return unpriced("Cloud SQL Enterprise Plus is not in the price tables");
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (!custom) return unpriced(`Cloud SQL tier ${tier} is not in the price tables (db-custom-<vCPUs>-<MiB> tiers are)`);
  const availability = asString(settings.availabilityType) === "REGIONAL" ? "regional" : "zonal";
  const vcpus = Number(custom[1]);
  const memoryGb = Number(custom[2]) / 1024;
  const bill = new Bill()
    .add(`vCPUs: ${vcpus} (${availability})`, "vCPU-hours", vcpus * 730, t.need(`cloudSql.enterprise.vcpu.${availability}`))
    .add(`memory: ${memoryGb} GB (${availability})`, "GB-hours", memoryGb * 730, t.need(`cloudSql.enterprise.memory.${availability}`));
  const diskType = asString(settings.diskType) ?? "PD_SSD";
  if (diskType !== "PD_SSD") bill.note(`storage: ${diskType} is not in the price tables`);
  else bill.add(`storage: ${asCount(settings.diskSize) ?? 10} GB SSD (${availability})`, "GiB-months", asCount(settings.diskSize) ?? 10, t.need(`cloudSql.ssd.${availability}`));
  bill.note(`backups unpriced: usage-based (${t.rate("cloudSql.backup")})`);
  return bill.cost();
};

/**
 * An internal range for private services access costs nothing. A reserved external address costs nothing while a
 * forwarding rule uses it (the GKE Ingress's, created by its controller outside the plan) and by the hour when unused.
 */
const globalAddress: Pricer = (r) =>
  asString(r.inputs.purpose) === "VPC_PEERING"
    ? FREE
    : unpriced("a reserved external address is free while the Ingress's forwarding rule (created outside this plan) uses it, and billed by the hour while unused");

/** A snapshot schedule keeps snapshots (usage); an instance schedule starts and stops VMs and costs nothing. */
const resourcePolicy: Pricer = (r) =>
  at(r.inputs, "instanceSchedulePolicy") !== undefined
    ? FREE
    : unpriced("usage-based: the snapshots the schedule keeps (incremental; their size is known only after deploy)");

export const GCP_PRICERS: Readonly<Record<string, Pricer>> = {
  "gcp:compute/resourcePolicy:ResourcePolicy": resourcePolicy,
  "gcp:compute/globalAddress:GlobalAddress": globalAddress,
  "gcp:compute/instance:Instance": instance,
  "gcp:compute/disk:Disk": disk,
  "gcp:container/cluster:Cluster": cluster,
  "gcp:container/nodePool:NodePool": nodePool,
  "gcp:compute/routerNat:RouterNat": routerNat,
  "gcp:compute/forwardingRule:ForwardingRule": forwardingRule,
  "gcp:sql/databaseInstance:DatabaseInstance": sqlInstance,
};
