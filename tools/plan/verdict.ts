/**
 * How the plan CLI ends when it rendered: exit 1 when a mandatory policy fires, as `pulumi preview --policy-pack` would
 * fail, or when a resource breaches a provider constraint, as `pulumi up` would; the plan's headline warnings (regions
 * without a price table) go to stderr whatever the format.
 */
import { describeBreach } from "./constraints/check";
import { Plan } from "./plan";

export function planVerdict(plan: Pick<Plan, "stack" | "violations" | "constraintBreaches" | "warnings">): { code: 0 | 1; message: string } {
  const warnings = (plan.warnings ?? []).map((w) => `stack ${plan.stack}: warning: ${w.message}\n`).join("");
  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory");
  const breaches = plan.constraintBreaches ?? [];
  const parts: string[] = [warnings];
  if (mandatory.length > 0) {
    const lines = mandatory.map((v) => `  - ${v.policy}: ${v.message}\n    ${v.urn}`);
    const count = `${mandatory.length} mandatory policy violation${mandatory.length === 1 ? "" : "s"}`;
    parts.push(`stack ${plan.stack}: ${count}; a deployment with the policy pack would stop here:\n${lines.join("\n")}\n`);
  }
  if (breaches.length > 0) {
    const lines = breaches.map((b) => `  - ${describeBreach(b)}\n    ${b.urn}`);
    const count = `${breaches.length} provider constraint breach${breaches.length === 1 ? "" : "es"}`;
    parts.push(`stack ${plan.stack}: ${count}; the provider would refuse ${breaches.length === 1 ? "it" : "them"} at deployment:\n${lines.join("\n")}\n`);
  }
  return { code: mandatory.length + breaches.length === 0 ? 0 : 1, message: parts.join("") };
}
