/**
 * The AWS heartbeat: per exporter source in CloudWatch, the number of readiness samples in each 5 minutes. Missing
 * data is breaching, so the alarm fires when the samples stop, whatever the exporters last said.
 */
import { THRESHOLDS } from "./catalog";
import { AwsAlarmContext, AwsAlarmRecord, awsAlarm } from "./aws-alarm";
import { HeartbeatSource } from "./heartbeat";
import { CLOUDWATCH_NAMESPACE } from "./targets";

export function awsHeartbeatAlarm(ctx: AwsAlarmContext, source: HeartbeatSource): AwsAlarmRecord {
  return awsAlarm(ctx, {
    id: "metrics-heartbeat",
    target: source.target,
    subject: `${source.metric} of ${source.subject} in CloudWatch ${CLOUDWATCH_NAMESPACE}`,
    metric: {
      namespace: CLOUDWATCH_NAMESPACE,
      metricName: source.metric,
      dimensions: { [source.label.cloudwatch]: source.value },
      statistic: "SampleCount",
      period: 300,
    },
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    evaluationPeriods: THRESHOLDS.heartbeat.forMinutes / 5,
    treatMissingData: "breaching",
  });
}
