/**
 * CloudWatch alarms on an indexer's lag exporter (workers on EKS): blocks behind the chain head and readiness, from
 * CLOUDWATCH_NAMESPACE with the dimension Indexer. A held indexer's exporter reports not ready and no lag (no worker to
 * ask): its readiness alarm notifies no one.
 */
import { THRESHOLDS } from "./catalog";
import { AwsAlarmContext, AwsAlarmRecord, awsAlarm } from "./aws-alarm";
import { targetKey } from "./routing";
import { CLOUDWATCH_NAMESPACE, INDEXER_METRICS, IndexerTarget, METRIC_LABELS } from "./targets";

export function awsIndexerAlarms(ctx: AwsAlarmContext, t: IndexerTarget): AwsAlarmRecord[] {
  const target = targetKey(t);
  const subject = `indexer ${t.indexer}`;
  const dimensions = { [METRIC_LABELS.indexer.cloudwatch]: t.indexer };
  return [
    awsAlarm(ctx, {
      id: "indexer-lag",
      target,
      subject,
      metric: { namespace: CLOUDWATCH_NAMESPACE, metricName: INDEXER_METRICS.blocksBehind, dimensions, statistic: "Maximum", period: 300 },
      comparisonOperator: "GreaterThanThreshold",
      threshold: THRESHOLDS.indexerBlocksBehind.above,
      evaluationPeriods: THRESHOLDS.indexerBlocksBehind.forMinutes / 5,
      treatMissingData: "missing",
    }),
    awsAlarm(ctx, {
      id: "indexer-not-ready",
      target,
      subject,
      metric: { namespace: CLOUDWATCH_NAMESPACE, metricName: INDEXER_METRICS.ready, dimensions, statistic: "Minimum", period: 300 },
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: THRESHOLDS.indexerNotReady.forMinutes / 5,
      treatMissingData: "missing",
      held: t.held,
    }),
  ];
}
