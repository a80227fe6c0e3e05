/**
 * Monitoring: a metrics collector on every estate cluster, and one Monitoring component alarming on every node pool,
 * indexer and API service in the clouds their metrics land in, with the weekly drill.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiService } from "../components/api-service";
import { EksCluster, GkeCluster } from "../components/cluster";
import { EthereumNode } from "../components/ethereum-node";
import { ChainIndexer } from "../components/indexer";
import { MetricsCollector } from "../components/metrics";
import { Monitoring, MonitoredTarget, cloudsOf } from "../components/monitoring";
import { EstateConfig, SHARED_BUDGET_LINE } from "./config";
import { Weekday } from "./config-monitoring";
import { Platform } from "./platform";
import { CloudProviders } from "./providers";
import { workloadTags } from "./tags";

export const MONITORING_WORKLOAD = "monitoring";

export interface Workloads {
  readonly nodes: Record<string, EthereumNode>;
  readonly indexers: Record<string, ChainIndexer>;
  readonly apiServices: Record<string, ApiService>;
}

export function buildMonitoring(config: EstateConfig, providers: CloudProviders, platform: Platform, workloads: Workloads): Monitoring | undefined {
  const monitoring = config.monitoring;
  if (!monitoring) return undefined;
  const targets: MonitoredTarget[] = [
    ...Object.values(workloads.nodes).map((n) => n.monitoringTarget),
    ...Object.values(workloads.indexers).map((i) => i.monitoringTarget),
    // Alarms name a service by its config name (public-api), not its component's (api-public-api).
    ...Object.entries(workloads.apiServices).map(([name, s]) => ({ ...s.monitoringTarget, service: name })),
  ];
  // Alarms, a heartbeat and a drill in each cloud some target's metrics land in; with none, nothing to watch.
  const clouds = new Set(targets.flatMap(cloudsOf));
  if (clouds.size === 0) return undefined;
  const tags = workloadTags(config, { budgetLine: SHARED_BUDGET_LINE, workload: MONITORING_WORKLOAD });
  for (const [name, cluster] of Object.entries(platform.clusters)) {
    if (cluster instanceof EksCluster) {
      new MetricsCollector(
        `metrics-${name}`,
        { kind: "eks", provider: cluster.provider, region: config.aws!.region, clusterName: cluster.clusterName, oidcProviderArn: cluster.oidcProviderArn, oidcIssuerUrl: cluster.oidcIssuerUrl, tags },
        { providers: [providers.aws!, cluster.provider] },
      );
    } else if (cluster instanceof GkeCluster) {
      new MetricsCollector(`metrics-${name}`, { kind: "gke", provider: cluster.provider, tags }, { providers: [cluster.provider] });
    }
  }
  return new Monitoring(
    "monitoring",
    {
      stack: config.stack,
      recipients: [...monitoring.recipients],
      onCallWebhookUrl: monitoring.onCallWebhookUrl === undefined ? undefined : pulumi.secret(monitoring.onCallWebhookUrl),
      runbookBaseUrl: monitoring.runbookUrl,
      aws: clouds.has("aws") ? { region: config.aws!.region } : undefined,
      gcp: clouds.has("gcp") ? { project: config.gcp!.project, region: config.gcp!.region } : undefined,
      targets,
      drill: { scheduleExpression: weeklyCron(monitoring.drill.weekday, monitoring.drill.hourUtc), timezone: "UTC" },
      tags,
    },
    { providers: [providers.aws, providers.gcp].filter((p) => p !== undefined) },
  );
}

function weeklyCron(weekday: Weekday, hourUtc: number): string {
  return `cron(0 ${hourUtc} ? * ${weekday.slice(0, 3).toUpperCase()} *)`;
}
