/** Argument checks of the Sandbox component, each `<argument>: <what is wrong>`. */
import { EMAIL_PATTERN } from "../cost-governance/validate";
import { tagArgProblems } from "../cluster/validation";
import type { SandboxArgs } from "./index";
import { SANDBOX_SIZES } from "./sizes";

export const OWNER_HANDLE = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
export const EXPIRES_ON_TAG = "expires-on";
export const SANDBOX_BUDGET_LINE = "rnd-poc";
export const SANDBOX_WORKLOAD_PREFIX = "sandbox-";

export function sandboxProblems(args: SandboxArgs): string[] {
  const tags = args.tags as Readonly<Record<string, string>>;
  return [
    ...(OWNER_HANDLE.test(args.owner) ? [] : [`owner: "${args.owner}" is not a lowercase handle`]),
    ...(EMAIL_PATTERN.test(args.ownerEmail) ? [] : [`ownerEmail: "${args.ownerEmail}" is not an email address`]),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(args.expiresOn) ? [] : [`expiresOn: "${args.expiresOn}" is not a date YYYY-MM-DD`]),
    ...(Number.isFinite(args.monthlyBudgetUsd) && args.monthlyBudgetUsd > 0 ? [] : [`monthlyBudgetUsd: ${args.monthlyBudgetUsd} must be a positive amount`]),
    ...tagArgProblems("tags", args.tags),
    ...(tags[EXPIRES_ON_TAG] === args.expiresOn ? [] : [`tags: "${EXPIRES_ON_TAG}" must be the expiry date ${args.expiresOn}`]),
    ...(tags["budget-line"] === SANDBOX_BUDGET_LINE ? [] : [`tags: budget-line must be ${SANDBOX_BUDGET_LINE}`]),
    ...(tags.workload?.startsWith(SANDBOX_WORKLOAD_PREFIX) ? [] : [`tags: workload must start with ${SANDBOX_WORKLOAD_PREFIX}`]),
    ...(tags.owner === args.owner ? [] : [`tags: owner must be the sandbox owner ${args.owner}`]),
    ...((SANDBOX_SIZES as readonly string[]).includes(args.size) ? [] : [`size: "${args.size}" is not one of ${SANDBOX_SIZES.join(", ")}`]),
  ];
}
