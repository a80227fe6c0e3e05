/**
 * The indexer database on RDS for PostgreSQL: a subnet group on private subnets, a security group letting port 5432
 * in from the clients' ranges only, a parameter group forcing TLS and logging slow statements, the primary (gp3,
 * encrypted, storage autoscaling, Multi-AZ when highly available, backups with point-in-time recovery, tags copied to
 * snapshots, IAM authentication, Performance Insights' free 7 days) and its read replicas. RDS creates and rotates
 * the master password in Secrets Manager (manageMasterUserPassword): no password is an input.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../cluster/physical-name";
import { awsTags } from "../tagging";
import type { BuiltDatabase, IndexerDatabaseArgs, IndexerDatabasePlacement } from "./database";

type AwsPlacement = Extract<IndexerDatabasePlacement, { kind: "aws" }>;

export const RDS_PORT = 5432;
/** The master user; RDS keeps its password in the secret it manages. */
export const RDS_MASTER_USERNAME = "indexer_admin";
/** Performance Insights' free retention. */
const PERFORMANCE_INSIGHTS_DAYS = 7;
/** UTC; the maintenance window follows the backup window without overlapping it. */
const BACKUP_WINDOW = "03:00-04:00";
const MAINTENANCE_WINDOW = "sun:04:30-sun:05:30";
/** The RSA 2048 CA RDS recommends (valid to 2061); clients verify the server against it. */
const CA_CERT = "rds-ca-rsa2048-g1";

/** The parameter group's settings: TLS only, and what an operator needs in the logs to find slow or stuck work. */
export const RDS_PARAMETERS: readonly { name: string; value: string }[] = [
  { name: "rds.force_ssl", value: "1" },
  { name: "log_min_duration_statement", value: "1000" },
  { name: "log_lock_waits", value: "1" },
  { name: "log_autovacuum_min_duration", value: "10000" },
];

/** Performance Insights needs more than the smallest burstable classes. */
export function performanceInsightsSupported(instanceClass: string): boolean {
  return !/^db\.t[234]g?\.(micro|small)$/.test(instanceClass);
}

export function buildAwsDatabase(parent: pulumi.ComponentResource, name: string, args: IndexerDatabaseArgs, placement: AwsPlacement): BuiltDatabase {
  const tags = awsTags(args.tags);
  const child = { parent };
  const major = args.engineVersion;

  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-subnets`,
    { subnetIds: placement.privateSubnetIds, description: `Private subnets of the indexer database ${name}`, tags },
    child,
  );
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    { vpcId: placement.vpcId, description: `Indexer database ${name}: PostgreSQL from its clients only; no egress`, tags },
    child,
  );
  placement.clientCidrs.forEach(
    (cidr, i) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-sg-client-${i}`,
        { securityGroupId: securityGroup.id, description: `PostgreSQL from ${cidr}`, ipProtocol: "tcp", fromPort: RDS_PORT, toPort: RDS_PORT, cidrIpv4: cidr, tags },
        child,
      ),
  );
  const parameters = new aws.rds.ParameterGroup(
    `${name}-params`,
    { family: `postgres${major}`, description: `Indexer database ${name}: TLS only, slow-statement logging`, parameters: RDS_PARAMETERS.map((p) => ({ ...p })), tags },
    child,
  );

  const insights = performanceInsightsSupported(args.instanceClass)
    ? { performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_DAYS }
    : { performanceInsightsEnabled: false };
  // Settings a replica shares with the primary.
  const common = {
    instanceClass: args.instanceClass,
    storageType: "gp3",
    maxAllocatedStorage: args.maxStorageGiB,
    storageEncrypted: true,
    publiclyAccessible: false,
    vpcSecurityGroupIds: [securityGroup.id],
    parameterGroupName: parameters.name,
    port: RDS_PORT,
    caCertIdentifier: CA_CERT,
    iamDatabaseAuthenticationEnabled: true,
    autoMinorVersionUpgrade: true,
    allowMajorVersionUpgrade: false,
    applyImmediately: false,
    copyTagsToSnapshot: true,
    deletionProtection: args.protect,
    maintenanceWindow: MAINTENANCE_WINDOW,
    ...insights,
    tags,
  };
  const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;
  const primary = new aws.rds.Instance(
    `${name}-primary`,
    {
      ...common,
      engine: "postgres",
      engineVersion: major,
      dbName: args.databaseName,
      username: RDS_MASTER_USERNAME,
      manageMasterUserPassword: true,
      dbSubnetGroupName: subnetGroup.name,
      allocatedStorage: args.storageGiB,
      multiAz: args.highAvailability,
      backupRetentionPeriod: args.backupRetentionDays,
      backupWindow: BACKUP_WINDOW,
      // Protected databases keep their automated backups and leave a final snapshot when deleted.
      deleteAutomatedBackups: !args.protect,
      skipFinalSnapshot: !args.protect,
      finalSnapshotIdentifier: args.protect ? `${physicalName(name, scope, 57)}-final` : undefined,
    },
    { parent, ...(args.protect ? { protect: true, retainOnDelete: true } : {}) },
  );
  // Replicas copy the primary's data, encryption, subnet group and master user; they keep no backups of their own
  // and, like a read replica must, skip the final snapshot.
  const replicas = Array.from(
    { length: args.readReplicas },
    (_, i) =>
      new aws.rds.Instance(
        `${name}-replica-${i}`,
        { ...common, replicateSourceDb: primary.identifier, multiAz: false, backupRetentionPeriod: 0, skipFinalSnapshot: true },
        { parent, dependsOn: [primary] },
      ),
  );

  const secretArn = primary.masterUserSecrets.apply((secrets) => {
    const arn = secrets?.[0]?.secretArn;
    if (!arn) throw new Error(`IndexerDatabase "${name}": RDS reported no managed master user secret`);
    return arn;
  });
  return {
    host: primary.address,
    readerHosts: replicas.map((r) => r.address),
    credentials: {
      kind: "aws-secrets-manager",
      region: aws.getRegionOutput({}, child).region,
      username: RDS_MASTER_USERNAME,
      secretArn,
      resourceIds: [primary.resourceId, ...replicas.map((r) => r.resourceId)],
    },
    monitoringTarget: { kind: "rds", primaryId: primary.identifier, replicaIds: replicas.map((r) => r.identifier), maxStorageGiB: args.maxStorageGiB },
  };
}
