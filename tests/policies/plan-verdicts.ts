/**
 * The pack over a whole stack: it passes; stripping cost tags on any platform fails, naming the resource.
 * Each stack's whole-estate test runs these (tests/helpers/estate.ts) on the plan it has already built.
 */
import * as path from "path";
import { runPolicies } from "../../policies/rules";
import { Plan } from "../../tools/plan/plan";
import { planVerdict } from "../../tools/plan/verdict";
import { readPackConfig } from "../../tools/plan/violations";

const ROOT = path.resolve(__dirname, "../..");

/** The plan's resources with `field` (a dotted path into its inputs) removed from the resource named `name`. */
function without(resources: Plan["resources"], name: string, field: string): Plan["resources"] {
  return resources.map((r) => {
    if (r.name !== name) return r;
    const inputs = JSON.parse(JSON.stringify(r.inputs));
    const parts = field.split(".");
    delete parts.slice(0, -1).reduce((o, p) => o[p], inputs)[parts[parts.length - 1]];
    return { ...r, inputs };
  });
}

export function describePolicyVerdicts(stack: string, load: () => Plan): void {
  describe(`stack ${stack} under the policy pack (policies/config.${stack}.json)`, () => {
    const check = (resources: Plan["resources"]) => runPolicies(resources, {}, readPackConfig(ROOT, stack));

    it("has no mandatory violation, so the plan exits 0", () => {
      expect(load().violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
      expect(planVerdict(load()).code).toBe(0);
    });

    it("fails, naming each resource, when one resource per platform loses its cost tags", async () => {
      const nodePool = load().resources.find((r) => r.type === "gcp:container/nodePool:NodePool")!.name;
      const resources = without(without(without(load().resources, "net-main-vpc", "tags"), nodePool, "nodeConfig.resourceLabels"), "k8s-core-ns-ethereum", "metadata.labels");
      const violations = await check(resources);
      // In any order: the order resources register in (EKS namespaces wait for the load balancer controller) is incidental.
      expect(violations.map((v) => [v.enforcementLevel, v.policy, v.message.split(" (required:")[0]]).sort()).toEqual(
        [
          ["mandatory", "required-cost-tags", 'aws:ec2/vpc:Vpc "net-main-vpc" tags: no tags'],
          ["mandatory", "required-cost-tags", 'kubernetes:core/v1:Namespace "k8s-core-ns-ethereum" metadata.labels: no tags'],
          ["mandatory", "required-cost-tags", `gcp:container/nodePool:NodePool "${nodePool}" nodeConfig.resourceLabels: no tags`],
        ].sort(),
      );
      const verdict = planVerdict({ stack, violations });
      expect(verdict.code).toBe(1);
      expect(verdict.message).toMatch(new RegExp(`^stack ${stack}: 3 mandatory policy violations; a deployment with the policy pack would stop here:\n`));
      expect(verdict.message).toContain(`urn:pulumi:${stack}::core-unit-estate::estate:network:AwsNetwork$aws:ec2/vpc:Vpc::net-main-vpc`);
    });

    it("fails when a single cost tag is removed anywhere", async () => {
      const violations = await check(without(load().resources, "k8s-core-ns-api", "metadata.labels.owner"));
      expect(violations).toEqual([
        {
          policy: "required-cost-tags",
          enforcementLevel: "mandatory",
          urn: expect.stringMatching(/::k8s-core-ns-api$/),
          message: `kubernetes:core/v1:Namespace "k8s-core-ns-api" metadata.labels: missing tag "owner". Fix: pass the workload's cost tags from components/tagging (costTags) to this resource`,
        },
      ]);
    });
  });
}
