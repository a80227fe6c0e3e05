/** The plan's cost report as GitHub-flavoured markdown, sized for one pull-request comment. */
import { CostedPlan } from "./costed-plan";
import { dai, fitComment, mdCell, mdTable, percent, truncated, usd } from "./format";
import { groupTypes } from "./price-gaps";
import { costDrivers, daysLeftText, groupNames, lineLabel, lineSummaries, planWarnings, sandboxesByExpiry, totals, unpricedGroups, utilizationText } from "./report-data";
import { breachesMarkdown } from "../tools/plan/constraints/report";

/** `unpriced`: rows of grouped reasons. */
export const LIMITS = { drivers: 10, unpriced: 50, violations: 50 };

function utilizationCell(l: Parameters<typeof utilizationText>[0]): string {
  const { text, flag } = utilizationText(l);
  return flag ? `**${mdCell(text)}**` : mdCell(text);
}

const more = (n: number, what: string, where: string): string[] => (n > 0 ? ["", `_… and ${n} more ${what}; ${where}._`] : []);

export function renderMarkdown(plan: CostedPlan): string {
  const total = totals(plan);
  const warnings = planWarnings(plan);
  const out: string[] = [
    `## Cost estimate · ${mdCell(plan.project)} · stack ${mdCell(plan.stack)} (${mdCell(plan.environment)})`,
    "",
    ...warnings.flatMap((w) => [`> **Warning:** ${mdCell(w.message)}`, ""]),
    `Monthly estimate **${usd(total.usd)} USD** ≈ **${dai(total.dai)} DAI** (${plan.daiPerUsd} DAI per USD) against caps of ${dai(total.capDai)} DAI` +
      `${total.utilization === null ? "" : ` (${percent(total.utilization)})`}; ${plan.unpriced.length} unpriced resource${plan.unpriced.length === 1 ? "" : "s"}. ` +
      `Plan generated ${plan.generatedAt}; on-demand list prices, 730 hours a month.`,
    "",
    ...mdTable(
      ["Budget line", "Cap (DAI/month)", "Estimate (USD/month)", "Estimate (DAI/month)", "Utilization", "Resources"],
      [
        ...lineSummaries(plan).map((l) => [
          mdCell(lineLabel(l)),
          l.monthlyCapDai === null ? "—" : dai(l.monthlyCapDai),
          usd(l.estimatedMonthlyUsd),
          dai(l.estimatedMonthlyDai),
          utilizationCell(l),
          String(l.resourceCount),
        ]),
        ["**Total**", dai(total.capDai), usd(total.usd), dai(total.dai), total.capCheck === "unknown" ? utilizationCell(total) : total.utilization === null ? "—" : percent(total.utilization), ""],
      ],
      [1, 2, 3, 4, 5],
    ),
  ];

  const drivers = truncated(costDrivers(plan), LIMITS.drivers);
  out.push("", `### Top cost drivers`, "");
  if (drivers.shown.length === 0) out.push("No priced resource costs anything.");
  else
    out.push(
      ...mdTable(
        ["#", "Resource", "Type", "Budget line", "Workload", "USD/month", "DAI/month"],
        drivers.shown.map((r, i) => [
          String(i + 1),
          mdCell(r.name),
          mdCell(r.type),
          mdCell(r.budgetLine ?? "—"),
          mdCell(r.workload ?? "—"),
          usd(r.monthlyUsd ?? 0),
          dai((r.monthlyUsd ?? 0) * plan.daiPerUsd),
        ]),
        [0, 5, 6],
      ),
    );

  const groups = unpricedGroups(plan);
  const unpriced = truncated(groups, LIMITS.unpriced);
  out.push("", `### Unpriced resources (${plan.unpriced.length}${groups.length > 0 ? `, ${groups.length} reason${groups.length === 1 ? "" : "s"}` : ""})`, "");
  if (unpriced.shown.length === 0) out.push("None: the price tables cover every resource that costs money.");
  else
    out.push(
      ...mdTable(["Resources", "Why", "Which"], unpriced.shown.map((g) => [String(g.count), mdCell(g.reason), mdCell(`${groupTypes(g)}: ${groupNames(g)}`)]), [0]),
      ...more(unpriced.more, "reasons", "`npm run plan -- --format csv` lists every resource"),
    );

  const sandboxes = sandboxesByExpiry(plan);
  if (sandboxes.length > 0) {
    const attention = sandboxes.filter((s) => s.status !== "active").length;
    out.push("", `### Sandboxes (${sandboxes.length}${attention > 0 ? `, ${attention} expired or expiring within 14 days` : ""})`, "");
    out.push(
      ...mdTable(
        ["Sandbox", "Owner", "Expires", "Days left", "Status", "Estimate (USD/month)", "Budget (USD/month)"],
        sandboxes.map((s) => [mdCell(s.name), mdCell(s.owner), s.expiresOn, daysLeftText(s.daysLeft), s.status === "active" ? s.status : `**${s.status}**`, usd(s.monthlyUsd), usd(s.monthlyBudgetUsd)]),
        [5, 6],
      ),
    );
  }

  const violations = truncated(plan.violations, LIMITS.violations);
  out.push("", `### Policy violations (${plan.violations.length})`, "");
  if (violations.shown.length === 0) out.push("None: every resource passes the policy pack.");
  else out.push(...mdTable(["Level", "Policy", "Message"], violations.shown.map((v) => [v.enforcementLevel, mdCell(v.policy), mdCell(v.message)])), ...more(violations.more, "violations", "`npm run plan` lists them all"));

  out.push("", ...breachesMarkdown(plan));
  return fitComment(`${out.join("\n")}\n`);
}
