/** How the plan CLI ends when it rendered: exit 1 when a mandatory policy fires, as `pulumi preview --policy-pack` would fail. */
import { Plan } from "./plan";

export function planVerdict(plan: Pick<Plan, "stack" | "violations">): { code: 0 | 1; message: string } {
  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory");
  if (mandatory.length === 0) return { code: 0, message: "" };
  const lines = mandatory.map((v) => `  - ${v.policy}: ${v.message}\n    ${v.urn}`);
  const count = `${mandatory.length} mandatory policy violation${mandatory.length === 1 ? "" : "s"}`;
  return { code: 1, message: `stack ${plan.stack}: ${count}; a deployment with the policy pack would stop here:\n${lines.join("\n")}\n` };
}
