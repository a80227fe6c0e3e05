/** Prices of the AWS resource types the estate creates that cost money, from cost/prices/aws-<region>.json. */
import { Bill, CostInput, FREE, PricingContext, TableLookup, awsTable, formatRate, unpriced } from "./model";
import { Price, PriceEntry, toPrice } from "./prices";
import { asArray, asCount, asNumber, asObject, asString, at, isTrue } from "./read";
import { addIdleStopSaving } from "./schedule";
import { ResourceCost } from "./types";

export type Pricer = (r: CostInput, ctx: PricingContext) => ResourceCost;

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** An EC2 instance type's price and shape, or why there is none. */
export function ec2Instance(t: TableLookup, instanceType: string): { price: Price; entry: PriceEntry } | { reason: string } {
  if (t.missing) return { reason: t.missing };
  const entry = t.table!.ec2Instances?.[instanceType];
  if (!entry || entry.usd === undefined) return { reason: `instance type ${instanceType} is not in ${t.table!.file}` };
  return { price: toPrice(t.table!, `ec2Instances.${instanceType}`, entry), entry };
}

export interface EbsSpec {
  readonly type?: string;
  readonly sizeGiB?: number;
  readonly iops?: number;
  readonly throughputMBps?: number;
}

/**
 * `count` EBS volumes of `spec` into `bill`: gp3 per GiB, plus IOPS above 3,000 and MB/s above 125 (the price
 * table's `includedQuantity`); other types, or a volume of no stated size, become a note.
 */
export function addEbs(bill: Bill, t: TableLookup, spec: EbsSpec, count: number, label: string): void {
  if (t.missing) {
    bill.noTable(t, label);
    return;
  }
  const type = spec.type ?? "gp2";
  if (type !== "gp3") {
    bill.note(`${label}: EBS ${type}${spec.type ? "" : " (the default type)"} is not in the price tables`);
    return;
  }
  if (spec.sizeGiB === undefined) {
    bill.note(`${label}: size not set (the image's default), unpriced`);
    return;
  }
  const each = count === 1 ? "" : `${count} × `;
  bill.add(`${label}: ${each}${spec.sizeGiB} GiB gp3`, "GiB-months", count * spec.sizeGiB, t.need("ebs.gp3.storage"));
  const iops = t.need("ebs.gp3.iops");
  const extraIops = Math.max(0, (spec.iops ?? 0) - (iops.entry.includedQuantity ?? 0));
  if (extraIops > 0) bill.add(`${label}: ${each}${spec.iops} IOPS, above ${iops.entry.includedQuantity}`, "IOPS-months", count * extraIops, iops);
  const throughput = t.need("ebs.gp3.throughput");
  const extraThroughput = Math.max(0, (spec.throughputMBps ?? 0) - (throughput.entry.includedQuantity ?? 0));
  if (extraThroughput > 0) {
    bill.add(`${label}: ${each}${spec.throughputMBps} MB/s, above ${throughput.entry.includedQuantity}`, "MBps-months", count * extraThroughput, throughput);
  }
}

function ebsSpec(ebs: unknown): EbsSpec {
  return {
    type: asString(at(ebs, "volumeType")) ?? asString(at(ebs, "type")),
    sizeGiB: asCount(at(ebs, "volumeSize")) ?? asCount(at(ebs, "size")),
    iops: asCount(at(ebs, "iops")),
    throughputMBps: asCount(at(ebs, "throughput")),
  };
}

/** The launch template an instance or node group launches from: by dependency, else by name or id in its inputs. */
export function launchTemplateOf(r: CostInput, ctx: PricingContext): CostInput | undefined {
  const byDependency = ctx.index.dependenciesOf(r, LAUNCH_TEMPLATE);
  if (byDependency.length === 1) return byDependency[0];
  const ref = asObject(r.inputs.launchTemplate);
  const name = asString(ref?.name);
  const id = asString(ref?.id);
  return ctx.index.resources.find((t) => t.type === LAUNCH_TEMPLATE && ((name !== undefined && t.inputs.name === name) || (id !== undefined && t.inputs.id === id)));
}

