/**
 * CloudWatch alarms of an API service behind an Application Load Balancer (AWS/ApplicationELB, dimension
 * LoadBalancer = the ALB's ARN suffix): the share of 5xx responses (the targets' and the load balancer's own) by
 * metric math, and the p95 of TargetResponseTime. A held service has no target to answer: the 5xx alarm notifies no one.
 */
import { THRESHOLDS } from "./catalog";
import { AwsAlarmContext, AwsAlarmRecord, awsAlarm } from "./aws-alarm";
import { targetKey } from "./routing";
import { ApiServiceTarget } from "./targets";

/** Percent of requests answered 5xx, judged only in minutes with enough requests to mean anything. */
export const API_5XX_EXPRESSION = `IF(requests >= ${THRESHOLDS.api5xxPercent.minRequestsPerMinute}, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)`;

export function awsApiAlarms(ctx: AwsAlarmContext, t: ApiServiceTarget): AwsAlarmRecord[] {
  const lb = t.loadBalancer;
  if (lb?.kind !== "aws-alb") return [];
  const target = targetKey(t);
  const subject = `service ${t.service}`;
  const dimensions = { LoadBalancer: lb.arnSuffix };
  const sum = (id: string, metricName: string) => ({
    id,
    returnData: false,
    metric: { namespace: "AWS/ApplicationELB", metricName, dimensions, stat: "Sum", period: 60 },
  });
  return [
    awsAlarm(ctx, {
      id: "api-5xx-rate",
      target,
      subject,
      metricQueries: [
        sum("target5xx", "HTTPCode_Target_5XX_Count"),
        sum("elb5xx", "HTTPCode_ELB_5XX_Count"),
        sum("requests", "RequestCount"),
        { id: "errorPercent", expression: API_5XX_EXPRESSION, label: "5xx responses (% of requests)", returnData: true },
      ],
      comparisonOperator: "GreaterThanThreshold",
      threshold: THRESHOLDS.api5xxPercent.above,
      evaluationPeriods: THRESHOLDS.api5xxPercent.forMinutes,
      // No requests, no errors.
      treatMissingData: "notBreaching",
      held: t.held,
    }),
    awsAlarm(ctx, {
      id: "api-latency-p95",
      target,
      subject,
      metric: { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions, extendedStatistic: "p95", period: 60 },
      comparisonOperator: "GreaterThanThreshold",
      // TargetResponseTime is in seconds.
      threshold: t.latencyP95Ms / 1000,
      evaluationPeriods: THRESHOLDS.apiLatency.forMinutes,
      treatMissingData: "notBreaching",
    }),
  ];
}
