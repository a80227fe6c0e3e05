/** The plan's cost report as one self-contained HTML page with a chart of estimate against cap per budget line. */
import { CostedPlan } from "./costed-plan";
import { dai, html, percent, usd } from "./format";
import { Cell, barChart, page, table } from "./html";
import { groupTypes } from "./price-gaps";
import { costDrivers, daysLeftText, groupNames, lineLabel, lineSummaries, planWarnings, sandboxesByExpiry, totals, unpricedGroups, utilizationText } from "./report-data";
import { breachesHtml } from "../tools/plan/constraints/report";

export const TOP_DRIVERS = 10;

function utilizationCell(l: Parameters<typeof utilizationText>[0]): Cell {
  const { text, flag } = utilizationText(l);
  return { text, num: true, className: flag ?? undefined };
}

export function renderHtml(plan: CostedPlan): string {
  const warnings = planWarnings(plan);
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
      figures: `${dai(l.estimatedMonthlyDai)} of ${dai(l.monthlyCapDai!)} DAI · ${percent(l.utilization ?? 0)}${l.capCheck === "over" ? " · above the cap" : l.capCheck === "unknown" ? ` · cap check unknown: ${l.unpricedByRegion} unpriced` : ""}`,
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
        utilizationCell(l),
        num(String(l.resourceCount)),
      ]),
      [{ text: "Total" }, num(dai(total.capDai)), num(usd(total.usd)), num(dai(total.dai)), total.capCheck === "unknown" ? utilizationCell(total) : num(total.utilization === null ? "—" : percent(total.utilization)), num("")],
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

  const groups = unpricedGroups(plan);
  const unpriced =
    groups.length === 0
      ? `<p>None: the price tables cover every resource that costs money.</p>`
      : table(
          "Resources that cost money the price tables cannot price, one row per reason: not counted in the estimate",
          [num("Resources"), { text: "Why" }, { text: "Which" }],
          groups.map((g) => [num(String(g.count)), { text: g.reason }, { text: `${groupTypes(g)}: ${groupNames(g)}`, className: "name" }]),
        );

  const sandboxList = sandboxesByExpiry(plan);
  const attention = sandboxList.filter((s) => s.status !== "active").length;
  const sandboxes =
    sandboxList.length === 0
      ? ""
      : [
          `<h2>Sandboxes (${sandboxList.length}${attention > 0 ? `, ${attention} expired or expiring within 14 days` : ""})</h2>`,
          table(
            "Per-engineer sandboxes: owner, expiry and estimate against budget",
            [{ text: "Sandbox" }, { text: "Owner" }, { text: "Expires" }, num("Days left"), { text: "Status" }, num("Estimate (USD/month)"), num("Budget (USD/month)")],
            sandboxList.map((s) => [
              { text: s.name, className: "name" },
              { text: s.owner },
              { text: s.expiresOn },
              num(daysLeftText(s.daysLeft)),
              { text: s.status, className: s.status === "active" ? "" : "over" },
              num(usd(s.monthlyUsd)),
              num(usd(s.monthlyBudgetUsd)),
            ]),
          ),
        ].join("\n");

  const violations =
    plan.violations.length === 0
      ? `<p>None: every resource passes the policy pack.</p>`
      : table("The policy pack's findings", [{ text: "Level" }, { text: "Policy" }, { text: "Message" }], plan.violations.map((v) => [{ text: v.enforcementLevel, className: v.enforcementLevel === "mandatory" ? "over" : "" }, { text: v.policy }, { text: v.message, className: "name" }]));

  const body = [
    `<h1>${html(title)}</h1>`,
    ...warnings.map((w) => `<p class="warning" role="alert"><strong>Warning:</strong> ${html(w.message)}</p>`),
    `<p class="meta">Environment ${html(plan.environment)} · plan generated ${html(plan.generatedAt)} · on-demand list prices, 730 hours a month · ${html(String(plan.daiPerUsd))} DAI per USD</p>`,
    `<p class="summary">Monthly estimate <strong>${usd(total.usd)} USD</strong> ≈ <strong>${dai(total.dai)} DAI</strong> against caps of ${dai(total.capDai)} DAI${total.utilization === null ? "" : ` (${percent(total.utilization)})`}; ${plan.unpriced.length} unpriced resource${plan.unpriced.length === 1 ? "" : "s"}.</p>`,
    `<figure>\n${chart}\n<figcaption>Grey track: the line's monthly cap; bar: the estimate; a red bar passes the cap.</figcaption>\n</figure>`,
    `<h2>Budget lines</h2>`,
    lineTable,
    `<h2>Top cost drivers</h2>`,
    driverTable,
    `<h2>Unpriced resources (${plan.unpriced.length}${groups.length > 0 ? `, ${groups.length} reason${groups.length === 1 ? "" : "s"}` : ""})</h2>`,
    unpriced,
    ...(sandboxes ? [sandboxes] : []),
    `<h2>Policy violations (${plan.violations.length})</h2>`,
    violations,
    breachesHtml(plan),
  ].join("\n");
  return page(title, body);
}
