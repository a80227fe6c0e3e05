import { imdsv2Required } from "../../../policies/rules/imdsv2-required";
import { TAGS, resource, run } from "../helpers";

const template = (metadataOptions?: unknown) => resource("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions, tags: TAGS }, "nodes-lt");

describe("imdsv2-required", () => {
  it("passes templates and instances that require tokens, or turn the metadata service off", async () => {
    const required = template({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 });
    const off = resource("aws:ec2/instance:Instance", { metadataOptions: { httpEndpoint: "disabled" } });
    expect((await run(imdsv2Required, [required, off])).messages).toEqual([]);
  });

  it("rejects IMDSv1, saying what it exposes and how to fix it", async () => {
    const { messages, levels } = await run(imdsv2Required, template({ httpTokens: "optional" }));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      'aws:ec2/launchTemplate:LaunchTemplate "nodes-lt" metadataOptions.httpTokens: "optional" allows IMDSv1, whose credentials a forged request (SSRF) can read. Fix: set metadataOptions: { httpTokens: "required" }',
    ]);
  });

  it("treats missing or malformed metadata options as IMDSv1", async () => {
    const { messages } = await run(imdsv2Required, [template(), resource("aws:ec2/instance:Instance", { metadataOptions: "strict" })]);
    expect(messages.map((m) => m.split(" allows")[0])).toEqual([
      'aws:ec2/launchTemplate:LaunchTemplate "nodes-lt" metadataOptions.httpTokens: null',
      'aws:ec2/instance:Instance "res" metadataOptions.httpTokens: null',
    ]);
  });

  it("does not apply to resources without a metadata service", async () => {
    expect((await run(imdsv2Required, resource("aws:eks/nodeGroup:NodeGroup", {}))).notApplicable).toEqual(["the type has no instance metadata service"]);
  });
});
