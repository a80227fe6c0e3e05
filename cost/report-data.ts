/** What every format of the plan's cost report shows, computed once: per budget line, the drivers, the gaps. */
import { CapCheck } from "./budget-lines";
import { CostedPlan, CostedResource, byCostThenUrn, cloudResources } from "./costed-plan";
import { percent } from "./format";
import { RegionWarning, UnpricedGroup, groupUnpriced, regionWarnings } from "./price-gaps";

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
  /** Resources with no price because their region has no price table. */
  unpricedByRegion: number;
  /** null where there is no cap. */
  capCheck: CapCheck | null;
}

const unpricedByRegion = (resources: readonly CostedResource[]): number => cloudResources(resources).filter((r) => r.regionGap).length;

/** The stack's budget lines as the plan prices them, then what no configured line covers (never dropped). */
export function lineSummaries(plan: CostedPlan): LineSummary[] {
  const rows: LineSummary[] = plan.budgetLines.map((l) => {
    // A plan written before capCheck existed knows only over or within.
    const gaps = l.unpricedByRegion ?? unpricedByRegion(plan.resources.filter((r) => r.budgetLine === l.id));
    const capCheck = l.capCheck ?? (l.estimatedMonthlyDai > l.monthlyCapDai ? "over" : gaps > 0 ? "unknown" : "within");
    return { ...l, unpricedByRegion: gaps, capCheck };
  });
  const configured = new Set(plan.budgetLines.map((l) => l.id));
  const stray = cloudResources(plan.resources).filter((r) => r.budgetLine === null || !configured.has(r.budgetLine));
  if (stray.length > 0) {
    const usd = stray.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0);
    rows.push({ id: null, name: NO_BUDGET_LINE, monthlyCapDai: null, estimatedMonthlyUsd: usd, estimatedMonthlyDai: usd * plan.daiPerUsd, utilization: null, resourceCount: stray.length, unpricedByRegion: unpricedByRegion(stray), capCheck: null });
  }
  return rows;
}

/** The cloud resources that cost the most per month, most first (ties by URN). */
export function costDrivers(plan: CostedPlan): CostedResource[] {
  return cloudResources(plan.resources)
    .filter((r) => (r.monthlyUsd ?? 0) !== 0)
    .sort(byCostThenUrn);
}

export function totals(plan: CostedPlan): { capDai: number; usd: number; dai: number; utilization: number | null; unpricedByRegion: number; capCheck: CapCheck | null } {
  const capDai = plan.budgetLines.reduce((sum, l) => sum + l.monthlyCapDai, 0);
  const dai = plan.totalMonthlyUsd * plan.daiPerUsd;
  const gaps = unpricedByRegion(plan.resources);
  const capCheck = capDai <= 0 ? null : dai > capDai ? "over" : gaps > 0 ? "unknown" : "within";
  return { capDai, usd: plan.totalMonthlyUsd, dai, utilization: capDai > 0 ? dai / capDai : null, unpricedByRegion: gaps, capCheck };
}

/**
 * A line's (or the total's) utilization as the reports print it: "55.3%", "151.8% over cap", or, where resources
 * have no price for want of their region's table, "unknown (55.3% priced + 3 unpriced)": never "within cap".
 */
export function utilizationText(l: { utilization: number | null; capCheck: CapCheck | null; unpricedByRegion: number }): { text: string; flag: "over" | "unknown" | null } {
  if (l.utilization === null || l.capCheck === null) return { text: "—", flag: null };
  if (l.capCheck === "over") return { text: `${percent(l.utilization)} over cap`, flag: "over" };
  if (l.capCheck === "unknown") return { text: `unknown (${percent(l.utilization)} priced + ${l.unpricedByRegion} unpriced)`, flag: "unknown" };
  return { text: percent(l.utilization), flag: null };
}

/** The headline warnings: regions whose missing price table leaves resources without a price. */
export function planWarnings(plan: CostedPlan): RegionWarning[] {
  return regionWarnings(plan.resources);
}

/** The unpriced resources, one group per reason. */
export function unpricedGroups(plan: CostedPlan): UnpricedGroup[] {
  return groupUnpriced(plan.unpriced);
}

export function lineLabel(line: { id: string | null; name: string }): string {
  return line.id === null ? line.name : `${line.name} (${line.id})`;
}

/** "58 days left" or "expired 3 days ago". */
export function daysLeftText(daysLeft: number): string {
  return daysLeft < 0 ? `expired ${-daysLeft} day${daysLeft === -1 ? "" : "s"} ago` : `${daysLeft} day${daysLeft === 1 ? "" : "s"} left`;
}

/** The plan's sandboxes, the soonest to expire first. */
export function sandboxesByExpiry(plan: CostedPlan): NonNullable<CostedPlan["sandboxes"]> {
  return [...(plan.sandboxes ?? [])].sort((a, b) => a.daysLeft - b.daysLeft || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** How many resource names a grouped unpriced row lists before "… and N more". */
export const GROUP_NAMES = 12;

/** "a, b, c … and 9 more": the names of a group's resources, cut at GROUP_NAMES. */
export function groupNames(group: UnpricedGroup, limit: number = GROUP_NAMES): string {
  const names = group.resources.slice(0, limit).map((r) => r.name);
  const more = group.resources.length - names.length;
  return `${names.join(", ")}${more > 0 ? ` … and ${more} more` : ""}`;
}
