/** policies/config.<stack>.json: one per stack, valid against each policy's schema, in step with the stack file. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { reconcilePackConfig } from "../../policies/lib/pack-config";
import { POLICIES } from "../../policies/rules";
import { readPackConfig, schemaProblems } from "../../tools/plan/violations";
import { ROOT } from "../helpers/estate";

const STACKS = fs.readdirSync(ROOT).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
const stackConfig = (stack: string) => parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")).config;

describe.each(STACKS)("policies/config.%s.json", (stack) => {
  const raw = readPackConfig(ROOT, stack) as Record<string, any>;

  it("exists, sets a level for every policy and validates against the policies' schemas", () => {
    expect(Object.keys(raw).sort()).toEqual(POLICIES.map((p) => p.name).sort());
    expect(schemaProblems(raw)).toEqual([]);
    expect(() => reconcilePackConfig(POLICIES, raw)).not.toThrow();
  });

  it("allows exactly the stack's budget lines and states the stack's environment", () => {
    const config = stackConfig(stack);
    expect([...raw["budget-line-allowed"].allowedBudgetLines].sort()).toEqual(Object.keys(config["core-unit-estate:budgetLines"]).sort());
    for (const policy of ["allowed-instance-types", "prod-deletion-protection"]) expect(raw[policy].environment).toBe(config["core-unit-estate:environment"]);
  });

  it("caps each budget line at the stack's monthlyCapDai, at the stack's DAI per USD; mandatory in prod, advisory elsewhere", () => {
    const config = stackConfig(stack);
    const lines: Record<string, { monthlyCapDai: number }> = config["core-unit-estate:budgetLines"];
    expect(raw["budget-cap"].caps).toEqual(Object.fromEntries(Object.entries(lines).map(([id, line]) => [id, line.monthlyCapDai])));
    expect(raw["budget-cap"].daiPerUsd).toBe(config["core-unit-estate:daiPerUsd"] ?? 1);
    expect(raw["budget-cap"].enforcementLevel).toBe(config["core-unit-estate:environment"] === "prod" ? "mandatory" : "advisory");
  });
});

describe("the pack config's schema check", () => {
  it("names the policy and the setting of each mismatch", () => {
    expect(schemaProblems({ "data-volume-size": { maxGiB: "big" }, "budget-line-allowed": { allowedBudgetLines: ["hardware"] }, "sandbox-expiry": { exemptions: [{ name: "x" }] } })).toEqual([
      "budget-line-allowed.allowedBudgetLines.0: must be equal to one of the allowed values",
      "sandbox-expiry.exemptions.0: must have required property 'reason'",
      "data-volume-size.maxGiB: must be number",
    ]);
  });
});
