/**
 * Alert policies on an indexer's Cloud SQL instances (cloudsql.googleapis.com, resource cloudsql_database, label
 * database_id = `project:instance`): CPU, disk and connections over the primary and every replica, one series per
 * instance; replica lag over the replicas.
 */
import * as pulumi from "@pulumi/pulumi";
import { THRESHOLDS, connectionsThreshold } from "./catalog";
import { GcpPolicyContext, GcpPolicyRecord, gcpPolicy, oneOf, thresholdCondition } from "./gcp-policy";
import { targetKey } from "./routing";
import { IndexerTarget } from "./targets";

export function cloudSqlFilter(metric: string, databaseIds: readonly pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.interpolate`metric.type = "cloudsql.googleapis.com/database/${metric}" AND resource.type = "cloudsql_database" AND ${oneOf("resource.label.database_id", databaseIds)}`;
}

const perInstance = (aligner: string, seconds = 300) => [{ alignmentPeriod: `${seconds}s`, perSeriesAligner: aligner }];

export function gcpCloudSqlPolicies(ctx: GcpPolicyContext, t: IndexerTarget): GcpPolicyRecord[] {
  const db = t.database;
  if (db.kind !== "cloud-sql") return [];
  const target = targetKey(t);
  const subject = `database of indexer ${t.indexer}`;
  const all = [db.primaryId, ...db.replicaIds];
  const records = [
    gcpPolicy(ctx, {
      id: "indexer-db-cpu",
      target,
      subject,
      conditions: [
        thresholdCondition(`CPU above ${THRESHOLDS.dbCpuPercent.above}%`, {
          filter: cloudSqlFilter("cpu/utilization", all),
          aggregations: perInstance("ALIGN_MEAN"),
          comparison: "COMPARISON_GT",
          // A fraction, 0-1.
          thresholdValue: THRESHOLDS.dbCpuPercent.above / 100,
          forMinutes: THRESHOLDS.dbCpuPercent.forMinutes,
        }),
      ],
    }),
    gcpPolicy(ctx, {
      id: "indexer-db-storage",
      target,
      subject,
      conditions: [
        thresholdCondition(`Disk above ${THRESHOLDS.dbDiskUtilization.above * 100}% used`, {
          filter: cloudSqlFilter("disk/utilization", all),
          aggregations: perInstance("ALIGN_MEAN"),
          comparison: "COMPARISON_GT",
          thresholdValue: THRESHOLDS.dbDiskUtilization.above,
          forMinutes: THRESHOLDS.dbDiskUtilization.forMinutes,
        }),
      ],
    }),
    gcpPolicy(ctx, {
      id: "indexer-db-connections",
      target,
      subject,
      conditions: [
        thresholdCondition(`More than ${connectionsThreshold(db.maxConnections)} connections`, {
          filter: cloudSqlFilter("postgresql/num_backends", all),
          // One series per database inside the instance: add them up per instance.
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.database_id"] }],
          comparison: "COMPARISON_GT",
          thresholdValue: connectionsThreshold(db.maxConnections),
          forMinutes: THRESHOLDS.dbConnections.forMinutes,
        }),
      ],
    }),
  ];
  if (db.replicaIds.length > 0) {
    records.push(
      gcpPolicy(ctx, {
        id: "indexer-db-replica-lag",
        target,
        subject: `replicas of indexer ${t.indexer}`,
        conditions: [
          thresholdCondition(`Replica lag above ${THRESHOLDS.replicaLagSeconds.above} s`, {
            filter: cloudSqlFilter("replication/replica_lag", db.replicaIds),
            aggregations: perInstance("ALIGN_MAX", 60),
            comparison: "COMPARISON_GT",
            thresholdValue: THRESHOLDS.replicaLagSeconds.above,
            forMinutes: THRESHOLDS.replicaLagSeconds.forMinutes,
          }),
        ],
      }),
    );
  }
  return records;
}
