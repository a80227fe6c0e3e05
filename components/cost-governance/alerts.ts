/**
 * What cost governance watches and when it alerts, as data shared by the AWS and GCP builders: the alert
 * thresholds of every budget, the tag budgets filter on, and the DAI-to-USD conversion of a line's cap.
 */
import { CostTagKey } from "../tagging";

/** Spend so far in the month, or the cloud's forecast of the month's total. */
export type SpendBasis = "actual" | "forecasted";

export interface BudgetAlert {
  readonly spend: SpendBasis;
  /** Percent of the line's monthly cap. */
  readonly percent: number;
}

/** 80% and 100% of the month's cap spent, and 100% forecast by the end of the month. */
export const BUDGET_ALERTS: readonly BudgetAlert[] = [
  { spend: "actual", percent: 80 },
  { spend: "actual", percent: 100 },
  { spend: "forecasted", percent: 100 },
];

/** Budgets and anomaly monitors select spend by this cost tag: one budget per value (budget line). */
export const BUDGET_LINE_TAG: CostTagKey = "budget-line";

/** A budget line of the stack, with its monthly cap in DAI (MIP40c3-SP53 budgets in DAI; clouds bill in USD). */
export interface BudgetLineCap {
  readonly id: string;
  readonly monthlyCapDai: number;
}

/** A monthly cap in DAI as US dollars (USD = DAI / daiPerUsd), rounded to the cent. */
export function monthlyCapUsd(monthlyCapDai: number, daiPerUsd: number): number {
  return Math.round((monthlyCapDai / daiPerUsd) * 100) / 100;
}

/** Storage class the exports move to after `EXPORT_TRANSITION_DAYS`: still queryable at once (Athena, BigQuery). */
export const EXPORT_TRANSITION = { days: 90, storageClass: "STANDARD_IA" } as const;
