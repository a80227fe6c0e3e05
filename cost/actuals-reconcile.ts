/** SES-style monthly reconciliation: per budget line, the cap, the plan's forecast and what the cloud billed. */
import { findBudgetLine, MIP_BUDGET } from "../components/tagging";
import { Actuals, ActualsSource } from "./actuals-merge";
import { CostedPlan, cloudResources, compareText } from "./costed-plan";
import { InputFileError } from "./errors";

export const UNTAGGED = "(untagged)";

export interface ReconciledLine {
  /** null: cost with no budget-line tag. */
  id: string | null;
  name: string;
  /** null: the stack configures no cap for it. */
  monthlyCapDai: number | null;
  forecastUsd: number;
  forecastDai: number;
  actualUsd: number;
  actualDai: number;
  /** Left of the cap after this month's actual; null without a cap. */
  capMinusActualDai: number | null;
  /** Positive: billed more than forecast. */
  actualMinusForecastDai: number;
  /** Line items of the export counted here. */
  lineItems: number;
}

export interface Reconciliation {
  project: string;
  stack: string;
  environment: string;
  /** The exports read, in the order given, each with what it adds to this report (the month, this environment). */
  sources: (ActualsSource & { lineItems: number; actualUsd: number })[];
  month: string;
  months: string[];
  daiPerUsd: number;
  lines: ReconciledLine[];
  total: ReconciledLine;
  /** Cost tagged with another environment: another stack's, left out. */
  excluded: { environment: string; actualUsd: number; lineItems: number }[];
}

/** The month to report: the one asked for if the exports have charges in it, else the latest in them. */
export function chooseMonth(actuals: Actuals, month: string | undefined): string {
  const files = actuals.sources.map((s) => s.file).join(", ");
  const noun = actuals.sources.length === 1 ? "the file" : "the files";
  if (actuals.months.length === 0) throw new InputFileError(`${files}: no charges (a header and no rows)`);
  const chosen = month ?? actuals.months[actuals.months.length - 1];
  if (!actuals.months.includes(chosen)) throw new InputFileError(`${files}: no charges in ${chosen}; months in ${noun}: ${actuals.months.join(", ")}`);
  return chosen;
}

/**
 * Groups the month's charges by their budget-line tag and sets them against the plan: every configured line gets a
 * row (billed or not), a tagged line the stack does not configure gets one, and untagged cost gets its own, last.
 */
export function reconcile(plan: CostedPlan, actuals: Actuals, month?: string): Reconciliation {
  const chosen = chooseMonth(actuals, month);

  const actual = new Map<string | null, { usd: number; items: number }>();
  const excluded = new Map<string, { actualUsd: number; lineItems: number }>();
  for (const c of actuals.charges) {
    if (c.month !== chosen) continue;
    const env = c.tags.environment;
    if (env && env !== plan.environment) {
      const e = excluded.get(env) ?? { actualUsd: 0, lineItems: 0 };
      excluded.set(env, { actualUsd: e.actualUsd + c.costUsd, lineItems: e.lineItems + 1 });
      continue;
    }
    const id = c.tags["budget-line"] || null;
    const a = actual.get(id) ?? { usd: 0, items: 0 };
    actual.set(id, { usd: a.usd + c.costUsd, items: a.items + 1 });
  }

  const configured = new Map(plan.budgetLines.map((l) => [l.id, l]));
  const cloud = cloudResources(plan.resources);
  const forecastUsd = (id: string | null): number =>
    id !== null && configured.has(id) ? configured.get(id)!.estimatedMonthlyUsd : cloud.filter((r) => r.budgetLine === id).reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0);
  const others = [...actual.keys()].filter((id): id is string => id !== null && !configured.has(id)).sort(compareText);
  const ids: (string | null)[] = [...configured.keys(), ...others, ...(actual.has(null) || forecastUsd(null) !== 0 ? [null] : [])];

  const row = (id: string | null, name: string, cap: number | null, fUsd: number, aUsd: number, items: number): ReconciledLine => ({
    id,
    name,
    monthlyCapDai: cap,
    forecastUsd: fUsd,
    forecastDai: fUsd * plan.daiPerUsd,
    actualUsd: aUsd,
    actualDai: aUsd * plan.daiPerUsd,
    capMinusActualDai: cap === null ? null : cap - aUsd * plan.daiPerUsd,
    actualMinusForecastDai: (aUsd - fUsd) * plan.daiPerUsd,
    lineItems: items,
  });
  const lines = ids.map((id) => {
    const name = id === null ? UNTAGGED : (configured.get(id)?.name ?? findBudgetLine(id)?.name ?? `not a budget line of ${MIP_BUDGET.mip}`);
    return row(id, name, id !== null ? (configured.get(id)?.monthlyCapDai ?? null) : null, forecastUsd(id), actual.get(id)?.usd ?? 0, actual.get(id)?.items ?? 0);
  });
  const sum = (f: (l: ReconciledLine) => number): number => lines.reduce((s, l) => s + f(l), 0);
  const capTotal = plan.budgetLines.reduce((s, l) => s + l.monthlyCapDai, 0);
  const total = row("total", "Total", capTotal, sum((l) => l.forecastUsd), sum((l) => l.actualUsd), sum((l) => l.lineItems));

  return {
    project: plan.project,
    stack: plan.stack,
    environment: plan.environment,
    sources: actuals.sources.map((s) => {
      const mine = actuals.charges.filter((c) => c.file === s.file && c.month === chosen && !(c.tags.environment && c.tags.environment !== plan.environment));
      return { ...s, lineItems: mine.length, actualUsd: mine.reduce((sum, c) => sum + c.costUsd, 0) };
    }),
    month: chosen,
    months: actuals.months,
    daiPerUsd: plan.daiPerUsd,
    lines,
    total,
    excluded: [...excluded.entries()].sort(([a], [b]) => compareText(a, b)).map(([environment, e]) => ({ environment, ...e })),
  };
}
