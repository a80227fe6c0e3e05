/** The plan as a person reads it: resources grouped by budget line, then workload. */
import { Plan, PlannedResource } from "./plan";

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

export function renderText(plan: Plan): string {
  const cloud = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
  const components = plan.resources.filter((r) => !r.custom && !r.type.startsWith("pulumi:"));
  const providers = plan.resources.filter((r) => r.type.startsWith("pulumi:providers:"));
  const lines: string[] = [
    `${plan.project} · stack ${plan.stack} (${plan.environment}) · ${cloud.length} cloud resources in ${components.length} components, ${providers.length} providers`,
  ];
  if (plan.substitutedSecrets.length > 0) {
    lines.push(`Secrets cannot be decrypted offline; placeholders stand in for: ${plan.substitutedSecrets.join(", ")}`);
  }
  const typeWidth = Math.max(...cloud.map((r) => r.type.length), 10);
  const byLine = groupBy(cloud, (r) => r.budgetLine ?? NO_BUDGET_LINE);
  for (const lineId of sortedKeys(byLine)) {
    const budget = plan.budgetLines.find((l) => l.id === lineId);
    const cap = budget ? ` · cap ${budget.monthlyCapDai.toLocaleString("en-US")} DAI/month` : "";
    const members = byLine.get(lineId)!;
    lines.push("", `Budget line ${lineId}${budget ? ` (${budget.name})` : ""}${cap} · ${members.length} resources`);
    const byWorkload = groupBy(members, (r) => r.workload ?? SHARED);
    for (const workload of sortedKeys(byWorkload)) {
      const group = byWorkload.get(workload)!;
      lines.push(`  workload ${workload} · ${group.length}`);
      for (const r of [...group].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))) {
        lines.push(`    ${r.type.padEnd(typeWidth)}  ${r.name}${flags(r)}`);
      }
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
  return `${lines.join("\n")}\n`;
}
