/**
 * The estimator: each resource's monthly USD (730 hours a month) with its cost components, from the price tables.
 * A resource is priced by the module for its provider (aws.ts, gcp.ts, kubernetes.ts), or listed in
 * free-or-usage.ts as costing nothing by itself or only with use; anything else is unpriced with the reason —
 * never a silent zero. Malformed inputs never throw: the resource is unpriced, with what went wrong.
 */
import { AWS_PRICERS, type Pricer } from "./aws";
import { FREE_OR_USAGE } from "./free-or-usage";
import { GCP_PRICERS } from "./gcp";
import { KUBERNETES_PRICERS, allocateNodeCosts } from "./kubernetes";
import { CostInput, EstimateOptions, FREE, MissingPrice, PricingContext, ResourceIndex, awsTable, gcpTable, isLogical, unpriced } from "./model";
import { defaultPriceTables } from "./prices";
import { errorMessage } from "./read";
import { ResourceCost } from "./types";

export type { CostInput, EstimateOptions } from "./model";

export const PRICERS: Readonly<Record<string, Pricer>> = { ...AWS_PRICERS, ...GCP_PRICERS, ...KUBERNETES_PRICERS };

/** How the estimator treats a type: priced by a module, free by itself, usage-based, or not known. */
export function pricingOf(type: string): "priced" | "free" | "usage" | "unknown" {
  if (type in PRICERS) return "priced";
  return FREE_OR_USAGE[type]?.kind ?? "unknown";
}

function usageReason(r: CostInput, ctx: PricingContext, reason: string, rates: readonly string[] = []): string {
  const table = r.type.startsWith("aws:") ? awsTable(r, ctx) : r.type.startsWith("gcp:") ? gcpTable(r, ctx) : undefined;
  const quoted = rates.flatMap((key) => table?.rate(key) ?? []);
  return quoted.length > 0 ? `${reason} (${quoted.join(", ")})` : reason;
}

function estimateOne(r: CostInput, ctx: PricingContext): ResourceCost {
  if (isLogical(r)) return FREE;
  const pricer = PRICERS[r.type];
  if (pricer) return pricer(r, ctx);
  const listed = FREE_OR_USAGE[r.type];
  if (listed?.kind === "free") return FREE;
  if (listed?.kind === "usage") return unpriced(usageReason(r, ctx, listed.reason, listed.rates));
  return unpriced(`no price rule for ${r.type}: price it in cost/ or list it in cost/free-or-usage.ts`);
}

function safely(compute: () => ResourceCost): ResourceCost {
  try {
    return compute();
  } catch (err) {
    return unpriced(`could not be priced: ${errorMessage(err)}`, err instanceof MissingPrice ? err.gap : undefined);
  }
}

/** Every resource's cost, by URN, in the order given. */
export function estimateCosts(resources: readonly CostInput[], options: EstimateOptions = {}): Map<string, ResourceCost> {
  const ctx: PricingContext = { index: new ResourceIndex(resources), prices: options.prices ?? defaultPriceTables(), options, nodeCapacity: new Map() };
  const costs = new Map<string, ResourceCost>();
  for (const r of resources) costs.set(r.urn, safely(() => estimateOne(r, ctx)));
  try {
    allocateNodeCosts(costs, ctx);
  } catch (err) {
    // Costs stay as the first pass left them: node groups keep their whole cost, workloads their volumes.
    for (const r of resources) {
      const cost = costs.get(r.urn);
      if (cost && r.type.startsWith("kubernetes:")) costs.set(r.urn, { ...cost, unpricedReason: [cost.unpricedReason, `node cost not allocated: ${errorMessage(err)}`].filter(Boolean).join("; ") });
    }
  }
  return costs;
}
