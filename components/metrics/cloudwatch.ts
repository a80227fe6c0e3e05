/**
 * The CloudWatch agent's Prometheus configuration, as data: the agent scrapes the estate's exporters and sends each
 * sample as an embedded-metric-format (EMF) log event; the EMF declarations below turn the estate's series into
 * CloudWatch metrics in CLOUDWATCH_NAMESPACE with the `Pool` / `Indexer` dimension. Used by the EC2 node pools
 * (agent on the VM) and by the EKS MetricsCollector (agent as a Deployment). Pure.
 */
import { CLOUDWATCH_NAMESPACE, ETHEREUM_METRICS, INDEXER_METRICS, METRIC_LABELS, METRICS_PORT_NAME, SCRAPE_LABEL } from "../monitoring/targets";
import { INDEXER_POD_LABEL, POOL_POD_LABEL } from "./scrape";

/** How often the collectors scrape: alarms evaluate one-minute periods. */
export const SCRAPE_INTERVAL = "60s";
export const SCRAPE_TIMEOUT = "15s";

/** Prometheus job names: the EMF declarations match on them. */
export const VM_JOB = "ethereum-health";
export const KUBERNETES_JOB = "estate-pods";

/** CloudWatch units of the estate's series; the rest are unitless. */
const UNITS: Readonly<Record<string, string>> = {
  [ETHEREUM_METRICS.headAgeSeconds]: "Seconds",
  [ETHEREUM_METRICS.peers]: "Count",
  [ETHEREUM_METRICS.diskUsedPercent]: "Percent",
  [INDEXER_METRICS.blocksBehind]: "Count",
};

const exactly = (names: Readonly<Record<string, string>>) => Object.values(names).map((n) => `^${n}$`);
/** Every series name the estate's exporters publish, as one RE2 alternation. */
export const ESTATE_SERIES_REGEX = [...Object.values(ETHEREUM_METRICS), ...Object.values(INDEXER_METRICS)].join("|");

export interface EmfDeclaration {
  readonly source_labels: readonly string[];
  readonly label_matcher: string;
  readonly dimensions: readonly (readonly string[])[];
  readonly metric_selectors: readonly string[];
}

/**
 * One declaration per workload kind: a sample becomes a metric only when it carries the dimension label, and the
 * metric has that dimension alone (one series per pool / indexer; the nodes of a pool are its samples, so Maximum,
 * Minimum and SampleCount tell the worst node and how many reported).
 */
export function emfDeclarations(kinds: readonly ("ethereum" | "indexer")[]): EmfDeclaration[] {
  const declaration = (label: string, metrics: Readonly<Record<string, string>>): EmfDeclaration => ({
    source_labels: [label],
    label_matcher: "^.+$",
    dimensions: [[label]],
    metric_selectors: exactly(metrics),
  });
  return kinds.map((k) => (k === "ethereum" ? declaration(METRIC_LABELS.pool.cloudwatch, ETHEREUM_METRICS) : declaration(METRIC_LABELS.indexer.cloudwatch, INDEXER_METRICS)));
}

export interface AgentConfigInput {
  readonly region: string;
  /** Where the agent sends the EMF log events (created by the caller, with retention and tags). */
  readonly logGroupName: string;
  readonly prometheusConfigPath: string;
  readonly kinds: readonly ("ethereum" | "indexer")[];
  /** EKS: the cluster's name, recorded in each event. */
  readonly clusterName?: string;
  /** EC2: the unprivileged user the agent package creates. */
  readonly runAsUser?: string;
  /** Opens the agent's EMF listener on this TCP port, on every interface: in a container, the port its probes check. */
  readonly emfListenerPort?: number;
}

/** The agent's JSON configuration (`logs.metrics_collected.prometheus` with its `emf_processor`). */
export function cloudWatchAgentConfig(input: AgentConfigInput): Record<string, unknown> {
  const units = Object.fromEntries(
    input.kinds.flatMap((k) => Object.values(k === "ethereum" ? ETHEREUM_METRICS : INDEXER_METRICS)).flatMap((m) => (UNITS[m] ? [[m, UNITS[m]]] : [])),
  );
  return {
    agent: { region: input.region, ...(input.runAsUser ? { run_as_user: input.runAsUser } : {}) },
    logs: {
      metrics_collected: {
        prometheus: {
          ...(input.clusterName ? { cluster_name: input.clusterName } : {}),
          log_group_name: input.logGroupName,
          prometheus_config_path: input.prometheusConfigPath,
          emf_processor: {
            metric_declaration_dedup: true,
            metric_namespace: CLOUDWATCH_NAMESPACE,
            metric_unit: units,
            metric_declaration: emfDeclarations(input.kinds),
          },
        },
        ...(input.emfListenerPort !== undefined ? { emf: { service_address: `tcp://0.0.0.0:${input.emfListenerPort}` } } : {}),
      },
      force_flush_interval: 5,
    },
  };
}

/** Drops anything but the estate's series before it is sent (every sample sent is billed as log ingestion). */
const KEEP_ESTATE_SERIES = { source_labels: ["__name__"], regex: ESTATE_SERIES_REGEX, action: "keep" };

/** EC2: the local health exporter, labelled with its pool (the `Pool` dimension). */
export function vmScrapeConfig(pool: string, target: string): Record<string, unknown> {
  return {
    global: { scrape_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_TIMEOUT },
    scrape_configs: [
      {
        job_name: VM_JOB,
        static_configs: [{ targets: [target], labels: { [METRIC_LABELS.pool.cloudwatch]: pool } }],
        metric_relabel_configs: [KEEP_ESTATE_SERIES],
      },
    ],
  };
}

/** `estate-metrics` as Prometheus's Kubernetes discovery names a pod label: non-alphanumerics become `_`. */
export const podLabelMeta = (label: string): string => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`;

/**
 * EKS: every running pod labelled SCRAPE_LABEL, on its container port named METRICS_PORT_NAME, in any namespace;
 * the pod labels `estate-pool` / `estate-indexer` become the `Pool` / `Indexer` labels (the dimensions).
 */
export function kubernetesScrapeConfig(): Record<string, unknown> {
  const [[scrapeKey, scrapeValue]] = Object.entries(SCRAPE_LABEL);
  const copy = (source: string, target: string) => ({ source_labels: [source], regex: "(.+)", target_label: target, action: "replace" });
  return {
    global: { scrape_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_TIMEOUT },
    scrape_configs: [
      {
        job_name: KUBERNETES_JOB,
        sample_limit: 1000,
        kubernetes_sd_configs: [{ role: "pod" }],
        relabel_configs: [
          { source_labels: [podLabelMeta(scrapeKey)], regex: scrapeValue, action: "keep" },
          { source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: METRICS_PORT_NAME, action: "keep" },
          { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Pending|Succeeded|Failed|Unknown", action: "drop" },
          copy(podLabelMeta(POOL_POD_LABEL), METRIC_LABELS.pool.cloudwatch),
          copy(podLabelMeta(INDEXER_POD_LABEL), METRIC_LABELS.indexer.cloudwatch),
          copy("__meta_kubernetes_namespace", "Namespace"),
          copy("__meta_kubernetes_pod_name", "PodName"),
        ],
        metric_relabel_configs: [KEEP_ESTATE_SERIES],
      },
    ],
  };
}
