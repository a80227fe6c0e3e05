/**
 * What the estimator reads (a resource as the offline plan records it, or as the policy server hands it to a stack
 * policy), how it finds related resources, and how a price module writes a resource's cost.
 */
import { Price, PriceTable, PriceTables, toPrice } from "./prices";
import { Props, asObject, asString, cents } from "./read";
import { CostComponent, HOURS_PER_MONTH, RegionGap, ResourceCost } from "./types";

export interface CostInput {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Its inputs (the plan) or properties (a stack policy). */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly parent?: string | null;
  /** false for components and the stack; derived from the type when absent. */
  readonly custom?: boolean;
  /** The provider's reference, `<urn>::<id>` as the engine registers it, or its URN. */
  readonly provider?: string | null;
  /** URNs of the resources it depends on. */
  readonly dependencies?: readonly string[];
}

export interface EstimateOptions {
  /** The region of AWS resources that state none themselves nor through their provider. */
  readonly awsRegion?: string;
  /** Likewise for GCP. */
  readonly gcpRegion?: string;
  /** Default: the repository's tables (cost/prices). */
  readonly prices?: PriceTables;
}

/** Components (this project's `estate:` types), providers and the stack cost nothing themselves. */
export function isLogical(r: Pick<CostInput, "type" | "custom">): boolean {
  return r.custom === false || r.type.startsWith("pulumi:") || r.type.startsWith("estate:");
}

/** `type::name` of a URN (the part after the last `$`), to match a provider reference whose stack path differs. */
function typeAndName(urn: string): string | undefined {
  // urn:pulumi:<stack>::<project>::<qualified type>::<name>
  const parts = urn.split("::");
  if (parts.length < 4) return undefined;
  return `${parts[2].split("$").pop()}::${parts.slice(3).join("::")}`;
}

/** A provider reference `<urn>::<id>` without its id. */
export function providerUrn(reference: string): string {
  const parts = reference.split("::");
  // urn:pulumi:<stack>::<project>::<qualified type>::<name>[::<id>]
  return parts.length > 4 ? parts.slice(0, 4).join("::") : reference;
}

export class ResourceIndex {
  readonly byUrn: ReadonlyMap<string, CostInput>;
  private readonly byTypeAndName: ReadonlyMap<string, CostInput>;
  private readonly children: ReadonlyMap<string, CostInput[]>;

