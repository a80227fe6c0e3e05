/**
 * CloudWatch alarms of an Ethereum pool whose metrics land in CloudWatch (EC2 VMs, EKS, or a cluster whose collector
 * writes there). The health exporter's metrics arrive in CLOUDWATCH_NAMESPACE with the dimension Pool, one series
 * per pool across its nodes, so each alarm takes the worst node's value (Maximum head age, Minimum peers, ...).
 *
 * On VMs the pool's readiness is what its sync-aware NLB sees (HealthyHostCount of the target group, whose health
 * check is the node's /ready) and each instance's EC2 status checks tell a machine down; on Kubernetes it is the
 * exporter's eth_ready.
 */
import { THRESHOLDS } from "./catalog";
import { AwsAlarmContext, AwsAlarmRecord, AwsMetric, awsAlarm } from "./aws-alarm";
import { targetKey } from "./routing";
import { CLOUDWATCH_NAMESPACE, ETHEREUM_METRICS, EthereumPoolTarget, METRIC_LABELS } from "./targets";

function poolMetric(t: EthereumPoolTarget, metricName: string, statistic: AwsMetric["statistic"], period: number): AwsMetric {
  return { namespace: CLOUDWATCH_NAMESPACE, metricName, dimensions: { [METRIC_LABELS.pool.cloudwatch]: t.pool }, statistic, period };
}

export function awsEthereumAlarms(ctx: AwsAlarmContext, t: EthereumPoolTarget): AwsAlarmRecord[] {
  const target = targetKey(t);
  const subject = `pool ${t.pool}`;
  const records = [
    awsAlarm(ctx, {
      id: "eth-head-stale",
      target,
      subject,
      metric: poolMetric(t, ETHEREUM_METRICS.headAgeSeconds, "Maximum", 60),
      comparisonOperator: "GreaterThanThreshold",
      threshold: THRESHOLDS.headAgeSeconds.above,
      evaluationPeriods: THRESHOLDS.headAgeSeconds.forMinutes,
      treatMissingData: "missing",
    }),
    awsAlarm(ctx, {
      id: "eth-peers-low",
      target,
      subject,
      metric: poolMetric(t, ETHEREUM_METRICS.peers, "Minimum", 300),
      comparisonOperator: "LessThanThreshold",
      threshold: THRESHOLDS.peers.below,
      evaluationPeriods: THRESHOLDS.peers.forMinutes / 5,
      treatMissingData: "missing",
    }),
    awsAlarm(ctx, {
      id: "eth-disk-full",
      target,
      subject,
      metric: poolMetric(t, ETHEREUM_METRICS.diskUsedPercent, "Maximum", 300),
      comparisonOperator: "GreaterThanThreshold",
      threshold: THRESHOLDS.diskUsedPercent.above,
      evaluationPeriods: THRESHOLDS.diskUsedPercent.forMinutes / 5,
      treatMissingData: "missing",
    }),
  ];
  if (t.platform === "aws-vm" && t.aws) {
    records.push(
      awsAlarm(ctx, {
        id: "eth-node-not-ready",
        target,
        subject: `${subject}: healthy targets of its load balancer below ${t.count}`,
        metric: {
          namespace: "AWS/NetworkELB",
          metricName: "HealthyHostCount",
          dimensions: { TargetGroup: t.aws.targetGroupArnSuffix, LoadBalancer: t.aws.loadBalancerArnSuffix },
          statistic: "Minimum",
          period: 60,
        },
        comparisonOperator: "LessThanThreshold",
        threshold: t.count,
        evaluationPeriods: THRESHOLDS.notReady.forMinutes,
        // The load balancer reports every minute; silence means it or its target group is gone.
        treatMissingData: "breaching",
      }),
      ...t.aws.instanceIds.map((instanceId, i) =>
        awsAlarm(ctx, {
          id: "eth-instance-down",
          target,
          part: `node-${i}`,
          subject: `${subject}, node ${i}`,
          metric: { namespace: "AWS/EC2", metricName: "StatusCheckFailed", dimensions: { InstanceId: instanceId }, statistic: "Maximum", period: 60 },
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          evaluationPeriods: THRESHOLDS.statusCheck.forMinutes,
          // A stopped or terminated instance reports nothing: that is down too.
          treatMissingData: "breaching",
        }),
      ),
    );
  } else {
    records.push(
      awsAlarm(ctx, {
        id: "eth-node-not-ready",
        target,
        subject: `${subject}: a node reports eth_ready 0`,
        metric: poolMetric(t, ETHEREUM_METRICS.ready, "Minimum", 60),
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        evaluationPeriods: THRESHOLDS.notReady.forMinutes,
        treatMissingData: "missing",
      }),
    );
  }
  return records;
}
