/**
 * AWS side of "cost by tag after deploy": the cost tag keys activated as cost allocation tags, and one AWS Budget
 * per budget line filtered on its `budget-line` tag, alerting by email.
 *
 * Region: Budgets and Cost Explorer (cost allocation tags) are global services served from us-east-1; their
 * resources take no `region` argument and the provider sends the calls to the us-east-1 endpoints whatever the
 * stack's region.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COST_TAG_KEYS, CostTags, awsTags } from "../tagging";
import { BUDGET_ALERTS, BUDGET_LINE_TAG, BudgetLineCap, SpendBasis, monthlyCapUsd } from "./alerts";

/**
 * The Budgets API's cost filter on a user-defined cost allocation tag: filter `TagKeyValue`, each value
 * `user:<key>$<value>` (the `user:` prefix marks a user-defined tag; without it the budget matches nothing).
 */
export const AWS_TAG_FILTER = { name: "TagKeyValue", userPrefix: "user:", separator: "$" } as const;

export function awsTagKeyValue(key: string, value: string): string {
  return `${AWS_TAG_FILTER.userPrefix}${key}${AWS_TAG_FILTER.separator}${value}`;
}

const NOTIFICATION_TYPE: Record<SpendBasis, string> = { actual: "ACTUAL", forecasted: "FORECASTED" };

/** The notifications of every budget: each alert of BUDGET_ALERTS, to every recipient. */
export function awsBudgetNotifications(recipients: readonly string[]): aws.types.input.budgets.BudgetNotification[] {
  return BUDGET_ALERTS.map((alert) => ({
    notificationType: NOTIFICATION_TYPE[alert.spend],
    comparisonOperator: "GREATER_THAN",
    threshold: alert.percent,
    thresholdType: "PERCENTAGE",
    subscriberEmailAddresses: [...recipients],
  }));
}

/**
 * Activates every cost tag key, so Cost Explorer, Budgets and the CUR 2.0 `resource_tags` column carry it. A key
 * can be activated only once it has appeared on a billed resource (up to 24 hours after the first tagged resource),
 * and only from a standalone account or an Organization's management account: a later, optional step of the rollout
 * (docs/runbook.md, "First deploy on a clean account"), never part of a first `up`. Kept on destroy: deactivating would stop cost allocation for every other stack of the account.
 */
export function activateCostAllocationTags(name: string, parent: pulumi.Resource): Record<string, aws.costexplorer.CostAllocationTag> {
  return Object.fromEntries(
    COST_TAG_KEYS.map((key) => [
      key,
      new aws.costexplorer.CostAllocationTag(`${name}-tag-${key}`, { tagKey: key, status: "Active" }, { parent, retainOnDelete: true }),
    ]),
  );
}

/** A monthly COST budget on the spend carrying one tag value, mailing `notifications`. */
export interface AwsTagBudgetArgs {
  budgetName: string;
  limitUsd: number;
  tag: { key: string; value: string };
  notifications: ReturnType<typeof awsBudgetNotifications>;
  tags: CostTags;
}

export function awsTagBudget(resourceName: string, args: AwsTagBudgetArgs, opts: pulumi.CustomResourceOptions): aws.budgets.Budget {
  return new aws.budgets.Budget(
    resourceName,
    {
      name: args.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: args.limitUsd.toFixed(2),
      limitUnit: "USD",
      costFilters: [{ name: AWS_TAG_FILTER.name, values: [awsTagKeyValue(args.tag.key, args.tag.value)] }],
      notifications: args.notifications,
      tags: awsTags(args.tags),
    },
    opts,
  );
}

export interface AwsBudgetsArgs {
  budgetLines: readonly BudgetLineCap[];
  daiPerUsd: number;
  recipients: readonly string[];
  tags: CostTags;
  /** Name of a budget line's budget in the account (unique per account). */
  budgetName: (lineId: string) => string;
  dependsOn: pulumi.Resource[];
}

/** One monthly COST budget per budget line: the line's cap in USD, spend selected by its `budget-line` tag. */
export function awsBudgets(name: string, args: AwsBudgetsArgs, parent: pulumi.Resource): Record<string, aws.budgets.Budget> {
  const notifications = awsBudgetNotifications(args.recipients);
  return Object.fromEntries(
    args.budgetLines.map((line) => [
      line.id,
      awsTagBudget(
        `${name}-budget-${line.id}`,
        {
          budgetName: args.budgetName(line.id),
          limitUsd: monthlyCapUsd(line.monthlyCapDai, args.daiPerUsd),
          tag: { key: BUDGET_LINE_TAG, value: line.id },
          notifications,
          tags: args.tags,
        },
        { parent, dependsOn: args.dependsOn },
      ),
    ]),
  );
}
