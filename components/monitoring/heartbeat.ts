/**
 * The dead man's switch: what must keep arriving. Every exporter source (a pool's health exporters, an indexer's lag
 * exporter) publishes its readiness series on every scrape whatever its value, so its absence means the exporter,
 * the collector or the path to the cloud is broken, and every alarm on those metrics is blind.
 */
import { Cloud, poolMetricsCloud, targetKey } from "./routing";
import { ETHEREUM_METRICS, INDEXER_METRICS, METRIC_LABELS, MonitoredTarget } from "./targets";

export interface HeartbeatSource {
  readonly cloud: Cloud;
  /** The target's key: `pool-<pool>`, `indexer-<indexer>`. */
  readonly target: string;
  readonly subject: string;
  /** The series that must keep arriving. */
  readonly metric: string;
  /** The dimension / label that selects the source, and its value. */
  readonly label: { readonly cloudwatch: string; readonly prometheus: string };
  readonly value: string;
}

export function heartbeatSources(targets: readonly MonitoredTarget[]): HeartbeatSource[] {
  return targets.flatMap((t): HeartbeatSource[] => {
    if (t.kind === "ethereum-pool") {
      const cloud = poolMetricsCloud(t);
      return cloud ? [{ cloud, target: targetKey(t), subject: `pool ${t.pool}`, metric: ETHEREUM_METRICS.ready, label: METRIC_LABELS.pool, value: t.pool }] : [];
    }
    if (t.kind === "indexer") {
      return [{ cloud: t.metricsCloud, target: targetKey(t), subject: `indexer ${t.indexer}`, metric: INDEXER_METRICS.ready, label: METRIC_LABELS.indexer, value: t.indexer }];
    }
    return [];
  });
}
