/** Running one policy on hand-written resources, through the same runner the offline plan uses. */
import type { Policies } from "@pulumi/policy";
import { costTags } from "../../components/tagging";
import { PolicyTarget, evaluatePolicies } from "../../policies/lib/runner";

type Policy = Policies[number];

/** The cost tags of a prod Ethereum node, the shape components pass. */
export const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "ethereum-node", owner: "techops" });

export function tagged(overrides: Record<string, string | undefined>): Record<string, string> {
  const tags: Record<string, string | undefined> = { ...TAGS, ...overrides };
  return Object.fromEntries(Object.entries(tags).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

export function resource(type: string, inputs: Record<string, unknown>, name = "res", more: Partial<PolicyTarget> = {}): PolicyTarget {
  return { urn: `urn:pulumi:test::core-unit-estate::${type}::${name}`, type, name, inputs, ...more };
}

export interface Outcome {
  messages: string[];
  levels: string[];
  notApplicable: string[];
}

/** One policy over `resources`, with `settings` as its entry in the stack's pack config. */
export async function run(policy: Policy, resources: PolicyTarget | PolicyTarget[], settings?: unknown): Promise<Outcome> {
  const config = settings === undefined ? undefined : { [policy.name]: settings };
  const { violations, notApplicable } = await evaluatePolicies([policy], Array.isArray(resources) ? resources : [resources], {}, config);
  return { messages: violations.map((v) => v.message), levels: violations.map((v) => v.enforcementLevel), notApplicable: notApplicable.map((n) => n.reason) };
}
