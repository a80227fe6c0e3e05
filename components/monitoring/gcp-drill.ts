/**
 * The GCP drill: once a week a Cloud Scheduler job publishes one message to a drill Pub/Sub topic; the drill alert
 * policy fires on the topic's publish count (pubsub.googleapis.com/topic/send_request_count, a metric Pub/Sub writes
 * itself) and closes when no more arrive. Both notifications take the real path: a Google metric, policy
 * evaluation, every notification channel. Title, subject and message say DRILL.
 *
 * Why Pub/Sub and not a custom metric point: Cloud Monitoring's timeSeries.create needs the point's end time, and a
 * Cloud Scheduler job's body is fixed text, so it cannot write a current point without code of ours to run. The
 * topic has no subscription, so its messages are dropped; the Cloud Scheduler service agent publishes with the
 * permissions Google grants it.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels } from "../tagging";
import { GcpPolicyContext, GcpPolicyRecord, gcpPolicy, thresholdCondition } from "./gcp-policy";

export const DRILL_PUBSUB_METRIC = "pubsub.googleapis.com/topic/send_request_count";

export interface GcpDrillArgs {
  /** Unix cron, weekly. */
  readonly schedule: string;
  readonly timezone: string;
  /** Cloud Scheduler's location; the provider's region when omitted. */
  readonly region?: string;
}

export interface GcpDrill {
  readonly policy: GcpPolicyRecord;
  readonly topic: gcp.pubsub.Topic;
  readonly job: gcp.cloudscheduler.Job;
}

export function drillTopicFilter(topicName: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`metric.type = "${DRILL_PUBSUB_METRIC}" AND resource.type = "pubsub_topic" AND resource.label.topic_id = "${topicName}"`;
}

/** The message the job publishes: says what it is to anyone who ever reads it. */
export function drillMessage(stack: string, component: string): string {
  return Buffer.from(JSON.stringify({ drill: true, stack, monitoring: component, note: "DRILL: weekly test of the alerting path, not an incident" })).toString("base64");
}

export function gcpDrill(ctx: GcpPolicyContext, args: GcpDrillArgs): GcpDrill {
  const { name, parent } = ctx;
  const topic = new gcp.pubsub.Topic(
    `${name}-drill`,
    // Nothing subscribes: messages are not kept (no retention, no storage charge).
    { project: ctx.project, labels: gcpLabels(ctx.tags) },
    { parent },
  );
  const policy = gcpPolicy(ctx, {
    id: "notification-drill",
    target: "drill",
    subject: `stack ${ctx.stack}`,
    displayName: `DRILL [${ctx.stack}] weekly notification drill (not an incident)`,
    conditions: [
      thresholdCondition("The weekly drill message was published", {
        filter: drillTopicFilter(topic.name),
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.topic_id"] }],
        comparison: "COMPARISON_GT",
        thresholdValue: 0,
        forMinutes: 0,
      }),
    ],
  });
  const job = new gcp.cloudscheduler.Job(
    `${name}-drill`,
    {
      project: ctx.project,
      region: args.region,
      description: `DRILL: trips alert policy ${ctx.stack}/${name} notification-drill weekly through the real notification path (not an incident)`,
      schedule: args.schedule,
      timeZone: args.timezone,
      pubsubTarget: { topicName: topic.id, data: drillMessage(ctx.stack, name), attributes: { drill: "true", stack: ctx.stack } },
      retryConfig: { retryCount: 3 },
    },
    { parent, dependsOn: [policy.policy] },
  );
  return { policy, topic, job };
}
