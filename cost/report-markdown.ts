/** The plan's cost report as GitHub-flavoured markdown, sized for one pull-request comment. */
import { CostedPlan } from "./costed-plan";
import { dai, fitComment, mdCell, mdTable, percent, truncated, usd } from "./format";
import { breachesMarkdown } from "../tools/plan/constraints/report";
import { costDrivers, lineLabel, lineSummaries, totals } from "./report-data";

export const LIMITS = { drivers: 10, unpriced: 50, violations: 50 };

const more = (n: number, what: string, where: string): string[] => (n > 0 ? ["", `_… and ${n} more ${what}; ${where}._`] : []);

export function renderMarkdown(plan: CostedPlan): string {
  const total = totals(plan);
  const out: string[] = [
    `## Cost estimate · ${mdCell(plan.project)} · stack ${mdCell(plan.stack)} (${mdCell(plan.environment)})`,
    "",
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
          l.utilization === null ? "—" : l.utilization > 1 ? `**${percent(l.utilization)} over cap**` : percent(l.utilization),
          String(l.resourceCount),
        ]),
        ["**Total**", dai(total.capDai), usd(total.usd), dai(total.dai), total.utilization === null ? "—" : percent(total.utilization), ""],
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

  const unpriced = truncated(plan.unpriced, LIMITS.unpriced);
  out.push("", `### Unpriced resources (${plan.unpriced.length})`, "");
  if (unpriced.shown.length === 0) out.push("None: the price tables cover every resource that costs money.");
  else out.push(...mdTable(["Resource", "Type", "Why"], unpriced.shown.map((u) => [mdCell(u.name), mdCell(u.type), mdCell(u.reason)])), ...more(unpriced.more, "unpriced resources", "`npm run plan -- --format csv` lists every resource"));

  const violations = truncated(plan.violations, LIMITS.violations);
  out.push("", `### Policy violations (${plan.violations.length})`, "");
  if (violations.shown.length === 0) out.push("None: every resource passes the policy pack.");
  else out.push(...mdTable(["Level", "Policy", "Message"], violations.shown.map((v) => [v.enforcementLevel, mdCell(v.policy), mdCell(v.message)])), ...more(violations.more, "violations", "`npm run plan` lists them all"));

  out.push("", ...breachesMarkdown(plan));
  return fitComment(`${out.join("\n")}\n`);
}
