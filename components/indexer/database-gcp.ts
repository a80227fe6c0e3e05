/**
 * The indexer database on Cloud SQL for PostgreSQL (Enterprise edition): a private IP on the network's private
 * services access range and no public IP, TLS only, regional availability when highly available, automated backups
 * with point-in-time recovery, SSD storage that grows by itself up to a ceiling, labels on the instance (Cloud SQL's
 * `settings.userLabels`), and IAM database authentication for three service accounts created here, one per login
 * (the role migration, the workers, the read API), reached through the Cloud SQL Auth Proxy with --auto-iam-authn:
 * no password exists anywhere.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels } from "../tagging";
import { DATABASE_LOGINS, DatabaseLogin } from "./credentials";
import { CLOUD_SQL_SUPERUSER } from "./db-roles";
import { accountScope, iamDatabaseUser, loginAccountId } from "./gcp-iam-user";
import type { BuiltDatabase, GcpLogin, IndexerDatabaseArgs, IndexerDatabasePlacement } from "./database";

type GcpPlacement = Extract<IndexerDatabasePlacement, { kind: "gcp" }>;

/** What the service account may do, on this database's instances only (an IAM condition on their names). */
export const CLOUD_SQL_CLIENT_ROLES = ["roles/cloudsql.client", "roles/cloudsql.instanceUser"] as const;
/**
 * The database roles each login's IAM user gets through the API (gcp.sql.User databaseRoles). Cloud SQL creates the
 * database owned by `cloudsqlsuperuser`: the role migration's login needs it to create the indexer's roles and hand
 * them their schemas, as the RDS master user does on AWS. The writer's and the reader's IAM users get none here: the
 * migration grants them the indexer's writer or reader role, which do not exist before it runs.
 */
export const IAM_USER_DATABASE_ROLES: Record<DatabaseLogin, string[]> = { admin: [CLOUD_SQL_SUPERUSER], writer: [], reader: [] };
const DISPLAY_NAMES: Record<DatabaseLogin, string> = {
  admin: "role migration (cloudsqlsuperuser)",
  writer: "workers (writer role)",
  reader: "read API (reader role)",
};
/** Cloud SQL keeps transaction logs for point-in-time recovery at most 7 days on the Enterprise edition. */
const PITR_LOG_DAYS = 7;
/** UTC. */
const BACKUP_START = "03:00";
/** Sunday 04:00 UTC, on the stable update track. */
const MAINTENANCE_WINDOW = { day: 7, hour: 4, updateTrack: "stable" };

/** Database flags: IAM authentication, and the same slow-statement and lock logging as on RDS. */
export const CLOUD_SQL_FLAGS: readonly { name: string; value: string }[] = [
  { name: "cloudsql.iam_authentication", value: "on" },
  { name: "log_min_duration_statement", value: "1000" },
  { name: "log_lock_waits", value: "on" },
  { name: "log_autovacuum_min_duration", value: "10000" },
];

export { iamDatabaseUser } from "./gcp-iam-user";

