/** The GCP heartbeat: per exporter source in Managed Service for Prometheus, PromQL absent() on its readiness series. */
import { THRESHOLDS } from "./catalog";
import { GcpPolicyContext, GcpPolicyRecord, gcpPolicy, promqlCondition } from "./gcp-policy";
import { HeartbeatSource } from "./heartbeat";
import { absentQuery } from "./promql";

export function gcpHeartbeatPolicy(ctx: GcpPolicyContext, source: HeartbeatSource): GcpPolicyRecord {
  return gcpPolicy(ctx, {
    id: "metrics-heartbeat",
    target: source.target,
    subject: `${source.metric} of ${source.subject} in Managed Prometheus`,
    conditions: [promqlCondition(`No ${source.metric} samples`, absentQuery(source.metric, source.label.prometheus, source.value), THRESHOLDS.heartbeat.forMinutes)],
  });
}
