/** The shapes cost estimates take in the plan and its reports. */

/** One priced part of a resource's monthly cost, e.g. "instance hours" or "gp3 IOPS above 3,000". */
export interface CostComponent {
  readonly name: string;
  /** e.g. "hours", "GiB-months", "IOPS-months". */
  readonly unit: string;
  /** Per month (730 hours). */
  readonly quantity: number;
  readonly unitPriceUsd: number;
  /** quantity × unitPriceUsd; negative for a share passed on to others (node cost allocated to workloads). */
  readonly monthlyUsd: number;
  /** The price table entry it came from: "<table file>#<key>". */
  readonly price: string;
}

/**
 * Why a resource that costs money has no price at all for where it runs: its region has no price table (or no region
 * is found). Unlike a usage-based part, its cost is unknown, not merely left out: a cap check cannot pass on it.
 */
export interface RegionGap {
  readonly provider: "aws" | "gcp";
  /** null: no region found on the resource, its provider or the stack's config. */
  readonly region: string | null;
}

export interface ResourceCost {
  /** null: it costs money but the tables cannot price it (see `unpricedReason`). 0: it costs nothing by itself. */
  readonly monthlyUsd: number | null;
  readonly costComponents: readonly CostComponent[];
  readonly unpricedReason?: string;
  /** Set when it (or a part of it) is unpriced because its region has no price table. */
  readonly regionGap?: RegionGap;
}

export interface UnpricedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
  /** Set when the reason is its region's missing price table. */
  readonly regionGap?: RegionGap | null;
}

export const HOURS_PER_MONTH = 730;
