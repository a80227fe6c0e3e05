/** The month's budget statement as the SES ecosystem API takes it, built on the actuals reconciliation. */
import * as path from "path";
import { readActuals } from "../../cost/actuals-merge";
import { reconcile } from "../../cost/actuals-reconcile";
import { STATEMENT_CSV_HEADER, budgetStatement, monthStart, renderBudgetStatement } from "../../cost/budget-statement";
import { CostedPlan } from "../../cost/costed-plan";
import { parseCsv } from "../../cost/csv";
import { CANONICAL_BUDGET_CATEGORY_IDS, isHeadcountExpense } from "../../components/tagging";
import { configProblems, parseStack, stackValues } from "../helpers/stack-config";
import { resource, smallPlan } from "./plans";

const fixture = (name: string): string => path.resolve(__dirname, "../fixtures/actuals", name);

/** The small plan with a sandbox VM on third-party-integrations that expires on 2027-01-15, and one line's category set. */
function plan(): CostedPlan {
  const p = smallPlan();
  p.resources.push(resource("sandbox-poc-vm", "aws:ec2/instance:Instance", "third-party-integrations", "sandbox-poc", 10));
  p.budgetLines[1] = { ...p.budgetLines[1], estimatedMonthlyUsd: 40.368, estimatedMonthlyDai: 40.368, canonicalBudgetCategory: "ProfessionalServices" };
  p.sandboxes = [{ name: "poc", owner: "alice", expiresOn: "2027-01-15", daysLeft: 54, status: "active", monthlyUsd: 10, monthlyBudgetUsd: 50 }];
  p.daiPerUsd = 0.5;
  return p;
}
const statement = () => budgetStatement(reconcile(plan(), readActuals([fixture("aws-cur2.csv")]), "2026-11"), plan());
type Row = [string, number, string, string, number, number, number | null, number];
const rows = (): Row[] => statement().lineItems.map((i) => [i.month, i.position, i.group, i.canonicalBudgetCategory, i.forecast, i.actual, i.budgetCap, i.payment]);

describe("the budget statement", () => {
  it("has a line item per budget line for the month: forecast, actual and payment in DAI, the cap, the SES category", () => {
    expect(rows().slice(0, 4)).toEqual([
      ["2026-11-01", 1, "Infrastructure & Tools", "SoftwareExpense", 276.37, 617.5, 1000, 617.5],
      ["2026-11-01", 2, "Third-party integrations", "ProfessionalServices", 20.18, 22.55, 20, 22.55],
      ["2026-11-01", 3, "TechOps R&D/POC", "SoftwareExpense", 0, 3.65, null, 3.65],
      ["2026-11-01", 4, "(untagged)", "SoftwareExpense", 0, 9.2, null, 9.2],
    ]);
    const [infra] = statement().lineItems;
    expect(infra).toMatchObject({ budgetCategory: "Cloud hosting", headcountExpense: false, currency: "DAI" });
    expect(infra.comments).toBe("infrastructure-tools: actual 3 billing line items (AWS Cost and Usage Report (CUR 2.0)); forecast: the plan's estimate (on-demand list prices, 730 hours)");
  });

  it("forecasts the next three months per configured line, less the sandboxes expired by each month's first day", () => {
    expect(rows().slice(4)).toEqual([
      ["2026-12-01", 1, "Infrastructure & Tools", "SoftwareExpense", 276.37, 0, 1000, 0],
      ["2026-12-01", 2, "Third-party integrations", "ProfessionalServices", 20.18, 0, 20, 0],
      ["2026-12-01", 3, "TechOps R&D/POC", "SoftwareExpense", 0, 0, null, 0],
      ["2027-01-01", 1, "Infrastructure & Tools", "SoftwareExpense", 276.37, 0, 1000, 0],
      ["2027-01-01", 2, "Third-party integrations", "ProfessionalServices", 20.18, 0, 20, 0],
      ["2027-01-01", 3, "TechOps R&D/POC", "SoftwareExpense", 0, 0, null, 0],
      ["2027-02-01", 1, "Infrastructure & Tools", "SoftwareExpense", 276.37, 0, 1000, 0],
      ["2027-02-01", 2, "Third-party integrations", "ProfessionalServices", 15.18, 0, 20, 0],
      ["2027-02-01", 3, "TechOps R&D/POC", "SoftwareExpense", 0, 0, null, 0],
    ]);
    expect(statement().lineItems.find((i) => i.month === "2027-02-01" && i.position === 2)!.comments).toBe(
      "third-party-integrations: forecast: the plan's estimate, less 5.00 DAI of sandboxes expired by then: poc (2027-01-15)",
    );
  });

  it("names the owner and month as the SES API does", () => {
    expect(statement()).toMatchObject({ ownerCode: "TOCU-001", month: "2026-11-01", stack: "prod", currency: "DAI" });
    expect([monthStart("2026-11"), monthStart("2026-11", 2), monthStart("2026-12", 1)]).toEqual(["2026-11-01", "2027-01-01", "2027-01-01"]);
  });

  it("writes JSON that reads back, and CSV with one row per line item under the API's field names", () => {
    const s = statement();
    expect(JSON.parse(renderBudgetStatement(s, "budget-statement"))).toEqual(s);
    const csv = parseCsv(renderBudgetStatement(s, "budget-statement-csv"));
    expect(csv[0]).toEqual([...STATEMENT_CSV_HEADER]);
    expect(csv).toHaveLength(1 + s.lineItems.length);
    expect(csv[1]).toEqual(["2026-11-01", "1", "Infrastructure & Tools", "Cloud hosting", "SoftwareExpense", "false", "276.37", "617.5", "1000", "617.5", "DAI", s.lineItems[0].comments]);
    expect(csv[4].slice(0, 10)).toEqual(["2026-11-01", "4", "(untagged)", "Cloud hosting", "SoftwareExpense", "false", "0", "9.2", "", "9.2"]);
  });
});

describe("the SES categories", () => {
  it("are the API's sixteen, compensation, bonus and travel counting as headcount", () => {
    expect(CANONICAL_BUDGET_CATEGORY_IDS).toHaveLength(16);
    expect(CANONICAL_BUDGET_CATEGORY_IDS.filter(isHeadcountExpense)).toEqual(["CompensationAndBenefits", "Bonus", "TravelAndEntertainment"]);
  });

  it("are set per budget line in the stack config, and a category SES does not know is an error naming the key", () => {
    const raw = stackValues("staging");
    raw.budgetLines["rnd-poc"].canonicalBudgetCategory = "SoftwareDevelopmentExpense";
    const ok = parseStack(raw, "staging");
    expect(ok.ok && ok.config.budgetLines).toEqual([
      { id: "infrastructure-tools", name: "Infrastructure & Tools", monthlyCapDai: 6000 },
      { id: "rnd-poc", name: "TechOps R&D/POC", monthlyCapDai: 2500, canonicalBudgetCategory: "SoftwareDevelopmentExpense" },
    ]);
    raw.budgetLines["rnd-poc"].canonicalBudgetCategory = "Cloud";
    expect(configProblems(raw, "staging")).toEqual([
      `core-unit-estate:budgetLines.rnd-poc.canonicalBudgetCategory: got "Cloud"; allowed: one of ${CANONICAL_BUDGET_CATEGORY_IDS.join(", ")}`,
    ]);
  });
});