/** The block devices of a launch template, each an EBS spec with its device name. */
function launchTemplateVolumes(template: CostInput | undefined): { device: string; spec: EbsSpec }[] {
  return asArray(template?.inputs.blockDeviceMappings).flatMap((m) => {
    const ebs = asObject(at(m, "ebs"));
    return ebs ? [{ device: asString(at(m, "deviceName")) ?? "a block device", spec: ebsSpec(ebs) }] : [];
  });
}

function spotName(spot: boolean): string {
  return spot ? "spot: priced at the on-demand rate as an upper bound" : "on-demand";
}

const instance: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  const template = launchTemplateOf(r, ctx);
  const instanceType = asString(r.inputs.instanceType) ?? asString(template?.inputs.instanceType);
  if (!instanceType) return unpriced("no instance type: neither instanceType nor a launch template that sets one");
  const ec2 = ec2Instance(t, instanceType);
  if ("reason" in ec2) return unpriced(ec2.reason);
  const spot = at(r.inputs, "instanceMarketOptions.marketType") === "spot" || at(template?.inputs, "instanceMarketOptions.marketType") === "spot";
  const bill = new Bill().hourly(`instance hours: ${instanceType} (${spotName(spot)})`, 1, ec2.price);
  addIdleStopSaving(bill, r, ctx, { usd: ec2.price.usd, ref: ec2.price.ref });

  const root = asObject(r.inputs.rootBlockDevice);
  if (root) addEbs(bill, t, ebsSpec(root), 1, "root volume");
  else for (const { device, spec } of launchTemplateVolumes(template)) addEbs(bill, t, spec, 1, `volume ${device} (launch template)`);
  if (!root && !template) bill.note("root volume: size and type are the image's defaults, unpriced");
  for (const device of asArray(r.inputs.ebsBlockDevices)) addEbs(bill, t, ebsSpec(device), 1, `volume ${asString(at(device, "deviceName")) ?? ""}`.trim());

  const publicIp =
    isTrue(r.inputs.associatePublicIpAddress) || asArray(at(template?.inputs, "networkInterfaces")).some((n) => isTrue(at(n, "associatePublicIpAddress")));
  if (publicIp) bill.hourly("public IPv4 address", 1, t.need("publicIpv4.hour"));
  return bill.cost();
};

const nodeGroup: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  const count = asCount(at(r.inputs, "scalingConfig.desiredSize")) ?? asCount(at(r.inputs, "scalingConfig.minSize"));
  if (count === undefined) return unpriced("no scalingConfig.desiredSize (nor minSize): the node count is unknown");
  const template = launchTemplateOf(r, ctx);
  const types = asArray(r.inputs.instanceTypes).flatMap((x) => asString(x) ?? []);
  const instanceType = types[0] ?? asString(template?.inputs.instanceType);
  if (!instanceType) return unpriced("no instance type: neither instanceTypes nor a launch template that sets one");
  const ec2 = ec2Instance(t, instanceType);
  if ("reason" in ec2) return unpriced(ec2.reason);
  const spot = r.inputs.capacityType === "SPOT";
  const first = types.length > 1 ? `, the first of ${types.join(", ")}` : "";
  const bill = new Bill().hourly(`instance hours: ${count} × ${instanceType} (${spotName(spot)}${first})`, count, ec2.price);
  const volumes = launchTemplateVolumes(template);
  for (const { device, spec } of volumes) addEbs(bill, t, spec, count, `volume ${device} (launch template)`);
  if (volumes.length === 0) bill.note(`root volumes: ${asCount(r.inputs.diskSize) ?? 20} GiB each of the AMI's default type, unpriced`);
  ctx.nodeCapacity.set(r.urn, { nodes: count, vcpu: ec2.entry.vcpu ?? 0, memoryGiB: ec2.entry.memoryGiB ?? 0, instanceType });
  return bill.cost();
};

const volume: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  const spec = ebsSpec(r.inputs);
  if (spec.sizeGiB === undefined) return unpriced("no size: a volume sized by its snapshot is unpriced");
  const bill = new Bill();
  addEbs(bill, t, spec, 1, "volume");
  return bill.cost();
};