  constructor(readonly resources: readonly CostInput[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    const byTypeAndName = new Map<string, CostInput>();
    const children = new Map<string, CostInput[]>();
    for (const r of resources) {
      const key = typeAndName(r.urn);
      if (key) byTypeAndName.set(key, r);
      if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    this.byTypeAndName = byTypeAndName;
    this.children = children;
  }

  get(urn: string | null | undefined): CostInput | undefined {
    if (!urn) return undefined;
    const found = this.byUrn.get(urn);
    if (found) return found;
    const key = typeAndName(urn);
    return key ? this.byTypeAndName.get(key) : undefined;
  }

  providerOf(r: CostInput): CostInput | undefined {
    return r.provider ? this.get(providerUrn(r.provider)) : undefined;
  }

  /** Its dependencies of `type`. */
  dependenciesOf(r: CostInput, type: string): CostInput[] {
    return (r.dependencies ?? []).flatMap((urn) => this.get(urn) ?? []).filter((d) => d.type === type);
  }

  /** Resources of `type` that depend on `r`. */
  dependentsOf(r: CostInput, type: string): CostInput[] {
    return this.resources.filter((d) => d.type === type && (d.dependencies ?? []).some((urn) => this.get(urn)?.urn === r.urn));
  }

  /** Everything below `urn`, depth first. */
  descendantsOf(urn: string): CostInput[] {
    return (this.children.get(urn) ?? []).flatMap((c) => [c, ...this.descendantsOf(c.urn)]);
  }

  childrenOf(urn: string): CostInput[] {
    return this.children.get(urn) ?? [];
  }
}

/** The machines a node group or pool runs at creation: how many, and the shape of each. */
export interface NodeCapacity {
  readonly nodes: number;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly instanceType: string;
}

/** What a price module needs: the index, the tables, the options; node groups record their capacity. */
export interface PricingContext {
  readonly index: ResourceIndex;
  readonly prices: PriceTables;
  readonly options: EstimateOptions;
  readonly nodeCapacity: Map<string, NodeCapacity>;
}

/** Finds the price table of a provider and region; a lookup that fails says why. */
export class TableLookup {
  constructor(
    readonly table: PriceTable | undefined,
    readonly provider: "aws" | "gcp",
    readonly region: string | undefined,
  ) {}

  /** Why there is no table, or undefined. */
  get missing(): string | undefined {
    if (!this.region) return `no ${this.provider.toUpperCase()} region found (on the resource, its provider or the stack's config)`;
    if (!this.table) return `no price table for ${this.provider.toUpperCase()} region ${this.region} (cost/prices/${this.provider}-${this.region}.json)`;
    return undefined;
  }

  /** The region gap behind `missing`, or undefined when the table exists. */
  get gap(): RegionGap | undefined {
    return this.table ? undefined : { provider: this.provider, region: this.region ?? null };
  }

  /** The resource unpriced for want of the table: call only when `missing` is set. */
  unpriced(): ResourceCost {
    return unpriced(this.missing ?? "unpriced", this.gap);
  }

  price(key: string): Price | undefined {
    const entry = this.table?.prices[key];
    return entry && this.table ? toPrice(this.table, key, entry) : undefined;
  }

  /** A price that must exist: a missing one is a fault of the tables, reported as unpriced by the caller. */
  need(key: string): Price {
    const price = this.price(key);
    if (!price) throw new MissingPrice(`${this.missing ?? `${this.table?.file} has no price "${key}"`}`, this.gap);
    return price;
  }

  /** "0.045 USD/GB (aws-us-east-1.json)" for the reason a usage-based part is unpriced. */
  rate(key: string): string | undefined {
    const price = this.price(key);
    return price ? `${formatRate(price.usd)} USD/${price.unit}` : undefined;
  }
}

export class MissingPrice extends Error {
  constructor(
    message: string,
    readonly gap?: RegionGap,
  ) {
    super(message);
  }
}

export function formatRate(usd: number): string {
  return usd.toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** A resource's cost as a price module writes it: components, and notes on what it leaves out. */
export class Bill {
  private readonly components: CostComponent[] = [];
  private readonly notes: string[] = [];
  private regionGap: RegionGap | undefined;

  /** quantity × price, rounded to cents. */
  add(name: string, unit: string, quantity: number, price: Price): this {
    this.components.push({ name, unit, quantity, unitPriceUsd: price.usd, monthlyUsd: cents(quantity * price.usd), price: price.ref });
    return this;
  }

  /** Hours a month of something billed per hour. */
  hourly(name: string, count: number, price: Price): this {
    return this.add(name, "hours", count * HOURS_PER_MONTH, price);
  }

  component(component: CostComponent): this {
    this.components.push(component);
    return this;
  }

  /** A part of its cost the estimate leaves out, and why (usage-based, not in the tables). */
  note(text: string): this {
    if (!this.notes.includes(text)) this.notes.push(text);
    return this;
  }

  /** A part left out because the table of its region is missing (`t.missing`), noted with that reason. */
  noTable(t: TableLookup, label: string): this {
    this.regionGap ??= t.gap;
    return this.note(`${label}: ${t.missing}`);
  }

  get size(): number {
    return this.components.length;
  }

  /** Its cost; with nothing priced and something left out, it is unpriced. */
  cost(): ResourceCost {
    const gap = this.regionGap ? { regionGap: this.regionGap } : {};
    if (this.components.length === 0 && this.notes.length > 0) return unpriced(this.notes.join("; "), this.regionGap);
    const monthlyUsd = cents(this.components.reduce((sum, c) => sum + c.monthlyUsd, 0));
    return this.notes.length > 0 ? { monthlyUsd, costComponents: [...this.components], unpricedReason: this.notes.join("; "), ...gap } : { monthlyUsd, costComponents: [...this.components] };
  }
}

export const FREE: ResourceCost = { monthlyUsd: 0, costComponents: [] };

export function unpriced(reason: string, regionGap?: RegionGap): ResourceCost {
  return regionGap ? { monthlyUsd: null, costComponents: [], unpricedReason: reason, regionGap } : { monthlyUsd: null, costComponents: [], unpricedReason: reason };
}

/** The region in a GCP zone ("us-central1-a") or location ("us-central1"). */
export function gcpRegionOf(location: string | undefined): string | undefined {
  if (!location) return undefined;
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location) ? location.replace(/-[a-z]$/, "") : location;
}

export function isGcpZone(location: string | undefined): boolean {
  return location !== undefined && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location);
}

export function awsTable(r: CostInput, ctx: PricingContext): TableLookup {
  const region = asString(r.inputs.region) ?? asString(ctx.index.providerOf(r)?.inputs.region) ?? ctx.options.awsRegion;
  return new TableLookup(region ? ctx.prices.table("aws", region) : undefined, "aws", region);
}

export function gcpTable(r: CostInput, ctx: PricingContext, location?: string): TableLookup {
  const own = gcpRegionOf(location ?? asString(r.inputs.zone) ?? asString(r.inputs.region) ?? asString(r.inputs.location));
  const region = own ?? asString(ctx.index.providerOf(r)?.inputs.region) ?? ctx.options.gcpRegion;
  return new TableLookup(region ? ctx.prices.table("gcp", region) : undefined, "gcp", region);
}

export function props(r: CostInput): Props {
  return asObject(r.inputs) ?? {};
}
