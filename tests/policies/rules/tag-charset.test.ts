import { tagCharset } from "../../../policies/rules/tag-charset";
import { TAGS, resource, run } from "../helpers";

describe("tag-charset", () => {
  it("accepts each platform's own keys besides the cost tags", async () => {
    const subnet = resource("aws:ec2/subnet:Subnet", { tags: { ...TAGS, "kubernetes.io/role/internal-elb": "1", Name: "Private subnet A" } });
    const namespace = resource("kubernetes:core/v1:Namespace", { metadata: { labels: { ...TAGS, "pod-security.kubernetes.io/enforce": "baseline" } } });
    expect((await run(tagCharset, [subnet, namespace])).messages).toEqual([]);
  });

  it("rejects GCP label keys and values outside lowercase letters, digits, _ and -", async () => {
    const { messages } = await run(tagCharset, resource("gcp:storage/bucket:Bucket", { labels: { ...TAGS, Team: "ops", release: "v1.2" } }, "exports"));
    expect(messages).toEqual([
      'gcp:storage/bucket:Bucket "exports" labels: key "Team" is not a valid GCP key (1-63 lowercase letters, digits, _ and -, starting with a letter). Fix: rename it',
      'gcp:storage/bucket:Bucket "exports" labels: value "v1.2" of "release" is not a valid GCP value (0-63 lowercase letters, digits, _ and -). Fix: change the value',
    ]);
  });

  it("rejects AWS's reserved prefix and Kubernetes values over 63 characters", async () => {
    expect((await run(tagCharset, resource("aws:kms/key:Key", { tags: { ...TAGS, "aws:createdBy": "me" } }))).messages[0]).toContain("the aws: prefix is reserved for AWS");
    const long = resource("kubernetes:core/v1:ConfigMap", { metadata: { labels: { ...TAGS, note: "x".repeat(64) } } });
    expect((await run(tagCharset, long)).messages[0]).toContain("is not a valid Kubernetes value (at most 63 letters");
  });

  it("reports values that are not strings, and passes resources without tags to required-cost-tags", async () => {
    expect((await run(tagCharset, resource("aws:ec2/vpc:Vpc", { tags: { ...TAGS, shard: 3 } }))).messages[0]).toContain('value 3 of "shard" is not a valid AWS value (must be a string)');
    expect((await run(tagCharset, resource("aws:ec2/vpc:Vpc", { tags: null }))).messages).toEqual([]);
  });

  it("does not apply to types that take no tags or to other providers", async () => {
    const { notApplicable } = await run(tagCharset, [resource("gcp:compute/firewall:Firewall", {}), resource("random:index/randomId:RandomId", {})]);
    expect(notApplicable).toHaveLength(2);
  });
});
