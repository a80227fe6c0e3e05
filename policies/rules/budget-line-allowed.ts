/** The `budget-line` tag names a line the stack may charge cloud spend to. */
import { BUDGET_LINES, CLOUD_BUDGET_LINE_IDS, MIP_BUDGET, TAGGABLE, findBudgetLine, readTags } from "../../components/tagging";
import { configStrings } from "../lib/config-values";
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { whenKnown } from "../lib/unknowns";

function lineProblem(line: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(line)) return undefined;
  const known = findBudgetLine(line);
  if (!known) return `budget-line "${line}" is not a budget line of ${MIP_BUDGET.mip}`;
  if (!known.cloudSpend) return `budget-line "${line}" (${known.name}) may not carry cloud spend`;
  return `budget-line "${line}" is not configured for this stack`;
}

export const budgetLineAllowed = resourcePolicy({
  name: "budget-line-allowed",
  description: "The budget-line tag names a line this stack may charge cloud spend to.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Charge the resource to one of the stack's budget lines, or add the line to Pulumi.<stack>.yaml budgetLines and to allowedBudgetLines in policies/config.<stack>.json.",
  config: {
    allowedBudgetLines: {
      type: "array",
      description: "Budget lines this stack's resources may be charged to (the stack's budgetLines).",
      items: { type: "string", enum: BUDGET_LINES.filter((l) => l.cloudSpend).map((l) => l.id) },
      default: [...CLOUD_BUDGET_LINE_IDS],
    },
  },
  validateResource: (args, reportViolation) => {
    if (!(args.type in TAGGABLE)) return args.notApplicable("the type takes no tags (components/tagging/taggable.ts)");
    const allowed = configStrings(args.getConfig(), "allowedBudgetLines", CLOUD_BUDGET_LINE_IDS);
    for (const { field, tags } of readTags(args.type, args.props)) {
      // A missing or malformed budget-line is required-cost-tags' to report.
      const line = whenKnown(() => tags?.["budget-line"]);
      if (!line.known) {
        reportViolation(`${subject(args)} ${field}: budget-line unknown during preview (${line.reason}); it must be a literal string from config`);
        continue;
      }
      const problem = typeof line.value === "string" ? lineProblem(line.value, allowed) : undefined;
      if (problem) reportViolation(`${subject(args)} ${field}: ${problem}; allowed here: ${allowed.join(", ")}. Fix: charge it to one of those, or add the line to the stack's budgetLines and to allowedBudgetLines in policies/config.<stack>.json`);
    }
  },
});
