/** Whole-estate checks every stack must pass, shared by the per-stack tests. */
import * as fs from "fs";
import * as path from "path";
import { Plan, buildPlan } from "../../tools/plan/plan";
import { RecordedResource } from "../../tools/plan/record";
import { describePolicyVerdicts } from "../policies/plan-verdicts";
import { PLANS_DIR_ENV, PLAN_DATE } from "./plans-cache";
import { childrenNotNamedFrom, costTagProblems, duplicateUrns, unclassifiedTypes } from "./resources";

export const ROOT = path.resolve(__dirname, "../..");

export function asRecorded(plan: Plan): RecordedResource[] {
  return plan.resources.map((r) => ({ ...r, parent: r.parent ?? undefined, outputs: {} }));
}

export function describeEstateInvariants(stack: string, load: () => Plan): void {
  describe(`stack ${stack}: invariants of every estate`, () => {
    it("every taggable resource carries the six cost tags with valid values", () => {
      expect(costTagProblems(asRecorded(load()))).toEqual([]);
      expect(load().violations).toEqual([]);
    });

    it("every resource type is either taggable or listed as not taggable, with a reason", () => {
      expect(unclassifiedTypes(asRecorded(load()))).toEqual([]);
    });

    it("every cloud resource is attributed to a configured budget line", () => {
      const lines = load().budgetLines.map((l) => l.id);
      const cloud = load().resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
      expect(cloud.filter((r) => r.budgetLine === null || !lines.includes(r.budgetLine)).map((r) => r.name)).toEqual([]);
    });

    it("names every component's children from the component's name, so two instances can coexist", () => {
      const resources = asRecorded(load());
      const components = resources.filter((r) => !r.custom && r.type.startsWith("estate:"));
      expect(components.length).toBeGreaterThan(0);
      expect(components.flatMap((c) => childrenNotNamedFrom(resources, c.name))).toEqual([]);
      expect(duplicateUrns(resources)).toEqual([]);
    });
  });
  describePolicyVerdicts(stack, load);
}

/** The stack's plan: rendered once per test run by tests/global-setup.ts, else (a file run on its own) now. */
export async function planOf(stack: string): Promise<Plan> {
  const dir = process.env[PLANS_DIR_ENV];
  const cached = dir && path.join(dir, `${stack}.json`);
  if (cached && fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, "utf8")) as Plan;
  return buildPlan(ROOT, stack, PLAN_DATE);
}
