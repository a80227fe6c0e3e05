import { allowedInstanceTypes } from "../../../policies/rules/allowed-instance-types";
import { TAGS, resource, run, tagged } from "../helpers";

const nodeGroup = (instanceTypes: unknown, tags: Record<string, string> = TAGS) => resource("aws:eks/nodeGroup:NodeGroup", { instanceTypes, tags }, "workloads");
const nodePool = (machineType: string, tags: Record<string, string>) => resource("gcp:container/nodePool:NodePool", { nodeConfig: { machineType, resourceLabels: tags } }, "spot");
const STAGING_POC = tagged({ environment: "staging", "budget-line": "rnd-poc", workload: "poc" });

describe("allowed-instance-types", () => {
  it("passes the types the estate runs, per environment and budget line", async () => {
    expect((await run(allowedInstanceTypes, [nodeGroup(["r7g.2xlarge"]), nodeGroup(["m7g.large", "m6g.large"], tagged({ environment: "staging" }))])).messages).toEqual([]);
    expect((await run(allowedInstanceTypes, [nodePool("e2-standard-4", STAGING_POC), nodePool("n2-standard-4", TAGS)])).messages).toEqual([]);
  });

  it("rejects a type off the list, naming the list it checked", async () => {
    const { messages, levels } = await run(allowedInstanceTypes, nodeGroup(["m7g.large", "p5.48xlarge"]));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([expect.stringMatching(/^aws:eks\/nodeGroup:NodeGroup "workloads" instanceTypes\[1\]: p5\.48xlarge is not allowed for budget line infrastructure-tools in prod \(allowed: t3\.\*, .* and \d+ more\)\. Fix: pick an allowed type/)]);
  });

  it("keeps R&D/POC work small, also for machine types given as URLs", async () => {
    const { messages } = await run(allowedInstanceTypes, nodePool("zones/us-central1-a/machineTypes/n2-highmem-16", STAGING_POC));
    expect(messages).toEqual([expect.stringContaining("nodeConfig.machineType: n2-highmem-16 is not allowed for budget line rnd-poc in staging")]);
  });

  it("takes the environment from the policy config for resources without tags, and checks database classes", async () => {
    const db = (instanceClass: string) => resource("aws:rds/clusterInstance:ClusterInstance", { instanceClass });
    expect((await run(allowedInstanceTypes, db("db.r7g.large"), { environment: "prod" })).messages).toEqual([]);
    expect((await run(allowedInstanceTypes, db("db.x2g.16xlarge"), { environment: "prod" })).messages[0]).toContain("db.x2g.16xlarge is not allowed for budget line * in prod");
  });

  it("uses the stack's own allow-lists when its config gives them", async () => {
    const allowedTypes = { prod: { "*": ["m7g.*"] } };
    expect((await run(allowedInstanceTypes, nodeGroup(["m7g.16xlarge"]), { allowedTypes })).messages).toEqual([]);
    expect((await run(allowedInstanceTypes, nodeGroup(["r7g.large"]), { allowedTypes })).messages[0]).toContain("(allowed: m7g.*)");
    const qa = await run(allowedInstanceTypes, nodeGroup(["m7g.large"], tagged({ environment: "qa" })));
    expect(qa.messages[0]).toContain('allowedTypes has no list for environment "qa"');
  });

  it("skips absent or malformed sizes, and stops on a malformed allow-list", async () => {
    expect((await run(allowedInstanceTypes, [nodeGroup("m7g.large"), resource("aws:ec2/launchTemplate:LaunchTemplate", { tags: TAGS })])).messages).toEqual([]);
    await expect(run(allowedInstanceTypes, nodeGroup(["m7g.large"]), { allowedTypes: { prod: ["m7g.large"] } })).rejects.toThrow(
      /policy allowed-instance-types failed on .*: policy config "allowedTypes" is .*; expected environment -> budget line -> list of patterns/,
    );
  });

  it("does not apply to sizeless types, nor where no environment is known", async () => {
    expect((await run(allowedInstanceTypes, resource("aws:ec2/vpc:Vpc", { tags: TAGS }))).notApplicable).toEqual(["the type has no instance or machine type"]);
    expect((await run(allowedInstanceTypes, resource("aws:rds/instance:Instance", { instanceClass: "db.t4g.micro" }))).notApplicable).toEqual([
      "no environment tag and no environment in the policy config",
    ]);
  });
});
