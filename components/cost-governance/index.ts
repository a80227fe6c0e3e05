/**
 * Cost governance after deploy: what the clouds bill, read by budget line. Per cloud, one component:
 *
 * - AwsCostGovernance: the six cost tag keys activated as cost allocation tags, an AWS Budget per budget line
 *   (filtered on its `budget-line` tag, alerting at 80% and 100% actual and 100% forecast), a CUR 2.0 export through
 *   Data Exports to an encrypted, versioned, private S3 bucket, and Cost Anomaly Detection on the budget-line tag.
 *   Budgets, Cost Explorer and Data Exports are global services in us-east-1: their resources take no region and
 *   the provider calls their us-east-1 endpoints; only the bucket lives in the stack's region.
 * - GcpCostGovernance: a Cloud Billing budget per budget line (the project and the line's label, same thresholds)
 *   notifying a Cloud Monitoring email channel per recipient, and the BigQuery dataset for the billing export.
 *   The Cloud Billing export to BigQuery has no API: enable it in the Cloud Billing console, into this dataset.
 *
 * Budget amounts are the lines' monthly caps in USD: DAI / daiPerUsd. Every taggable child carries `tags`.
 */
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../cluster/physical-name";
import { throwIfAny } from "../cluster/validation";
import { CostTags } from "../tagging";
import { BudgetLineCap } from "./alerts";
import { awsAnomalyDetection } from "./aws-anomalies";
import { activateCostAllocationTags, awsBudgets } from "./aws-budgets";
import { awsCostExports } from "./aws-exports";
import { gcpBudgets, gcpEmailChannels } from "./gcp-budgets";
import { gcpBillingDataset } from "./gcp-exports";
import { BIGQUERY_LOCATION_PATTERN, BILLING_ACCOUNT_PATTERN, MAX_AWS_RECIPIENTS, MAX_GCP_RECIPIENTS, commonProblems, retentionProblems } from "./validate";

export * from "./alerts";
export { AWS_TAG_FILTER, awsTagKeyValue, awsBudgetNotifications } from "./aws-budgets";
export { BILLING_REGION, CUR2_COLUMNS, CUR2_QUERY, EXPORT_PREFIX, EXPORT_WRITERS, exportBucketPolicy } from "./aws-exports";
export { tagMonitorSpecification } from "./aws-anomalies";
export { gcpThresholdRules, usdMoney } from "./gcp-budgets";
export { BIGQUERY_LOCATION_PATTERN, BILLING_ACCOUNT_PATTERN, EMAIL_PATTERN, MAX_AWS_RECIPIENTS, MAX_GCP_RECIPIENTS } from "./validate";

interface CostGovernanceArgs {
  /** The budget lines to budget for, with their monthly caps in DAI. */
  budgetLines: BudgetLineCap[];
  /** DAI per US dollar: a cap of C DAI is a budget of C / daiPerUsd USD. */
  daiPerUsd: number;
  /** Email addresses that receive budget (and, on AWS, anomaly) alerts. */
  recipients: string[];
  /** The cost tags of the governance resources themselves. */
  tags: CostTags;
  /** prod: the billing exports' storage is `protect`ed and kept on delete. */
  protectExports: boolean;
}

export interface AwsCostGovernanceArgs extends CostGovernanceArgs {
  /** The stack's region: where the export bucket lives. */
  region: string;
  /** Days a billing export is kept (it moves to Infrequent Access after 90). */
  exportRetentionDays: number;
  /** An anomaly is mailed when its total impact reaches this many USD. */
  anomalyThresholdUsd: number;
  /**
   * Activate the cost tag keys as cost allocation tags from this stack. Off for a first deploy: AWS refuses keys it
   * has not yet seen on a billed resource (up to 24 hours after the first one is tagged), and refuses activation
   * outside an Organization's management account. Budgets and the anomaly monitor are created either way and count
   * spend once the keys are active.
   */
  activateCostAllocationTags?: boolean;
}

export class AwsCostGovernance extends pulumi.ComponentResource {
  readonly exportBucket: pulumi.Output<string>;
  readonly exportArn: pulumi.Output<string>;
  readonly budgetNames: Record<string, pulumi.Output<string>>;
  readonly anomalyMonitorArn: pulumi.Output<string>;