const eip: Pricer = (r, ctx) => {
  const pool = asString(r.inputs.publicIpv4Pool);
  if (pool !== undefined && pool !== "amazon") return FREE; // bring-your-own addresses carry no public IPv4 charge
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  return new Bill().hourly("public IPv4 address (in use or idle)", 1, t.need("publicIpv4.hour")).cost();
};

const natGateway: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  return new Bill()
    .hourly("NAT gateway hours", 1, t.need("natGateway.hour"))
    .note(`data processing unpriced: usage-based (${t.rate("natGateway.dataProcessed")})`)
    .cost();
};

const loadBalancer: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  const kind = asString(r.inputs.loadBalancerType) ?? "application";
  if (kind !== "application" && kind !== "network") return unpriced(`a ${kind} load balancer is not in ${t.table!.file}`);
  const bill = new Bill().hourly(`${kind} load balancer hours`, 1, t.need(`elb.${kind}.hour`));
  bill.note(`capacity units (LCU) unpriced: usage-based (${t.rate(`elb.${kind}.lcu`)})`);
  if (!isTrue(r.inputs.internal)) {
    const zones = asArray(r.inputs.subnetMappings).length || asArray(r.inputs.subnets).length;
    if (zones > 0) bill.hourly(`public IPv4 addresses: one in each of ${zones} subnets`, zones, t.need("publicIpv4.hour"));
    else bill.note("public IPv4 addresses: one per zone, zones unknown, unpriced");
  }
  return bill.cost();
};

const eksCluster: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  const support = asString(at(r.inputs, "upgradePolicy.supportType")) ?? "EXTENDED";
  // EKS puts a cluster on extended support after standard support ends unless upgradePolicy says STANDARD.
  const bill = new Bill().hourly("EKS control plane hours (standard support)", 1, t.need("eks.cluster.standard"));
  if (support !== "STANDARD") bill.note("extended support (a cluster past its version's standard support) costs more and is not in the price tables");
  return bill.cost();
};

const kmsKey: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  return new Bill()
    .add("customer managed key", "key-months", 1, t.need("kms.key"))
    .note(`requests unpriced: usage-based (${t.rate("kms.requests")})`)
    .cost();
};

const vpcEndpoint: Pricer = (r) => {
  const kind = asString(r.inputs.vpcEndpointType) ?? "Gateway";
  if (kind === "Gateway") return FREE; // S3 and DynamoDB gateway endpoints cost nothing
  return unpriced(`${kind} endpoints are billed per zone-hour and per GB; not in the price tables`);
};

const RDS_INSTANCE = "aws:rds/instance:Instance";

/**
 * An RDS instance: its class's hourly price (Multi-AZ: the table's Multi-AZ price where it has one, else the
 * Multi-AZ factor × the single-AZ price) and its gp3 storage (twice over Multi-AZ). A read replica (replicateSourceDb)
 * is an instance of its own class; it inherits its engine and storage from its source, found among its dependencies.
 */
