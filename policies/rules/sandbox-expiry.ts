/**
 * Sandboxes expire: a resource of a sandbox (its budget line is a sandbox line and its workload starts with the
 * sandbox prefix) carries an `expires-on` tag, a date no further ahead than the maximum lifetime and not past.
 */
import { TAGGABLE, readTags } from "../../components/tagging";
import { configNumber, configString, configStrings } from "../lib/config-values";
import { daysUntil } from "../lib/dates";
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { ownTag } from "../lib/resource-tags";

const EXPIRES_ON = "expires-on";
const DEFAULTS = { sandboxBudgetLines: ["rnd-poc"], sandboxWorkloadPrefix: "sandbox", maxLifetimeDays: 90 };

function expiryProblem(value: unknown, today: Date, maxDays: number): string | undefined {
  const fix = `Fix: tag it ${EXPIRES_ON}: <YYYY-MM-DD>, at most ${maxDays} days ahead (costTags(..., { "${EXPIRES_ON}": ... }))`;
  if (value === undefined) return `a sandbox resource without an ${EXPIRES_ON} tag. ${fix}`;
  const days = typeof value === "string" ? daysUntil(value, today) : undefined;
  if (days === undefined) return `${EXPIRES_ON} ${JSON.stringify(value)} is not a date YYYY-MM-DD. ${fix}`;
  if (days < 0) return `the sandbox expired on ${value}. Fix: destroy it, or move ${EXPIRES_ON} forward (at most ${maxDays} days ahead) in a reviewed change`;
  if (days > maxDays) return `${EXPIRES_ON} ${value} is ${days} days ahead, beyond the ${maxDays}-day maximum lifetime. ${fix}`;
  return undefined;
}

/** The policy with its clock; the pack uses the real one. */
export function sandboxExpiryAt(now: () => Date) {
  return resourcePolicy({
    name: "sandbox-expiry",
    description: `Sandbox resources carry an ${EXPIRES_ON} tag (YYYY-MM-DD) within the maximum lifetime.`,
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: `Tag the sandbox's resources ${EXPIRES_ON}: YYYY-MM-DD within the maximum lifetime; destroy expired sandboxes.`,
    config: {
      sandboxBudgetLines: { type: "array", items: { type: "string" }, description: "Budget lines whose sandbox workloads expire.", default: DEFAULTS.sandboxBudgetLines },
      sandboxWorkloadPrefix: { type: "string", description: "Workloads starting with this are sandboxes.", default: DEFAULTS.sandboxWorkloadPrefix },
      maxLifetimeDays: { type: "integer", minimum: 1, description: "How far ahead expires-on may be.", default: DEFAULTS.maxLifetimeDays },
    },
    validateResource: (args, reportViolation) => {
      if (!(args.type in TAGGABLE)) return args.notApplicable("the type takes no tags (components/tagging/taggable.ts)");
      const config = args.getConfig<Record<string, unknown>>();
      const lines = configStrings(config, "sandboxBudgetLines", DEFAULTS.sandboxBudgetLines);
      const prefix = configString(config, "sandboxWorkloadPrefix") ?? DEFAULTS.sandboxWorkloadPrefix;
      const line = ownTag(args.type, args.props, "budget-line");
      const workload = ownTag(args.type, args.props, "workload");
      if (!line || !lines.includes(line) || !workload?.startsWith(prefix)) return args.notApplicable("not a sandbox");
      const maxDays = configNumber(config, "maxLifetimeDays", DEFAULTS.maxLifetimeDays);
      for (const { field, tags } of readTags(args.type, args.props)) {
        const problem = expiryProblem(tags?.[EXPIRES_ON], now(), maxDays);
        if (problem) reportViolation(`${subject(args)} ${field}: ${problem}`);
      }
    },
  });
}

export const sandboxExpiry = sandboxExpiryAt(() => new Date());
