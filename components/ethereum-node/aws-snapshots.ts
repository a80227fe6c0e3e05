/** Daily snapshots of the pool's chain-data volumes, seven kept, by Data Lifecycle Manager. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, roleWithPolicies, serviceTrustPolicy } from "../cluster/aws-iam";
import { CostTags, awsTags } from "../tagging";

export const SNAPSHOT_TAG_KEY = "snapshot-schedule";
export const SNAPSHOTS_KEPT = 7;

export interface SnapshotContext {
  readonly name: string;
  readonly region: string;
  /** The tag the pool's data volumes carry, and only they: DLM snapshots what carries it. */
  readonly target: { readonly key: string; readonly value: string };
  readonly tags: CostTags;
  readonly parent: pulumi.Resource;
}

export function dataVolumeSnapshots(ctx: SnapshotContext): aws.dlm.LifecyclePolicy {
  const { name, region, parent } = ctx;
  const role = roleWithPolicies(
    `${name}-snapshot-role`,
    serviceTrustPolicy("dlm.amazonaws.com"),
    { "dlm-service-role": managedPolicyArn("service-role/AWSDataLifecycleManagerServiceRole") },
    ctx.tags,
    parent,
  );
  return new aws.dlm.LifecyclePolicy(
    `${name}-snapshots`,
    {
      region,
      // DLM descriptions allow letters, digits, spaces, '-' and '_' only.
      description: `Daily snapshots of the chain-data volumes of ${name.replace(/[^0-9A-Za-z _-]/g, "-")} - ${SNAPSHOTS_KEPT} kept`,
      executionRoleArn: role.role.arn,
      state: "ENABLED",
      policyDetails: {
        policyType: "EBS_SNAPSHOT_MANAGEMENT",
        resourceTypes: ["VOLUME"],
        targetTags: { [ctx.target.key]: ctx.target.value },
        schedules: [
          {
            name: "daily",
            createRule: { interval: 24, intervalUnit: "HOURS", times: "03:00" },
            retainRule: { count: SNAPSHOTS_KEPT },
            // Snapshots carry the volumes' cost tags, so finance sees them on the same budget line.
            copyTags: true,
          },
        ],
      },
      tags: awsTags(ctx.tags),
    },
    { parent, dependsOn: role.attachments },
  );
}
