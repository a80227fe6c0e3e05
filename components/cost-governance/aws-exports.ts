/**
 * CUR 2.0 through AWS Data Exports, delivered to an S3 bucket of the stack's region: encrypted (SSE-S3), owned by
 * the bucket owner, never public, versioned, with a lifecycle, writable only by the billing services acting for
 * this account.
 *
 * Region: the bucket lives in the stack's region (`s3Region`); Data Exports is a global service whose endpoint is
 * us-east-1, so the export itself takes no `region` argument and its ARN (and the bucket policy's source ARNs)
 * name us-east-1.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, awsTags } from "../tagging";
import { EXPORT_TRANSITION } from "./alerts";

/** Where billing exports and Cost and Usage Report definitions live, whatever the stack's region. */
export const BILLING_REGION = "us-east-1";
/** The services that deliver exports: Data Exports (CUR 2.0) and the legacy Cost and Usage Report. */
export const EXPORT_WRITERS = ["bcm-data-exports.amazonaws.com", "billingreports.amazonaws.com"] as const;
export const EXPORT_PREFIX = "cur2";

/**
 * CUR 2.0 columns: who, when, what, which resource, how much, and the cost allocation tags (`resource_tags`, one map
 * column holding every activated tag) and cost categories (`cost_category`) finance groups by.
 */
export const CUR2_COLUMNS: readonly string[] = [
  "bill_billing_period_start_date",
  "bill_payer_account_id",
  "line_item_usage_account_id",
  "line_item_usage_start_date",
  "line_item_usage_end_date",
  "line_item_product_code",
  "line_item_usage_type",
  "line_item_operation",
  "line_item_line_item_type",
  "line_item_resource_id",
  "line_item_usage_amount",
  "line_item_unblended_cost",
  "line_item_currency_code",
  "pricing_public_on_demand_cost",
  "pricing_term",
  "product_servicecode",
  "product_region_code",
  "resource_tags",
  "cost_category",
];
export const CUR2_TABLE = "COST_AND_USAGE_REPORT";
export const CUR2_QUERY = `SELECT ${CUR2_COLUMNS.join(", ")} FROM ${CUR2_TABLE}`;

/** The table settings Data Exports requires all of: daily rows, one per resource (`line_item_resource_id`). */
export function cur2TableConfiguration(billingViewArn: string): Record<string, string> {
  return {
    BILLING_VIEW_ARN: billingViewArn,
    TIME_GRANULARITY: "DAILY",
    INCLUDE_RESOURCES: "TRUE",
    INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
    // Split cost allocation data (EKS pods) needs an opt-in in the Billing console's cost management preferences first.
    INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
  };
}

/** Refuses every request to the bucket and its objects over plain HTTP. */
function denyInsecureTransport(bucketArn: string): object {
  return { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } };
}

/** Only the billing services, acting for this account, may write; and nobody over plain HTTP. */
export function exportBucketPolicy(bucketArn: string, accountId: string, partition: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowBillingExportsToWrite",
        Effect: "Allow",
        Principal: { Service: [...EXPORT_WRITERS] },
        Action: ["s3:PutObject", "s3:GetBucketPolicy"],
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: {
          StringLike: {
            "aws:SourceAccount": accountId,
            "aws:SourceArn": [
              `arn:${partition}:cur:${BILLING_REGION}:${accountId}:definition/*`,
              `arn:${partition}:bcm-data-exports:${BILLING_REGION}:${accountId}:export/*`,
            ],
          },
        },
      },
      denyInsecureTransport(bucketArn),
    ],
  });
}

export interface AwsExportsArgs {
  region: string;
  retentionDays: number;
  tags: CostTags;
  /** Name of the export in the account (unique per account). */
  exportName: string;
  /** Start of the bucket's name; the account id completes it (bucket names are global). At most 50 characters. */
  bucketPrefix: string;
  /** prod: the bucket is `protect`ed and kept on delete: billing history is never lost by accident. */
  protect: boolean;
}

export interface AwsExports {
  bucket: aws.s3.Bucket;
  export: aws.bcmdata.Export;
}

/** Server access logs are kept this long: a year of who touched the billing history. */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/** Owner-enforced objects, no public access, SSE-S3 (Data Exports and S3 log delivery write without a KMS key). */
function privateBucketSettings(prefix: string, region: string, bucket: pulumi.Input<string>, parent: pulumi.Resource): pulumi.Resource[] {
  return [
    new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { region, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent }),
    new aws.s3.BucketPublicAccessBlock(
      `${prefix}-public-access`,
      { region, bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent },
    ),
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${prefix}-encryption`,
      { region, bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
      { parent },
    ),
  ];
}

/** The bucket policy that lets S3's log delivery write the export bucket's access logs, from this account only. */
export function accessLogBucketPolicy(logBucketArn: string, accountId: string, partition: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "S3ServerAccessLogsPolicy",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${logBucketArn}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:${partition}:s3:::*` } },
      },
      denyInsecureTransport(logBucketArn),
    ],
  });
}

