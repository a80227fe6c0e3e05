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

export interface ResourceCost {
  /** null: it costs money but the tables cannot price it (see `unpricedReason`). 0: it costs nothing by itself. */
  readonly monthlyUsd: number | null;
  readonly costComponents: readonly CostComponent[];
  readonly unpricedReason?: string;
}

export interface UnpricedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export const HOURS_PER_MONTH = 730;
