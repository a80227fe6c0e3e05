import { encryptedBuckets } from "../../../policies/rules/encrypted-buckets";
import { TAGS, resource, run } from "../helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const bucket = (name: string, props: Record<string, unknown> = {}) => resource(BUCKET, { tags: TAGS, ...props }, name);
const sse = (name: string, forBucket: string, sseAlgorithm: unknown) =>
  resource(SSE, { bucket: `${forBucket}-id`, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }] }, name, { dependencies: [bucket(forBucket).urn] });

describe("encrypted-buckets (a stack policy)", () => {
  it("passes buckets with an encryption configuration that depends on them, or an inline one", async () => {
    const inline = bucket("legacy", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } });
    expect((await run(encryptedBuckets, [bucket("cur-exports"), sse("cur-exports-sse", "cur-exports", "aws:kms"), inline])).messages).toEqual([]);
  });

  it("names each bucket without one, by its own URN", async () => {
    const { messages, levels } = await run(encryptedBuckets, [bucket("cur-exports"), bucket("logs"), sse("logs-sse", "logs", "aws:kms")]);
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      'aws:s3/bucket:Bucket "cur-exports": no server-side encryption configuration. Fix: add an aws.s3.BucketServerSideEncryptionConfiguration for it (sseAlgorithm aws:kms or AES256)',
    ]);
  });

  it("rejects an unknown or missing algorithm", async () => {
    const { messages } = await run(encryptedBuckets, [bucket("b"), sse("b-sse", "b", "ROT13"), sse("b-sse2", "b", undefined)]);
    expect(messages).toEqual([expect.stringContaining('sseAlgorithm "ROT13" is not one of AES256, aws:kms, aws:kms:dsse'), expect.stringContaining("sseAlgorithm null is not one of")]);
  });

  it("skips exempted buckets, by name pattern", async () => {
    const { messages } = await run(encryptedBuckets, [bucket("public-website")], { exemptions: [{ name: "public-*", reason: "static site content, public by design" }] });
    expect(messages).toEqual([]);
  });

  it("does not apply to a stack without S3 buckets", async () => {
    expect((await run(encryptedBuckets, resource("gcp:storage/bucket:Bucket", { labels: TAGS }))).notApplicable).toEqual(["the stack has no S3 bucket"]);
  });
});