  constructor(name: string, args: AwsCostGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("AwsCostGovernance", name, [
      ...commonProblems(args, MAX_AWS_RECIPIENTS),
      ...retentionProblems(args.exportRetentionDays),
      ...(args.anomalyThresholdUsd > 0 ? [] : [`anomalyThresholdUsd: ${args.anomalyThresholdUsd} must be above 0`]),
      ...(args.region ? [] : ["region: the stack's AWS region is required"]),
    ]);
    super("estate:cost-governance:AwsCostGovernance", name, {}, opts);
    const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;

    const allocationTags = args.activateCostAllocationTags ? activateCostAllocationTags(name, this) : {};
    const afterActivation = allocationTags["budget-line"] ? [allocationTags["budget-line"]] : [];
    const budgets = awsBudgets(
      name,
      {
        budgetLines: args.budgetLines,
        daiPerUsd: args.daiPerUsd,
        recipients: args.recipients,
        tags: args.tags,
        budgetName: (line) => physicalName(`${name}-${line}`, scope, 100),
        dependsOn: afterActivation,
      },
      this,
    );
    const exports = awsCostExports(
      name,
      {
        region: args.region,
        retentionDays: args.exportRetentionDays,
        tags: args.tags,
        exportName: physicalName(`${name}-cur2`, scope, 64),
        bucketPrefix: physicalName(`${name}-exports`, scope, 50),
        protect: args.protectExports,
      },
      this,
    );
    const anomalies = awsAnomalyDetection(
      name,
      {
        budgetLineIds: args.budgetLines.map((l) => l.id),
        recipients: args.recipients,
        thresholdUsd: args.anomalyThresholdUsd,
        tags: args.tags,
        monitorName: physicalName(`${name}-budget-lines`, scope, 100),
        subscriptionName: physicalName(`${name}-anomaly-alerts`, scope, 100),
        dependsOn: afterActivation,
      },
      this,
    );

    this.exportBucket = exports.bucket.bucket;
    this.exportArn = exports.export.arn;
    this.budgetNames = Object.fromEntries(Object.entries(budgets).map(([line, b]) => [line, b.name]));
    this.anomalyMonitorArn = anomalies.monitor.arn;
    this.registerOutputs({
      // Untaggable children (cost allocation tags, bucket settings) are attributed to these in the offline plan.
      costTags: args.tags,
      exportBucket: this.exportBucket,
      exportArn: this.exportArn,
      budgetNames: this.budgetNames,
      anomalyMonitorArn: this.anomalyMonitorArn,
    });
  }
}

export interface GcpCostGovernanceArgs extends CostGovernanceArgs {
  /** The stack's project: budgets watch it, the channels and the dataset live in it. */
  project: string;
  /** The Cloud Billing account the project bills to, e.g. 012345-6789AB-CDEF01. */
  billingAccount: string;
  /** BigQuery location of the billing-export dataset: US, EU or a region. */
  bigQueryLocation: string;
}

export class GcpCostGovernance extends pulumi.ComponentResource {
  readonly billingDataset: pulumi.Output<string>;
  readonly budgetIds: Record<string, pulumi.Output<string>>;
  readonly notificationChannels: pulumi.Output<string>[];

  constructor(name: string, args: GcpCostGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("GcpCostGovernance", name, [
      ...commonProblems(args, MAX_GCP_RECIPIENTS),
      ...(BILLING_ACCOUNT_PATTERN.test(args.billingAccount) ? [] : [`billingAccount: "${args.billingAccount}" is not a billing account id like 012345-6789AB-CDEF01`]),
      ...(BIGQUERY_LOCATION_PATTERN.test(args.bigQueryLocation) ? [] : [`bigQueryLocation: "${args.bigQueryLocation}" is not US, EU or a region like us-central1`]),
      ...(args.project ? [] : ["project: the stack's GCP project is required"]),
    ]);
    super("estate:cost-governance:GcpCostGovernance", name, {}, opts);
    const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;

    const channels = gcpEmailChannels(name, args.project, args.recipients, args.tags, this);
    const budgets = gcpBudgets(
      name,
      {
        billingAccount: args.billingAccount,
        project: args.project,
        budgetLines: args.budgetLines,
        daiPerUsd: args.daiPerUsd,
        channels,
        displayName: (line) => `${args.tags["core-unit"]} ${args.tags.environment} ${line}`.slice(0, 60),
      },
      this,
    );
    const dataset = gcpBillingDataset(
      name,
      {
        project: args.project,
        billingAccount: args.billingAccount,
        location: args.bigQueryLocation,
        tags: args.tags,
        datasetId: physicalName(`${name}-billing`, scope, 60).replace(/-/g, "_"),
        protect: args.protectExports,
      },
      this,
    );

    this.billingDataset = dataset.datasetId;
    this.budgetIds = Object.fromEntries(Object.entries(budgets).map(([line, b]) => [line, b.name]));
    this.notificationChannels = channels.map((c) => c.name);
    this.registerOutputs({
      // Budgets take no labels: they are attributed to these in the offline plan.
      costTags: args.tags,
      billingDataset: this.billingDataset,
      budgetIds: this.budgetIds,
      notificationChannels: this.notificationChannels,
    });
  }
}
