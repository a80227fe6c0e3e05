/**
 * Which cloud watches what: where each target's metrics land, and so where its alarms live. Pure functions over
 * the targets, shared by validation, the builders and tests.
 */
import { EthereumPoolTarget, IndexerTarget, MonitoredTarget } from "./targets";

export type Cloud = "aws" | "gcp";

/** Where a pool's exporter metrics land: CloudWatch (aws) or Managed Service for Prometheus (gcp). */
export function poolMetricsCloud(t: EthereumPoolTarget): Cloud | undefined {
  switch (t.platform) {
    case "aws-vm":
    case "eks":
      return "aws";
    case "gcp-vm":
    case "gke":
      return "gcp";
    case "kubernetes":
      return t.metricsCloud;
  }
}

export function databaseCloud(t: IndexerTarget): Cloud {
  return t.database.kind === "rds" ? "aws" : "gcp";
}

/** A target's name in resource names and alarm names: `pool-<pool>`, `indexer-<indexer>`, `api-<service>`. */
export function targetKey(t: MonitoredTarget): string {
  switch (t.kind) {
    case "ethereum-pool":
      return `pool-${t.pool}`;
    case "indexer":
      return `indexer-${t.indexer}`;
    case "api-service":
      return `api-${t.service}`;
  }
}

/** The name the target goes by in its own config (pool, indexer or service). */
export function targetName(t: MonitoredTarget): string {
  switch (t.kind) {
    case "ethereum-pool":
      return t.pool;
    case "indexer":
      return t.indexer;
    case "api-service":
      return t.service;
  }
}

/** Every cloud a target needs alarms in. */
export function cloudsOf(t: MonitoredTarget): Cloud[] {
  switch (t.kind) {
    case "ethereum-pool": {
      const cloud = poolMetricsCloud(t);
      return cloud ? [cloud] : [];
    }
    case "indexer":
      return [...new Set<Cloud>([t.metricsCloud, databaseCloud(t)])];
    case "api-service":
      return t.loadBalancer ? [t.loadBalancer.kind === "aws-alb" ? "aws" : "gcp"] : [];
  }
}
