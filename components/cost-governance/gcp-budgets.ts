/**
 * GCP side of "cost by tag after deploy": one Cloud Billing budget per budget line on the stack's project and its
 * `budget-line` label, alerting Cloud Monitoring email channels (one per recipient).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tagging";
import { BUDGET_ALERTS, BUDGET_LINE_TAG, BudgetLineCap, SpendBasis, monthlyCapUsd } from "./alerts";

const SPEND_BASIS: Record<SpendBasis, string> = { actual: "CURRENT_SPEND", forecasted: "FORECASTED_SPEND" };

/** BUDGET_ALERTS as threshold rules: fractions of the amount, on current or forecasted spend. */
export function gcpThresholdRules(): gcp.types.input.billing.BudgetThresholdRule[] {
  return BUDGET_ALERTS.map((alert) => ({ thresholdPercent: alert.percent / 100, spendBasis: SPEND_BASIS[alert.spend] }));
}

/** A USD amount as the Money the Budget API takes: whole units and nanos. */
export function usdMoney(usd: number): { currencyCode: string; units: string; nanos: number } {
  const cents = Math.round(usd * 100);
  return { currencyCode: "USD", units: String(Math.floor(cents / 100)), nanos: (cents % 100) * 10_000_000 };
}

/** A stable resource-name part for an email address. */
export function emailSlug(email: string): string {
  return email.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

export function gcpEmailChannels(name: string, project: string, recipients: readonly string[], tags: CostTags, parent: pulumi.Resource): gcp.monitoring.NotificationChannel[] {
  return recipients.map(
    (email) =>
      new gcp.monitoring.NotificationChannel(
        `${name}-email-${emailSlug(email)}`,
        {
          project,
          type: "email",
          displayName: `Cost alerts: ${email}`,
          description: "Budget alerts of the estate's budget lines (managed by Pulumi)",
          // `labels` configure the channel (the address); `userLabels` are its own labels.
          labels: { email_address: email },
          userLabels: gcpLabels(tags),
        },
        { parent },
      ),
  );
}

/** A monthly budget on the project's spend carrying one label value, notifying `channels` at the estate's thresholds. */
export interface GcpLabelBudgetArgs {
  billingAccount: string;
  /** At most 60 characters. */
  displayName: string;
  limitUsd: number;
  /** The Budget API names projects by number. */
  projectNumber: pulumi.Input<string>;
  label: { key: string; value: string };
  channels: gcp.monitoring.NotificationChannel[];
}

export function gcpLabelBudget(resourceName: string, args: GcpLabelBudgetArgs, parent: pulumi.Resource): gcp.billing.Budget {
  return new gcp.billing.Budget(
    resourceName,
    {
      billingAccount: args.billingAccount,
      displayName: args.displayName,
      amount: { specifiedAmount: usdMoney(args.limitUsd) },
      budgetFilter: {
        projects: [pulumi.interpolate`projects/${args.projectNumber}`],
        // A budget filters on one label pair at most.
        labels: { [args.label.key]: args.label.value },
        calendarPeriod: "MONTH",
      },
      thresholdRules: gcpThresholdRules(),
      allUpdatesRule: { monitoringNotificationChannels: args.channels.map((c) => c.name) },
    },
    { parent },
  );
}

export interface GcpBudgetsArgs {
  billingAccount: string;
  project: string;
  budgetLines: readonly BudgetLineCap[];
  daiPerUsd: number;
  channels: gcp.monitoring.NotificationChannel[];
  /** At most 60 characters. */
  displayName: (lineId: string) => string;
}

export function gcpBudgets(name: string, args: GcpBudgetsArgs, parent: pulumi.Resource): Record<string, gcp.billing.Budget> {
  const project = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent });
  return Object.fromEntries(
    args.budgetLines.map((line) => [
      line.id,
      gcpLabelBudget(
        `${name}-budget-${line.id}`,
        {
          billingAccount: args.billingAccount,
          displayName: args.displayName(line.id),
          limitUsd: monthlyCapUsd(line.monthlyCapDai, args.daiPerUsd),
          projectNumber: project.number,
          label: { key: BUDGET_LINE_TAG, value: line.id },
          channels: args.channels,
        },
        parent,
      ),
    ]),
  );
}
