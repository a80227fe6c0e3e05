/** What every format of the plan's cost report shows, computed once: per budget line, the drivers, the gaps. */
import { CostedPlan, CostedResource, byCostThenUrn, cloudResources } from "./costed-plan";

export const NO_BUDGET_LINE = "(no budget line)";

export interface LineSummary {
  /** null: resources attributed to no budget line this stack configures. */
  id: string | null;
  name: string;
  /** null: no cap (the line is not configured for the stack). */
  monthlyCapDai: number | null;
  estimatedMonthlyUsd: number;
  estimatedMonthlyDai: number;
  /** null where there is no cap. */
  utilization: number | null;
  resourceCount: number;
}

/** The stack's budget lines as the plan prices them, then what no configured line covers (never dropped). */
export function lineSummaries(plan: CostedPlan): LineSummary[] {
  const rows: LineSummary[] = plan.budgetLines.map((l) => ({ ...l }));
  const configured = new Set(plan.budgetLines.map((l) => l.id));
  const stray = cloudResources(plan.resources).filter((r) => r.budgetLine === null || !configured.has(r.budgetLine));
  if (stray.length > 0) {
    const usd = stray.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0);
    rows.push({ id: null, name: NO_BUDGET_LINE, monthlyCapDai: null, estimatedMonthlyUsd: usd, estimatedMonthlyDai: usd * plan.daiPerUsd, utilization: null, resourceCount: stray.length });
  }
  return rows;
}

/** The cloud resources that cost the most per month, most first (ties by URN). */
export function costDrivers(plan: CostedPlan): CostedResource[] {
  return cloudResources(plan.resources)
    .filter((r) => (r.monthlyUsd ?? 0) !== 0)
    .sort(byCostThenUrn);
}

export function totals(plan: CostedPlan): { capDai: number; usd: number; dai: number; utilization: number | null } {
  const capDai = plan.budgetLines.reduce((sum, l) => sum + l.monthlyCapDai, 0);
  const dai = plan.totalMonthlyUsd * plan.daiPerUsd;
  return { capDai, usd: plan.totalMonthlyUsd, dai, utilization: capDai > 0 ? dai / capDai : null };
}

export function lineLabel(line: { id: string | null; name: string }): string {
  return line.id === null ? line.name : `${line.name} (${line.id})`;
}
