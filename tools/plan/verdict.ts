/**
 * How the plan CLI ends when it rendered: exit 1 when a mandatory policy fires, as `pulumi preview --policy-pack`
 * would fail; the plan's headline warnings (regions without a price table) go to stderr whatever the format.
 */
import { Plan } from "./plan";

export function planVerdict(plan: Pick<Plan, "stack" | "violations" | "warnings">): { code: 0 | 1; message: string } {
  const warnings = (plan.warnings ?? []).map((w) => `stack ${plan.stack}: warning: ${w.message}\n`).join("");
  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory");
  if (mandatory.length === 0) return { code: 0, message: warnings };
  const lines = mandatory.map((v) => `  - ${v.policy}: ${v.message}\n    ${v.urn}`);
  const count = `${mandatory.length} mandatory policy violation${mandatory.length === 1 ? "" : "s"}`;
  return { code: 1, message: `${warnings}stack ${plan.stack}: ${count}; a deployment with the policy pack would stop here:\n${lines.join("\n")}\n` };
}
