import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { ALARM_CATALOG, CLOUDWATCH_NAMESPACE, DRILL_METRIC, DRILL_PUBSUB_METRIC, Monitoring, PUT_METRIC_DATA_TARGET, parseWeeklyCron } from "../../../components/monitoring";
import { readTags } from "../../../components/tagging";
import { estimateCosts, pricingOf } from "../../../cost/estimate";
import { RecordedResource, SECRET_PLACEHOLDER, recordResources } from "../../../tools/plan/record";
import { cloudName, componentProblems, ofType } from "../../helpers/resources";
import { below } from "../network/fixtures";
import { HELD_NOTE } from "../../../components/monitoring/catalog";
import { PROJECT, RUNBOOK, TAGS, WEBHOOK_URL, albApi, cloudSqlIndexer, gclbApi, monitoringArgs, rdsIndexer } from "./fixtures";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
/** The alerts topic's ARN: its autoname in SNS's ARN shape. */
const topicArn = (resources: readonly RecordedResource[]): string => `arn:aws:sns:us-east-1:123456789012:${cloudName(resources, "monitoring-alerts")}`;
const IDS: readonly string[] = ALARM_CATALOG.map((k) => k.id);

/** `[target, id]` pairs of a component's alarms in one cloud, sorted. */
function alarmSet(m: Monitoring, cloud: "aws" | "gcp"): string[] {
  return m.alarms
    .filter((a) => a.cloud === cloud)
    .map((a) => `${a.target} ${a.id}`)
    .sort();
}

/** The catalog id an AWS alarm's description links. */
function linkedId(description: string): string {
  const match = new RegExp(`Runbook: ${RUNBOOK.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}#([a-z0-9-]+)$`).exec(description);
  return match ? match[1] : "(no runbook link)";
}

describe("Monitoring providers", () => {
  it("creates every child with the providers it is given, so the stack's region and project apply", async () => {
    const { resources } = await recordResources(() => {
      const providers = { aws: new aws.Provider("aws", { region: "us-east-1" }), gcp: new gcp.Provider("gcp", { project: PROJECT }) };
      new Monitoring("monitoring", monitoringArgs(), { providers });
    });
    const custom = below(resources, "monitoring").filter((r) => r.custom);
    expect(custom.length).toBeGreaterThan(40);
    for (const r of custom) expect([r.name, r.provider]).toEqual([r.name, expect.stringMatching(r.type.startsWith("aws:") ? /::aws::/ : /::gcp::/)]);
  });
});

