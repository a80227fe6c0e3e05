/** The six cost tags every resource carries, and the character rules that hold on AWS, GCP and Kubernetes at once. */
export const COST_TAG_KEYS = ["core-unit", "budget-line", "environment", "workload", "owner", "managed-by"] as const;
export type CostTagKey = (typeof COST_TAG_KEYS)[number];
export type CostTags = Readonly<Record<CostTagKey, string>>;

export const MANAGED_BY = "pulumi";

/** GCP label keys and Kubernetes label names: lowercase start, alphanumeric end, at most 63 characters. */
export const TAG_KEY_PATTERN = /^[a-z](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
/** As keys, but a value may start with a digit (e.g. a date). */
export const TAG_VALUE_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
export const TAG_VALUE_RULE = "lowercase letters, digits, '-' and '_', 1-63 characters, starting and ending with a letter or digit";

export interface CostTagInput {
  coreUnit: string;
  budgetLine: string;
  environment: string;
  workload: string;
  owner: string;
}

export function isValidTagValue(value: unknown): value is string {
  return typeof value === "string" && TAG_VALUE_PATTERN.test(value);
}

export class TagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TagError";
  }
}

/**
 * The cost tags of one workload. `extra` adds workload-specific tags (e.g. `expires-on`) under the same rules.
 * Throws a TagError naming each bad key or value; values are plain strings, never Outputs.
 */
export function costTags(input: CostTagInput, extra: Record<string, string> = {}): CostTags & Record<string, string> {
  const tags: Record<string, string> = {
    "core-unit": input.coreUnit,
    "budget-line": input.budgetLine,
    environment: input.environment,
    workload: input.workload,
    owner: input.owner,
    "managed-by": MANAGED_BY,
    ...extra,
  };
  const problems = tagProblems(tags);
  for (const [key, value] of Object.entries(extra)) {
    if (!TAG_KEY_PATTERN.test(key)) problems.push(`tag key "${key}" is not ${TAG_VALUE_RULE}`);
    if (!isValidTagValue(value)) problems.push(`tag "${key}" has value ${JSON.stringify(value)}; allowed: ${TAG_VALUE_RULE}`);
  }
  if (problems.length > 0) {
    throw new TagError(`invalid cost tags: ${problems.join("; ")}`);
  }
  return Object.freeze(tags) as CostTags & Record<string, string>;
}

/**
 * Every reason a tag map fails the cost-tag rules: a missing cost tag or a cost tag with a bad value.
 * Other keys (e.g. `kubernetes.io/role/elb` on subnets) are the platform's business and are not judged here.
 */
export function tagProblems(tags: Record<string, unknown> | undefined): string[] {
  if (tags === undefined || tags === null || typeof tags !== "object") {
    return [`no tags (required: ${COST_TAG_KEYS.join(", ")})`];
  }
  const problems: string[] = [];
  for (const key of COST_TAG_KEYS) {
    if (!(key in tags)) problems.push(`missing tag "${key}"`);
    else if (!isValidTagValue(tags[key])) {
      problems.push(`tag "${key}" has value ${JSON.stringify(tags[key])}; allowed: ${TAG_VALUE_RULE}`);
    }
  }
  return problems;
}
