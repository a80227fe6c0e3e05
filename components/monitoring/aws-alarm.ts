/**
 * One CloudWatch alarm of a catalog kind: named from the component and its target, described with the kind's
 * title, what it means and the link to its runbook section, notifying the alerts topic when it fires and when it
 * clears, tagged with the monitoring workload's cost tags.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, awsTags } from "../tagging";
import { AlarmId, HELD_NOTE, alarmKind, runbookUrl, severityPrefix } from "./catalog";

export interface AwsAlarmContext {
  /** The component's name: resource names start with it. */
  readonly name: string;
  readonly stack: string;
  readonly region: string;
  readonly topicArn: pulumi.Input<string>;
  readonly runbookBaseUrl: string;
  readonly tags: CostTags;
  readonly parent: pulumi.Resource;
}

/** One plain metric: namespace, name, dimensions and a statistic (or an extended statistic such as p95). */
export interface AwsMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic?: "Average" | "Minimum" | "Maximum" | "Sum" | "SampleCount";
  readonly extendedStatistic?: string;
  readonly period: number;
}

export interface AwsAlarmSpec {
  readonly id: AlarmId;
  /** The target's key (`pool-mainnet-rpc`) or `drill`. */
  readonly target: string;
  /** Distinguishes several alarms of one kind on one target (an instance, a replica). */
  readonly part?: string;
  /** What the alarm watches, for people: "pool mainnet-rpc", "primary of indexer vaults". */
  readonly subject: string;
  readonly metric?: AwsMetric;
  readonly metricQueries?: aws.types.input.cloudwatch.MetricAlarmMetricQuery[];
  readonly comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  /** `missing` keeps the last state (the heartbeat covers absent metrics); `breaching` where absence is the failure. */
  readonly treatMissingData: "missing" | "breaching" | "notBreaching" | "ignore";
  /** Overrides the alarm's name in the account (the drill's says DRILL first). */
  readonly alarmName?: string;
  /** Its target is held: the alarm keeps its state but notifies no one (actionsEnabled false). */
  readonly held?: boolean;
}

export interface AwsAlarmRecord {
  readonly id: AlarmId;
  readonly cloud: "aws";
  readonly target: string;
  readonly alarm: aws.cloudwatch.MetricAlarm;
}

/** The alarm's description: severity (none for the drill, whose title says DRILL), title, subject, what it means and the runbook link (at most 1024 characters). */
export function awsAlarmDescription(id: AlarmId, subject: string, runbookBaseUrl: string, held = false): string {
  const k = alarmKind(id);
  return `${severityPrefix(id)}${k.title} (${subject}). ${k.meaning}${held ? ` ${HELD_NOTE}` : ""} Runbook: ${runbookUrl(runbookBaseUrl, id)}`.slice(0, 1024);
}

export function awsAlarm(ctx: AwsAlarmContext, spec: AwsAlarmSpec): AwsAlarmRecord {
  const suffix = `${spec.target}-${spec.id}${spec.part ? `-${spec.part}` : ""}`;
  const metric = spec.metric
    ? {
        namespace: spec.metric.namespace,
        metricName: spec.metric.metricName,
        dimensions: spec.metric.dimensions,
        statistic: spec.metric.statistic,
        extendedStatistic: spec.metric.extendedStatistic,
        period: spec.metric.period,
      }
    : { metricQueries: spec.metricQueries };
  const alarm = new aws.cloudwatch.MetricAlarm(
    `${ctx.name}-aws-${suffix}`,
    {
      region: ctx.region,
      name: spec.alarmName ?? `${ctx.stack}-${ctx.name}-${suffix}`,
      alarmDescription: awsAlarmDescription(spec.id, spec.subject, ctx.runbookBaseUrl, spec.held),
      ...metric,
      comparisonOperator: spec.comparisonOperator,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
      treatMissingData: spec.treatMissingData,
      actionsEnabled: !spec.held,
      // Fires and clears through the same topic: on-call sees both.
      alarmActions: [ctx.topicArn],
      okActions: [ctx.topicArn],
      tags: awsTags(ctx.tags),
    },
    { parent: ctx.parent },
  );
  return { id: spec.id, cloud: "aws", target: spec.target, alarm };
}
