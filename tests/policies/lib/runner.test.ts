/** The runner gives each rule what the policy server gives it, and treats its outcomes the same way. */
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { evaluatePolicies } from "../../../policies/lib/runner";
import { UNKNOWN } from "../../../policies/lib/unknowns";
import { imdsv2Required } from "../../../policies/rules/imdsv2-required";
import { requiredCostTags } from "../../../policies/rules/required-cost-tags";
import { TAGS, resource, run } from "../helpers";

const Vpc = { __pulumiType: "aws:ec2/vpc:Vpc" };
const Subnet = class {
  static isInstance = (o: { __pulumiType: string }) => o.__pulumiType === "aws:ec2/subnet:Subnet";
};

describe("the policy runner", () => {
  it("passes faithful ResourceValidationArgs", async () => {
    let seen: ResourceValidationArgs | undefined;
    const policy: ResourceValidationPolicy = {
      name: "spy",
      description: "records its args",
      enforcementLevel: "advisory",
      configSchema: { properties: { limit: { type: "number", default: 3 } } },
      validateResource: (args) => {
        seen = args;
      },
    };
    const vpc = resource("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16", tags: TAGS }, "net-vpc", { parent: "urn:parent", protect: true });
    await evaluatePolicies([policy], [vpc], { stackTags: { "pulumi:project": "core-unit-estate" } }, { spy: { enforcementLevel: "mandatory", limit: 5 } });
    expect(seen).toMatchObject({ type: "aws:ec2/vpc:Vpc", name: "net-vpc", urn: vpc.urn, props: { cidrBlock: "10.0.0.0/16", tags: TAGS } });
    expect(seen!.opts).toEqual({ protect: true, parent: "urn:parent", ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } });
    expect(seen!.getConfig()).toEqual({ limit: 5 });
    expect(seen!.stackTags.get("pulumi:project")).toBe("core-unit-estate");
    expect([seen!.isType(Vpc as never), seen!.isType(Subnet as never)]).toEqual([true, false]);
    expect(seen!.asType(Vpc as never)).toBe(seen!.props);
    expect(() => seen!.notApplicable("nope")).toThrow("nope");
  });

  it("catches notApplicable per validation function, so the next one still runs", async () => {
    const policy: ResourceValidationPolicy = {
      name: "two-steps",
      description: "two validations",
      enforcementLevel: "mandatory",
      validateResource: [(args) => args.notApplicable("first does not apply"), (_args, report) => report("second ran")],
    };
    expect(await run(policy, resource("aws:ec2/vpc:Vpc", {}))).toEqual({ messages: ["second ran"], levels: ["mandatory"], notApplicable: ["first does not apply"] });
  });

  it("downgrades a rule that meets an unknown value to advisory, as the server does, while cost tags fail closed", async () => {
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: UNKNOWN.string }, tags: { ...TAGS, owner: UNKNOWN.string } });
    const imds = await run(imdsv2Required, template);
    expect(imds.levels).toEqual(["advisory"]);
    expect(imds.messages).toEqual(["can't run policy 'imdsv2-required' during preview: string value at .metadataOptions.httpTokens can't be known during preview"]);
    const tags = await run(requiredCostTags, template);
    expect(tags.levels).toEqual(["mandatory", "mandatory", "mandatory"]);
    expect(tags.messages[0]).toContain("tags: a cost tag is unknown during preview (string value at .tags.owner");
  });

  it("skips disabled policies and runs remediate ones as mandatory", async () => {
    const vpc = resource("aws:ec2/vpc:Vpc", {});
    expect((await run(requiredCostTags, vpc, "disabled")).messages).toEqual([]);
    expect((await run(requiredCostTags, vpc, "remediate")).levels).toEqual(["mandatory"]);
  });

  it("fails the run, naming policy and resource, when a rule throws", async () => {
    const broken: ResourceValidationPolicy = { name: "broken", description: "throws", validateResource: () => { throw new Error("boom"); } };
    await expect(run(broken, resource("aws:ec2/vpc:Vpc", {}, "v"))).rejects.toThrow("policy broken failed on urn:pulumi:test::core-unit-estate::aws:ec2/vpc:Vpc::v: boom");
  });

  it("gives stack policies every resource with parent and dependencies resolved, and reports on the stack's URN", async () => {
    let seen: StackValidationArgs | undefined;
    const policy: StackValidationPolicy = {
      name: "stack-spy",
      description: "records the stack",
      enforcementLevel: "advisory",
      validateStack: (args, report) => {
        seen = args;
        report("about the stack");
      },
    };
    const stack = resource("pulumi:pulumi:Stack", {}, "core-unit-estate-prod");
    const vpc = resource("aws:ec2/vpc:Vpc", {}, "vpc", { parent: stack.urn });
    const subnet = resource("aws:ec2/subnet:Subnet", {}, "subnet", { parent: stack.urn, dependencies: [vpc.urn, "urn:missing"] });
    const { violations } = await evaluatePolicies([policy], [stack, vpc, subnet], {}, undefined);
    expect(violations).toEqual([{ policy: "stack-spy", enforcementLevel: "advisory", urn: stack.urn, message: "about the stack" }]);
    const [, , seenSubnet] = seen!.resources;
    expect(seenSubnet.parent?.name).toBe("core-unit-estate-prod");
    expect(seenSubnet.dependencies.map((d) => d.name)).toEqual(["vpc"]);
    expect(seenSubnet.isType(Subnet as never)).toBe(true);
  });
});
