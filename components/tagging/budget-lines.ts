/**
 * MIP40c3-SP53 (TechOps Core Unit, TOCU-001): the budget lines and totals the DAO voted.
 * Per-line amounts are published only as images, so monthly caps per line are stack configuration.
 */
import { CanonicalBudgetCategory } from "./ses-categories";

export const MIP_BUDGET = {
  mip: "MIP40c3-SP53",
  coreUnit: "tocu-001",
  annualCapDai: 2_566_200,
  monthlyCapDai: 213_850,
  contingencyShare: 0.25,
} as const;

export interface BudgetLine {
  readonly id: string;
  readonly name: string;
  /** Whether cloud resources may be charged to this line. */
  readonly cloudSpend: boolean;
  readonly covers: string;
  /** The SES category finance reports the line's spend under by default (cloud hosting: IT/software expense). */
  readonly canonicalBudgetCategory: CanonicalBudgetCategory;
}

export const BUDGET_LINES: readonly BudgetLine[] = [
  { id: "people-cost", name: "People cost", cloudSpend: false, covers: "compensation, benefits, taxes and fees", canonicalBudgetCategory: "CompensationAndBenefits" },
  {
    id: "infrastructure-tools",
    name: "Infrastructure & Tools",
    cloudSpend: true,
    covers: "cloud infrastructure and tools: Ethereum nodes, the VulcanizeDB replacement, API services, shared networks and clusters",
    canonicalBudgetCategory: "SoftwareExpense",
  },
  {
    id: "rnd-poc",
    name: "TechOps R&D/POC",
    cloudSpend: true,
    covers: "development environments for research and proofs of concept",
    canonicalBudgetCategory: "SoftwareExpense",
  },
  {
    id: "third-party-integrations",
    name: "Third-party integrations",
    cloudSpend: true,
    covers: "integrations such as Forta and keepers, including the infrastructure they run on",
    canonicalBudgetCategory: "SoftwareExpense",
  },
  { id: "audits", name: "Audits", cloudSpend: false, covers: "third-party infrastructure audits", canonicalBudgetCategory: "ProfessionalServices" },
  { id: "accounting", name: "Accounting", cloudSpend: false, covers: "outsourced accounting and annual reporting", canonicalBudgetCategory: "ProfessionalServices" },
  { id: "recruiting-fees", name: "Recruiting fees", cloudSpend: false, covers: "recruiters' fees", canonicalBudgetCategory: "AdminExpense" },
  { id: "legal-consultancy", name: "Legal consultancy", cloudSpend: false, covers: "legal opinions, contracts, terms", canonicalBudgetCategory: "ProfessionalServices" },
  { id: "travel", name: "Travel", cloudSpend: false, covers: "conferences and team offsites", canonicalBudgetCategory: "TravelAndEntertainment" },
  { id: "conferences-education", name: "Conferences and Education", cloudSpend: false, covers: "conference and course fees", canonicalBudgetCategory: "TrainingExpense" },
  {
    id: "hardware",
    name: "Hardware",
    cloudSpend: false,
    covers: "local hardware for tests that cannot run in the cloud",
    canonicalBudgetCategory: "HardwareExpense",
  },
  { id: "contingency", name: "Contingency", cloudSpend: false, covers: "25% safety buffer of the total cap", canonicalBudgetCategory: "ContingencyBuffer" },
];

export function findBudgetLine(id: string): BudgetLine | undefined {
  return BUDGET_LINES.find((line) => line.id === id);
}

export const CLOUD_BUDGET_LINE_IDS: readonly string[] = BUDGET_LINES.filter((l) => l.cloudSpend).map((l) => l.id);
