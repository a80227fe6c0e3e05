/**
 * MakerDAO's canonical budget categories, as the SES ecosystem API takes a budget statement line item's
 * `canonicalBudgetCategory` (makerdao-ses/ecosystem-api, GraphQL enum CanonicalBudgetCategory; whether a category is a
 * headcount expense from the SES budget tool's category map; both read 2026-12).
 */
export const CANONICAL_BUDGET_CATEGORIES = [
  { id: "CompensationAndBenefits", headcountExpense: true },
  { id: "Bonus", headcountExpense: true },
  { id: "AdminExpense", headcountExpense: false },
  { id: "TravelAndEntertainment", headcountExpense: true },
  { id: "FreightAndDuties", headcountExpense: false },
  { id: "GasExpense", headcountExpense: false },
  { id: "GovernancePrograms", headcountExpense: false },
  { id: "HardwareExpense", headcountExpense: false },
  { id: "MarketingExpense", headcountExpense: false },
  { id: "ProfessionalServices", headcountExpense: false },
  { id: "SoftwareDevelopmentExpense", headcountExpense: false },
  { id: "SoftwareExpense", headcountExpense: false },
  { id: "Supplies", headcountExpense: false },
  { id: "TrainingExpense", headcountExpense: false },
  { id: "CommunityDevelopmentExpense", headcountExpense: false },
  { id: "ContingencyBuffer", headcountExpense: false },
] as const;

export type CanonicalBudgetCategory = (typeof CANONICAL_BUDGET_CATEGORIES)[number]["id"];

export const CANONICAL_BUDGET_CATEGORY_IDS: readonly CanonicalBudgetCategory[] = CANONICAL_BUDGET_CATEGORIES.map((c) => c.id);

export function isHeadcountExpense(category: CanonicalBudgetCategory): boolean {
  return CANONICAL_BUDGET_CATEGORIES.find((c) => c.id === category)?.headcountExpense ?? false;
}
