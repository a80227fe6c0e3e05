/** The plan's constraint breaches as each report format shows them: one small piece per renderer. */
import { mdCell, mdTable } from "../../../cost/format";
import { table } from "../../../cost/html";
import type { Plan } from "../plan";
import { ConstraintBreach, describeBreach } from "./check";

type WithBreaches = Pick<Plan, "constraintBreaches">;

const breachesOf = (plan: WithBreaches): readonly ConstraintBreach[] => plan.constraintBreaches ?? [];
const lengthText = (b: ConstraintBreach): string => (b.length === null ? "—" : `${b.length}${b.autonamed ? " (autonamed)" : ""}`);

export function breachesText(plan: WithBreaches): string[] {
  const breaches = breachesOf(plan);
  if (breaches.length === 0) return ["Provider constraints: none breached — every name, size and input combination is one the providers accept."];
  return [`Provider constraints: ${breaches.length} breached; the providers would refuse these at deployment (exit 1)`, ...breaches.map((b) => `  ${describeBreach(b)}`)];
}

export function breachesMarkdown(plan: WithBreaches): string[] {
  const breaches = breachesOf(plan);
  const head = `### Provider constraint breaches (${breaches.length})`;
  if (breaches.length === 0) return [head, "", "None: every name, size and input combination is one the providers accept."];
  return [head, "", ...mdTable(["Resource", "Field", "Value", "Length", "Limit"], breaches.map((b) => [mdCell(`${b.type} ${b.name}`), mdCell(b.field), mdCell(b.value), lengthText(b), mdCell(b.limit)]), [3])];
}

export function breachesHtml(plan: WithBreaches): string {
  const breaches = breachesOf(plan);
  const head = `<h2>Provider constraint breaches (${breaches.length})</h2>`;
  if (breaches.length === 0) return `${head}\n<p>None: every name, size and input combination is one the providers accept.</p>`;
  return `${head}\n${table(
    "What a provider would refuse at deployment",
    [{ text: "Resource" }, { text: "Type" }, { text: "Field" }, { text: "Value" }, { text: "Length", num: true }, { text: "Limit" }],
    breaches.map((b) => [
      { text: b.name, className: "name" },
      { text: b.type, className: "type" },
      { text: b.field },
      { text: b.value, className: "name" },
      { text: lengthText(b), num: true, className: "over" },
      { text: b.limit },
    ]),
  )}`;
}

/** The CSV column: each breach of the resource as `field=value (length; limit)`, joined by `|`. */
export const BREACH_CSV_COLUMN = "constraint_breaches";
export function breachesCsvCell(plan: WithBreaches, urn: string): string {
  return breachesOf(plan)
    .filter((b) => b.urn === urn)
    .map((b) => `${b.field}=${b.value} (${lengthText(b)}; ${b.limit})`)
    .join("|");
}
