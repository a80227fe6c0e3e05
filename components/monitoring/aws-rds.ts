/**
 * CloudWatch alarms on an indexer's RDS PostgreSQL instances (AWS/RDS, dimension DBInstanceIdentifier): CPU, free
 * storage and connections on the primary and each replica, and replica lag on each replica.
 */
import * as pulumi from "@pulumi/pulumi";
import { THRESHOLDS, connectionsThreshold } from "./catalog";
import { AwsAlarmContext, AwsAlarmRecord, AwsMetric, awsAlarm } from "./aws-alarm";
import { targetKey } from "./routing";
import { IndexerTarget } from "./targets";

const GIB = 1024 ** 3;

/**
 * Free bytes below which storage autoscaling is no longer keeping up: it adds storage when free space falls to 10% of
 * the allocation, so below the smaller of 20 GiB and 10% of the ceiling it is at the ceiling, in its 6-hour cooldown,
 * or outpaced.
 */
export function rdsFreeStorageThresholdBytes(maxStorageGiB: number): number {
  return Math.round(Math.min(THRESHOLDS.dbFreeStorage.maxGiB, THRESHOLDS.dbFreeStorage.ceilingFraction * maxStorageGiB) * GIB);
}

function rdsMetric(instanceId: pulumi.Input<string>, metricName: string, statistic: AwsMetric["statistic"]): AwsMetric {
  return { namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: instanceId }, statistic, period: 300 };
}

export function awsRdsAlarms(ctx: AwsAlarmContext, t: IndexerTarget): AwsAlarmRecord[] {
  const db = t.database;
  if (db.kind !== "rds") return [];
  const target = targetKey(t);
  const instances = [
    { part: "primary", id: db.primaryId, replica: false },
    ...db.replicaIds.map((id, i) => ({ part: `replica-${i}`, id, replica: true })),
  ];
  return instances.flatMap(({ part, id, replica }) => {
    const subject = `${replica ? part.replace("-", " ") : "primary"} database of indexer ${t.indexer}`;
    const records = [
      awsAlarm(ctx, {
        id: "indexer-db-cpu",
        target,
        part,
        subject,
        metric: rdsMetric(id, "CPUUtilization", "Average"),
        comparisonOperator: "GreaterThanThreshold",
        threshold: THRESHOLDS.dbCpuPercent.above,
        evaluationPeriods: THRESHOLDS.dbCpuPercent.forMinutes / 5,
        treatMissingData: "missing",
      }),
      awsAlarm(ctx, {
        id: "indexer-db-storage",
        target,
        part,
        subject,
        metric: rdsMetric(id, "FreeStorageSpace", "Minimum"),
        comparisonOperator: "LessThanThreshold",
        threshold: rdsFreeStorageThresholdBytes(db.maxStorageGiB),
        evaluationPeriods: THRESHOLDS.dbFreeStorage.forMinutes / 5,
        treatMissingData: "missing",
      }),
      awsAlarm(ctx, {
        id: "indexer-db-connections",
        target,
        part,
        subject,
        metric: rdsMetric(id, "DatabaseConnections", "Maximum"),
        comparisonOperator: "GreaterThanThreshold",
        threshold: connectionsThreshold(db.maxConnections),
        evaluationPeriods: THRESHOLDS.dbConnections.forMinutes / 5,
        treatMissingData: "missing",
      }),
    ];
    if (replica) {
      records.push(
        awsAlarm(ctx, {
          id: "indexer-db-replica-lag",
          target,
          part,
          subject,
          metric: rdsMetric(id, "ReplicaLag", "Maximum"),
          comparisonOperator: "GreaterThanThreshold",
          threshold: THRESHOLDS.replicaLagSeconds.above,
          evaluationPeriods: THRESHOLDS.replicaLagSeconds.forMinutes / 5,
          treatMissingData: "missing",
        }),
      );
    }
    return records;
  });
}