describe("Monitoring", () => {
  let all: RecordedResource[];
  let both: RecordedResource[];
  let awsOnly: RecordedResource[];
  let full: Monitoring;
  let lean: Monitoring;
  let outputs: unknown;
  beforeAll(async () => {
    const recorded = await recordResources(() => {
      full = new Monitoring("monitoring", monitoringArgs());
      // A second one coexists: AWS only, no webhook.
      lean = new Monitoring(
        "monitoring-lean",
        monitoringArgs({ stack: "staging", gcp: undefined, onCallWebhookUrl: undefined, recipients: ["techops@techops.example"], targets: [monitoringArgs().targets[1]] }),
      );
      return { topic: full.snsTopicArn, alarms: full.alarms.map((a) => a.name) };
    });
    all = recorded.resources;
    outputs = recorded.outputs;
    both = below(all, "monitoring");
    awsOnly = below(all, "monitoring-lean");
  });

  it("coexists with another instance, names its children from its own name and tags every taggable child", () => {
    expect(componentProblems(all, ["monitoring", "monitoring-lean"])).toEqual([]);
    for (const r of both) for (const { tags } of readTags(r.type, r.inputs)) expect(tags).toMatchObject(TAGS);
    expect(all.find((r) => r.name === "monitoring")!.outputs.costTags).toEqual(TAGS);
  });

  it("alarms on every Ethereum pool, indexer and API per platform, in the cloud its metrics land in", () => {
    expect(alarmSet(full, "aws")).toEqual(
      [
        // EC2 pool behind an NLB: exporter metrics, the load balancer's healthy hosts, each instance's status checks.
        "pool-mainnet-rpc eth-head-stale",
        "pool-mainnet-rpc eth-peers-low",
        "pool-mainnet-rpc eth-disk-full",
        "pool-mainnet-rpc eth-node-not-ready",
        "pool-mainnet-rpc eth-instance-down",
        "pool-mainnet-rpc eth-instance-down",
        "pool-mainnet-rpc metrics-heartbeat",
        // EKS pool: exporter metrics only (Kubernetes restarts pods; no machine of its own).
        "pool-mainnet-k8s eth-head-stale",
        "pool-mainnet-k8s eth-peers-low",
        "pool-mainnet-k8s eth-disk-full",
        "pool-mainnet-k8s eth-node-not-ready",
        "pool-mainnet-k8s metrics-heartbeat",
        // Indexer on EKS with RDS, one replica: CPU, storage, connections on both, replica lag on the replica.
        "indexer-vaults indexer-lag",
        "indexer-vaults indexer-not-ready",
        "indexer-vaults indexer-db-cpu",
        "indexer-vaults indexer-db-cpu",
        "indexer-vaults indexer-db-storage",
        "indexer-vaults indexer-db-storage",
        "indexer-vaults indexer-db-connections",
        "indexer-vaults indexer-db-connections",
        "indexer-vaults indexer-db-replica-lag",
        "indexer-vaults metrics-heartbeat",
        "api-makerdao-api api-5xx-rate",
        "api-makerdao-api api-latency-p95",
        "drill notification-drill",
      ].sort(),
    );
    expect(alarmSet(full, "gcp")).toEqual(
      [
        "pool-hoodi-gcp eth-head-stale",
        "pool-hoodi-gcp eth-peers-low",
        "pool-hoodi-gcp eth-disk-full",
        "pool-hoodi-gcp eth-node-not-ready",
        "pool-hoodi-gcp eth-instance-down",
        "pool-hoodi-gcp metrics-heartbeat",
        "pool-sepolia-gke eth-head-stale",
        "pool-sepolia-gke eth-peers-low",
        "pool-sepolia-gke eth-disk-full",
        "pool-sepolia-gke eth-node-not-ready",
        "pool-sepolia-gke metrics-heartbeat",
        // Cloud SQL without replicas: no replica-lag policy.
        "indexer-analytics indexer-lag",
        "indexer-analytics indexer-not-ready",
        "indexer-analytics indexer-db-cpu",
        "indexer-analytics indexer-db-storage",
        "indexer-analytics indexer-db-connections",
        "indexer-analytics metrics-heartbeat",
        "api-forum-badges api-5xx-rate",
        "api-forum-badges api-latency-p95",
        "drill notification-drill",
      ].sort(),
    );
    // Every catalog kind is used by some target.
    expect([...new Set(full.alarms.map((a) => a.id))].sort()).toEqual([...IDS].sort());
    expect(alarmSet(lean, "aws")).toEqual(["drill notification-drill", "pool-mainnet-k8s eth-disk-full", "pool-mainnet-k8s eth-head-stale", "pool-mainnet-k8s eth-node-not-ready", "pool-mainnet-k8s eth-peers-low", "pool-mainnet-k8s metrics-heartbeat"]);
    expect(ofType(both, ALARM)).toHaveLength(alarmSet(full, "aws").length);
    expect(ofType(both, POLICY)).toHaveLength(alarmSet(full, "gcp").length);
  });

  it("says which targets it cannot watch, and why", () => {
    expect(full.unmonitored).toEqual([expect.stringMatching(/^api-keeper-status: no cloud load balancer/)]);
  });

  it("links every alarm's runbook section and notifies the topic when it fires and when it clears", () => {
    const alarms = ofType(all, ALARM).map((r) => r.inputs as any);
    expect(alarms.length).toBeGreaterThan(20);
    for (const a of alarms) {
      const id = linkedId(a.alarmDescription);
      expect(IDS).toContain(id);
      expect(a.name).toContain(id);
      expect(a.alarmDescription.length).toBeLessThanOrEqual(1024);
      expect(a.actionsEnabled).toBe(true);
      expect(a.alarmActions).toEqual(a.okActions);
      expect(a.alarmActions).toHaveLength(1);
    }
    for (const a of ofType(both, ALARM)) expect((a.inputs as any).alarmActions).toEqual([topicArn(both)]);
    // Names are unique per account and region: stack, component, target, kind.
    const names = alarms.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("prod-monitoring-pool-mainnet-rpc-eth-instance-down-node-1");
    expect(names).toContain("staging-monitoring-lean-pool-mainnet-k8s-eth-head-stale");
  });

  it("links every alert policy's runbook section and notifies every channel on open and on close", () => {
    const channels = ofType(both, "gcp:monitoring/notificationChannel:NotificationChannel");
    const channelNames = channels.map((c) => `projects/mock-project/notificationChannels/${c.name}`);
    expect(channels.map((c) => (c.inputs as any).type)).toEqual(["email", "email", "webhook_tokenauth"]);
    for (const p of ofType(both, POLICY).map((r) => r.inputs as any)) {
      const id = p.userLabels["alarm-id"];
      expect(IDS).toContain(id);
      expect(p.project).toBe(PROJECT);
      expect(p.documentation.links).toEqual([{ displayName: `Runbook: ${id}`, url: `${RUNBOOK}#${id}` }]);
      expect(p.documentation.content).toContain(`(${RUNBOOK}#${id})`);
      expect(p.documentation.mimeType).toBe("text/markdown");
      expect(p.notificationChannels).toEqual(channelNames);
      expect(p.alertStrategy.notificationPrompts).toEqual(["OPENED", "CLOSED"]);
      expect(p.enabled).toBe(true);
      expect(p.conditions.length).toBeGreaterThan(0);
    }
  });

  it("sends AWS alarms to a topic with an email per recipient and the on-call webhook as a secret https endpoint", () => {
    const subscriptions = ofType(both, "aws:sns/topicSubscription:TopicSubscription").map((r) => r.inputs as any);
    expect(subscriptions.map((s) => [s.protocol, s.endpoint, s.topic])).toEqual([
      ["email", "oncall@techops.example", topicArn(both)],
      ["email", "techops@techops.example", topicArn(both)],
      ["https", SECRET_PLACEHOLDER, topicArn(both)],
    ]);
    expect(ofType(awsOnly, "aws:sns/topicSubscription:TopicSubscription").map((r) => (r.inputs as any).protocol)).toEqual(["email"]);
    const policy = JSON.parse((ofType(both, "aws:sns/topicPolicy:TopicPolicy")[0].inputs as any).policy);
    expect(policy.Statement[0]).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" } },
    });
    expect(policy.Statement[1]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("keeps the webhook URL a secret everywhere: never in clear in any input or output", () => {
    const webhook = ofType(both, "gcp:monitoring/notificationChannel:NotificationChannel").find((c) => (c.inputs as any).type === "webhook_tokenauth")!;
    expect(webhook.inputs.labels).toBe(SECRET_PLACEHOLDER);
    const everything = JSON.stringify([all.map((r) => [r.inputs, r.outputs]), outputs]);
    expect(everything).not.toContain("s3cr3t-t0ken");
    expect(everything).not.toContain(WEBHOOK_URL);
    expect(() => new Monitoring("monitoring-x", monitoringArgs({ onCallWebhookUrl: WEBHOOK_URL }))).toThrow(/onCallWebhookUrl: pass it as a secret/);
  });

  it("watches an EC2 pool through its NLB's healthy hosts and each instance's status checks", () => {
    const byName = (n: string) => all.find((r) => r.name === n)!.inputs as any;
    expect(byName("monitoring-aws-pool-mainnet-rpc-eth-node-not-ready")).toMatchObject({
      namespace: "AWS/NetworkELB",
      metricName: "HealthyHostCount",
      dimensions: { TargetGroup: "targetgroup/mainnet-rpc-rpc-tg/fedcba9876543210", LoadBalancer: "net/mainnet-rpc-lb/0123456789abcdef" },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: 2,
      treatMissingData: "breaching",
    });
    expect(["node-0", "node-1"].map((n) => byName(`monitoring-aws-pool-mainnet-rpc-eth-instance-down-${n}`))).toEqual([
      expect.objectContaining({ namespace: "AWS/EC2", metricName: "StatusCheckFailed", dimensions: { InstanceId: "i-0aaa" }, statistic: "Maximum", threshold: 1, treatMissingData: "breaching" }),
      expect.objectContaining({ namespace: "AWS/EC2", metricName: "StatusCheckFailed", dimensions: { InstanceId: "i-0bbb" } }),
    ]);
    expect(byName("monitoring-aws-pool-mainnet-rpc-eth-head-stale")).toMatchObject({
      namespace: CLOUDWATCH_NAMESPACE,
      metricName: "eth_head_age_seconds",
      dimensions: { Pool: "mainnet-rpc" },
      statistic: "Maximum",
      threshold: 120,
      evaluationPeriods: 10,
    });
    expect(byName("monitoring-aws-pool-mainnet-rpc-eth-peers-low")).toMatchObject({ metricName: "eth_peers", statistic: "Minimum", comparisonOperator: "LessThanThreshold", threshold: 5 });
    expect(byName("monitoring-aws-pool-mainnet-rpc-eth-disk-full")).toMatchObject({ metricName: "eth_disk_used_percent", statistic: "Maximum", threshold: 85 });
    expect(byName("monitoring-aws-pool-mainnet-k8s-eth-node-not-ready")).toMatchObject({ namespace: CLOUDWATCH_NAMESPACE, metricName: "eth_ready", dimensions: { Pool: "mainnet-k8s" }, statistic: "Minimum", threshold: 1 });
  });

  it("watches an indexer's lag exporter and each RDS instance, replica lag on replicas only", () => {
    const inputs = (part: string) => all.find((r) => r.name === `monitoring-aws-indexer-vaults-${part}`)!.inputs as any;
    expect(inputs("indexer-lag")).toMatchObject({ namespace: CLOUDWATCH_NAMESPACE, metricName: "indexer_blocks_behind", dimensions: { Indexer: "vaults" }, statistic: "Maximum", threshold: 50 });
    expect(inputs("indexer-not-ready")).toMatchObject({ metricName: "indexer_ready", dimensions: { Indexer: "vaults" }, statistic: "Minimum", comparisonOperator: "LessThanThreshold", threshold: 1 });
    for (const [part, id] of [["primary", "vaults-db"], ["replica-0", "vaults-db-replica-0"]]) {
      expect(inputs(`indexer-db-cpu-${part}`)).toMatchObject({ namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: { DBInstanceIdentifier: id }, statistic: "Average", threshold: 80 });
      // min(20 GiB, 10% of the 1000 GiB ceiling), in bytes.
      expect(inputs(`indexer-db-storage-${part}`)).toMatchObject({ metricName: "FreeStorageSpace", statistic: "Minimum", comparisonOperator: "LessThanThreshold", threshold: 20 * 1024 ** 3 });
      // 80% of max_connections 1000.
      expect(inputs(`indexer-db-connections-${part}`)).toMatchObject({ metricName: "DatabaseConnections", statistic: "Maximum", threshold: 800 });
    }
    expect(inputs("indexer-db-replica-lag-replica-0")).toMatchObject({ metricName: "ReplicaLag", dimensions: { DBInstanceIdentifier: "vaults-db-replica-0" }, threshold: 300 });
    expect(all.find((r) => r.name === "monitoring-aws-indexer-vaults-indexer-db-replica-lag-primary")).toBeUndefined();
  });

  it("watches an ALB's 5xx share by metric math and its p95 target response time", () => {
    const errors = all.find((r) => r.name === "monitoring-aws-api-makerdao-api-api-5xx-rate")!.inputs as any;
    const queries = Object.fromEntries(errors.metricQueries.map((q: any) => [q.id, q]));
    for (const [id, metric] of [["target5xx", "HTTPCode_Target_5XX_Count"], ["elb5xx", "HTTPCode_ELB_5XX_Count"], ["requests", "RequestCount"]]) {
      expect(queries[id]).toEqual({
        id,
        returnData: false,
        metric: { namespace: "AWS/ApplicationELB", metricName: metric, dimensions: { LoadBalancer: "app/k8s-api-makerdao/0123456789abcdef" }, stat: "Sum", period: 60 },
      });
    }
    expect(queries.errorPercent).toMatchObject({ returnData: true, expression: "IF(requests >= 20, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)" });
    expect(errors).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 5, treatMissingData: "notBreaching" });
    expect(errors.metricName).toBeUndefined();
    const latency = all.find((r) => r.name === "monitoring-aws-api-makerdao-api-api-latency-p95")!.inputs as any;
    expect(latency).toMatchObject({ namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", extendedStatistic: "p95", threshold: 0.8, dimensions: { LoadBalancer: "app/k8s-api-makerdao/0123456789abcdef" } });
    expect(latency.statistic).toBeUndefined();
  });

  it("alerts on GCP pools with PromQL over the exporters, and on a GCE VM whose uptime goes absent", () => {
    const condition = (name: string) => (all.find((r) => r.name === name)!.inputs as any).conditions[0];
    const promql = (name: string) => condition(name).conditionPrometheusQueryLanguage;
    expect(promql("monitoring-gcp-pool-sepolia-gke-eth-head-stale")).toEqual({ query: 'max by (pool) (eth_head_age_seconds{pool="sepolia-gke"}) > 120', duration: "600s", evaluationInterval: "60s", disableMetricValidation: true });
    expect(promql("monitoring-gcp-pool-sepolia-gke-eth-peers-low").query).toBe('min by (pool) (eth_peers{pool="sepolia-gke"}) < 5');
    expect(promql("monitoring-gcp-pool-sepolia-gke-eth-disk-full").query).toBe('max by (pool) (eth_disk_used_percent{pool="sepolia-gke"}) > 85');
    expect(promql("monitoring-gcp-pool-sepolia-gke-eth-node-not-ready").query).toBe(
      '(count by (pool) (eth_ready{pool="sepolia-gke"} == 1) or (count by (pool) (eth_ready{pool="sepolia-gke"}) * 0)) < 3',
    );
    expect(condition("monitoring-gcp-pool-hoodi-gcp-eth-instance-down").conditionAbsent).toEqual({
      filter: 'metric.type = "compute.googleapis.com/instance/uptime" AND resource.type = "gce_instance" AND metric.label.instance_name = one_of("hoodi-gcp-0", "hoodi-gcp-1")',
      duration: "300s",
      aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
      trigger: { count: 1 },
    });
    expect(promql("monitoring-gcp-indexer-analytics-indexer-lag").query).toBe('max by (indexer) (indexer_blocks_behind{indexer="analytics"}) > 50');
    expect(promql("monitoring-gcp-indexer-analytics-indexer-not-ready").query).toBe('min by (indexer) (indexer_ready{indexer="analytics"}) < 1');
  });

  it("alerts on Cloud SQL CPU, disk, connections and the HTTPS load balancer's 5xx ratio and p95 latency", () => {
    const threshold = (name: string) => (all.find((r) => r.name === name)!.inputs as any).conditions[0].conditionThreshold;
    const db = `resource.type = "cloudsql_database" AND resource.label.database_id = one_of("${PROJECT}:analytics-db")`;
    expect(threshold("monitoring-gcp-indexer-analytics-indexer-db-cpu")).toMatchObject({
      filter: `metric.type = "cloudsql.googleapis.com/database/cpu/utilization" AND ${db}`,
      comparison: "COMPARISON_GT",
      thresholdValue: 0.8,
      duration: "900s",
    });
    expect(threshold("monitoring-gcp-indexer-analytics-indexer-db-storage")).toMatchObject({ filter: `metric.type = "cloudsql.googleapis.com/database/disk/utilization" AND ${db}`, thresholdValue: 0.95 });
    expect(threshold("monitoring-gcp-indexer-analytics-indexer-db-connections")).toMatchObject({
      filter: `metric.type = "cloudsql.googleapis.com/database/postgresql/num_backends" AND ${db}`,
      aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.database_id"] }],
      // 80% of PostgreSQL's default 100: the target gives no max_connections.
      thresholdValue: 80,
    });
    const lb = 'resource.type = "https_lb_rule" AND resource.label.url_map_name = monitoring.regex.full_match("k8s2-um-[a-z0-9]+-forum-badges-forum-badges-[a-z0-9]+")';
    const errors = threshold("monitoring-gcp-api-forum-badges-api-5xx-rate");
    expect(errors).toMatchObject({
      filter: `metric.type = "loadbalancing.googleapis.com/https/request_count" AND ${lb} AND metric.label.response_code_class = 500`,
      denominatorFilter: `metric.type = "loadbalancing.googleapis.com/https/request_count" AND ${lb}`,
      comparison: "COMPARISON_GT",
      thresholdValue: 0.05,
    });
    expect(errors.aggregations).toEqual(errors.denominatorAggregations);
    expect(errors.aggregations[0]).toMatchObject({ perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" });
    expect(threshold("monitoring-gcp-api-forum-badges-api-latency-p95")).toMatchObject({
      filter: `metric.type = "loadbalancing.googleapis.com/https/total_latencies" AND ${lb}`,
      aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95", groupByFields: ["resource.label.url_map_name"] }],
      thresholdValue: 1000,
    });
  });

  it("has a heartbeat per exporter source that fires when its metrics stop arriving", () => {
    const heartbeats = ofType(both, ALARM)
      .map((r) => r.inputs as any)
      .filter((a) => linkedId(a.alarmDescription) === "metrics-heartbeat");
    expect(heartbeats.map((a) => [a.metricName, a.dimensions])).toEqual([
      ["eth_ready", { Pool: "mainnet-rpc" }],
      ["eth_ready", { Pool: "mainnet-k8s" }],
      ["indexer_ready", { Indexer: "vaults" }],
    ]);
    for (const a of heartbeats) {
      // Samples counted whatever their value; none at all is breaching.
      expect(a).toMatchObject({ namespace: CLOUDWATCH_NAMESPACE, statistic: "SampleCount", comparisonOperator: "LessThanThreshold", threshold: 1, treatMissingData: "breaching" });
    }
    const gcpHeartbeats = ofType(both, POLICY)
      .map((r) => r.inputs as any)
      .filter((p) => p.userLabels["alarm-id"] === "metrics-heartbeat");
    expect(gcpHeartbeats.map((p) => p.conditions[0].conditionPrometheusQueryLanguage.query)).toEqual([
      'absent(eth_ready{pool="hoodi-gcp"})',
      'absent(eth_ready{pool="sepolia-gke"})',
      'absent(indexer_ready{indexer="analytics"})',
    ]);
    // Everything else leaves absent data to the heartbeat, except where absence is itself the failure.
    const others = ofType(both, ALARM)
      .map((r) => r.inputs as any)
      .filter((a) => a.namespace === CLOUDWATCH_NAMESPACE && !["metrics-heartbeat", "notification-drill"].includes(linkedId(a.alarmDescription)));
    expect(others.length).toBeGreaterThan(5);
    for (const a of others) expect(a.treatMissingData).toBe("missing");
  });

  it("drills weekly on AWS: EventBridge Scheduler puts the drill metric that trips a DRILL alarm on the real topic", () => {
    const schedule = ofType(both, "aws:scheduler/schedule:Schedule")[0].inputs as any;
    expect(parseWeeklyCron(schedule.scheduleExpression)).toEqual({ minute: 0, hour: 10, dayOfWeek: 2 });
    expect(schedule).toMatchObject({ scheduleExpression: "cron(0 10 ? * TUE *)", scheduleExpressionTimezone: "Europe/Lisbon", flexibleTimeWindow: { mode: "OFF" } });
    expect(schedule.description).toMatch(/^DRILL: /);
    expect(schedule.target.arn).toBe(PUT_METRIC_DATA_TARGET);
    expect(schedule.target.roleArn).toContain("monitoring-drill-role");
    const put = JSON.parse(schedule.target.input);
    const drill = all.find((r) => r.name === "monitoring-aws-drill-notification-drill")!.inputs as any;
    // What the schedule writes is exactly what the drill alarm watches.
    expect(put).toMatchObject({ Namespace: drill.namespace, MetricData: [{ MetricName: drill.metricName, Value: 1, Unit: "Count" }] });
    expect(Object.fromEntries(put.MetricData[0].Dimensions.map((d: any) => [d.Name, d.Value]))).toEqual(drill.dimensions);
    expect(drill).toMatchObject({ namespace: CLOUDWATCH_NAMESPACE, metricName: DRILL_METRIC, dimensions: { Stack: "prod", Monitoring: "monitoring" }, threshold: 1, evaluationPeriods: 1, treatMissingData: "notBreaching" });
    expect(drill.name).toBe("DRILL-prod-monitoring-notification-drill");
    expect(drill.alarmDescription).toMatch(/^DRILL: weekly notification drill \(stack prod\)\. Not an incident\./);
    // The real path: the same topic as every other alarm, on alarm and on OK.
    expect([drill.alarmActions, drill.okActions]).toEqual([[topicArn(both)], [topicArn(both)]]);
    const policy = JSON.parse((both.find((r) => r.name === "monitoring-drill-put-metric")!.inputs as any).policy);
    expect(policy.Statement).toEqual([{ Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": CLOUDWATCH_NAMESPACE } } }]);
    expect(JSON.parse((both.find((r) => r.name === "monitoring-drill-role")!.inputs as any).assumeRolePolicy).Statement[0].Principal).toEqual({ Service: "scheduler.amazonaws.com" });
    expect(full.drillSchedules.aws).toBeDefined();
  });

  it("drills weekly on GCP: Cloud Scheduler publishes to a drill topic whose publish count trips a DRILL policy on the real channels", () => {
    const job = ofType(both, "gcp:cloudscheduler/job:Job")[0].inputs as any;
    // The same week day and time as the AWS drill, in unix cron.
    expect(job).toMatchObject({ schedule: "0 10 * * 2", timeZone: "Europe/Lisbon", region: "us-central1", project: PROJECT });
    expect(job.description).toMatch(/^DRILL: /);
    expect(job.pubsubTarget.topicName).toBe("monitoring-drill-id");
    expect(JSON.parse(Buffer.from(job.pubsubTarget.data, "base64").toString())).toMatchObject({ drill: true, stack: "prod" });
    const topic = ofType(both, "gcp:pubsub/topic:Topic")[0];
    expect(topic.inputs.labels).toEqual(TAGS);
    const drill = all.find((r) => r.name === "monitoring-gcp-drill-notification-drill")!.inputs as any;
    expect(drill.displayName).toBe("DRILL [prod] weekly notification drill (not an incident)");
    expect(drill.conditions[0].conditionThreshold).toMatchObject({
      filter: `metric.type = "${DRILL_PUBSUB_METRIC}" AND resource.type = "pubsub_topic" AND resource.label.topic_id = "${cloudName(both, "monitoring-drill")}"`,
      comparison: "COMPARISON_GT",
      thresholdValue: 0,
      evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
    });
    const other = all.find((r) => r.name === "monitoring-gcp-pool-sepolia-gke-eth-head-stale")!.inputs as any;
    expect(drill.notificationChannels).toEqual(other.notificationChannels);
    expect(drill.alertStrategy.notificationPrompts).toEqual(["OPENED", "CLOSED"]);
  });

  it("prices alarms per metric they read and lists alert policies and the drill job as usage-based", () => {
    const costs = estimateCosts(both, { awsRegion: "us-east-1", gcpRegion: "us-central1" });
    const cost = (name: string) => costs.get(both.find((r) => r.name === name)!.urn)!;
    expect(cost("monitoring-aws-pool-mainnet-rpc-eth-head-stale")).toMatchObject({ monthlyUsd: 0.1 });
    expect(cost("monitoring-aws-pool-mainnet-rpc-eth-head-stale").costComponents[0]).toMatchObject({ unit: "alarm-metric-months", quantity: 1, unitPriceUsd: 0.1, price: "aws-us-east-1.json#cloudwatch.alarm.standard" });
    // Three metrics (two 5xx counts and the request count); the expression is free.
    expect(cost("monitoring-aws-api-makerdao-api-api-5xx-rate")).toMatchObject({ monthlyUsd: 0.3 });
    expect(cost("monitoring-gcp-pool-sepolia-gke-eth-head-stale")).toMatchObject({ monthlyUsd: null, unpricedReason: expect.stringContaining("per condition") });
    const job = both.find((r) => r.type === "gcp:cloudscheduler/job:Job")!;
    expect(costs.get(job.urn)).toMatchObject({ monthlyUsd: null, unpricedReason: expect.stringContaining("free allowance") });
    // Every type it creates is priced or listed as free or usage-based: nothing is a silent zero.
    expect([...new Set(both.filter((r) => r.custom).map((r) => r.type))].filter((t) => pricingOf(t) === "unknown")).toEqual([]);
  });
});

describe("Monitoring of a held indexer and a held API service (no pod until their configuration is complete)", () => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    ({ resources } = await recordResources(() => {
      const targets = [rdsIndexer, cloudSqlIndexer, albApi, gclbApi].map((t) => ({ ...t, held: true }));
      new Monitoring("monitoring", monitoringArgs({ targets }));
    }));
  });
  const inputs = (name: string) => {
    const found = resources.find((r) => r.name === name);
    if (!found) throw new Error(`no ${name}`);
    return found.inputs as any;
  };

  it("keeps every alarm, and plans those that being held alone would trip disabled, saying why", () => {
    // Held: the lag exporter reports not ready and no lag; a load balancer with no pod behind it answers 5xx.
    for (const name of ["monitoring-aws-indexer-vaults-indexer-not-ready", "monitoring-aws-api-makerdao-api-api-5xx-rate"]) {
      expect([name, inputs(name).actionsEnabled]).toEqual([name, false]);
      expect(inputs(name).alarmDescription).toContain(HELD_NOTE);
    }
    for (const name of ["monitoring-gcp-indexer-analytics-indexer-not-ready", "monitoring-gcp-api-forum-badges-api-5xx-rate"]) {
      expect([name, inputs(name).enabled]).toEqual([name, false]);
      expect(inputs(name).documentation.content).toContain(HELD_NOTE);
    }
  });

  it("leaves on what being held cannot trip: lag (no series without a worker), latency, the database's alarms and the heartbeat", () => {
    const on = [
      "monitoring-aws-indexer-vaults-indexer-lag",
      "monitoring-aws-indexer-vaults-indexer-db-cpu-primary",
      "monitoring-aws-api-makerdao-api-api-latency-p95",
      "monitoring-aws-indexer-vaults-metrics-heartbeat",
    ];
    for (const name of on) expect([name, inputs(name).actionsEnabled, inputs(name).alarmDescription]).toEqual([name, true, expect.not.stringContaining(HELD_NOTE)]);
    const gcpOn = ["monitoring-gcp-indexer-analytics-indexer-lag", "monitoring-gcp-indexer-analytics-indexer-db-cpu", "monitoring-gcp-api-forum-badges-api-latency-p95", "monitoring-gcp-indexer-analytics-metrics-heartbeat"];
    for (const name of gcpOn) expect([name, inputs(name).enabled]).toEqual([name, true]);
  });

  it("a target that is not held has every alarm on", async () => {
    const { resources: running } = await recordResources(() => new Monitoring("monitoring", monitoringArgs()));
    const alarms = ofType(running, ALARM);
    const policies = ofType(running, POLICY);
    expect(alarms.length).toBeGreaterThan(10);
    expect(alarms.filter((a) => (a.inputs as any).actionsEnabled !== true).map((a) => a.name)).toEqual([]);
    expect(policies.filter((p) => (p.inputs as any).enabled !== true).map((p) => p.name)).toEqual([]);
  });
});
