/** The monthly reconciliation (cap, forecast, actual per budget line) as text, markdown, CSV or HTML. */
import { ReconciledLine, Reconciliation } from "./actuals-reconcile";
import { csvDocument } from "./csv";
import { cents, dai, html, mdCell, mdTable, percent, signedDai, textTable, usd } from "./format";
import { Cell, barChart, page, table } from "./html";

export const ACTUALS_FORMATS = ["text", "markdown", "csv", "html"] as const;
export type ActualsFormat = (typeof ACTUALS_FORMATS)[number];

const HEADERS = ["Budget line", "Cap (DAI)", "Forecast (DAI)", "Actual (DAI)", "Cap − actual (DAI)", "Actual − forecast (DAI)", "Actual (USD)", "Used of cap"];
const NUMBERS = [1, 2, 3, 4, 5, 6, 7];

const label = (l: ReconciledLine): string => (l.id === null || l.id === "total" ? l.name : `${l.name} (${l.id})`);
const used = (l: ReconciledLine): number | null => (l.monthlyCapDai ? l.actualDai / l.monthlyCapDai : null);

function cells(l: ReconciledLine): string[] {
  const share = used(l);
  return [
    label(l),
    l.monthlyCapDai === null ? "—" : dai(l.monthlyCapDai),
    dai(l.forecastDai),
    dai(l.actualDai),
    l.capMinusActualDai === null ? "—" : signedDai(l.capMinusActualDai),
    signedDai(l.actualMinusForecastDai),
    usd(l.actualUsd),
    share === null ? "—" : share > 1 ? `${percent(share)} over cap` : percent(share),
  ];
}

function title(r: Reconciliation): string {
  return `Actual cost ${r.month} · ${r.project} · stack ${r.stack} (${r.environment})`;
}

function source(r: Reconciliation): string {
  return `${r.sources.map((s) => `${s.exportName}, ${s.file}`).join(" + ")}; forecast: the plan's estimate (on-demand list prices, 730 hours); ${r.daiPerUsd} DAI per USD (the stack's daiPerUsd)`;
}

/** Plain sentences under the table: untagged cost, what was left out, the other months. */
export function notes(r: Reconciliation): string[] {
  const out: string[] = [];
  const untagged = r.lines.find((l) => l.id === null);
  if (untagged && untagged.actualUsd !== 0) {
    out.push(
      `Untagged: ${usd(untagged.actualUsd)} USD (${untagged.lineItems} line item${untagged.lineItems === 1 ? "" : "s"}) carry no budget-line tag; tag the resources through components/tagging, or activate the cost tags as cost allocation tags (AWS), then re-export.`,
    );
  }
  const unknown = r.lines.filter((l) => l.id !== null && l.monthlyCapDai === null && l.actualUsd !== 0);
  if (unknown.length > 0) out.push(`Charged to budget lines this stack has no cap for: ${unknown.map((l) => `${l.id} (${usd(l.actualUsd)} USD)`).join(", ")}.`);
  for (const e of r.excluded) {
    out.push(`Left out: ${usd(e.actualUsd)} USD (${e.lineItems} line item${e.lineItems === 1 ? "" : "s"}) tagged environment ${e.environment}, another stack's.`);
  }
  if (r.sources.length > 1) {
    const each = r.sources.map((s) => `${s.file} ${usd(s.actualUsd)} USD (${s.lineItems} line item${s.lineItems === 1 ? "" : "s"})`);
    out.push(`Merged per budget line from ${r.sources.length} exports, ${r.month}: ${each.join(", ")}.`);
    const silent = r.sources.filter((s) => s.lineItems === 0);
    if (silent.length > 0) out.push(`No charges in ${r.month} in ${silent.map((s) => `${s.file} (months in it: ${s.months.join(", ") || "none"})`).join(", ")}: that cloud's spend is missing from this month.`);
  }
  if (r.months.length > 1) out.push(`Months in the export${r.sources.length > 1 ? "s" : ""}: ${r.months.join(", ")} (--month YYYY-MM picks one; the latest is the default).`);
  return out;
}

export function renderActualsText(r: Reconciliation): string {
  const out = [title(r), `Source: ${source(r)}`, "", ...textTable(HEADERS, [...r.lines, r.total].map(cells), NUMBERS)];
  const n = notes(r);
  if (n.length > 0) out.push("", ...n);
  return `${out.join("\n")}\n`;
}

