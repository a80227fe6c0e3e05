/**
 * A sandbox's monthly budget in each cloud it spends in, on its `workload` tag (AWS) or label (GCP), mailing the
 * owner at the thresholds of every estate budget (BUDGET_ALERTS: 80% and 100% spent, 100% forecast).
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { awsBudgetNotifications, awsTagKeyValue, AWS_TAG_FILTER } from "../cost-governance/aws-budgets";
import { gcpEmailChannels, gcpThresholdRules, usdMoney } from "../cost-governance/gcp-budgets";
import { CostTags, awsTags } from "../tagging";

/** Sandbox spend is selected by this cost tag: its value is the sandbox's own workload. */
export const SANDBOX_BUDGET_TAG = "workload";

export interface SandboxBudgetArgs {
  monthlyBudgetUsd: number;
  ownerEmail: string;
  tags: CostTags;
}

export function awsSandboxBudget(name: string, args: SandboxBudgetArgs, parent: pulumi.Resource): aws.budgets.Budget {
  return new aws.budgets.Budget(
    `${name}-budget-aws`,
    {
      name: `${pulumi.getStack()}-${name}`,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: args.monthlyBudgetUsd.toFixed(2),
      limitUnit: "USD",
      costFilters: [{ name: AWS_TAG_FILTER.name, values: [awsTagKeyValue(SANDBOX_BUDGET_TAG, args.tags[SANDBOX_BUDGET_TAG])] }],
      notifications: awsBudgetNotifications([args.ownerEmail]),
      tags: awsTags(args.tags),
    },
    { parent },
  );
}

export interface GcpSandboxBudgetArgs extends SandboxBudgetArgs {
  billingAccount: string;
  project: string;
}

export function gcpSandboxBudget(name: string, args: GcpSandboxBudgetArgs, parent: pulumi.Resource): gcp.billing.Budget {
  const channels = gcpEmailChannels(`${name}-budget`, args.project, [args.ownerEmail], args.tags, parent);
  const project = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent });
  return new gcp.billing.Budget(
    `${name}-budget-gcp`,
    {
      billingAccount: args.billingAccount,
      displayName: `${pulumi.getStack()}-${name}`.slice(0, 60),
      amount: { specifiedAmount: usdMoney(args.monthlyBudgetUsd) },
      budgetFilter: {
        projects: [pulumi.interpolate`projects/${project.number}`],
        labels: { [SANDBOX_BUDGET_TAG]: args.tags[SANDBOX_BUDGET_TAG] },
        calendarPeriod: "MONTH",
      },
      thresholdRules: gcpThresholdRules(),
      allUpdatesRule: { monitoringNotificationChannels: channels.map((c) => c.name) },
    },
    { parent },
  );
}
