/** Argument checks of the cost-governance components: each returns problems as `<argument>: <what is wrong>`. */
import { integerProblems, tagArgProblems } from "../cluster/validation";
import { TAG_VALUE_PATTERN, TAG_VALUE_RULE, CostTags } from "../tagging";
import { BudgetLineCap, EXPORT_TRANSITION } from "./alerts";

/** A plain address: local part, @, a domain with a dot (what Budgets, Cost Explorer and Cloud Monitoring accept). */
export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;
/** Cloud Billing account ids: three groups of six uppercase hexadecimal digits. */
export const BILLING_ACCOUNT_PATTERN = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
/** BigQuery multi-regions (US, EU) or a region (us-central1, europe-west3). */
export const BIGQUERY_LOCATION_PATTERN = /^(?:US|EU|[a-z]+-[a-z]+\d+)$/;

/** AWS Budgets notifications and anomaly subscriptions take at most 10 email subscribers. */
export const MAX_AWS_RECIPIENTS = 10;
/** A Cloud Billing budget notifies at most 5 Cloud Monitoring channels. */
export const MAX_GCP_RECIPIENTS = 5;

export interface CommonArgs {
  budgetLines: readonly BudgetLineCap[];
  daiPerUsd: number;
  recipients: readonly string[];
  tags: CostTags;
}

export function commonProblems(args: CommonArgs, maxRecipients: number): string[] {
  const problems: string[] = [];
  if (args.budgetLines.length === 0) problems.push("budgetLines: at least one budget line to budget for");
  for (const [i, line] of args.budgetLines.entries()) {
    if (!TAG_VALUE_PATTERN.test(line.id)) problems.push(`budgetLines[${i}].id: "${line.id}" is not ${TAG_VALUE_RULE}`);
    if (!(line.monthlyCapDai > 0)) problems.push(`budgetLines[${i}].monthlyCapDai: ${line.monthlyCapDai} must be above 0`);
  }
  const ids = args.budgetLines.map((l) => l.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`budgetLines: "${id}" appears more than once`);
  if (!(args.daiPerUsd > 0)) problems.push(`daiPerUsd: ${args.daiPerUsd} must be above 0`);
  if (args.recipients.length === 0 || args.recipients.length > maxRecipients) {
    problems.push(`recipients: ${args.recipients.length} addresses; 1 to ${maxRecipients} are allowed`);
  }
  for (const [i, email] of args.recipients.entries()) {
    if (!EMAIL_PATTERN.test(email)) problems.push(`recipients[${i}]: "${email}" is not an email address`);
  }
  return [...problems, ...tagArgProblems("tags", args.tags)];
}

export function retentionProblems(days: number): string[] {
  return integerProblems("exportRetentionDays", days, EXPORT_TRANSITION.days + 1, 36_500);
}
