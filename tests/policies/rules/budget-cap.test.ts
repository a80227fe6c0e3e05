import { budgetCap } from "../../../policies/rules/budget-cap";
import { UNKNOWN } from "../../../policies/lib/unknowns";
import { TAGS, resource, run, tagged } from "../helpers";

const AWS = resource("pulumi:providers:aws", { region: "us-east-1" }, "aws");
const onAws = { provider: `${AWS.urn}::aws-id` };
/** 2300 GiB, 8000 IOPS, 500 MB/s of gp3: 224 USD a month. */
const volume = (name: string, budgetLine = "infrastructure-tools") =>
  resource("aws:ebs/volume:Volume", { size: 2300, iops: 8000, throughput: 500, type: "gp3", encrypted: true, tags: tagged({ "budget-line": budgetLine }) }, name, onAws);
/** 32.85 USD a month. */
const nat = (name: string) => resource("aws:ec2/natGateway:NatGateway", { subnetId: "s", tags: TAGS }, name, onAws);
const settings = (caps: unknown, more: Record<string, unknown> = {}) => ({ enforcementLevel: "mandatory", caps, daiPerUsd: 1, ...more });

describe("budget-cap (a stack policy)", () => {
  it("passes lines whose estimate is within their cap", async () => {
    const { messages, notApplicable } = await run(budgetCap, [AWS, volume("data-0"), nat("nat-0")], settings({ "infrastructure-tools": 256.85 }));
    expect([messages, notApplicable]).toEqual([[], []]);
  });

  it("fails a line over its cap, naming the line, the estimate in USD and DAI, the cap and the largest resources", async () => {
    const resources = [AWS, volume("data-0"), volume("data-1"), nat("nat-0"), volume("poc-disk", "rnd-poc"), resource("aws:s3/bucket:Bucket", { tags: TAGS }, "exports", onAws)];
    const { messages, levels } = await run(budgetCap, resources, settings({ "infrastructure-tools": 400, "rnd-poc": 500 }, { daiPerUsd: 1.01 }));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      'budget line infrastructure-tools (Infrastructure & Tools): estimated 481 USD = 486 DAI/month, 121% of its cap of 400 DAI (over by 86 DAI); largest: aws:ebs/volume:Volume "data-0" 224 USD, aws:ebs/volume:Volume "data-1" 224 USD, aws:ec2/natGateway:NatGateway "nat-0" 33 USD; 1 of its resources is unpriced, so this is a lower bound. Fix: shrink the line\'s resources or raise its monthlyCapDai in Pulumi.<stack>.yaml and caps in policies/config.<stack>.json',
    ]);
    // Advisory where the stack's pack config says so (staging).
    expect((await run(budgetCap, resources, settings({ "infrastructure-tools": 400 }, { enforcementLevel: "advisory" }))).levels).toEqual(["advisory"]);
  });

  it("charges an untagged resource to its component's line, as the plan does", async () => {
    // A component's registered outputs reach a stack policy among its properties, as in the engine's state.
    const component = resource("estate:network:GcpNetwork", {}, "net", { custom: false, outputs: { costTags: tagged({ "budget-line": "rnd-poc" }) } });
    const gcp = resource("pulumi:providers:gcp", { region: "us-central1" }, "gcp");
    const cloudNat = resource("gcp:compute/routerNat:RouterNat", { region: "us-central1" }, "nat", { parent: component.urn, provider: `${gcp.urn}::gcp-id` });
    const disk = resource("gcp:compute/disk:Disk", { zone: "us-central1-a", type: "pd-ssd", size: 1000, labels: tagged({ "budget-line": "rnd-poc" }) }, "disk", { parent: component.urn });
    expect((await run(budgetCap, [component, gcp, cloudNat, disk], settings({ "rnd-poc": 100 }))).messages).toEqual([
      expect.stringMatching(/^budget line rnd-poc \(TechOps R&D\/POC\): estimated 170 USD = 170 DAI\/month, 170% of its cap of 100 DAI .*1 of its resources is unpriced/),
    ]);
  });

  it("never throws on malformed resources or caps: they are unpriced or skipped", async () => {
    const broken = [
      AWS,
      resource("aws:eks/nodeGroup:NodeGroup", { scalingConfig: "three", instanceTypes: [42], tags: TAGS }, "ng", onAws),
      resource("aws:ec2/instance:Instance", { launchTemplate: null, tags: TAGS }, "vm", onAws),
      resource("kubernetes:apps/v1:StatefulSet", { spec: { replicas: -1, volumeClaimTemplates: "x" }, metadata: { labels: TAGS } }, "sts", { provider: "urn:nonsense" }),
      resource("aws:ebs/volume:Volume", { size: UNKNOWN.string, type: "gp3", tags: TAGS }, "later", onAws),
      volume("data-0"),
    ];
    const outcome = await run(budgetCap, broken, settings({ "infrastructure-tools": 100, "rnd-poc": "lots", "": -5 }, { daiPerUsd: "x" }));
    expect(outcome.messages).toEqual([expect.stringContaining("estimated 224 USD = 224 DAI/month, 224% of its cap of 100 DAI")]);
    expect(outcome.messages[0]).toContain("4 of its resources are unpriced, so this is a lower bound");
  });

  it("cannot pass a line as within its cap while resources have no price for want of their region's table: unknown", async () => {
    const west = resource("pulumi:providers:aws", { region: "eu-west-1" }, "aws-west");
    const onWest = { provider: `${west.urn}::west-id` };
    const vm = resource("aws:ec2/instance:Instance", { instanceType: "m6i.large", tags: TAGS }, "vm-west", onWest);
    const resources = [AWS, west, volume("data-0"), nat("nat-0"), vm];
    const { messages, levels } = await run(budgetCap, resources, settings({ "infrastructure-tools": 10_000 }));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      'budget line infrastructure-tools (Infrastructure & Tools): cap check unknown, not within cap: 1 of its resources cost money but have no price (no price table for AWS region eu-west-1 (cost/prices/aws-eu-west-1.json)): aws:ec2/instance:Instance "vm-west". What is priced comes to 257 USD = 257 DAI/month, 3% of its cap of 10,000 DAI. Fix: add the region\'s price table (cost/prices/README.md) or deploy to a region that has one',
    ]);
    // A usage-based resource is no reason: its line passes, a lower bound as before.
    const bucket = resource("aws:s3/bucket:Bucket", { tags: TAGS }, "exports", onAws);
    expect((await run(budgetCap, [AWS, volume("data-0"), bucket], settings({ "infrastructure-tools": 10_000 }))).messages).toEqual([]);
  });

  it("prices a resource on the default provider in the region the stack's providers share, as the plan does", async () => {
    const db = resource("aws:rds/instance:Instance", { engine: "postgres", instanceClass: "db.r6g.large", allocatedStorage: 500, storageType: "gp3", tags: TAGS }, "db");
    const { messages } = await run(budgetCap, [AWS, db], settings({ "infrastructure-tools": 10 }));
    expect(messages).toEqual([expect.stringMatching(/^budget line infrastructure-tools \(Infrastructure & Tools\): estimated [1-9][\d,]* USD/)]);
    // The engine's default provider, with no region of its own in the stack's config, does not spoil the agreement.
    const fallback = resource("pulumi:providers:aws", {}, "default_7_48_0");
    const onDefault = resource("aws:rds/instance:Instance", { ...db.inputs }, "db-2", { provider: `${fallback.urn}::default-id` });
    expect((await run(budgetCap, [AWS, fallback, onDefault], settings({ "infrastructure-tools": 10 }))).messages).toEqual([expect.stringMatching(/: estimated [1-9][\d,]* USD/)]);
  });

  it("does not apply to a stack whose pack config gives no caps", async () => {
    expect((await run(budgetCap, [AWS, volume("data-0")], settings({}))).notApplicable).toEqual(["no budget line has a cap in this stack's pack config (caps)"]);
    expect((await run(budgetCap, [AWS, volume("data-0")])).notApplicable).toEqual(["no budget line has a cap in this stack's pack config (caps)"]);
  });
});