export function renderActualsMarkdown(r: Reconciliation): string {
  const rows = r.lines.map((l) => cells(l).map((c, i) => (i === 7 && (used(l) ?? 0) > 1 ? `**${c}**` : mdCell(c))));
  rows.push(cells(r.total).map((c, i) => (i === 0 ? "**Total**" : mdCell(c))));
  const out = [`## ${mdCell(title(r))}`, "", `Source: ${mdCell(source(r))}.`, "", ...mdTable(HEADERS, rows, NUMBERS)];
  const n = notes(r);
  if (n.length > 0) out.push("", ...n.map((s) => `- ${mdCell(s)}`));
  return `${out.join("\n")}\n`;
}

export const ACTUALS_CSV_HEADER = [
  "month",
  "budget_line",
  "name",
  "cap_dai",
  "forecast_usd",
  "forecast_dai",
  "actual_usd",
  "actual_dai",
  "cap_minus_actual_dai",
  "actual_minus_forecast_dai",
  "line_items",
] as const;

export function renderActualsCsv(r: Reconciliation): string {
  const row = (l: ReconciledLine): (string | number | null)[] => [
    r.month,
    l.id ?? "",
    l.name,
    l.monthlyCapDai,
    cents(l.forecastUsd),
    cents(l.forecastDai),
    cents(l.actualUsd),
    cents(l.actualDai),
    l.capMinusActualDai === null ? null : cents(l.capMinusActualDai),
    cents(l.actualMinusForecastDai),
    l.lineItems,
  ];
  return csvDocument([[...ACTUALS_CSV_HEADER], ...r.lines.map(row), row(r.total)]);
}

export function renderActualsHtml(r: Reconciliation): string {
  const chart = barChart(
    "actual-vs-forecast",
    `Cap, forecast and actual per budget line, ${r.month}, stack ${r.stack}, in DAI`,
    r.lines.map((l) => `${label(l)}: cap ${l.monthlyCapDai === null ? "none" : `${dai(l.monthlyCapDai)} DAI`}, forecast ${dai(l.forecastDai)} DAI, actual ${dai(l.actualDai)} DAI.`).join(" "),
    [
      { name: "forecast (DAI)", color: "#9db5d9" },
      { name: "actual (DAI)", color: "#2f6db5" },
    ],
    r.lines.map((l) => ({
      label: label(l),
      cap: l.monthlyCapDai,
      values: [l.forecastDai, l.actualDai],
      summary: `${label(l)}: cap ${l.monthlyCapDai === null ? "none" : `${dai(l.monthlyCapDai)} DAI`}, forecast ${dai(l.forecastDai)} DAI, actual ${dai(l.actualDai)} DAI`,
      figures: `actual ${dai(l.actualDai)} · forecast ${dai(l.forecastDai)}${l.monthlyCapDai === null ? " DAI · no cap" : ` · cap ${dai(l.monthlyCapDai)} DAI`}`,
    })),
  );
  const rows = [...r.lines, r.total].map((l) =>
    cells(l).map((text, i): Cell => ({ text, num: i > 0, className: i === 7 && (used(l) ?? 0) > 1 ? "over" : i === 0 && l.id === null ? "muted" : undefined })),
  );
  const n = notes(r);
  const body = [
    `<h1>${html(title(r))}</h1>`,
    `<p class="meta">Source: ${html(source(r))}</p>`,
    `<figure>\n${chart}\n<figcaption>Grey track: the line's monthly cap; light bar: the plan's forecast; dark bar: what was billed; a red bar passes the cap.</figcaption>\n</figure>`,
    `<h2>Budget lines</h2>`,
    table(`Per budget line, ${r.month}`, HEADERS.map((text, i) => ({ text, num: i > 0 })), rows, (i) => (i === r.lines.length ? "total" : "")),
    ...(n.length > 0 ? [`<h2>Notes</h2>`, `<ul>${n.map((s) => `<li>${html(s)}</li>`).join("")}</ul>`] : []),
  ].join("\n");
  return page(title(r), body);
}

export function renderActuals(r: Reconciliation, format: ActualsFormat): string {
  switch (format) {
    case "markdown":
      return renderActualsMarkdown(r);
    case "csv":
      return renderActualsCsv(r);
    case "html":
      return renderActualsHtml(r);
    default:
      return renderActualsText(r);
  }
}
