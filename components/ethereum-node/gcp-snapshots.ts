/** A daily snapshot schedule for the pool's chain-data disks, seven kept, labelled with the pool's cost labels. */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tagging";

export const SNAPSHOTS_KEPT = 7;

export interface SnapshotScheduleContext {
  readonly name: string;
  readonly project: string;
  readonly region: string;
  readonly tags: CostTags;
  /** Prod keeps a deleted disk's snapshots; elsewhere they expire on schedule. */
  readonly protectData: boolean;
  readonly parent: pulumi.Resource;
}

export function snapshotSchedule(ctx: SnapshotScheduleContext): gcp.compute.ResourcePolicy {
  return new gcp.compute.ResourcePolicy(
    `${ctx.name}-snapshots`,
    {
      project: ctx.project,
      region: ctx.region,
      description: `Daily snapshots of the chain-data disks of ${ctx.name}, ${SNAPSHOTS_KEPT} kept`,
      snapshotSchedulePolicy: {
        schedule: { dailySchedule: { daysInCycle: 1, startTime: "03:00" } },
        retentionPolicy: {
          maxRetentionDays: SNAPSHOTS_KEPT,
          onSourceDiskDelete: ctx.protectData ? "KEEP_AUTO_SNAPSHOTS" : "APPLY_RETENTION_POLICY",
        },
        snapshotProperties: { labels: gcpLabels(ctx.tags), storageLocations: ctx.region },
      },
    },
    { parent: ctx.parent },
  );
}
