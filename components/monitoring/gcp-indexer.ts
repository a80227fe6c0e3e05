/**
 * Alert policies on an indexer's lag exporter (workers on GKE): PromQL over blocks behind and readiness. A held
 * indexer's exporter reports not ready and no lag (no worker to ask): its readiness policy is planned disabled.
 */
import { THRESHOLDS } from "./catalog";
import { GcpPolicyContext, GcpPolicyRecord, gcpPolicy, promqlCondition } from "./gcp-policy";
import { indexerLagQuery, indexerNotReadyQuery } from "./promql";
import { targetKey } from "./routing";
import { IndexerTarget } from "./targets";

export function gcpIndexerPolicies(ctx: GcpPolicyContext, t: IndexerTarget): GcpPolicyRecord[] {
  const target = targetKey(t);
  const subject = `indexer ${t.indexer}`;
  return [
    gcpPolicy(ctx, {
      id: "indexer-lag",
      target,
      subject,
      conditions: [promqlCondition(`More than ${THRESHOLDS.indexerBlocksBehind.above} blocks behind`, indexerLagQuery(t.indexer), THRESHOLDS.indexerBlocksBehind.forMinutes)],
    }),
    gcpPolicy(ctx, {
      id: "indexer-not-ready",
      target,
      subject,
      conditions: [promqlCondition("Not ready", indexerNotReadyQuery(t.indexer), THRESHOLDS.indexerNotReady.forMinutes)],
      held: t.held,
    }),
  ];
}
