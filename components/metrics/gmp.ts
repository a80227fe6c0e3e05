/**
 * Google Cloud Managed Service for Prometheus, as data: the self-deployed collector that runs next to the clients on
 * a Container-Optimized OS node (where the Ops Agent cannot be installed), and the ClusterPodMonitoring that GKE's
 * managed collection follows. Series keep their exporter labels (`pool`, `indexer`); Monarch adds project_id,
 * location, cluster, namespace, job and instance. Pure.
 */
import { METRICS_PORT_NAME, SCRAPE_LABEL } from "../monitoring/targets";
import { ESTATE_SERIES_REGEX, SCRAPE_INTERVAL, SCRAPE_TIMEOUT, VM_JOB } from "./cloudwatch";

/**
 * Managed Service for Prometheus's drop-in Prometheus (the self-deployed collector), as its documentation names it;
 * it writes to Cloud Monitoring with the VM's service account (roles/monitoring.metricWriter). Bump the tag here.
 */
export const GMP_COLLECTOR_IMAGE = "gke.gcr.io/prometheus-engine/prometheus:v2.53.5-gmp.1-gke.2";
/**
 * The collector's own HTTP listener, on the node's loopback only. Not 9090: Erigon's private API listens there,
 * and every container of a node shares the host network.
 */
export const GMP_COLLECTOR_LISTEN = "127.0.0.1:19090";
/** In the scrape config, replaced by the VM's hostname at start: every node of a pool needs its own `instance`. */
export const INSTANCE_PLACEHOLDER = "@INSTANCE@";

const KEEP_ESTATE_SERIES = { source_labels: ["__name__"], regex: ESTATE_SERIES_REGEX, action: "keep" };

/**
 * A VM's scrape config: the local health exporter. All nodes of a pool scrape the same loopback address, so the
 * `instance` label is set to INSTANCE_PLACEHOLDER, which the unit replaces with the hostname; without it the nodes'
 * series would collide in Monarch.
 */
export function vmCollectorScrapeConfig(target: string): Record<string, unknown> {
  return {
    global: { scrape_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_TIMEOUT },
    scrape_configs: [
      {
        job_name: VM_JOB,
        static_configs: [{ targets: [target], labels: { instance: INSTANCE_PLACEHOLDER } }],
        metric_relabel_configs: [KEEP_ESTATE_SERIES],
      },
    ],
  };
}

/** The collector's arguments after the image: local storage only as long as export needs it. */
export function vmCollectorArgs(configPath: string, storagePath: string, labels: { project: string; location: string }): string[] {
  return [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${storagePath}`,
    "--storage.tsdb.retention.time=30m",
    `--web.listen-address=${GMP_COLLECTOR_LISTEN}`,
    `--export.label.project-id=${labels.project}`,
    `--export.label.location=${labels.location}`,
  ];
}

/**
 * GKE managed collection: every pod labelled SCRAPE_LABEL, in any namespace, on its port named METRICS_PORT_NAME;
 * only the estate's series are kept (Managed Service for Prometheus bills per sample ingested).
 */
export function clusterPodMonitoringSpec(): Record<string, unknown> {
  return {
    selector: { matchLabels: { ...SCRAPE_LABEL } },
    endpoints: [
      {
        port: METRICS_PORT_NAME,
        path: "/metrics",
        interval: SCRAPE_INTERVAL,
        timeout: SCRAPE_TIMEOUT,
        metricRelabeling: [{ sourceLabels: ["__name__"], regex: ESTATE_SERIES_REGEX, action: "keep" }],
      },
    ],
  };
}
