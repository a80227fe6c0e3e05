/**
 * A sandbox's monthly budget in each cloud it spends in, on its `workload` tag (AWS) or label (GCP), mailing the
 * owner at the thresholds of every estate budget (BUDGET_ALERTS: 80% and 100% spent, 100% forecast).
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { awsBudgetNotifications, awsTagBudget } from "../cost-governance/aws-budgets";
import { gcpEmailChannels, gcpLabelBudget } from "../cost-governance/gcp-budgets";
import { CostTags } from "../tagging";

/** Sandbox spend is selected by this cost tag: its value is the sandbox's own workload. */
export const SANDBOX_BUDGET_TAG = "workload";

export interface SandboxBudgetArgs {
  monthlyBudgetUsd: number;
  ownerEmail: string;
  tags: CostTags;
}

export function awsSandboxBudget(name: string, args: SandboxBudgetArgs, parent: pulumi.Resource): aws.budgets.Budget {
  return awsTagBudget(
    `${name}-budget-aws`,
    {
      budgetName: `${pulumi.getStack()}-${name}`,
      limitUsd: args.monthlyBudgetUsd,
      tag: { key: SANDBOX_BUDGET_TAG, value: args.tags[SANDBOX_BUDGET_TAG] },
      notifications: awsBudgetNotifications([args.ownerEmail]),
      tags: args.tags,
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
  return gcpLabelBudget(
    `${name}-budget-gcp`,
    {
      billingAccount: args.billingAccount,
      displayName: `${pulumi.getStack()}-${name}`.slice(0, 60),
      limitUsd: args.monthlyBudgetUsd,
      projectNumber: project.number,
      label: { key: SANDBOX_BUDGET_TAG, value: args.tags[SANDBOX_BUDGET_TAG] },
      channels,
    },
    parent,
  );
}
