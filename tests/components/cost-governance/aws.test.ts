import { AwsCostGovernance, AwsCostGovernanceArgs, BUDGET_ALERTS, CUR2_COLUMNS, monthlyCapUsd } from "../../../components/cost-governance";
import { COST_TAG_KEYS } from "../../../components/tagging";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { arnOf, componentProblems, ofType } from "../../helpers/resources";

const named = (resources: RecordedResource[], name: string): RecordedResource => resources.find((r) => r.name === name)!;
import { below } from "../network/fixtures";
import { AWS_ARGS, TAGS } from "./fixtures";

async function record(...instances: [string, Partial<AwsCostGovernanceArgs>][]): Promise<RecordedResource[]> {
  const { resources } = await recordResources(() => {
    for (const [name, args] of instances) new AwsCostGovernance(name, { ...AWS_ARGS, ...args });
  }, { awsRegion: "eu-west-1" });
  return resources;
}
/** The one resource of `type` of the export bucket (the access-log bucket's own aside). */
const only = (resources: RecordedResource[], type: string): RecordedResource => {
  const found = ofType(resources, type).filter((r) => !r.name.includes("-access-logs"));
  if (found.length !== 1) throw new Error(`${found.length} resources of ${type}`);
  return found[0];
};
const bucketName = (resources: RecordedResource[]): string => only(resources, "aws:s3/bucket:Bucket").inputs.bucket as string;
const policyOf = (resources: RecordedResource[]): any => JSON.parse(only(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy as string);

describe("AwsCostGovernance", () => {
  let all: RecordedResource[];
  let prod: RecordedResource[];
  let staging: RecordedResource[];
  let phaseTwo: RecordedResource[];
  beforeAll(async () => {
    all = await record(
      ["cost-prod", {}],
      ["cost-staging", { protectExports: false, budgetLines: [{ id: "rnd-poc", monthlyCapDai: 2_500 }], daiPerUsd: 1 }],
      ["cost-phase-two", { activateCostAllocationTags: true }],
    );
    prod = below(all, "cost-prod");
    staging = below(all, "cost-staging");
    phaseTwo = below(all, "cost-phase-two");
  });

  it("budgets each budget line monthly, its cap converted to USD (DAI / daiPerUsd), filtered on its budget-line tag", () => {
    const budgets = ofType(prod, "aws:budgets/budget:Budget").map((b) => b.inputs as any);
    expect(budgets.map((b) => [b.costFilters, b.limitAmount, b.limitUnit, b.budgetType, b.timeUnit])).toEqual([
      [[{ name: "TagKeyValue", values: ["user:budget-line$infrastructure-tools"] }], "36000.00", "USD", "COST", "MONTHLY"],
      [[{ name: "TagKeyValue", values: ["user:budget-line$third-party-integrations"] }], "4000.00", "USD", "COST", "MONTHLY"],
    ]);
    expect(ofType(staging, "aws:budgets/budget:Budget").map((b) => b.inputs.limitAmount)).toEqual(["2500.00"]);
    expect(monthlyCapUsd(1000, 1.03)).toBe(970.87);
  });

  it("mails every recipient at 80% and 100% of actual spend and at 100% of forecast spend", () => {
    for (const budget of ofType(prod, "aws:budgets/budget:Budget")) {
      expect((budget.inputs.notifications as any[]).map((n) => [n.notificationType, n.comparisonOperator, n.threshold, n.thresholdType, n.subscriberEmailAddresses])).toEqual([
        ["ACTUAL", "GREATER_THAN", 80, "PERCENTAGE", AWS_ARGS.recipients],
        ["ACTUAL", "GREATER_THAN", 100, "PERCENTAGE", AWS_ARGS.recipients],
        ["FORECASTED", "GREATER_THAN", 100, "PERCENTAGE", AWS_ARGS.recipients],
      ]);
    }
    expect(BUDGET_ALERTS).toHaveLength(3);
  });

  it("names budgets per instance and line, so two stacks in one account do not collide", () => {
    const names = ofType(all, "aws:budgets/budget:Budget").map((b) => b.inputs.name as string);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toMatch(/^cost-prod-infrastructure-tools-[0-9a-f]{6}$/);
  });

  it("activates no cost allocation tag unless asked: a first deploy never fails on keys AWS has not billed yet", () => {
    for (const instance of [prod, staging]) expect(ofType(instance, "aws:costexplorer/costAllocationTag:CostAllocationTag")).toEqual([]);
    // Budgets and the anomaly monitor exist from the first deploy and count spend once the keys are active.
    expect(ofType(prod, "aws:budgets/budget:Budget")).toHaveLength(2);
    expect(ofType(prod, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).toHaveLength(1);
  });

  it("when asked, activates all six cost tag keys as cost allocation tags, kept on destroy, before budgets and monitor", () => {
    const tags = ofType(phaseTwo, "aws:costexplorer/costAllocationTag:CostAllocationTag");
    expect(tags.map((t) => t.inputs.tagKey).sort()).toEqual([...COST_TAG_KEYS].sort());
    for (const t of tags) {
      expect(t.inputs.status).toBe("Active");
      expect(t.retainOnDelete).toBe(true);
    }
    const budgetLine = tags.find((t) => t.inputs.tagKey === "budget-line")!;
    for (const r of [...ofType(phaseTwo, "aws:budgets/budget:Budget"), ...ofType(phaseTwo, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")]) {
      expect(r.dependencies).toContain(budgetLine.urn);
    }
  });

  it("keeps the export bucket encrypted, owner-enforced, private, versioned, with a lifecycle", () => {
    expect(only(prod, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true },
    ]);
    expect(only(prod, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(only(prod, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(only(prod, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    const [rule] = only(prod, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as any[];
    expect(rule).toMatchObject({
      status: "Enabled",
      filter: { prefix: "cur2/" },
      transitions: [{ days: 90, storageClass: "STANDARD_IA" }],
      expiration: { days: 1095 },
      noncurrentVersionExpiration: { noncurrentDays: 30 },
    });
    const bucket = only(prod, "aws:s3/bucket:Bucket");
    expect(bucket.inputs).toMatchObject({ region: "eu-west-1", forceDestroy: false, tags: TAGS });
    // Bucket names are global: the instance's hashed name and the account id.
    expect(bucket.inputs.bucket).toMatch(/^cost-prod-exports-[0-9a-f]{6}-123456789012$/);
    expect(only(staging, "aws:s3/bucket:Bucket").inputs.bucket).not.toEqual(bucket.inputs.bucket);
    for (const setting of prod.filter((r) => r.type.startsWith("aws:s3/") && r.type !== "aws:s3/bucket:Bucket" && !r.name.includes("-access-logs"))) {
      expect([setting.name, setting.inputs.bucket]).toEqual([setting.name, bucket.inputs.bucket]);
      expect(setting.dependencies).toContain(bucket.urn);
    }
  });

  it("lets only the billing services write, for this account and its exports, and only over TLS", () => {
    const policy = policyOf(prod);
    const [allow, deny] = policy.Statement;
    expect(allow).toMatchObject({
      Effect: "Allow",
      Principal: { Service: ["bcm-data-exports.amazonaws.com", "billingreports.amazonaws.com"] },
      Action: ["s3:PutObject", "s3:GetBucketPolicy"],
      Resource: [`arn:aws:s3:::${bucketName(prod)}`, `arn:aws:s3:::${bucketName(prod)}/*`],
      Condition: {
        StringLike: {
          "aws:SourceAccount": "123456789012",
          "aws:SourceArn": ["arn:aws:cur:us-east-1:123456789012:definition/*", "arn:aws:bcm-data-exports:us-east-1:123456789012:export/*"],
        },
      },
    });
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("exports CUR 2.0 with resources, tags and cost categories to the bucket, in the stack's region", () => {
    const exported = only(prod, "aws:bcmdata/export:Export").inputs.export as any;
    const [query] = exported.dataQueries;
    expect(query.queryStatement).toMatch(/^SELECT .*\bline_item_resource_id\b.*\bresource_tags, cost_category FROM COST_AND_USAGE_REPORT$/);
    expect(CUR2_COLUMNS).toEqual(expect.arrayContaining(["resource_tags", "cost_category", "line_item_resource_id", "line_item_unblended_cost"]));
    expect(query.tableConfigurations.COST_AND_USAGE_REPORT).toEqual({
      BILLING_VIEW_ARN: "arn:aws:billing::123456789012:billingview/primary",
      TIME_GRANULARITY: "DAILY",
      INCLUDE_RESOURCES: "TRUE",
      INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
      INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
    });
    expect(exported.destinationConfigurations[0].s3Destinations[0]).toMatchObject({
      s3Bucket: bucketName(prod),
      s3Prefix: "cur2",
      s3Region: "eu-west-1",
      s3OutputConfigurations: [{ outputType: "CUSTOM", format: "PARQUET", compression: "PARQUET", overwrite: "OVERWRITE_REPORT" }],
    });
    expect(exported.refreshCadences).toEqual([{ frequency: "SYNCHRONOUS" }]);
    expect(only(prod, "aws:bcmdata/export:Export").dependencies).toContain(only(prod, "aws:s3/bucketPolicy:BucketPolicy").urn);
  });

  it("protects and retains the export bucket in prod only", () => {
    expect(ofType(prod, "aws:s3/bucket:Bucket").map((b) => [b.name, b.protect, b.retainOnDelete])).toEqual([
      ["cost-prod-exports", true, true],
      ["cost-prod-access-logs", true, true],
    ]);
    expect(ofType(staging, "aws:s3/bucket:Bucket").map((b) => [b.protect, b.retainOnDelete])).toEqual([
      [false, false],
      [false, false],
    ]);
  });

  it("logs every access to the export bucket into a private, encrypted, expiring bucket that only S3's log delivery writes", () => {
    const logs = named(prod, "cost-prod-access-logs");
    expect(logs.inputs.tags).toEqual(TAGS);
    expect((logs.inputs.bucket as string).length).toBeLessThanOrEqual(63);
    expect(named(prod, "cost-prod-exports-access-logging").inputs).toMatchObject({ bucket: bucketName(prod), targetBucket: logs.inputs.bucket, targetPrefix: "exports/" });
    expect(named(prod, "cost-prod-access-logs-encryption").inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
    expect(named(prod, "cost-prod-access-logs-public-access").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect((named(prod, "cost-prod-access-logs-lifecycle").inputs.rules as any[])[0]).toMatchObject({ status: "Enabled", expiration: { days: 365 } });
    const policy = JSON.parse(named(prod, "cost-prod-access-logs-policy").inputs.policy as string);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } });
    expect(policy.Statement[1]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("watches the budget lines' tag for anomalies and mails those above the threshold", () => {
    const monitor = only(prod, "aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    expect(monitor.inputs.monitorType).toBe("CUSTOM");
    expect(JSON.parse(monitor.inputs.monitorSpecification as string).Tags).toEqual({
      Key: "budget-line",
      MatchOptions: null,
      Values: ["infrastructure-tools", "third-party-integrations"],
    });
    const subscription = only(prod, "aws:costexplorer/anomalySubscription:AnomalySubscription").inputs as any;
    expect(subscription.frequency).toBe("DAILY");
    expect(subscription.monitorArnLists).toEqual([arnOf(prod, "cost-prod-anomalies", "eu-west-1")]);
    expect(subscription.subscribers).toEqual(AWS_ARGS.recipients.map((address) => ({ type: "EMAIL", address })));
    expect(subscription.thresholdExpression).toEqual({
      dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: ["250"] },
    });
  });

  it("tags every taggable child, names children from the component, and lets two instances coexist", () => {
    expect(componentProblems(all, ["cost-prod", "cost-staging"])).toEqual([]);
    const tagged = prod.filter((r) => r.inputs.tags !== undefined);
    expect(tagged.map((r) => r.type).sort()).toEqual(
      [
        "aws:bcmdata/export:Export",
        "aws:budgets/budget:Budget",
        "aws:budgets/budget:Budget",
        "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
        "aws:costexplorer/anomalySubscription:AnomalySubscription",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucket:Bucket",
      ].sort(),
    );
    for (const r of tagged) expect(r.inputs.tags).toEqual(TAGS);
    const component = all.find((r) => r.name === "cost-prod" && !r.custom)!;
    expect(component.type).toBe("estate:cost-governance:AwsCostGovernance");
    expect(component.outputs.costTags).toEqual(TAGS);
  });

  it.each([
    ["no budget line", { budgetLines: [] }, /budgetLines: at least one budget line/],
    ["no recipient", { recipients: [] }, /recipients: 0 addresses; 1 to 10 are allowed/],
    ["a malformed address", { recipients: ["finance at example"] }, /recipients\[0\]: "finance at example" is not an email address/],
    ["a retention shorter than the move to Infrequent Access", { exportRetentionDays: 60 }, /exportRetentionDays: 60 must be an integer from 91/],
    ["a zero exchange rate", { daiPerUsd: 0 }, /daiPerUsd: 0 must be above 0/],
    ["a non-positive anomaly threshold", { anomalyThresholdUsd: 0 }, /anomalyThresholdUsd: 0 must be above 0/],
  ])("rejects %s up front, naming the argument", (_what, change, message) => {
    expect(() => new AwsCostGovernance("bad", { ...AWS_ARGS, ...(change as Partial<AwsCostGovernanceArgs>) })).toThrow(message);
  });
});
