import { costTagsPropagate } from "../../../policies/rules/cost-tags-propagate";
import { TAGS, resource, run, tagged } from "../helpers";

const RDS = "aws:rds/instance:Instance";
const csi = (configurationValues: unknown) => resource("aws:eks/addon:Addon", { addonName: "aws-ebs-csi-driver", configurationValues, tags: TAGS }, "ebs-csi");

describe("cost-tags-propagate", () => {
  it("needs RDS to copy its tags to the snapshots it bills for", async () => {
    expect((await run(costTagsPropagate, resource(RDS, { copyTagsToSnapshot: true }))).messages).toEqual([]);
    const { messages } = await run(costTagsPropagate, [resource(RDS, {}, "indexer-db"), resource("aws:rds/cluster:Cluster", { copyTagsToSnapshot: false }, "indexer-cluster")]);
    expect(messages).toEqual([
      'aws:rds/instance:Instance "indexer-db": copyTagsToSnapshot is not true, so its snapshots (billed backup storage) carry no cost tags. Fix: set copyTagsToSnapshot: true',
      'aws:rds/cluster:Cluster "indexer-cluster": copyTagsToSnapshot is not true, so its snapshots (billed backup storage) carry no cost tags. Fix: set copyTagsToSnapshot: true',
    ]);
  });

  it("needs EKS managed node groups to launch through a launch template", async () => {
    const withTemplate = resource("aws:eks/nodeGroup:NodeGroup", { launchTemplate: { id: "lt-1", version: "1" }, tags: TAGS });
    expect((await run(costTagsPropagate, withTemplate)).messages).toEqual([]);
    const bare = await run(costTagsPropagate, resource("aws:eks/nodeGroup:NodeGroup", { tags: TAGS }, "general"));
    expect(bare.messages).toEqual([expect.stringMatching(/^aws:eks\/nodeGroup:NodeGroup "general": launches no launch template, and EKS managed node groups never pass their tags/)]);
  });

  it("needs the EBS CSI driver to tag the volumes of PersistentVolumeClaims", async () => {
    expect((await run(costTagsPropagate, csi(JSON.stringify({ controller: { extraVolumeTags: TAGS } })))).messages).toEqual([]);
    const missing = await run(costTagsPropagate, csi(JSON.stringify({ controller: { extraVolumeTags: tagged({ owner: undefined }) } })));
    expect(missing.messages).toEqual([expect.stringContaining('controller.extraVolumeTags in configurationValues: missing tag "owner"')]);
    expect((await run(costTagsPropagate, csi(undefined))).messages[0]).toContain("controller.extraVolumeTags in configurationValues: no tags");
    expect((await run(costTagsPropagate, csi("{not json"))).messages[0]).toContain("configurationValues is not JSON");
    expect((await run(costTagsPropagate, resource("aws:eks/addon:Addon", { addonName: "vpc-cni" }))).messages).toEqual([]);
  });

  it("needs ECS services to propagate their tags to tasks", async () => {
    expect((await run(costTagsPropagate, resource("aws:ecs/service:Service", { propagateTags: "SERVICE" }))).messages).toEqual([]);
    expect((await run(costTagsPropagate, resource("aws:ecs/service:Service", { propagateTags: "NONE" }))).messages[0]).toContain('propagateTags is "NONE"');
  });

  it("does not apply to resources that create nothing billed later", async () => {
    expect((await run(costTagsPropagate, resource("aws:ec2/vpc:Vpc", { tags: TAGS }))).notApplicable).toEqual(["the type creates nothing billed that needs its tags copied"]);
  });
});
