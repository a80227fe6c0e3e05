/**
 * The AWS drill: once a week EventBridge Scheduler calls CloudWatch PutMetricData (a universal target, no code of
 * ours) with a 1 on the drill metric; the drill alarm fires on it and, a minute later with no more data, clears.
 * Both notifications take the real path: metric, alarm evaluation, the alerts topic, email and the on-call webhook.
 * The alarm's name starts with DRILL and its description says it is not an incident.
 */
import * as aws from "@pulumi/aws";
import { serviceTrustPolicy } from "../cluster/aws-iam";
import { awsTags } from "../tagging";
import { DRILL_METRIC } from "./catalog";
import { AwsAlarmContext, AwsAlarmRecord, awsAlarm } from "./aws-alarm";
import { CLOUDWATCH_NAMESPACE } from "./targets";

/** EventBridge Scheduler's universal target for CloudWatch PutMetricData. */
export const PUT_METRIC_DATA_TARGET = "arn:aws:scheduler:::aws-sdk:cloudwatch:putMetricData";

export interface AwsDrillArgs {
  /** EventBridge Scheduler cron, weekly. */
  readonly scheduleExpression: string;
  readonly timezone: string;
}

export interface AwsDrill {
  readonly alarm: AwsAlarmRecord;
  readonly schedule: aws.scheduler.Schedule;
}

/** The drill metric's dimensions: this stack's and this component's drill only. */
export function drillDimensions(stack: string, component: string): Record<string, string> {
  return { Stack: stack, Monitoring: component };
}

/** What the schedule sends to PutMetricData: the API's own request shape. */
export function drillPutMetricData(stack: string, component: string): string {
  return JSON.stringify({
    Namespace: CLOUDWATCH_NAMESPACE,
    MetricData: [
      {
        MetricName: DRILL_METRIC,
        Dimensions: Object.entries(drillDimensions(stack, component)).map(([Name, Value]) => ({ Name, Value })),
        Value: 1,
        Unit: "Count",
      },
    ],
  });
}

export function awsDrill(ctx: AwsAlarmContext, args: AwsDrillArgs): AwsDrill {
  const { name, region, parent } = ctx;
  const alarm = awsAlarm(ctx, {
    id: "notification-drill",
    target: "drill",
    subject: `stack ${ctx.stack}`,
    alarmName: `DRILL-${ctx.stack}-${name}-notification-drill`,
    metric: { namespace: CLOUDWATCH_NAMESPACE, metricName: DRILL_METRIC, dimensions: drillDimensions(ctx.stack, name), statistic: "Maximum", period: 60 },
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    evaluationPeriods: 1,
    // After the drill's one data point: OK again, which sends the all-clear.
    treatMissingData: "notBreaching",
  });

  const role = new aws.iam.Role(`${name}-drill-role`, { assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com"), tags: awsTags(ctx.tags) }, { parent });
  new aws.iam.RolePolicy(
    `${name}-drill-put-metric`,
    {
      role: role.name,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            // PutMetricData takes no resource; the namespace condition keeps the role to the estate's own metrics.
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": CLOUDWATCH_NAMESPACE } },
          },
        ],
      }),
    },
    { parent },
  );
  const schedule = new aws.scheduler.Schedule(
    `${name}-drill`,
    {
      region,
      description: `DRILL: trips alarm ${ctx.stack}/${name} notification-drill weekly through the real notification path (not an incident)`,
      scheduleExpression: args.scheduleExpression,
      scheduleExpressionTimezone: args.timezone,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: PUT_METRIC_DATA_TARGET,
        roleArn: role.arn,
        input: drillPutMetricData(ctx.stack, name),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
      },
    },
    { parent, dependsOn: [alarm.alarm] },
  );
  return { alarm, schedule };
}
