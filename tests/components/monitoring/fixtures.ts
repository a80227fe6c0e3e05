/** Targets of every kind and platform, and the arguments of a Monitoring component watching them. */
import * as pulumi from "@pulumi/pulumi";
import { ApiServiceTarget, EthereumPoolTarget, IndexerTarget, MonitoringArgs } from "../../../components/monitoring";
import { costTags } from "../../../components/tagging";

export const PROJECT = "tocu-estate-prod";
export const RUNBOOK = "https://github.com/techops/core-unit-estate/blob/main/docs/runbook.md";
/** What the on-call webhook's secret holds; it must never appear in a recorded input or output. */
export const WEBHOOK_URL = "https://events.pagerduty.example/integration/s3cr3t-t0ken/enqueue";

export const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "monitoring", owner: "techops" });

export const awsVmPool: EthereumPoolTarget = {
  kind: "ethereum-pool",
  pool: "mainnet-rpc",
  count: 2,
  platform: "aws-vm",
  aws: { loadBalancerArnSuffix: "net/mainnet-rpc-lb/0123456789abcdef", targetGroupArnSuffix: "targetgroup/mainnet-rpc-rpc-tg/fedcba9876543210", instanceIds: ["i-0aaa", "i-0bbb"] },
};
export const eksPool: EthereumPoolTarget = { kind: "ethereum-pool", pool: "mainnet-k8s", count: 1, platform: "eks" };
export const gcpVmPool: EthereumPoolTarget = {
  kind: "ethereum-pool",
  pool: "hoodi-gcp",
  count: 2,
  platform: "gcp-vm",
  gcp: { project: PROJECT, instanceNames: ["hoodi-gcp-0", "hoodi-gcp-1"] },
};
export const gkePool: EthereumPoolTarget = { kind: "ethereum-pool", pool: "sepolia-gke", count: 3, platform: "gke" };
export const rdsIndexer: IndexerTarget = {
  kind: "indexer",
  indexer: "vaults",
  metricsCloud: "aws",
  database: { kind: "rds", primaryId: "vaults-db", replicaIds: ["vaults-db-replica-0"], maxStorageGiB: 1000, maxConnections: 1000 },
};
export const cloudSqlIndexer: IndexerTarget = {
  kind: "indexer",
  indexer: "analytics",
  metricsCloud: "gcp",
  database: { kind: "cloud-sql", project: PROJECT, primaryId: `${PROJECT}:analytics-db`, replicaIds: [] },
};
export const albApi: ApiServiceTarget = { kind: "api-service", service: "makerdao-api", loadBalancer: { kind: "aws-alb", arnSuffix: "app/k8s-api-makerdao/0123456789abcdef" }, latencyP95Ms: 800 };
export const gclbApi: ApiServiceTarget = {
  kind: "api-service",
  service: "forum-badges",
  loadBalancer: { kind: "gcp-https-lb", project: PROJECT, urlMapNameRegex: "k8s2-um-[a-z0-9]+-forum-badges-forum-badges-[a-z0-9]+" },
  latencyP95Ms: 1000,
};
export const internalApi: ApiServiceTarget = { kind: "api-service", service: "keeper-status", latencyP95Ms: 1000 };

export function monitoringArgs(more: Partial<MonitoringArgs> = {}): MonitoringArgs {
  return {
    stack: "prod",
    recipients: ["oncall@techops.example", "techops@techops.example"],
    onCallWebhookUrl: pulumi.secret(WEBHOOK_URL),
    runbookBaseUrl: RUNBOOK,
    aws: { region: "us-east-1" },
    gcp: { project: PROJECT, region: "us-central1" },
    targets: [awsVmPool, eksPool, gcpVmPool, gkePool, rdsIndexer, cloudSqlIndexer, albApi, gclbApi, internalApi],
    drill: { scheduleExpression: "cron(0 10 ? * TUE *)", timezone: "Europe/Lisbon" },
    tags: TAGS,
    ...more,
  };
}
