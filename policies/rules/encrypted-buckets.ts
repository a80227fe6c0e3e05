/**
 * S3 buckets declare server-side encryption, inline or with a BucketServerSideEncryptionConfiguration that depends
 * on them. A stack policy: the configuration is a resource of its own. GCS buckets are always encrypted.
 */
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { asArray, at } from "../lib/props";

const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const CONFIGURATIONS = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

const algorithmsOf = (rules: readonly unknown[]): unknown[] => rules.map((rule) => at(rule, "applyServerSideEncryptionByDefault.sseAlgorithm"));

function configures(configuration: PolicyResource, bucket: PolicyResource): boolean {
  return configuration.dependencies.some((d) => d.urn === bucket.urn) || (at(bucket.props, "bucket") !== undefined && at(configuration.props, "bucket") === at(bucket.props, "bucket"));
}

export const encryptedBuckets = stackPolicy({
  name: "encrypted-buckets",
  description: "S3 buckets declare server-side encryption (AES256, aws:kms or aws:kms:dsse).",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm aws:kms (or AES256).",
  validateStack: (args, reportViolation) => {
    const buckets = args.resources.filter((r) => BUCKETS.includes(r.type));
    if (buckets.length === 0) return args.notApplicable("the stack has no S3 bucket");
    const configurations = args.resources.filter((r) => CONFIGURATIONS.includes(r.type));
    for (const bucket of buckets) {
      const inline = at(bucket.props, "serverSideEncryptionConfiguration.rule");
      const algorithms = [
        ...(inline === undefined ? [] : algorithmsOf([inline])),
        ...configurations.filter((c) => configures(c, bucket)).flatMap((c) => algorithmsOf(asArray(at(c.props, "rules")))),
      ];
      if (algorithms.length === 0) {
        reportViolation(`${subject(bucket)}: no server-side encryption configuration. Fix: add an aws.s3.BucketServerSideEncryptionConfiguration for it (sseAlgorithm aws:kms or AES256)`, bucket.urn);
      }
      for (const algorithm of algorithms.filter((a) => !ALGORITHMS.includes(a as string))) {
        reportViolation(`${subject(bucket)}: sseAlgorithm ${JSON.stringify(algorithm ?? null)} is not one of ${ALGORITHMS.join(", ")}. Fix: use aws:kms or AES256`, bucket.urn);
      }
    }
  },
});
