/**
 * Monitoring of the estate's workloads, wired by each of them through its `monitoringTarget`:
 *
 * - Ethereum pools: head age (sync lag), peers, disk used, nodes not ready, and on VMs the machines themselves;
 * - indexers: blocks behind the chain head, readiness, and their database's CPU, storage, connections, replica lag;
 * - API services: the share of 5xx responses and the p95 latency at their cloud load balancer.
 *
 * AWS: CloudWatch alarms notifying one SNS topic (email per recipient, the on-call webhook as a secret https
 * endpoint) when they fire and when they clear. GCP: Cloud Monitoring alert policies notifying an email channel per
 * recipient and a webhook channel, on open and on close. Every alarm's description links its section of
 * docs/runbook.md (`${runbookBaseUrl}#<alarm id>`; ALARM_CATALOG lists the ids).
 *
 * Monitoring that is never tested breaks unnoticed, so: a heartbeat per exporter source fires when its metrics stop
 * arriving (missing data breaching / PromQL absent()), and a weekly drill per cloud trips a dedicated DRILL alarm
 * through the same topic and channels (EventBridge Scheduler -> PutMetricData; Cloud Scheduler -> Pub/Sub).
 *
 * The component takes its cloud providers from `opts.providers` (or the defaults).
 */
import * as pulumi from "@pulumi/pulumi";
import { throwIfAny } from "../cluster/validation";
import { CostTags } from "../tagging";
import { AlarmId } from "./catalog";
import { AwsAlarmContext, AwsAlarmRecord } from "./aws-alarm";
import { awsApiAlarms } from "./aws-api";
import { awsDrill } from "./aws-drill";
import { awsEthereumAlarms } from "./aws-ethereum";
import { awsHeartbeatAlarm } from "./aws-heartbeat";
import { awsIndexerAlarms } from "./aws-indexer";
import { awsNotifications } from "./aws-notifications";
import { awsRdsAlarms } from "./aws-rds";
import { gcpApiPolicies } from "./gcp-api";
import { gcpNotificationChannels } from "./gcp-channels";
import { gcpCloudSqlPolicies } from "./gcp-cloudsql";
import { gcpDrill } from "./gcp-drill";
import { gcpEthereumPolicies } from "./gcp-ethereum";
import { gcpHeartbeatPolicy } from "./gcp-heartbeat";
import { gcpIndexerPolicies } from "./gcp-indexer";
import { GcpPolicyContext, GcpPolicyRecord } from "./gcp-policy";
import { heartbeatSources } from "./heartbeat";
import { Cloud, databaseCloud, poolMetricsCloud, targetKey } from "./routing";
import { awsWeeklyCron, parseWeeklyCron, unixWeeklyCron } from "./schedule";
import { MonitoredTarget } from "./targets";
import { monitoringProblems } from "./validate";

export * from "./catalog";
export * from "./targets";
export * from "./promql";
export { heartbeatSources } from "./heartbeat";
export type { HeartbeatSource } from "./heartbeat";
export { cloudsOf, databaseCloud, poolMetricsCloud, targetKey } from "./routing";
export type { Cloud } from "./routing";
export { WEEKLY_CRON_EXAMPLE, awsWeeklyCron, parseWeeklyCron, unixWeeklyCron } from "./schedule";
export { MAX_RECIPIENTS, TARGET_NAME_PATTERN, monitoringProblems } from "./validate";
export { API_5XX_EXPRESSION } from "./aws-api";
export { PUT_METRIC_DATA_TARGET, drillPutMetricData } from "./aws-drill";
export { DRILL_PUBSUB_METRIC } from "./gcp-drill";
export { rdsFreeStorageThresholdBytes } from "./aws-rds";

export interface MonitoringArgs {
  /** The stack, e.g. "prod": in alarm names and titles. */
  stack: string;
  /** Email addresses notified of every alarm (1 to MAX_RECIPIENTS). */
  recipients: string[];
  /** The on-call tool's webhook: a secret Output (config.requireSecret), never a plain string. */
  onCallWebhookUrl?: pulumi.Input<string>;
  /** Where docs/runbook.md is rendered, e.g. https://github.com/<org>/core-unit-estate/blob/main/docs/runbook.md. */
  runbookBaseUrl: string;
  /** Present when the stack alarms in AWS: CloudWatch metrics, RDS, ALBs (the aws provider comes from opts.providers). */
  aws?: { region: string };
  /** Present when the stack alarms in GCP; `region` places the drill's Cloud Scheduler job (default: the provider's). */
  gcp?: { project: string; region?: string };
  targets: MonitoredTarget[];
  /** Weekly, as EventBridge Scheduler cron, e.g. cron(0 10 ? * TUE *); an IANA time zone. GCP gets the same week day and time. */
  drill: { scheduleExpression: string; timezone: string };
  tags: CostTags;
}

export interface MonitoringAlarm {
  readonly id: AlarmId;
  readonly cloud: Cloud;
  /** The target's key (`pool-<pool>`, `indexer-<indexer>`, `api-<service>`) or `drill`. */
  readonly target: string;
  /** The CloudWatch alarm's name, or the alert policy's resource name. */
  readonly name: pulumi.Output<string>;
}

