import { GcpCostGovernance, GcpCostGovernanceArgs, usdMoney } from "../../../components/cost-governance";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { componentProblems, ofType } from "../../helpers/resources";
import { below } from "../network/fixtures";
import { GCP_ARGS, TAGS } from "./fixtures";

async function record(...instances: [string, Partial<GcpCostGovernanceArgs>][]): Promise<RecordedResource[]> {
  const { resources } = await recordResources(() => {
    for (const [name, args] of instances) new GcpCostGovernance(name, { ...GCP_ARGS, ...args });
  });
  return resources;
}

describe("GcpCostGovernance", () => {
  let all: RecordedResource[];
  let prod: RecordedResource[];
  let staging: RecordedResource[];
  beforeAll(async () => {
    all = await record(["cost-prod", {}], ["cost-staging", { protectExports: false, project: "tocu-estate-staging", recipients: ["finance@techops.example"] }]);
    prod = below(all, "cost-prod");
    staging = below(all, "cost-staging");
  });

  it("budgets each line on the billing account: the cap in USD, the project and the line's label", () => {
    const budgets = ofType(prod, "gcp:billing/budget:Budget").map((b) => b.inputs as any);
    expect(budgets.map((b) => [b.billingAccount, b.amount.specifiedAmount, b.budgetFilter])).toEqual([
      [
        "012345-6789AB-CDEF01",
        { currencyCode: "USD", units: "36000", nanos: 0 },
        { projects: ["projects/123456789012"], labels: { "budget-line": "infrastructure-tools" }, calendarPeriod: "MONTH" },
      ],
      [
        "012345-6789AB-CDEF01",
        { currencyCode: "USD", units: "4000", nanos: 0 },
        { projects: ["projects/123456789012"], labels: { "budget-line": "third-party-integrations" }, calendarPeriod: "MONTH" },
      ],
    ]);
    expect(budgets.map((b) => b.displayName)).toEqual(["tocu-001 prod infrastructure-tools", "tocu-001 prod third-party-integrations"]);
    expect(usdMoney(970.87)).toEqual({ currencyCode: "USD", units: "970", nanos: 870_000_000 });
  });

  it("alerts at 80% and 100% of current spend and 100% of forecast spend, through an email channel per recipient", () => {
    const channels = ofType(prod, "gcp:monitoring/notificationChannel:NotificationChannel");
    expect(channels.map((c) => [c.name, c.inputs.type, c.inputs.labels, c.inputs.project])).toEqual([
      ["cost-prod-email-finance-techops-example", "email", { email_address: "finance@techops.example" }, "tocu-estate-prod"],
      ["cost-prod-email-ops-techops-example", "email", { email_address: "ops@techops.example" }, "tocu-estate-prod"],
    ]);
    for (const budget of ofType(prod, "gcp:billing/budget:Budget")) {
      expect(budget.inputs.thresholdRules).toEqual([
        { thresholdPercent: 0.8, spendBasis: "CURRENT_SPEND" },
        { thresholdPercent: 1, spendBasis: "CURRENT_SPEND" },
        { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" },
      ]);
      expect(budget.inputs.allUpdatesRule).toEqual({
        monitoringNotificationChannels: channels.map((c) => `projects/mock-project/notificationChannels/${c.name}`),
      });
    }
  });

  it("creates a labelled billing-export dataset without table expiry, protected in prod only", () => {
    const [dataset] = ofType(prod, "gcp:bigquery/dataset:Dataset");
    expect(dataset.inputs).toMatchObject({ project: "tocu-estate-prod", location: "EU", labels: TAGS, deleteContentsOnDestroy: false, deletionPolicy: "PREVENT" });
    expect(dataset.inputs.datasetId).toMatch(/^cost_prod_billing_[0-9a-f]{6}$/);
    expect(dataset.inputs.defaultTableExpirationMs).toBeUndefined();
    expect(dataset.inputs.description).toMatch(/Cloud Billing console/);
    expect([dataset.protect, dataset.retainOnDelete]).toEqual([true, true]);
    const [unprotected] = ofType(staging, "gcp:bigquery/dataset:Dataset");
    expect([unprotected.protect, unprotected.retainOnDelete, unprotected.inputs.deletionPolicy]).toEqual([false, false, "DELETE"]);
  });

  it("labels every labellable child, names children from the component, and lets two instances coexist", () => {
    expect(componentProblems(all, ["cost-prod", "cost-staging"])).toEqual([]);
    for (const c of ofType(prod, "gcp:monitoring/notificationChannel:NotificationChannel")) expect(c.inputs.userLabels).toEqual(TAGS);
    const component = all.find((r) => r.name === "cost-prod" && !r.custom)!;
    expect(component.type).toBe("estate:cost-governance:GcpCostGovernance");
    expect(component.outputs.costTags).toEqual(TAGS);
  });

  it.each([
    ["a billing account of the wrong format", { billingAccount: "0123456789AB" }, /billingAccount: "0123456789AB" is not a billing account id like 012345-6789AB-CDEF01/],
    ["more recipients than a budget notifies", { recipients: ["a@x.example", "b@x.example", "c@x.example", "d@x.example", "e@x.example", "f@x.example"] }, /recipients: 6 addresses; 1 to 5 are allowed/],
    ["an unknown BigQuery location", { bigQueryLocation: "mars" }, /bigQueryLocation: "mars" is not US, EU or a region/],
  ])("rejects %s up front, naming the argument", (_what, change, message) => {
    expect(() => new GcpCostGovernance("bad", { ...GCP_ARGS, ...(change as Partial<GcpCostGovernanceArgs>) })).toThrow(message);
  });
});
