/**
 * The estate's alarm kinds, as data: one entry per kind, its id the anchor of its section in docs/runbook.md, with
 * what it means, and the thresholds the AWS and GCP builders share. Builders turn a kind into CloudWatch alarms or
 * Cloud Monitoring alert policies per target; every one links `${runbookBaseUrl}#${id}`.
 */

export type AlarmWorkload = "ethereum-node" | "indexer" | "api-service" | "monitoring";
export type AlarmSeverity = "critical" | "warning" | "info";

export interface AlarmKind {
  /** The runbook section's GitHub anchor: lowercase letters, digits and '-'. */
  readonly id: string;
  readonly workload: AlarmWorkload;
  /** One line, used in alarm names' descriptions and alert policies' titles. */
  readonly title: string;
  /** What it means when it fires, in a sentence or two (the runbook says more). */
  readonly meaning: string;
  readonly severity: AlarmSeverity;
}

const kind = <const I extends string>(id: I, workload: AlarmWorkload, severity: AlarmSeverity, title: string, meaning: string): AlarmKind & { readonly id: I } => ({
  id,
  workload,
  severity,
  title,
  meaning,
});

export const ALARM_CATALOG = [
  kind("eth-head-stale", "ethereum-node", "critical", "Ethereum head is stale", "The pool's newest head block is older than it should be: a node stopped following the chain (sync lag)."),
  kind("eth-peers-low", "ethereum-node", "warning", "Ethereum peers low", "A node of the pool has too few execution-layer peers to stay in sync reliably."),
  kind("eth-disk-full", "ethereum-node", "warning", "Ethereum chain-data disk filling up", "A node's chain-data filesystem is almost full; the client stops when it is."),
  kind("eth-node-not-ready", "ethereum-node", "critical", "Ethereum nodes not ready", "Fewer of the pool's nodes are ready (synced and healthy) than it runs: the RPC endpoint has less capacity or none."),
  kind("eth-instance-down", "ethereum-node", "critical", "Ethereum node machine down", "A VM of the pool fails its status checks or stopped reporting: the machine is down, not only the clients."),
  kind("indexer-lag", "indexer", "critical", "Indexer behind chain head", "The live indexer deployment is too many blocks behind the chain head: consumers read stale data."),
  kind("indexer-not-ready", "indexer", "critical", "Indexer not ready", "The indexer's readiness endpoint does not answer 200: it is down or back-filling."),
  kind("indexer-db-cpu", "indexer", "warning", "Indexer database CPU high", "The indexer's database (primary or replica) has been busy above the threshold for a sustained time."),
  kind("indexer-db-storage", "indexer", "critical", "Indexer database storage low", "The indexer's database is running out of storage and storage autoscaling is not keeping up (or reached its ceiling)."),
  kind("indexer-db-connections", "indexer", "warning", "Indexer database connections high", "The indexer's database is close to its connection limit; new connections will be refused."),
  kind("indexer-db-replica-lag", "indexer", "warning", "Indexer database replica lag", "A read replica is behind its primary: the read API serves stale data."),
  kind("api-5xx-rate", "api-service", "critical", "API 5xx error rate high", "Too large a share of the service's requests fail with a server error at the load balancer."),
  kind("api-latency-p95", "api-service", "warning", "API p95 latency high", "The slowest 5% of the service's requests take longer than its latency target."),
  kind("metrics-heartbeat", "monitoring", "critical", "Metrics stopped arriving (heartbeat)", "A workload's exporter metrics stopped arriving: every other alarm on them is blind until they are back."),
  kind("notification-drill", "monitoring", "info", "DRILL: weekly notification drill", "Not an incident. The weekly drill tripped its test alarm through the real notification path; it clears by itself."),
] as const satisfies readonly AlarmKind[];

export type AlarmId = (typeof ALARM_CATALOG)[number]["id"];

export function alarmKind(id: AlarmId): AlarmKind {
  return ALARM_CATALOG.find((k) => k.id === id)!;
}

/** "CRITICAL: " or "WARNING: " before a title; nothing for info kinds (the drill's title starts with DRILL). */
export function severityPrefix(id: AlarmId): string {
  const { severity } = alarmKind(id);
  return severity === "info" ? "" : `${severity.toUpperCase()}: `;
}

/** Where an alarm's runbook section is. */
export function runbookUrl(runbookBaseUrl: string, id: AlarmId): string {
  return `${runbookBaseUrl}#${id}`;
}

/** Appended to what a held target's disabled alarm says (it runs no pod: the alarm would fire for that alone). */
export const HELD_NOTE = "Planned disabled: the target is held (runs no pod until its configuration is complete); the deploy that lifts the hold enables it.";

/** Thresholds and how long a condition must hold, shared by both clouds. */
export const THRESHOLDS = {
  /** Seconds; the health sidecar calls a node ready at 60 s or less, so this is a node stuck, not a slot missed. */
  headAgeSeconds: { above: 120, forMinutes: 10 },
  peers: { below: 5, forMinutes: 15 },
  diskUsedPercent: { above: 85, forMinutes: 15 },
  notReady: { forMinutes: 5 },
  /** GCE: no uptime point from an instance for this long. */
  instanceAbsent: { forMinutes: 5 },
  /** EC2 StatusCheckFailed (instance or system) in consecutive minutes; a stopped instance (no data) counts. */
  statusCheck: { forMinutes: 2 },
  /** ~10 minutes of mainnet blocks. */
  indexerBlocksBehind: { above: 50, forMinutes: 15 },
  indexerNotReady: { forMinutes: 15 },
  dbCpuPercent: { above: 80, forMinutes: 15 },
  /**
   * RDS (storage autoscaling keeps free space above 10% of the allocation until maxStorageGiB): free space below the
   * smaller of 20 GiB and 10% of the ceiling. Cloud SQL (automatic storage increase): disk utilization above 95%.
   */
  dbFreeStorage: { maxGiB: 20, ceilingFraction: 0.1, forMinutes: 30 },
  dbDiskUtilization: { above: 0.95, forMinutes: 30 },
  /** Percent of max_connections; 100 (PostgreSQL's default) when the target does not say. */
  dbConnections: { percentOfMax: 80, defaultMaxConnections: 100, forMinutes: 10 },
  replicaLagSeconds: { above: 300, forMinutes: 15 },
  /** Percent of requests; below `minRequestsPerMinute` the AWS alarm does not judge (too few to mean anything). */
  api5xxPercent: { above: 5, forMinutes: 5, minRequestsPerMinute: 20 },
  apiLatency: { forMinutes: 10 },
  heartbeat: { forMinutes: 15 },
} as const;

/** Connections at which to alarm: 80% of max_connections (PostgreSQL's default 100 when unknown). */
export function connectionsThreshold(maxConnections: number | undefined): number {
  return Math.floor(((maxConnections ?? THRESHOLDS.dbConnections.defaultMaxConnections) * THRESHOLDS.dbConnections.percentOfMax) / 100);
}

/** The drill's metric (CloudWatch, in CLOUDWATCH_NAMESPACE): the schedule writes 1, the drill alarm fires on it. */
export const DRILL_METRIC = "estate_drill";
/** Cloud Monitoring alert policies auto-close an incident after this long without the condition holding. */
export const GCP_AUTO_CLOSE = "1800s";