/** The access-log bucket: tagged like the exports, private, encrypted, expiring its logs, protected as they are. */
function accessLogBucket(
  name: string,
  args: AwsExportsArgs,
  accountId: pulumi.Output<string>,
  partition: pulumi.Output<string>,
  parent: pulumi.Resource,
): { bucket: pulumi.Output<string>; settings: pulumi.Resource[] } {
  const { region } = args;
  // 44 + "-logs-" + a 12-digit account id: S3's 63.
  const logs = new aws.s3.Bucket(
    `${name}-access-logs`,
    { region, bucket: pulumi.interpolate`${args.bucketPrefix.slice(0, 44).replace(/-+$/, "")}-logs-${accountId}`, forceDestroy: false, tags: awsTags(args.tags) },
    { parent, protect: args.protect, retainOnDelete: args.protect },
  );
  const settings = privateBucketSettings(`${name}-access-logs`, region, logs.bucket, parent);
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    `${name}-access-logs-lifecycle`,
    {
      region,
      bucket: logs.bucket,
      rules: [{ id: "access-logs", status: "Enabled", filter: {}, expiration: { days: ACCESS_LOG_RETENTION_DAYS }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
    },
    { parent, dependsOn: settings },
  );
  const policy = new aws.s3.BucketPolicy(
    `${name}-access-logs-policy`,
    { region, bucket: logs.bucket, policy: pulumi.all([logs.arn, accountId, partition]).apply(([arn, id, p]) => accessLogBucketPolicy(arn, id, p)) },
    { parent, dependsOn: [...settings, lifecycle] },
  );
  return { bucket: logs.bucket, settings: [...settings, lifecycle, policy] };
}

export function awsCostExports(name: string, args: AwsExportsArgs, parent: pulumi.Resource): AwsExports {
  const { region } = args;
  const tags = awsTags(args.tags);
  const account = aws.getCallerIdentityOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent });
  const bucket = new aws.s3.Bucket(
    `${name}-exports`,
    // A name known at preview, so the settings below name it too (the encrypted-buckets stack policy matches by name).
    { region, bucket: pulumi.interpolate`${args.bucketPrefix}-${account.accountId}`, forceDestroy: false, tags },
    { parent, protect: args.protect, retainOnDelete: args.protect },
  );
  const accessLogs = accessLogBucket(name, args, account.accountId, partition.partition, parent);
  const settings = [
    ...privateBucketSettings(`${name}-exports`, region, bucket.bucket, parent),
    // Who read or wrote billing history, and when: S3 server access logs into a bucket of their own.
    new aws.s3.BucketLogging(
      `${name}-exports-access-logging`,
      { region, bucket: bucket.bucket, targetBucket: accessLogs.bucket, targetPrefix: "exports/", targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } } },
      { parent, dependsOn: accessLogs.settings },
    ),
    new aws.s3.BucketVersioning(`${name}-exports-versioning`, { region, bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } }, { parent }),
  ];
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    `${name}-exports-lifecycle`,
    {
      region,
      bucket: bucket.bucket,
      rules: [
        {
          id: "billing-exports",
          status: "Enabled",
          filter: { prefix: `${EXPORT_PREFIX}/` },
          transitions: [{ days: EXPORT_TRANSITION.days, storageClass: EXPORT_TRANSITION.storageClass }],
          expiration: { days: args.retentionDays },
          // Each refresh overwrites the month's files: keep superseded versions a month, for a mistaken overwrite.
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    { parent, dependsOn: settings },
  );
  const policy = new aws.s3.BucketPolicy(
    `${name}-exports-policy`,
    {
      region,
      bucket: bucket.bucket,
      policy: pulumi.all([bucket.arn, account.accountId, partition.partition]).apply(([arn, accountId, p]) => exportBucketPolicy(arn, accountId, p)),
    },
    // After the other settings: S3 rejects concurrent configuration changes to one bucket (OperationAborted).
    { parent, dependsOn: settings },
  );
  const billingViewArn = pulumi.interpolate`arn:${partition.partition}:billing::${account.accountId}:billingview/primary`;
  const exported = new aws.bcmdata.Export(
    `${name}-cur2`,
    {
      export: {
        name: args.exportName,
        description: "CUR 2.0 with resource ids, cost allocation tags and cost categories, by day",
        dataQueries: [{ queryStatement: CUR2_QUERY, tableConfigurations: { [CUR2_TABLE]: billingViewArn.apply(cur2TableConfiguration) } }],
        destinationConfigurations: [
          {
            s3Destinations: [
              {
                s3Bucket: bucket.bucket,
                s3Prefix: EXPORT_PREFIX,
                s3Region: region,
                s3OutputConfigurations: [{ outputType: "CUSTOM", format: "PARQUET", compression: "PARQUET", overwrite: "OVERWRITE_REPORT" }],
              },
            ],
          },
        ],
        refreshCadences: [{ frequency: "SYNCHRONOUS" }],
      },
      tags,
    },
    // Data Exports checks at creation that the bucket policy lets it write.
    { parent, dependsOn: [policy, lifecycle] },
  );
  return { bucket, export: exported };
}
