/**
 * Where AWS alarms go: one SNS topic, an email subscription per recipient (each confirms once, from the mail AWS
 * sends) and the on-call webhook as an https subscription whose endpoint is a Pulumi secret. The topic policy lets
 * only this account's CloudWatch alarms publish, over TLS.
 *
 * Not encrypted at rest: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and alarm messages
 * carry names and thresholds only; a customer-managed key would cost a key-month for nothing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { emailSlug } from "../cost-governance/gcp-budgets";
import { CostTags, awsTags } from "../tagging";

export interface AwsNotificationsArgs {
  readonly region: string;
  readonly stack: string;
  readonly recipients: readonly string[];
  /** Already a secret Output. */
  readonly webhookUrl?: pulumi.Output<string>;
  readonly tags: CostTags;
}

export interface AwsNotifications {
  readonly topic: aws.sns.Topic;
  readonly subscriptions: aws.sns.TopicSubscription[];
}

/** Only CloudWatch alarms of this account and region publish; nothing over plain HTTP. */
export function alertsTopicPolicy(topicArn: string, accountId: string, region: string, partition: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowCloudWatchAlarmsToPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
        },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

export function awsNotifications(name: string, args: AwsNotificationsArgs, parent: pulumi.Resource): AwsNotifications {
  const { region } = args;
  const topic = new aws.sns.Topic(
    `${name}-alerts`,
    { region, displayName: `Estate alerts (${args.stack})`, tags: awsTags(args.tags) },
    { parent },
  );
  const account = aws.getCallerIdentityOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent });
  new aws.sns.TopicPolicy(
    `${name}-alerts-policy`,
    {
      region,
      arn: topic.arn,
      policy: pulumi.all([topic.arn, account.accountId, partition.partition]).apply(([arn, accountId, p]) => alertsTopicPolicy(arn, accountId, region, p)),
    },
    { parent },
  );
  const subscriptions = args.recipients.map(
    (email) => new aws.sns.TopicSubscription(`${name}-alerts-email-${emailSlug(email)}`, { region, topic: topic.arn, protocol: "email", endpoint: email }, { parent }),
  );
  if (args.webhookUrl) {
    subscriptions.push(
      new aws.sns.TopicSubscription(
        `${name}-alerts-on-call`,
        {
          region,
          topic: topic.arn,
          protocol: "https",
          // The URL carries the on-call tool's token: a secret in state and in every plan.
          endpoint: pulumi.secret(args.webhookUrl),
          // On-call tools (PagerDuty, Opsgenie, incident.io) confirm SNS subscriptions themselves.
          endpointAutoConfirms: true,
        },
        { parent, additionalSecretOutputs: ["endpoint"] },
      ),
    );
  }
  return { topic, subscriptions };
}
