import { planVerdict } from "../../tools/plan/verdict";

const violation = (enforcementLevel: "mandatory" | "advisory", name: string) => ({
  policy: "required-cost-tags",
  enforcementLevel,
  urn: `urn:pulumi:prod::core-unit-estate::aws:ec2/vpc:Vpc::${name}`,
  message: `aws:ec2/vpc:Vpc "${name}" tags: missing tag "owner". Fix: ...`,
});

describe("how the plan ends when it rendered", () => {
  it("exits 0 with no violation, or only advisory ones", () => {
    expect(planVerdict({ stack: "prod", violations: [] })).toEqual({ code: 0, message: "" });
    expect(planVerdict({ stack: "prod", violations: [violation("advisory", "a")] })).toEqual({ code: 0, message: "" });
  });

  it("exits 1 on a mandatory violation, naming each resource and its URN", () => {
    const { code, message } = planVerdict({ stack: "prod", violations: [violation("mandatory", "net-main-vpc"), violation("advisory", "b")] });
    expect(code).toBe(1);
    expect(message).toBe(
      [
        "stack prod: 1 mandatory policy violation; a deployment with the policy pack would stop here:",
        '  - required-cost-tags: aws:ec2/vpc:Vpc "net-main-vpc" tags: missing tag "owner". Fix: ...',
        "    urn:pulumi:prod::core-unit-estate::aws:ec2/vpc:Vpc::net-main-vpc",
        "",
      ].join("\n"),
    );
  });
});
