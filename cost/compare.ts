/** The cost a change makes: two priced plans of one stack compared per budget line and per resource (by URN). */
import { CostedPlan, CostedResource, cloudResources, compareText } from "./costed-plan";
import { InputFileError } from "./errors";
import { cents, dai, fitComment, mdCell, mdTable, percent, signedDai, signedUsd, textTable, truncated, usd } from "./format";
import { NO_BUDGET_LINE, lineSummaries } from "./report-data";

export interface LineDelta {
  /** null: resources on no budget line the stack configures. */
  id: string | null;
  name: string;
  monthlyCapDai: number | null;
  baseUsd: number;
  headUsd: number;
  deltaUsd: number;
  deltaDai: number;
  /** After the change; null without a cap. */
  utilization: number | null;
}

export type Change = "added" | "removed" | "changed";

export interface ResourceDelta {
  change: Change;
  urn: string;
  type: string;
  name: string;
  baseBudgetLine: string | null;
  headBudgetLine: string | null;
  /** null: not in that plan, or unpriced there. */
  baseUsd: number | null;
  headUsd: number | null;
  /** null when either side is unpriced (an added or removed resource counts its missing side as 0). */
  deltaUsd: number | null;
}

export interface CostDiff {
  project: string;
  stack: string;
  base: { generatedAt: string; totalMonthlyUsd: number; unpriced: number };
  head: { generatedAt: string; totalMonthlyUsd: number; unpriced: number };
  daiPerUsd: number;
  deltaUsd: number;
  deltaDai: number;
  lines: LineDelta[];
  added: ResourceDelta[];
  removed: ResourceDelta[];
  changed: ResourceDelta[];
}

/** |delta| descending, unknown deltas after known ones, then URN (or id): the same order on every run. */
function byDelta<T extends { deltaUsd: number | null }>(key: (t: T) => string): (a: T, b: T) => number {
  const size = (t: T): number => (t.deltaUsd === null ? -1 : Math.abs(cents(t.deltaUsd)));
  return (a, b) => size(b) - size(a) || compareText(key(a), key(b));
}

function delta(r: { base?: CostedResource; head?: CostedResource }): number | null {
  const base = r.base ? r.base.monthlyUsd : 0;
  const head = r.head ? r.head.monthlyUsd : 0;
  return base === null || head === null ? null : head - base;
}

/** Resources a cost reviewer cares about changed: price, priced-ness, or the budget line it is charged to. */
function costChanged(base: CostedResource, head: CostedResource): boolean {
  if ((base.monthlyUsd === null) !== (head.monthlyUsd === null)) return true;
  if (base.budgetLine !== head.budgetLine) return true;
  return base.monthlyUsd !== null && head.monthlyUsd !== null && cents(head.monthlyUsd) !== cents(base.monthlyUsd);
}

export function comparePlans(base: CostedPlan, head: CostedPlan): CostDiff {
  if (base.stack !== head.stack) {
    throw new InputFileError(`the base plan is of stack ${base.stack}, this one of stack ${head.stack}: compare plans of one stack (npm run plan -- --stack ${head.stack} --format json on the base branch)`);
  }
  const baseByUrn = new Map(cloudResources(base.resources).map((r) => [r.urn, r]));
  const headByUrn = new Map(cloudResources(head.resources).map((r) => [r.urn, r]));
  const entry = (change: Change, b: CostedResource | undefined, h: CostedResource | undefined): ResourceDelta => {
    const r = (h ?? b)!;
    return {
      change,
      urn: r.urn,
      type: r.type,
      name: r.name,
      baseBudgetLine: b?.budgetLine ?? null,
      headBudgetLine: h?.budgetLine ?? null,
      baseUsd: b?.monthlyUsd ?? null,
      headUsd: h?.monthlyUsd ?? null,
      deltaUsd: delta({ base: b, head: h }),
    };
  };
  const added = [...headByUrn.values()].filter((r) => !baseByUrn.has(r.urn)).map((r) => entry("added", undefined, r));
  const removed = [...baseByUrn.values()].filter((r) => !headByUrn.has(r.urn)).map((r) => entry("removed", r, undefined));
  const changed = [...headByUrn.values()]
    .filter((r) => baseByUrn.has(r.urn) && costChanged(baseByUrn.get(r.urn)!, r))
    .map((r) => entry("changed", baseByUrn.get(r.urn), r));

  const baseLines = lineSummaries(base);
  const headLines = lineSummaries(head);
  const ids = [...new Set([...headLines, ...baseLines].map((l) => l.id))];
  const lines = ids.map((id): LineDelta => {
    const b = baseLines.find((l) => l.id === id);
    const h = headLines.find((l) => l.id === id);
    const capped = h ?? b!;
    return {
      id,
      name: capped.name,
      monthlyCapDai: h ? h.monthlyCapDai : null,
      baseUsd: b?.estimatedMonthlyUsd ?? 0,
      headUsd: h?.estimatedMonthlyUsd ?? 0,
      deltaUsd: (h?.estimatedMonthlyUsd ?? 0) - (b?.estimatedMonthlyUsd ?? 0),
      deltaDai: (h?.estimatedMonthlyDai ?? 0) - (b?.estimatedMonthlyDai ?? 0),
      utilization: h?.utilization ?? null,
    };
  });

  return {
    project: head.project,
    stack: head.stack,
    base: { generatedAt: base.generatedAt, totalMonthlyUsd: base.totalMonthlyUsd, unpriced: base.unpriced.length },
    head: { generatedAt: head.generatedAt, totalMonthlyUsd: head.totalMonthlyUsd, unpriced: head.unpriced.length },
    daiPerUsd: head.daiPerUsd,
    deltaUsd: head.totalMonthlyUsd - base.totalMonthlyUsd,
    deltaDai: head.totalMonthlyUsd * head.daiPerUsd - base.totalMonthlyUsd * base.daiPerUsd,
    lines: lines.sort(byDelta((l) => l.id ?? NO_BUDGET_LINE)),
    added: added.sort(byDelta((r) => r.urn)),
    removed: removed.sort(byDelta((r) => r.urn)),
    changed: changed.sort(byDelta((r) => r.urn)),
  };
}

