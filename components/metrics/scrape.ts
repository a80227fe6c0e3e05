/**
 * What workloads and collectors agree on about scraping, besides components/monitoring/targets.ts: where the
 * collectors run (so workloads' NetworkPolicies let them in) and the pod labels that name a pool or an indexer.
 * A leaf module: workloads import it without importing the collector component.
 */

/** The MetricsCollector's namespace on EKS (the CloudWatch agent); it creates it. */
export const METRICS_NAMESPACE = "monitoring";
/** GKE's managed collection runs its collectors here (Google creates it when managed Prometheus is on). */
export const GMP_COLLECTOR_NAMESPACE = "gmp-system";
/** Every namespace a collector scrapes from: what a metrics port's NetworkPolicy rule admits. */
export const SCRAPER_NAMESPACES: readonly string[] = [METRICS_NAMESPACE, GMP_COLLECTOR_NAMESPACE];

/** Pod labels naming the pool / indexer a scraped pod belongs to: the collectors turn them into `Pool` / `Indexer`. */
export const POOL_POD_LABEL = "estate-pool";
export const INDEXER_POD_LABEL = "estate-indexer";