export function buildGcpDatabase(parent: pulumi.ComponentResource, name: string, args: IndexerDatabaseArgs, placement: GcpPlacement): BuiltDatabase {
  const { project, region } = placement;
  const scope = accountScope();

  // Settings a replica shares with the primary.
  const common = {
    tier: args.instanceClass,
    edition: "ENTERPRISE",
    diskType: "PD_SSD",
    diskSize: args.storageGiB,
    diskAutoresize: true,
    diskAutoresizeLimit: args.maxStorageGiB,
    ipConfiguration: { ipv4Enabled: false, privateNetwork: placement.network, sslMode: "ENCRYPTED_ONLY" },
    databaseFlags: CLOUD_SQL_FLAGS.map((f) => ({ ...f })),
    insightsConfig: { queryInsightsEnabled: true, recordApplicationTags: true, recordClientAddress: false },
    maintenanceWindow: MAINTENANCE_WINDOW,
    deletionProtectionEnabled: args.protect,
    userLabels: gcpLabels(args.tags),
  };
  const primary = new gcp.sql.DatabaseInstance(
    `${name}-primary`,
    {
      project,
      region,
      databaseVersion: `POSTGRES_${args.engineVersion}`,
      deletionProtection: args.protect,
      settings: {
        ...common,
        availabilityType: args.highAvailability ? "REGIONAL" : "ZONAL",
        backupConfiguration: {
          enabled: true,
          startTime: BACKUP_START,
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: PITR_LOG_DAYS,
          backupRetentionSettings: { retainedBackups: args.backupRetentionDays, retentionUnit: "COUNT" },
        },
        // A protected database's backups outlive an accidental delete of the instance.
        retainBackupsOnDelete: args.protect,
      },
    },
    { parent, dependsOn: [placement.privateServices], ...(args.protect ? { protect: true, retainOnDelete: true } : {}) },
  );
  const replicas = Array.from(
    { length: args.readReplicas },
    (_, i) =>
      new gcp.sql.DatabaseInstance(
        `${name}-replica-${i}`,
        {
          project,
          region,
          databaseVersion: `POSTGRES_${args.engineVersion}`,
          masterInstanceName: primary.name,
          deletionProtection: args.protect,
          // Replicas keep no backups: the primary's cover the data.
          settings: { ...common, availabilityType: "ZONAL", backupConfiguration: { enabled: false } },
        },
        { parent, dependsOn: [placement.privateServices, primary] },
      ),
  );
  // Cloud SQL runs one operation on an instance at a time: the database and the user follow the replicas.
  const database = new gcp.sql.Database(
    `${name}-database`,
    { project, instance: primary.name, name: args.databaseName, deletionPolicy: args.protect ? "ABANDON" : "DELETE" },
    { parent, dependsOn: replicas, ...(args.protect ? { protect: true, retainOnDelete: true } : {}) },
  );

  // Each login may reach only the instances its pods dial: the read API the replicas when there are any.
  const conditionOf = (login: DatabaseLogin) => {
    const instances = login === "reader" && replicas.length > 0 ? replicas : [primary];
    return {
      title: "this-indexer-database-only",
      description: `The Cloud SQL instances of ${name} its ${login} login dials`,
      expression: pulumi.all(instances.map((i) => i.name)).apply((names) => names.map((n) => `resource.name == "projects/${project}/instances/${n}"`).join(" || ")),
    };
  };
  const logins = {} as Record<DatabaseLogin, GcpLogin>;
  // One operation per instance at a time: each user follows the previous one.
  let previous: pulumi.Resource = database;
  for (const login of DATABASE_LOGINS) {
    const serviceAccount = new gcp.serviceaccount.Account(
      `${name}-${login}-sa`,
      { project, accountId: loginAccountId(name, login, scope), displayName: `Indexer database ${name}: ${DISPLAY_NAMES[login]}` },
      { parent },
    );
    const member = pulumi.interpolate`serviceAccount:${serviceAccount.email}`;
    const bindings = CLOUD_SQL_CLIENT_ROLES.map(
      (role) =>
        new gcp.projects.IAMMember(`${name}-${login}-sa-${role.replace(/^roles\/cloudsql\./, "").toLowerCase()}`, { project, role, member, condition: conditionOf(login) }, { parent }),
    );
    // The IAM database user; Postgres cannot drop a user that owns objects, so it is abandoned rather than deleted.
    const user = new gcp.sql.User(
      `${name}-${login}-iam-user`,
      {
        project,
        instance: primary.name,
        name: serviceAccount.email.apply(iamDatabaseUser),
        type: "CLOUD_IAM_SERVICE_ACCOUNT",
        ...(IAM_USER_DATABASE_ROLES[login].length > 0 ? { databaseRoles: IAM_USER_DATABASE_ROLES[login] } : {}),
        deletionPolicy: "ABANDON",
      },
      { parent, dependsOn: [previous, ...bindings] },
    );
    previous = user;
    logins[login] = { serviceAccountEmail: serviceAccount.email, username: user.name };
  }

  return {
    host: primary.privateIpAddress,
    readerHosts: replicas.map((r) => r.privateIpAddress),
    credentials: {
      kind: "gcp-iam",
      instanceConnectionName: primary.connectionName,
      replicaConnectionNames: replicas.map((r) => r.connectionName),
      logins,
    },
    monitoringTarget: {
      kind: "cloud-sql",
      project,
      primaryId: pulumi.interpolate`${project}:${primary.name}`,
      replicaIds: replicas.map((r) => pulumi.interpolate`${project}:${r.name}`),
    },
  };
}
