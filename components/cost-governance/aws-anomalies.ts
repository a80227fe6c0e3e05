/**
 * Cost Anomaly Detection on the budget lines: a CUSTOM monitor over the `budget-line` cost allocation tag (spend of
 * the stack's lines, per line) and a daily email digest of anomalies whose total impact reaches a threshold.
 *
 * Region: Cost Explorer is a global service served from us-east-1 (ce.us-east-1.amazonaws.com); monitors and
 * subscriptions take no `region` argument.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, awsTags } from "../tagging";
import { BUDGET_LINE_TAG } from "./alerts";

/** A cost allocation tag monitor: one tag key (without `user:`), the values to watch; the API's full expression. */
export function tagMonitorSpecification(key: string, values: readonly string[]): string {
  return JSON.stringify({
    And: null,
    CostCategories: null,
    Dimensions: null,
    Not: null,
    Or: null,
    Tags: { Key: key, MatchOptions: null, Values: [...values] },
  });
}

export interface AwsAnomaliesArgs {
  budgetLineIds: readonly string[];
  recipients: readonly string[];
  thresholdUsd: number;
  tags: CostTags;
  monitorName: string;
  subscriptionName: string;
  /** The tag key's activation, when this stack activates it: the monitor sees spend once the key is active. */
  dependsOn: pulumi.Resource[];
}

export function awsAnomalyDetection(name: string, args: AwsAnomaliesArgs, parent: pulumi.Resource): { monitor: aws.costexplorer.AnomalyMonitor; subscription: aws.costexplorer.AnomalySubscription } {
  const tags = awsTags(args.tags);
  const monitor = new aws.costexplorer.AnomalyMonitor(
    `${name}-anomalies`,
    { name: args.monitorName, monitorType: "CUSTOM", monitorSpecification: tagMonitorSpecification(BUDGET_LINE_TAG, args.budgetLineIds), tags },
    { parent, dependsOn: args.dependsOn },
  );
  const subscription = new aws.costexplorer.AnomalySubscription(
    `${name}-anomaly-alerts`,
    {
      name: args.subscriptionName,
      // Email subscribers get a DAILY or WEEKLY digest; IMMEDIATE alerts need an SNS topic.
      frequency: "DAILY",
      monitorArnLists: [monitor.arn],
      subscribers: args.recipients.map((address) => ({ type: "EMAIL", address })),
      thresholdExpression: {
        dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: [String(args.thresholdUsd)] },
      },
      tags,
    },
    { parent },
  );
  return { monitor, subscription };
}