const rdsInstance: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  const replica = r.inputs.replicateSourceDb !== undefined && r.inputs.replicateSourceDb !== null;
  const source = replica ? ctx.index.dependenciesOf(r, RDS_INSTANCE)[0] : undefined;
  const engine = asString(r.inputs.engine) ?? asString(source?.inputs.engine);
  const instanceClass = asString(r.inputs.instanceClass);
  if (!instanceClass) return unpriced("no instanceClass");
  if (engine === undefined && replica) return unpriced("a read replica whose source is not among its dependencies: its engine is unknown");
  if (engine !== "postgres") return unpriced(`RDS engine ${engine ?? "(not set)"}: the price tables hold PostgreSQL prices only`);
  const multiAz = isTrue(r.inputs.multiAz);
  const singleAz = t.price(`rds.postgres.${instanceClass}`);
  const multiAzPrice = multiAz ? t.price(`rds.postgres.multiAz.${instanceClass}`) : undefined;
  const role = replica ? ", read replica" : "";
  const bill = new Bill();
  if (multiAzPrice) bill.hourly(`instance hours: ${instanceClass}, Multi-AZ${role}`, 1, multiAzPrice);
  else if (!singleAz) {
    const multiOnly = t.price(`rds.postgres.multiAz.${instanceClass}`) ? " (only its Multi-AZ price is)" : "";
    return unpriced(`RDS PostgreSQL ${instanceClass}${multiOnly ? " single-AZ" : ""} is not in ${t.table!.file}${multiOnly}`);
  } else if (multiAz) {
    const factor = t.need("rds.multiAz.factor");
    bill.add(`instance hours: ${instanceClass}, Multi-AZ (${formatRate(factor.usd)} × single-AZ)${role}`, "hours", factor.usd * 730, singleAz);
  } else bill.hourly(`instance hours: ${instanceClass}, single-AZ${role}`, 1, singleAz);
  const storageType = asString(r.inputs.storageType) ?? asString(source?.inputs.storageType) ?? "gp2";
  const size = asCount(r.inputs.allocatedStorage) ?? asCount(source?.inputs.allocatedStorage);
  const inherited = replica && asCount(r.inputs.allocatedStorage) === undefined ? ", as its source" : "";
  if (storageType !== "gp3") bill.note(`storage: RDS ${storageType} is not in the price tables`);
  else if (size === undefined) bill.note("storage: allocatedStorage not set, unpriced");
  else {
    bill.add(`storage: ${size} GiB gp3${inherited}${multiAz ? " × 2 (Multi-AZ)" : ""}`, "GiB-months", size * (multiAz ? 2 : 1), t.need("rds.gp3.storage"));
    if ((asNumber(r.inputs.iops) ?? 0) > 0 || (asNumber(r.inputs.storageThroughput) ?? 0) > 0) bill.note("provisioned IOPS/throughput above the gp3 baseline are not in the price tables");
  }
  if (asCount(r.inputs.backupRetentionPeriod) !== 0) bill.note(`backups beyond the free allowance unpriced: usage-based (${t.rate("rds.backup.storage")})`);
  return bill.cost();
};

const ANOMALY_OPERATORS = ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];

/**
 * A CloudWatch metric alarm, per metric it evaluates a month: a metric-math alarm pays for each metric it reads (not
 * for its expressions), high resolution when a period is under 60 s, an anomaly-detection band as 3 metrics.
 */
const metricAlarm: Pricer = (r, ctx) => {
  const t = awsTable(r, ctx);
  if (t.missing) return t.unpriced();
  const queries = asArray(r.inputs.metricQueries);
  const metrics = queries.length > 0 ? queries.filter((q) => asObject(at(q, "metric")) !== undefined) : [r.inputs];
  const periods = metrics.map((m) => asNumber(at(m, queries.length > 0 ? "metric.period" : "period")));
  const highResolution = periods.some((p) => p !== undefined && p < 60);
  const anomaly = ANOMALY_OPERATORS.includes(asString(r.inputs.comparisonOperator) ?? "");
  const count = Math.max(1, metrics.length) * (anomaly ? 3 : 1);
  const bill = new Bill().add(
    `${highResolution ? "high" : "standard"}-resolution alarm: ${count} metric${count === 1 ? "" : "s"}${anomaly ? " (anomaly detection counts 3 per metric)" : ""}`,
    "alarm-metric-months",
    count,
    t.need(highResolution ? "cloudwatch.alarm.highResolution" : "cloudwatch.alarm.standard"),
  );
  if (queries.some((q) => /^\s*SELECT\b/i.test(asString(at(q, "expression")) ?? ""))) bill.note("Metrics Insights queries are billed per metric they analyze: unpriced");
  return bill.cost();
};

export const AWS_PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:ec2/instance:Instance": instance,
  "aws:eks/nodeGroup:NodeGroup": nodeGroup,
  "aws:ebs/volume:Volume": volume,
  "aws:ec2/eip:Eip": eip,
  "aws:ec2/natGateway:NatGateway": natGateway,
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:eks/cluster:Cluster": eksCluster,
  "aws:kms/key:Key": kmsKey,
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  [RDS_INSTANCE]: rdsInstance,
  "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
};