/** The hidden line CI looks for to update the stack's cost comment in place instead of adding another. */
export function diffMarker(stack: string): string {
  return `<!-- core-unit-estate:cost-diff:${stack} -->`;
}

export const DIFF_LIMIT = 100;

const money = (n: number | null): string => (n === null ? "unpriced" : usd(n));
const change = (n: number | null): string => (n === null ? "unpriced" : signedUsd(n));
/** Before and after: "—" where the resource does not exist, "unpriced" where it exists unpriced. */
const sides = (r: ResourceDelta): [string, string] => [r.change === "added" ? "—" : money(r.baseUsd), r.change === "removed" ? "—" : money(r.headUsd)];
const lineMove = (r: ResourceDelta): string =>
  r.change === "changed" && r.baseBudgetLine !== r.headBudgetLine ? `${r.baseBudgetLine ?? "—"} → ${r.headBudgetLine ?? "—"}` : ((r.headBudgetLine ?? r.baseBudgetLine) ?? "—");

function headline(d: CostDiff): string {
  const counts = `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`;
  const from = `${usd(d.base.totalMonthlyUsd)} → ${usd(d.head.totalMonthlyUsd)} USD/month`;
  const unpriced = d.head.unpriced !== d.base.unpriced ? `; unpriced resources ${d.base.unpriced} → ${d.head.unpriced}` : "";
  return cents(d.deltaUsd) === 0 ? `no change to the monthly estimate (${from}); ${counts}${unpriced}` : `${signedUsd(d.deltaUsd)} USD/month (${signedDai(d.deltaDai)} DAI): ${from}; ${counts}${unpriced}`;
}

const lineHeaders = ["Budget line", "Cap (DAI/month)", "Before (USD/month)", "After (USD/month)", "Change (USD/month)", "Change (DAI/month)", "Utilization after"];
const lineCells = (l: LineDelta): string[] => [
  l.id === null ? l.name : `${l.name} (${l.id})`,
  l.monthlyCapDai === null ? "—" : dai(l.monthlyCapDai),
  usd(l.baseUsd),
  usd(l.headUsd),
  signedUsd(l.deltaUsd),
  signedDai(l.deltaDai),
  l.utilization === null ? "—" : l.utilization > 1 ? `${percent(l.utilization)} over cap` : percent(l.utilization),
];

const sections: [Change, string][] = [
  ["added", "Added"],
  ["removed", "Removed"],
  ["changed", "Changed"],
];

export function renderDiffMarkdown(d: CostDiff): string {
  const out = [
    diffMarker(d.stack),
    `## Cost diff · ${mdCell(d.project)} · stack ${mdCell(d.stack)}`,
    "",
    `This change: **${mdCell(headline(d))}**.`,
    "",
    ...mdTable(lineHeaders, d.lines.map((l) => lineCells(l).map((c, i) => (i === 6 && l.utilization !== null && l.utilization > 1 ? `**${c}**` : mdCell(c)))), [1, 2, 3, 4, 5, 6]),
  ];
  for (const [kind, title] of sections) {
    const all = d[kind];
    if (all.length === 0) continue;
    const { shown, more } = truncated(all, DIFF_LIMIT);
    const rows = shown.map((r) => [mdCell(r.name), mdCell(r.type), mdCell(lineMove(r)), ...sides(r), change(r.deltaUsd)]);
    out.push("", `### ${title} (${all.length})`, "", ...mdTable(["Resource", "Type", "Budget line", "Before (USD/month)", "After (USD/month)", "Change (USD/month)"], rows, [3, 4, 5]));
    if (more > 0) out.push("", `_… and ${more} more ${kind}, smaller changes; \`npm run plan -- --stack ${mdCell(d.stack)} --compare <base.json> --format json\` lists all._`);
  }
  out.push("", `<sub>Base plan ${mdCell(d.base.generatedAt)}, this plan ${mdCell(d.head.generatedAt)}; on-demand list prices, 730 hours a month, ${d.daiPerUsd} DAI per USD.</sub>`);
  return fitComment(`${out.join("\n")}\n`);
}

export function renderDiffText(d: CostDiff): string {
  const out = [`Cost diff · ${d.project} · stack ${d.stack}: ${headline(d)}`, "", ...textTable(lineHeaders, d.lines.map(lineCells), [1, 2, 3, 4, 5, 6])];
  for (const [kind, title] of sections) {
    if (d[kind].length === 0) continue;
    out.push("", `${title} (${d[kind].length})`);
    out.push(...textTable(["Resource", "Type", "Budget line", "Before", "After", "Change (USD/month)"], d[kind].map((r) => [r.name, r.type, lineMove(r), ...sides(r), change(r.deltaUsd)]), [3, 4, 5]).map((l) => `  ${l}`));
  }
  return `${out.join("\n")}\n`;
}

/** Amounts (fields in USD or DAI) to the cent and utilizations to 0.01%, as the other formats show them: no float noise. */
function rounded(key: string, value: unknown): unknown {
  if (typeof value !== "number") return value;
  if (/(?:Usd|Dai)$/.test(key)) return cents(value);
  return key === "utilization" ? Math.round(value * 10_000) / 10_000 : value;
}

export function renderDiffJson(d: CostDiff): string {
  return `${JSON.stringify({ marker: diffMarker(d.stack), ...d }, rounded, 2)}\n`;
}
