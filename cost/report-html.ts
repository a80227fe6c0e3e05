/** The plan's cost report as one self-contained HTML page with a chart of estimate against cap per budget line. */
import { CostedPlan } from "./costed-plan";
import { dai, html, percent, usd } from "./format";
import { Cell, barChart, page, table } from "./html";
import { breachesHtml } from "../tools/plan/constraints/report";
import { costDrivers, lineLabel, lineSummaries, totals } from "./report-data";

export const TOP_DRIVERS = 10;

export function renderHtml(plan: CostedPlan): string {
  const total = totals(plan);
  const lines = lineSummaries(plan);
  const title = `Cost estimate · ${plan.project} · stack ${plan.stack}`;
  const capped = lines.filter((l) => l.monthlyCapDai !== null);
  const chart = barChart(
    "estimate-vs-cap",
    `Monthly estimate against cap per budget line, stack ${plan.stack}, in DAI`,
    capped.map((l) => `${l.name}: estimate ${dai(l.estimatedMonthlyDai)} DAI of a ${dai(l.monthlyCapDai!)} DAI cap (${percent(l.utilization ?? 0)}).`).join(" "),
    [{ name: "estimate (DAI/month)", color: "#2f6db5" }],
    capped.map((l) => ({
      label: lineLabel(l),
      cap: l.monthlyCapDai,
      values: [l.estimatedMonthlyDai],
      summary: `${l.name}: estimate ${dai(l.estimatedMonthlyDai)} DAI of a ${dai(l.monthlyCapDai!)} DAI cap (${percent(l.utilization ?? 0)})`,
      figures: `${dai(l.estimatedMonthlyDai)} of ${dai(l.monthlyCapDai!)} DAI · ${percent(l.utilization ?? 0)}${(l.utilization ?? 0) > 1 ? " · above the cap" : ""}`,
    })),
  );

  const num = (text: string, className?: string): Cell => ({ text, num: true, className });
  const lineTable = table(
    "Per budget line, per month",
    [{ text: "Budget line" }, num("Cap (DAI)"), num("Estimate (USD)"), num("Estimate (DAI)"), num("Utilization"), num("Resources")],
    [
      ...lines.map((l) => [
        { text: lineLabel(l) },
        num(l.monthlyCapDai === null ? "—" : dai(l.monthlyCapDai)),
        num(usd(l.estimatedMonthlyUsd)),
        num(dai(l.estimatedMonthlyDai)),
        l.utilization === null ? num("—") : num(l.utilization > 1 ? `${percent(l.utilization)} over cap` : percent(l.utilization), l.utilization > 1 ? "over" : undefined),
        num(String(l.resourceCount)),
      ]),
      [{ text: "Total" }, num(dai(total.capDai)), num(usd(total.usd)), num(dai(total.dai)), num(total.utilization === null ? "—" : percent(total.utilization)), num("")],
    ],
    (i) => (i === lines.length ? "total" : ""),
  );

  const drivers = costDrivers(plan).slice(0, TOP_DRIVERS);
  const driverTable =
    drivers.length === 0
      ? `<p>No priced resource costs anything.</p>`
      : table(
          `The ${drivers.length} most expensive resources`,
          [num("#"), { text: "Resource" }, { text: "Type" }, { text: "Budget line" }, { text: "Workload" }, num("USD/month"), num("DAI/month")],
          drivers.map((r, i) => [
            num(String(i + 1)),
            { text: r.name, className: "name" },
            { text: r.type, className: "type" },
            { text: r.budgetLine ?? "—" },
            { text: r.workload ?? "—" },
            num(usd(r.monthlyUsd ?? 0)),
            num(dai((r.monthlyUsd ?? 0) * plan.daiPerUsd)),
          ]),
        );

  const unpriced =
    plan.unpriced.length === 0
      ? `<p>None: the price tables cover every resource that costs money.</p>`
      : table("Resources that cost money the price tables cannot price: not counted in the estimate", [{ text: "Resource" }, { text: "Type" }, { text: "Why" }], plan.unpriced.map((u) => [{ text: u.name, className: "name" }, { text: u.type, className: "type" }, { text: u.reason }]));

  const violations =
    plan.violations.length === 0
      ? `<p>None: every resource passes the policy pack.</p>`
      : table("The policy pack's findings", [{ text: "Level" }, { text: "Policy" }, { text: "Message" }], plan.violations.map((v) => [{ text: v.enforcementLevel, className: v.enforcementLevel === "mandatory" ? "over" : "" }, { text: v.policy }, { text: v.message, className: "name" }]));

  const body = [
    `<h1>${html(title)}</h1>`,
    `<p class="meta">Environment ${html(plan.environment)} · plan generated ${html(plan.generatedAt)} · on-demand list prices, 730 hours a month · ${html(String(plan.daiPerUsd))} DAI per USD</p>`,
    `<p class="summary">Monthly estimate <strong>${usd(total.usd)} USD</strong> ≈ <strong>${dai(total.dai)} DAI</strong> against caps of ${dai(total.capDai)} DAI${total.utilization === null ? "" : ` (${percent(total.utilization)})`}; ${plan.unpriced.length} unpriced resource${plan.unpriced.length === 1 ? "" : "s"}.</p>`,
    `<figure>\n${chart}\n<figcaption>Grey track: the line's monthly cap; bar: the estimate; a red bar passes the cap.</figcaption>\n</figure>`,
    `<h2>Budget lines</h2>`,
    lineTable,
    `<h2>Top cost drivers</h2>`,
    driverTable,
    `<h2>Unpriced resources (${plan.unpriced.length})</h2>`,
    unpriced,
    `<h2>Policy violations (${plan.violations.length})</h2>`,
    violations,
    breachesHtml(plan),
  ].join("\n");
  return page(title, body);
}
