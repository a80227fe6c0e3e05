/** One autoscaled GKE node pool whose VMs and boot disks carry the cost labels. */
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { CostTags, gcpLabels } from "../tagging";
import type { GkeNodePoolArgs } from "./gke";

export interface NodePoolContext {
  readonly componentName: string;
  readonly project: string;
  readonly location: string;
  readonly regional: boolean;
  readonly cluster: gcp.container.Cluster;
  readonly serviceAccountEmail: pulumi.Input<string>;
  readonly tags: CostTags;
  /** The service account's role bindings: nodes write logs and pull images from their first boot. */
  readonly dependsOn: pulumi.Resource[];
  readonly parent: pulumi.Resource;
}

/** A regional pool spreads over the region's three default zones, and its initial node count is per zone. */
const REGIONAL_ZONES = 3;

export function gkeNodePool(pool: GkeNodePoolArgs, ctx: NodePoolContext): gcp.container.NodePool {
  const initialNodeCount = Math.max(1, ctx.regional ? Math.ceil(pool.minNodes / REGIONAL_ZONES) : pool.minNodes);
  return new gcp.container.NodePool(
    `${ctx.componentName}-${pool.name}-node-pool`,
    {
      project: ctx.project,
      location: ctx.location,
      cluster: ctx.cluster.name,
      // Scoped to its cluster; a pool that must be replaced is rolled out under a new name.
      name: pool.name,
      initialNodeCount,
      autoscaling: {
        totalMinNodeCount: pool.minNodes,
        totalMaxNodeCount: pool.maxNodes,
        locationPolicy: pool.spot ? "ANY" : "BALANCED",
      },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType: pool.machineType,
        diskSizeGb: pool.diskGiB,
        diskType: pool.diskType,
        spot: pool.spot,
        serviceAccount: ctx.serviceAccountEmail,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        resourceLabels: gcpLabels(ctx.tags),
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        metadata: { "disable-legacy-endpoints": "true" },
      },
    },
    // The autoscaler owns the node count after creation.
    { parent: ctx.parent, dependsOn: ctx.dependsOn, ignoreChanges: ["initialNodeCount"] },
  );
}
