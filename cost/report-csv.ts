/** The plan's cost report as CSV: one row per cloud resource, for a spreadsheet. */
import { CostedPlan, CostedResource, cloudResources, compareText } from "./costed-plan";
import { cents } from "./format";
import { csvDocument } from "./csv";
import { planWarnings, unpricedGroups } from "./report-data";
import { CostComponent } from "./types";
import { BREACH_CSV_COLUMN, breachesCsvCell } from "../tools/plan/constraints/report";

export const CSV_HEADER = ["urn", "type", "name", "budget_line", "workload", "cost_components", "monthly_usd", "monthly_dai", "unpriced_reason", BREACH_CSV_COLUMN] as const;

/** "instance hours=730 hours@0.4284;gp3 storage=3000 GiB-months@0.08": what each part is, how much, at what price. */
export function describeComponents(components: readonly CostComponent[]): string {
  return components.map((c) => `${c.name}=${c.quantity} ${c.unit}@${c.unitPriceUsd}`).join(";");
}

/** The `type` of the summary rows, which carry no URN: a headline warning, and one row per reason of the unpriced. */
export const WARNING_ROW = "(warning)";
export const UNPRICED_REASON_ROW = "(unpriced reason)";

/**
 * First a row per headline warning (a region without a price table: type `(warning)`, the message in
 * unpriced_reason); then the resources by budget line, then workload, then URN — an unpriced resource has empty
 * amounts and says why, a priced one says what its estimate leaves out (usage-based parts), if anything; last, one
 * row per reason resources are unpriced (type `(unpriced reason)`, the count in cost_components, the names in name).
 */
export function renderCsv(plan: CostedPlan): string {
  const unpriced = new Map(plan.unpriced.map((u) => [u.urn, u.reason]));
  const key = (r: CostedResource): string => `${r.budgetLine ?? "~"}\u0000${r.workload ?? "~"}\u0000${r.urn}`;
  const rows = cloudResources(plan.resources)
    .sort((a, b) => compareText(key(a), key(b)))
    .map((r) => [
      r.urn,
      r.type,
      r.name,
      r.budgetLine ?? "",
      r.workload ?? "",
      describeComponents(r.costComponents),
      r.monthlyUsd === null ? null : cents(r.monthlyUsd),
      r.monthlyUsd === null ? null : cents(r.monthlyUsd * plan.daiPerUsd),
      r.monthlyUsd === null ? (unpriced.get(r.urn) ?? r.unpricedReason ?? "not priced") : (r.unpricedReason ?? ""),
      breachesCsvCell(plan, r.urn),
    ]);
  const warnings = planWarnings(plan).map((w) => ["", WARNING_ROW, `${w.provider.toUpperCase()} ${w.region ?? "(no region)"}`, "", "", "", null, null, w.message]);
  const groups = unpricedGroups(plan).map((g) => ["", UNPRICED_REASON_ROW, g.resources.map((r) => r.name).join("; "), "", "", `${g.count} resource${g.count === 1 ? "" : "s"}`, null, null, g.reason]);
  return csvDocument([[...CSV_HEADER], ...warnings, ...rows, ...groups]);
}
