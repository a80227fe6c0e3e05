/** The plan as a person reads it: resources grouped by budget line, then workload, each with its monthly cost. */
import { cloudResources, countResources, describeCounts } from "../../cost/costed-plan";
import { groupTypes } from "../../cost/price-gaps";
import { daysLeftText, lineSummaries, planWarnings, sandboxesByExpiry, unpricedGroups } from "../../cost/report-data";
import { Plan, PlanPreviewSource, PlannedResource } from "./plan";
import { breachesText } from "./constraints/report";

const NO_BUDGET_LINE = "(no budget line)";
const SHARED = "(shared by the line's workloads)";

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function sortedKeys(map: Map<string, unknown>): string[] {
  const last = (k: string): boolean => k === NO_BUDGET_LINE || k === SHARED;
  return [...map.keys()].sort((a, b) => Number(last(a)) - Number(last(b)) || a.localeCompare(b));
}

function flags(r: PlannedResource): string {
  const marks = [r.protect && "protected", r.retainOnDelete && "retained on delete", !r.costTags && r.custom && "untagged type"].filter(Boolean);
  return marks.length > 0 ? `  [${marks.join(", ")}]` : "";
}

const whole = (n: number): string => Math.round(n).toLocaleString("en-US");
const money = (n: number): string => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const sumUsd = (resources: readonly PlannedResource[]): number => Math.round(resources.reduce((s, r) => s + (r.monthlyUsd ?? 0), 0) * 100) / 100;

function percent(utilization: number): string {
  if (utilization > 0 && utilization < 0.01) return "<1%";
  return `${Math.round(utilization * 100)}%`;
}

/** `12.34 USD`, `unpriced` or `0.00 USD`, and `+` where the estimate leaves a part of it out. */
function amount(r: PlannedResource): string {
  if (r.monthlyUsd === null) return "unpriced";
  return `${money(r.monthlyUsd)} USD${r.unpricedReason ? "+" : ""}`;
}

function previewNote(p: PlanPreviewSource): string {
  const side = p.side === "after" ? "after its change (each step's newState)" : "before its change (each step's oldState)";
  const sames = p.sameSteps > 0 ? "" : "; it lists no unchanged resource (preview with --show-sames for the whole stack), so the totals cover the changed resources only";
  return `From pulumi preview --json ${p.file}, the stack ${side}: ${p.steps} steps${sames}`;
}

export function renderText(plan: Plan): string {
  const cloud = cloudResources(plan.resources);
  const lines: string[] = [
    `${plan.project} · stack ${plan.stack} (${plan.environment}) · ${describeCounts(countResources(plan.resources))}`,
    `Estimated ${money(plan.totalMonthlyUsd)} USD = ${money(plan.totalMonthlyUsd * plan.daiPerUsd)} DAI/month (${plan.daiPerUsd} DAI per USD, 730 hours a month, on-demand list prices)` +
      (plan.unpriced.length > 0 ? ` · ${plan.unpriced.length} resources unpriced, so the estimates are lower bounds` : ""),
  ];
  if (plan.fromPreview) lines.push(previewNote(plan.fromPreview));
  for (const w of planWarnings(plan)) lines.push(`WARNING: ${w.message}`);
  if (plan.substitutedSecrets.length > 0) {
    lines.push(`Secrets cannot be decrypted offline; placeholders stand in for: ${plan.substitutedSecrets.join(", ")}`);
  }
  const typeWidth = Math.max(...cloud.map((r) => r.type.length), 10);
  const amountWidth = Math.max(...cloud.map((r) => amount(r).length), 8);
  const byLine = groupBy(cloud, (r) => r.budgetLine ?? NO_BUDGET_LINE);
  const summaries = lineSummaries(plan);
  for (const lineId of sortedKeys(byLine)) {
    const budget = summaries.find((l) => l.id === lineId);
    const members = byLine.get(lineId)!;
    const unknown = budget?.capCheck === "unknown" ? ` priced; cap check unknown: ${budget.unpricedByRegion} resource${budget.unpricedByRegion === 1 ? " has" : "s have"} no price table for their region` : "";
    const estimate = budget
      ? ` · est. ${whole(budget.estimatedMonthlyUsd)} USD = ${whole(budget.estimatedMonthlyDai)} DAI/month, ${percent(budget.utilization ?? 0)} of cap ${whole(budget.monthlyCapDai ?? 0)} DAI${unknown}`
      : ` · est. ${whole(sumUsd(members))} USD/month, no cap configured`;
    lines.push("", `Budget line ${lineId}${budget ? ` (${budget.name})` : ""}${estimate} · ${members.length} resources`);
    const byWorkload = groupBy(members, (r) => r.workload ?? SHARED);
    for (const workload of sortedKeys(byWorkload)) {
      const group = byWorkload.get(workload)!;
      lines.push(`  workload ${workload} · ${group.length} · ${money(sumUsd(group))} USD/month`);
      for (const r of [...group].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))) {
        lines.push(`    ${r.type.padEnd(typeWidth)}  ${amount(r).padStart(amountWidth)}  ${r.name}${flags(r)}`);
      }
    }
  }

  const partial = cloud.filter((r) => r.monthlyUsd !== null && r.unpricedReason);
  if (partial.length > 0) {
    lines.push("", `Left out of the estimates of priced resources (marked +): ${partial.length}`);
    for (const r of partial) lines.push(`  ${r.type} ${r.name}: ${r.unpricedReason}`);
  }
  lines.push("");
  if (plan.unpriced.length === 0) lines.push("Unpriced: none — every resource that costs money is priced.");
  else {
    const groups = unpricedGroups(plan);
    lines.push(`Unpriced: ${plan.unpriced.length} resources cost money the estimate cannot price, for ${groups.length} reason${groups.length === 1 ? "" : "s"}; they count 0 in the totals above`);
    for (const g of groups) lines.push(`  ${g.count} · ${g.reason}`, `      ${groupTypes(g)}: ${g.resources.map((r) => r.name).join(", ")}`);
  }

  const sandboxes = sandboxesByExpiry(plan);
  if (sandboxes.length > 0) {
    const attention = sandboxes.filter((s) => s.status !== "active").length;
    lines.push("", `Sandboxes: ${sandboxes.length}${attention > 0 ? ` · ${attention} expired or expiring within 14 days` : ""}`);
    for (const s of sandboxes) {
      const left = daysLeftText(s.daysLeft);
      const mark = s.status === "active" ? "" : ` [${s.status.toUpperCase()}]`;
      lines.push(`  ${s.name} (owner ${s.owner}) · expires ${s.expiresOn}, ${left}${mark} · est. ${money(s.monthlyUsd)} USD/month of a ${money(s.monthlyBudgetUsd)} USD budget`);
    }
  }

  lines.push("");
  if (plan.violations.length === 0) {
    lines.push("Violations: none — every resource passes the policy pack (cost tags, guardrails, security).");
  } else {
    const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    lines.push(`Violations: ${plan.violations.length} (${mandatory} mandatory, ${plan.violations.length - mandatory} advisory)`);
    for (const v of plan.violations) lines.push(`  [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
  }
  lines.push("", ...breachesText(plan));
  return `${lines.join("\n")}\n`;
}