export class Monitoring extends pulumi.ComponentResource {
  readonly alarms: MonitoringAlarm[];
  readonly snsTopicArn?: pulumi.Output<string>;
  readonly notificationChannels?: pulumi.Output<string>[];
  /** The drill's EventBridge Scheduler schedule and Cloud Scheduler job, per cloud. */
  readonly drillSchedules: { readonly aws?: pulumi.Output<string>; readonly gcp?: pulumi.Output<string> };
  /** Targets (by key) that get no alarm of some kind, with the reason. */
  readonly unmonitored: string[];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("Monitoring", name, monitoringProblems(args));
    super("estate:monitoring:Monitoring", name, {}, opts);
    const week = parseWeeklyCron(args.drill.scheduleExpression)!;
    const webhookUrl = args.onCallWebhookUrl === undefined ? undefined : pulumi.secret(args.onCallWebhookUrl);
    const records: (AwsAlarmRecord | GcpPolicyRecord)[] = [];
    const sources = heartbeatSources(args.targets);
    const drillSchedules: { aws?: pulumi.Output<string>; gcp?: pulumi.Output<string> } = {};

    if (args.aws) {
      const { region } = args.aws;
      const notifications = awsNotifications(name, { region, stack: args.stack, recipients: args.recipients, webhookUrl, tags: args.tags }, this);
      this.snsTopicArn = notifications.topic.arn;
      const ctx: AwsAlarmContext = { name, stack: args.stack, region, topicArn: notifications.topic.arn, runbookBaseUrl: args.runbookBaseUrl, tags: args.tags, parent: this };
      for (const t of args.targets) {
        if (t.kind === "ethereum-pool" && poolMetricsCloud(t) === "aws") records.push(...awsEthereumAlarms(ctx, t));
        if (t.kind === "indexer" && t.metricsCloud === "aws") records.push(...awsIndexerAlarms(ctx, t));
        if (t.kind === "indexer" && databaseCloud(t) === "aws") records.push(...awsRdsAlarms(ctx, t));
        if (t.kind === "api-service") records.push(...awsApiAlarms(ctx, t));
      }
      records.push(...sources.filter((s) => s.cloud === "aws").map((s) => awsHeartbeatAlarm(ctx, s)));
      const drill = awsDrill(ctx, { scheduleExpression: awsWeeklyCron(week), timezone: args.drill.timezone });
      records.push(drill.alarm);
      drillSchedules.aws = drill.schedule.arn;
    }

    if (args.gcp) {
      const channels = gcpNotificationChannels(name, { project: args.gcp.project, stack: args.stack, recipients: args.recipients, webhookUrl, tags: args.tags }, this);
      this.notificationChannels = channels.map((c) => c.name);
      const ctx: GcpPolicyContext = {
        name,
        stack: args.stack,
        project: args.gcp.project,
        channels: this.notificationChannels,
        runbookBaseUrl: args.runbookBaseUrl,
        tags: args.tags,
        parent: this,
      };
      for (const t of args.targets) {
        if (t.kind === "ethereum-pool" && poolMetricsCloud(t) === "gcp") records.push(...gcpEthereumPolicies(ctx, t));
        if (t.kind === "indexer" && t.metricsCloud === "gcp") records.push(...gcpIndexerPolicies(ctx, t));
        if (t.kind === "indexer" && databaseCloud(t) === "gcp") records.push(...gcpCloudSqlPolicies(ctx, t));
        if (t.kind === "api-service") records.push(...gcpApiPolicies(ctx, t));
      }
      records.push(...sources.filter((s) => s.cloud === "gcp").map((s) => gcpHeartbeatPolicy(ctx, s)));
      const drill = gcpDrill(ctx, { schedule: unixWeeklyCron(week), timezone: args.drill.timezone, region: args.gcp.region });
      records.push(drill.policy);
      drillSchedules.gcp = drill.job.name;
    }

    this.alarms = records.map((r) => ({ id: r.id, cloud: r.cloud, target: r.target, name: r.cloud === "aws" ? r.alarm.name : r.policy.name }));
    this.drillSchedules = drillSchedules;
    this.unmonitored = unmonitoredTargets(args.targets);
    this.registerOutputs({
      // Untaggable children (subscriptions, the topic policy, schedules, IAM policies) are attributed to these.
      costTags: args.tags,
      snsTopicArn: this.snsTopicArn,
      notificationChannels: this.notificationChannels,
      alarms: this.alarms.map((a) => ({ id: a.id, cloud: a.cloud, target: a.target, name: a.name })),
      drillSchedules: this.drillSchedules,
      unmonitored: this.unmonitored,
    });
  }
}

/** What the component cannot watch, said rather than silently skipped. */
export function unmonitoredTargets(targets: readonly MonitoredTarget[]): string[] {
  return targets.flatMap((t) =>
    t.kind === "api-service" && !t.loadBalancer
      ? [`${targetKey(t)}: no cloud load balancer (an internal service, or an ingress controller the estate reads no metrics of): no 5xx or latency alarms`]
      : [],
  );
}
