/** Cost governance in both stacks: one governance per configured cloud, budgets for every budget line, prod protection. */
import { Plan, PlannedResource } from "../../tools/plan/plan";
import { planOf } from "../helpers/estate";

let prod: Plan;
let staging: Plan;
beforeAll(async () => {
  prod = await planOf("prod");
  staging = await planOf("staging");
});

const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);
const below = (plan: Plan, root: string): PlannedResource[] => {
  const component = plan.resources.find((r) => r.name === root && !r.custom)!;
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  return plan.resources.filter((r) => {
    for (let p = r.parent; p; p = byUrn.get(p)?.parent ?? null) if (p === component.urn) return true;
    return false;
  });
};

describe.each([
  ["staging", () => staging],
  ["prod", () => prod],
])("stack %s: cost governance", (stack, load) => {
  it("has one AWS and one GCP cost governance, charged to infrastructure-tools", () => {
    const components = load().resources.filter((r) => r.type.startsWith("estate:cost-governance:"));
    expect(components.map((c) => [c.type, c.name, c.budgetLine, c.workload])).toEqual([
      ["estate:cost-governance:AwsCostGovernance", "cost-aws", "infrastructure-tools", "cost-governance"],
      ["estate:cost-governance:GcpCostGovernance", "cost-gcp", "infrastructure-tools", "cost-governance"],
    ]);
    for (const r of [...below(load(), "cost-aws"), ...below(load(), "cost-gcp")]) expect([r.name, r.budgetLine]).toEqual([r.name, "infrastructure-tools"]);
  });

  it("budgets every configured budget line in both clouds, by its tag or label", () => {
    const lines = load().budgetLines.map((l) => l.id);
    // Sandboxes have budgets of their own (tests/stacks/sandboxes.test.ts).
    const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type && r.name.startsWith("cost-"));
    expect(ofType(load(), "aws:budgets/budget:Budget").map((b) => (b.inputs.costFilters as any)[0].values[0])).toEqual(lines.map((l) => `user:budget-line$${l}`));
    expect(ofType(load(), "gcp:billing/budget:Budget").map((b) => (b.inputs.budgetFilter as any).labels["budget-line"])).toEqual(lines);
    const caps = load().budgetLines.map((l) => l.monthlyCapDai.toFixed(2));
    expect(ofType(load(), "aws:budgets/budget:Budget").map((b) => b.inputs.limitAmount)).toEqual(caps);
  });

  it("protects and retains the billing exports in prod only", () => {
    const stores = [...ofType(load(), "aws:s3/bucket:Bucket"), ...ofType(load(), "gcp:bigquery/dataset:Dataset")].filter((r) => r.name.startsWith("cost-"));
    expect(stores.map((r) => [r.name, r.protect, r.retainOnDelete])).toEqual([
      ["cost-aws-exports", stack === "prod", stack === "prod"],
      ["cost-aws-access-logs", stack === "prod", stack === "prod"],
      ["cost-gcp-billing-export", stack === "prod", stack === "prod"],
    ]);
  });

  it("passes the policy pack, the export bucket's encryption included", () => {
    expect(load().violations).toEqual([]);
    expect(ofType(load(), "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").map((r) => r.name)).toContain("cost-aws-exports-encryption");
  });
});

it("counts per stack: the resources of cost governance", () => {
  const count = (plan: Plan) => {
    const children = [...below(plan, "cost-aws"), ...below(plan, "cost-gcp")];
    return Object.fromEntries([...new Set(children.map((r) => r.type))].sort().map((t) => [t, children.filter((r) => r.type === t).length]));
  };
  const both = {
    "aws:bcmdata/export:Export": 1,
    "aws:budgets/budget:Budget": 2,
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor": 1,
    "aws:costexplorer/anomalySubscription:AnomalySubscription": 1,
    "aws:s3/bucket:Bucket": 2,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 2,
    "aws:s3/bucketLogging:BucketLogging": 1,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 2,
    "aws:s3/bucketPolicy:BucketPolicy": 2,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 2,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
    "aws:s3/bucketVersioning:BucketVersioning": 1,
    "gcp:bigquery/dataset:Dataset": 1,
    "gcp:billing/budget:Budget": 2,
    "gcp:monitoring/notificationChannel:NotificationChannel": 2,
  };
  expect(count(staging)).toEqual(both);
  expect(count(prod)).toEqual(both);
});
