import { TAGGABLE, UNTAGGABLE, costTags, readTags } from "../../../components/tagging";

const tags = costTags({ coreUnit: "tocu-001", budgetLine: "rnd-poc", environment: "staging", workload: "poc", owner: "techops" });

describe("readTags", () => {
  it("reads plain tag maps at nested paths", () => {
    expect(readTags("gcp:sql/databaseInstance:DatabaseInstance", { settings: { userLabels: tags } })).toEqual([{ field: "settings.userLabels", tags }]);
    expect(readTags("gcp:container/nodePool:NodePool", { nodeConfig: {} })).toEqual([{ field: "nodeConfig.resourceLabels", tags: undefined }]);
  });

  it("needs both the resource and pod-template labels on a Kubernetes workload", () => {
    const found = readTags("kubernetes:apps/v1:Deployment", { metadata: { labels: tags }, spec: { template: { metadata: {} } } });
    expect(found).toEqual([
      { field: "metadata.labels", tags },
      { field: "spec.template.metadata.labels", tags: undefined },
    ]);
  });

  it("reads launch-template tag specifications per resource type", () => {
    const found = readTags("aws:ec2/launchTemplate:LaunchTemplate", { tags, tagSpecifications: [{ resourceType: "instance", tags }] });
    expect(found).toEqual([
      { field: "tags", tags },
      { field: "tagSpecifications[instance].tags", tags },
      { field: "tagSpecifications[volume].tags", tags: undefined },
    ]);
  });

  it("counts only propagated Auto Scaling group tags", () => {
    const found = readTags("aws:autoscaling/group:Group", {
      tags: [
        { key: "owner", value: "techops", propagateAtLaunch: true },
        { key: "workload", value: "poc", propagateAtLaunch: false },
      ],
    });
    expect(found).toEqual([{ field: "tags[propagateAtLaunch]", tags: { owner: "techops" } }]);
  });

  it("survives malformed input and unknown types", () => {
    expect(readTags("aws:ec2/vpc:Vpc", null)).toEqual([{ field: "tags", tags: undefined }]);
    expect(readTags("aws:ec2/vpc:Vpc", { tags: ["a"] })).toEqual([{ field: "tags", tags: undefined }]);
    expect(readTags("aws:ec2/launchTemplate:LaunchTemplate", { tagSpecifications: "x" })).toHaveLength(3);
    expect(readTags("no:such/type:Type", { tags })).toEqual([]);
  });

  it("keeps the taggable and cannot-be-tagged lists apart, each untaggable with a reason", () => {
    expect(Object.keys(TAGGABLE).filter((t) => t in UNTAGGABLE)).toEqual([]);
    for (const reason of Object.values(UNTAGGABLE)) expect(reason.length).toBeGreaterThan(10);
  });
});
