/**
 * The month's budget statement line items as MakerDAO's SES ecosystem API takes them (makerdao-ses/ecosystem-api,
 * BudgetStatementLineItem: month, position, group, budgetCategory, forecast, actual, comments,
 * canonicalBudgetCategory, headcountExpense, budgetCap, payment, currency), built on the reconciliation the actuals
 * report prints: one item per budget line and category for the reported month (forecast, actual, cap, payment), and
 * one per line for each of the next three months (forecast and cap only), the forecast the MIP40 top-up needs.
 * Amounts in DAI (the stack's daiPerUsd), to the cent.
 *
 * - group: the budget line's name; budgetCategory: "Cloud hosting" (the statement covers the line's cloud spend);
 *   canonicalBudgetCategory: the stack's `budgetLines.<id>.canonicalBudgetCategory`, else the line's default.
 * - forecast: the plan's estimate; in a later month, less the sandboxes that will have expired by its first day
 *   (untagged cost gets a forecast only where the plan has resources on no configured line).
 * - payment: the month's actual: a cloud bill is paid for the month it covers.
 */
import { CanonicalBudgetCategory, MIP_BUDGET, findBudgetLine, isHeadcountExpense } from "../components/tagging";
import type { ReconciledLine, Reconciliation } from "./actuals-reconcile";
import { CostedPlan, cloudResources } from "./costed-plan";
import { csvDocument } from "./csv";
import { cents } from "./format";

export const STATEMENT_FORMATS = ["budget-statement", "budget-statement-csv"] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export const STATEMENT_BUDGET_CATEGORY = "Cloud hosting";
/** Months after the reported one that get a forecast. */
export const FORECAST_MONTHS = 3;
/** The category of cloud cost on no configured line (untagged, or another line's tag): the infrastructure line's. */
const CLOUD_HOSTING_DEFAULT: CanonicalBudgetCategory = findBudgetLine("infrastructure-tools")!.canonicalBudgetCategory;

export interface StatementLineItem {
  /** The first day of the month, YYYY-MM-01. */
  month: string;
  /** 1-based, per month, in the reconciliation's line order. */
  position: number;
  group: string;
  budgetCategory: string;
  canonicalBudgetCategory: CanonicalBudgetCategory;
  headcountExpense: boolean;
  forecast: number;
  actual: number;
  /** null: no cap configured for the line in this stack. */
  budgetCap: number | null;
  payment: number;
  currency: "DAI";
  comments: string;
}

export interface BudgetStatement {
  ownerCode: string;
  /** The reported month, YYYY-MM-01. */
  month: string;
  project: string;
  stack: string;
  currency: "DAI";
  lineItems: StatementLineItem[];
}

/** `month` (YYYY-MM) plus `n` months, as YYYY-MM-01. */
export function monthStart(month: string, n = 0): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}

function categoryOf(line: ReconciledLine, plan: CostedPlan): CanonicalBudgetCategory {
  const configured = plan.budgetLines.find((l) => l.id === line.id)?.canonicalBudgetCategory as CanonicalBudgetCategory | undefined;
  return configured ?? (line.id !== null ? findBudgetLine(line.id)?.canonicalBudgetCategory : undefined) ?? CLOUD_HOSTING_DEFAULT;
}

/** The line's resources of sandboxes that expire before `firstDay`: they cost nothing that month. */
function expiredSandboxes(line: ReconciledLine, plan: CostedPlan, firstDay: string): { names: string[]; usd: number } {
  const expired = (plan.sandboxes ?? []).filter((s) => s.expiresOn < firstDay);
  const members = cloudResources(plan.resources).filter((r) => r.budgetLine === line.id && expired.some((s) => r.workload === `sandbox-${s.name}`));
  const names = expired.filter((s) => members.some((r) => r.workload === `sandbox-${s.name}`)).map((s) => `${s.name} (${s.expiresOn})`);
  return { names, usd: members.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0) };
}

export function budgetStatement(r: Reconciliation, plan: CostedPlan): BudgetStatement {
  const dai = (usd: number): number => cents(usd * r.daiPerUsd);
  const reported = r.lines.map((line, i): StatementLineItem => {
    const category = categoryOf(line, plan);
    const billed = line.lineItems === 0 ? "nothing billed" : `${line.lineItems} billing line item${line.lineItems === 1 ? "" : "s"} (${r.sources.map((s) => s.exportName).join(" + ")})`;
    return {
      month: monthStart(r.month),
      position: i + 1,
      group: line.name,
      budgetCategory: STATEMENT_BUDGET_CATEGORY,
      canonicalBudgetCategory: category,
      headcountExpense: isHeadcountExpense(category),
      forecast: dai(line.forecastUsd),
      actual: dai(line.actualUsd),
      budgetCap: line.monthlyCapDai,
      payment: dai(line.actualUsd),
      currency: "DAI",
      comments: `${line.id ?? "untagged"}: actual ${billed}; forecast: the plan's estimate (on-demand list prices, 730 hours)`,
    };
  });
  // Untagged cost is reported when billed; it gets a forecast only where the plan has resources on no line.
  const forecastLines = r.lines.filter((line) => line.id !== null || cents(line.forecastUsd) !== 0);
  const ahead = Array.from({ length: FORECAST_MONTHS }, (_, k) => monthStart(r.month, k + 1)).flatMap((month) =>
    forecastLines.map((line, i): StatementLineItem => {
      const category = categoryOf(line, plan);
      const expired = expiredSandboxes(line, plan, month);
      return {
        month,
        position: i + 1,
        group: line.name,
        budgetCategory: STATEMENT_BUDGET_CATEGORY,
        canonicalBudgetCategory: category,
        headcountExpense: isHeadcountExpense(category),
        forecast: dai(line.forecastUsd - expired.usd),
        actual: 0,
        budgetCap: line.monthlyCapDai,
        payment: 0,
        currency: "DAI",
        comments: `${line.id ?? "untagged"}: forecast: the plan's estimate${expired.names.length > 0 ? `, less ${dai(expired.usd).toFixed(2)} DAI of sandboxes expired by then: ${expired.names.join(", ")}` : ""}`,
      };
    }),
  );
  return { ownerCode: MIP_BUDGET.coreUnit.toUpperCase(), month: monthStart(r.month), project: r.project, stack: r.stack, currency: "DAI", lineItems: [...reported, ...ahead] };
}

export const STATEMENT_CSV_HEADER = [
  "month",
  "position",
  "group",
  "budgetCategory",
  "canonicalBudgetCategory",
  "headcountExpense",
  "forecast",
  "actual",
  "budgetCap",
  "payment",
  "currency",
  "comments",
] as const;

export function renderBudgetStatement(s: BudgetStatement, format: StatementFormat): string {
  if (format === "budget-statement") return `${JSON.stringify(s, null, 2)}\n`;
  const rows = s.lineItems.map((i) => STATEMENT_CSV_HEADER.map((key) => (typeof i[key] === "boolean" ? String(i[key]) : (i[key] as string | number | null))));
  return csvDocument([[...STATEMENT_CSV_HEADER], ...rows]);
}

export function isStatementFormat(format: string): format is StatementFormat {
  return (STATEMENT_FORMATS as readonly string[]).includes(format);
}
