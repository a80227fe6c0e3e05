import { requiredCostTags } from "../../../policies/rules/required-cost-tags";
import { UNKNOWN } from "../../../policies/lib/unknowns";
import { TAGS, resource, run, tagged } from "../helpers";

const VPC = "aws:ec2/vpc:Vpc";

describe("required-cost-tags", () => {
  it("passes a resource carrying the six cost tags", async () => {
    expect((await run(requiredCostTags, resource(VPC, { cidrBlock: "10.0.0.0/16", tags: TAGS }))).messages).toEqual([]);
  });

  it("names the resource, the field and the missing tag, and how to fix it", async () => {
    const { messages, levels } = await run(requiredCostTags, resource(VPC, { tags: tagged({ "budget-line": undefined }) }, "net-main-vpc"));
    expect(messages).toEqual([
      `aws:ec2/vpc:Vpc "net-main-vpc" tags: missing tag "budget-line". Fix: pass the workload's cost tags from components/tagging (costTags) to this resource`,
    ]);
    expect(levels).toEqual(["mandatory"]);
  });

  it("rejects a value no platform shares", async () => {
    const { messages } = await run(requiredCostTags, resource("gcp:compute/disk:Disk", { labels: tagged({ owner: "TechOps Team" }) }));
    expect(messages).toEqual([expect.stringMatching(/^gcp:compute\/disk:Disk "res" labels: tag "owner" has value "TechOps Team"; allowed: lowercase letters/)]);
  });

  it("reads GKE node pools' VM labels, not their Kubernetes node labels", async () => {
    const { messages } = await run(requiredCostTags, resource("gcp:container/nodePool:NodePool", { nodeConfig: { labels: TAGS } }));
    expect(messages).toEqual([expect.stringContaining("nodeConfig.resourceLabels: no tags (required: core-unit, budget-line")]);
    expect(messages[0]).toContain("nodeConfig.labels are Kubernetes node labels");
  });

  it("needs the pod-template labels of a Kubernetes workload", async () => {
    const deployment = resource("kubernetes:apps/v1:Deployment", { metadata: { labels: TAGS }, spec: { template: { metadata: { labels: { app: "rpc" } } } } });
    const { messages } = await run(requiredCostTags, deployment);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/spec\.template\.metadata\.labels: missing tag "core-unit";.*never the selector/);
  });

  it("follows the tags to the volumes a launch template starts and an instance attaches", async () => {
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", { tags: TAGS, tagSpecifications: [{ resourceType: "instance", tags: TAGS }] });
    expect((await run(requiredCostTags, template)).messages).toEqual([expect.stringMatching(/tagSpecifications\[volume\]\.tags: no tags .*awsLaunchTemplateTagSpecifications/)]);
    const instance = resource("aws:ec2/instance:Instance", { tags: TAGS });
    expect((await run(requiredCostTags, instance)).messages).toEqual([expect.stringMatching(/"res" volumeTags: no tags .*set volumeTags: awsTags\(tags\)/)]);
  });

  it("counts only Auto Scaling tags propagated at launch", async () => {
    const tags = Object.entries(TAGS).map(([key, value]) => ({ key, value, propagateAtLaunch: key !== "budget-line" }));
    const { messages } = await run(requiredCostTags, resource("aws:autoscaling/group:Group", { tags }));
    expect(messages).toEqual([expect.stringMatching(/tags\[propagateAtLaunch\]: missing tag "budget-line".*awsAutoScalingTags/)]);
  });

  it("reports malformed or missing tag fields instead of crashing", async () => {
    expect((await run(requiredCostTags, resource(VPC, {}))).messages).toEqual([expect.stringContaining('"res" tags: no tags (required:')]);
    expect((await run(requiredCostTags, resource(VPC, { tags: ["core-unit"] }))).messages).toEqual([expect.stringContaining("tags: no tags")]);
    expect((await run(requiredCostTags, resource(VPC, { tags: { ...TAGS, owner: 42 } }))).messages).toEqual([expect.stringContaining('tag "owner" has value 42')]);
  });

  it("does not apply to types that take no tags, nor to components and providers", async () => {
    const route = await run(requiredCostTags, resource("aws:ec2/route:Route", { destinationCidrBlock: "0.0.0.0/0" }));
    expect(route).toEqual({ messages: [], levels: [], notApplicable: ["the type takes no tags (components/tagging/taggable.ts)"] });
    expect((await run(requiredCostTags, [resource("estate:network:AwsNetwork", {}), resource("pulumi:providers:aws", {})])).notApplicable).toHaveLength(2);
  });

  it("fails closed, at its own level, on a cost tag unknown during preview", async () => {
    const { messages, levels } = await run(requiredCostTags, resource(VPC, { tags: tagged({ "budget-line": UNKNOWN.string }) }));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      `aws:ec2/vpc:Vpc "res" tags: a cost tag is unknown during preview (string value at .tags.budget-line can't be known during preview); cost tags must be literal strings from config, never Outputs`,
    ]);
    const whole = await run(requiredCostTags, resource(VPC, { tags: UNKNOWN.object }));
    expect(whole.levels).toEqual(["mandatory"]);
    expect(whole.messages[0]).toMatch(/cost tags unknown during preview \(Object value at \.tags/);
  });
});
