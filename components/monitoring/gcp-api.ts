/**
 * Alert policies of an API service behind a GKE Ingress's external HTTPS load balancer (loadbalancing.googleapis.com,
 * resource https_lb_rule, selected by the Ingress's URL map name): the ratio of 5xx responses to all, and the p95 of
 * total latency. A held service has no backend to answer: the 5xx policy is planned disabled.
 */
import { THRESHOLDS } from "./catalog";
import { GcpPolicyContext, GcpPolicyRecord, gcpPolicy, thresholdCondition } from "./gcp-policy";
import { targetKey } from "./routing";
import { ApiServiceTarget } from "./targets";

export function httpsLbFilter(metric: "request_count" | "total_latencies", urlMapNameRegex: string, extra = ""): string {
  return (
    `metric.type = "loadbalancing.googleapis.com/https/${metric}" AND resource.type = "https_lb_rule" AND ` +
    `resource.label.url_map_name = monitoring.regex.full_match("${urlMapNameRegex}")${extra}`
  );
}

const PER_URL_MAP = ["resource.label.url_map_name"];

export function gcpApiPolicies(ctx: GcpPolicyContext, t: ApiServiceTarget): GcpPolicyRecord[] {
  const lb = t.loadBalancer;
  if (lb?.kind !== "gcp-https-lb") return [];
  const target = targetKey(t);
  const subject = `service ${t.service}`;
  const rate = [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields: PER_URL_MAP }];
  return [
    gcpPolicy(ctx, {
      id: "api-5xx-rate",
      target,
      subject,
      conditions: [
        thresholdCondition(`5xx above ${THRESHOLDS.api5xxPercent.above}% of requests`, {
          filter: httpsLbFilter("request_count", lb.urlMapNameRegex, " AND metric.label.response_code_class = 500"),
          aggregations: rate,
          denominatorFilter: httpsLbFilter("request_count", lb.urlMapNameRegex),
          denominatorAggregations: rate,
          comparison: "COMPARISON_GT",
          thresholdValue: THRESHOLDS.api5xxPercent.above / 100,
          forMinutes: THRESHOLDS.api5xxPercent.forMinutes,
        }),
      ],
      held: t.held,
    }),
    gcpPolicy(ctx, {
      id: "api-latency-p95",
      target,
      subject,
      conditions: [
        thresholdCondition(`p95 latency above ${t.latencyP95Ms} ms`, {
          filter: httpsLbFilter("total_latencies", lb.urlMapNameRegex),
          // A distribution in milliseconds: the 95th percentile of each minute's requests.
          aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95", groupByFields: PER_URL_MAP }],
          comparison: "COMPARISON_GT",
          thresholdValue: t.latencyP95Ms,
          forMinutes: THRESHOLDS.apiLatency.forMinutes,
        }),
      ],
    }),
  ];
}
