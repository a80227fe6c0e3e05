/**
 * What each workload tells the Monitoring component about itself: which of its resources and metric series to
 * watch, per cloud. Workloads build these from their own resources; Monitoring turns them into alarms.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A pool of Ethereum nodes; its health exporter publishes the ETHEREUM_METRICS below, labelled with the pool. */
export interface EthereumPoolTarget {
  readonly kind: "ethereum-pool";
  /** The pool's config name: the `Pool` dimension in CloudWatch, the `pool` label in Prometheus. */
  readonly pool: string;
  readonly count: number;
  /** Where the pool runs, which decides where its metrics land. */
  readonly platform: "aws-vm" | "gcp-vm" | "eks" | "gke" | "kubernetes";
  /** AWS VMs: the sync-aware NLB the pool serves through and its instances. */
  readonly aws?: {
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly instanceIds: readonly pulumi.Input<string>[];
  };
  /** GCP VMs: the project and the instances' names. */
  readonly gcp?: { readonly project: string; readonly instanceNames: readonly pulumi.Input<string>[] };
  /**
   * Platform "kubernetes" (a cluster the estate does not create): the cloud its metrics collector writes to,
   * "aws" (CloudWatch, CLOUDWATCH_NAMESPACE) or "gcp" (Managed Service for Prometheus). Monitoring refuses such a
   * pool without it: it cannot know where to alarm. The other platforms imply it (aws-vm, eks: aws; gcp-vm, gke: gcp).
   */
  readonly metricsCloud?: "aws" | "gcp";
}

export type IndexerDatabaseTarget =
  | {
      readonly kind: "rds";
      readonly primaryId: pulumi.Input<string>;
      readonly replicaIds: readonly pulumi.Input<string>[];
      readonly maxStorageGiB: number;
      /** The server's max_connections, when known; the connections alarm fires at 80% of it (default 100, PostgreSQL's default). */
      readonly maxConnections?: number;
    }
  | {
      readonly kind: "cloud-sql";
      readonly project: string;
      /** `project:instance`, the `database_id` label of cloudsql.googleapis.com metrics. */
      readonly primaryId: pulumi.Input<string>;
      readonly replicaIds: readonly pulumi.Input<string>[];
      /** As for rds: the server's max_connections, when known (the database flag or the tier's default). */
      readonly maxConnections?: number;
    };

/** A chain indexer: its database and its lag exporter, which publishes INDEXER_METRICS labelled with the indexer. */
export interface IndexerTarget {
  readonly kind: "indexer";
  /** The indexer's config name: the `Indexer` dimension / `indexer` label. */
  readonly indexer: string;
  /** The cloud of the cluster its workers run in: where the lag metric lands. */
  readonly metricsCloud: "aws" | "gcp";
  readonly database: IndexerDatabaseTarget;
  /** Its workers run no pod (held): its lag and readiness alarms are planned disabled, its database's stay on. */
  readonly held?: boolean;
}

/** An HTTP service behind a cloud load balancer. */
export interface ApiServiceTarget {
  readonly kind: "api-service";
  readonly service: string;
  readonly loadBalancer?:
    | { readonly kind: "aws-alb"; readonly arnSuffix: pulumi.Input<string> }
    | {
        readonly kind: "gcp-https-lb";
        readonly project: string;
        /** RE2 full-match regex for the `url_map_name` label GKE gives the Ingress's URL map. */
        readonly urlMapNameRegex: string;
      };
  /** Alarm when the 95th percentile latency stays above this. */
  readonly latencyP95Ms: number;
  /** It runs no pod (held): its alarms are planned disabled. */
  readonly held?: boolean;
}

export type MonitoredTarget = EthereumPoolTarget | IndexerTarget | ApiServiceTarget;

/** The CloudWatch namespace the estate's own exporters publish into (via the CloudWatch agent). */
export const CLOUDWATCH_NAMESPACE = "CoreUnitEstate";

/** Prometheus metric names, the same names in CloudWatch (namespace above) and in Managed Service for Prometheus. */
export const ETHEREUM_METRICS = {
  /** Seconds since the execution client's head block was produced. */
  headAgeSeconds: "eth_head_age_seconds",
  /** Execution client's peers (net_peerCount). */
  peers: "eth_peers",
  /** 1 when the node is synced and its beacon node healthy (the same rule as /ready), else 0. */
  ready: "eth_ready",
  /** Percent of the chain-data filesystem in use. */
  diskUsedPercent: "eth_disk_used_percent",
} as const;

export const INDEXER_METRICS = {
  /** Chain head (from the RPC pool) minus the indexer's latest indexed block, for the live deployment. */
  blocksBehind: "indexer_blocks_behind",
  /** 1 when the indexer's readiness endpoint answers 200 (backfill reached the head). */
  ready: "indexer_ready",
} as const;

/** CloudWatch dimension names and Prometheus label names. */
export const METRIC_LABELS = {
  pool: { cloudwatch: "Pool", prometheus: "pool" },
  indexer: { cloudwatch: "Indexer", prometheus: "indexer" },
} as const;

/** Pods whose metrics the cluster's collector scrapes carry this label and name their metrics port "metrics". */
export const SCRAPE_LABEL = { "estate-metrics": "scrape" } as const;
export const METRICS_PORT_NAME = "metrics";
