import { dataVolumeSize } from "../../../policies/rules/data-volume-size";
import { TAGS, resource, run, tagged } from "../helpers";

const ebs = (size: unknown, workload: string) => resource("aws:ebs/volume:Volume", { size, type: "gp3", encrypted: true, tags: tagged({ workload }) }, "data");
const pvc = (storage: unknown, workload: string) =>
  resource("kubernetes:core/v1:PersistentVolumeClaim", { metadata: { labels: tagged({ workload }) }, spec: { resources: { requests: { storage } } } }, "pvc");

describe("data-volume-size", () => {
  it("passes volumes up to the limit, and large ones of the archive and indexer workloads", async () => {
    expect((await run(dataVolumeSize, [ebs(1000, "api-services"), pvc("500Gi", "poc")])).messages).toEqual([]);
    expect((await run(dataVolumeSize, [ebs(3000, "ethereum-node"), pvc("2Ti", "indexer")])).notApplicable).toEqual([
      "workload ethereum-node may create large volumes",
      "workload indexer may create large volumes",
    ]);
  });

  it("rejects a large volume of another workload, naming size, limit and workloads", async () => {
    const { messages, levels } = await run(dataVolumeSize, ebs(2000, "analytics"));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      'aws:ebs/volume:Volume "data" size: 2000 GiB is above 1000 GiB, which only workloads ethereum-node, indexer may exceed (this one is workload analytics). Fix: shrink it, or exempt it with a reason in policies/config.<stack>.json',
    ]);
  });

  it("reads sizes where each platform states them", async () => {
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: [{ ebs: { volumeSize: 50 } }, { ebs: { volumeSize: 1500 } }], tags: tagged({ workload: "kubernetes" }) });
    const claim = pvc("2Ti", "poc");
    const pool = resource("gcp:container/nodePool:NodePool", { nodeConfig: { diskSizeGb: 4000, resourceLabels: TAGS } });
    const { messages } = await run(dataVolumeSize, [template, claim, pool]);
    expect(messages.map((m) => m.split(": ")[0])).toEqual([
      'aws:ec2/launchTemplate:LaunchTemplate "res" blockDeviceMappings[1].ebs.volumeSize',
      'kubernetes:core/v1:PersistentVolumeClaim "pvc" spec.resources.requests.storage',
    ]);
    expect(messages[1]).toContain("2048 GiB");
  });

  it("takes the limit and the workloads from the stack's config", async () => {
    expect((await run(dataVolumeSize, ebs(2000, "analytics"), { maxGiB: 3000 })).messages).toEqual([]);
    expect((await run(dataVolumeSize, ebs(2000, "analytics"), { largeVolumeWorkloads: ["analytics"] })).messages).toEqual([]);
  });

  it("skips sizes it cannot read", async () => {
    expect((await run(dataVolumeSize, [ebs("huge", "analytics"), pvc("lots", "poc"), resource("aws:ebs/volume:Volume", {})])).messages).toEqual([]);
  });

  it("does not apply to types that create no volume", async () => {
    expect((await run(dataVolumeSize, resource("aws:ec2/vpc:Vpc", { tags: TAGS }))).notApplicable).toEqual(["the type creates no data volume"]);
  });
});
