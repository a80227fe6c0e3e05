/**
 * PromQL for the exporters' metrics in Managed Service for Prometheus (names as in targets.ts, labels `pool` and
 * `indexer`). Pure strings: each is what an alert policy's condition evaluates, and what to paste into Metrics
 * Explorer to confirm an alert.
 */
import { THRESHOLDS } from "./catalog";
import { ETHEREUM_METRICS, INDEXER_METRICS, METRIC_LABELS } from "./targets";

const POOL = METRIC_LABELS.pool.prometheus;
const INDEXER = METRIC_LABELS.indexer.prometheus;

function selector(metric: string, label: string, value: string): string {
  return `${metric}{${label}=${JSON.stringify(value)}}`;
}

export function headStaleQuery(pool: string): string {
  return `max by (${POOL}) (${selector(ETHEREUM_METRICS.headAgeSeconds, POOL, pool)}) > ${THRESHOLDS.headAgeSeconds.above}`;
}

export function peersLowQuery(pool: string): string {
  return `min by (${POOL}) (${selector(ETHEREUM_METRICS.peers, POOL, pool)}) < ${THRESHOLDS.peers.below}`;
}

export function diskFullQuery(pool: string): string {
  return `max by (${POOL}) (${selector(ETHEREUM_METRICS.diskUsedPercent, POOL, pool)}) > ${THRESHOLDS.diskUsedPercent.above}`;
}

/**
 * Ready nodes below the pool's count: nodes reporting 1, or 0 when some report and none is ready. A pool whose
 * series are all gone is the heartbeat's to report.
 */
export function notReadyQuery(pool: string, count: number): string {
  const ready = selector(ETHEREUM_METRICS.ready, POOL, pool);
  return `(count by (${POOL}) (${ready} == 1) or (count by (${POOL}) (${ready}) * 0)) < ${count}`;
}

export function indexerLagQuery(indexer: string): string {
  return `max by (${INDEXER}) (${selector(INDEXER_METRICS.blocksBehind, INDEXER, indexer)}) > ${THRESHOLDS.indexerBlocksBehind.above}`;
}

export function indexerNotReadyQuery(indexer: string): string {
  return `min by (${INDEXER}) (${selector(INDEXER_METRICS.ready, INDEXER, indexer)}) < 1`;
}

/** The dead man's switch: a vector when the source's series are gone, nothing while they arrive. */
export function absentQuery(metric: string, label: string, value: string): string {
  return `absent(${selector(metric, label, value)})`;
}
