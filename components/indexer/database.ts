/**
 * The indexer's PostgreSQL (16+) database: RDS on AWS or Cloud SQL on GCP, chosen by the placement. Private
 * addresses only, encrypted, automated backups of a week or more with point-in-time recovery, storage autoscaling,
 * cost tags that reach its snapshots, and a master credential the cloud manages: RDS keeps the master password in
 * Secrets Manager; Cloud SQL authenticates service accounts through IAM. No password is ever an input, so none is in
 * config, state or a plan. With `protect` (prod) it has deletion protection, Pulumi's protect and retain-on-delete,
 * and a final snapshot or backup.
 */
import * as pulumi from "@pulumi/pulumi";
import { throwIfAny } from "../cluster/validation";
import type { IndexerDatabaseTarget } from "../monitoring/targets";
import type { DatabaseLogin } from "./credentials";
import { CostTags } from "../tagging";
import { buildAwsDatabase } from "./database-aws";
import { buildGcpDatabase } from "./database-gcp";
import { indexerDatabaseProblems } from "./database-validate";

export { databaseSafetyProblems, indexerDatabaseProblems } from "./database-validate";

/** PostgreSQL's port, on RDS and Cloud SQL alike. */
export const DATABASE_PORT = 5432;

export type IndexerDatabasePlacement =
  | {
      kind: "aws";
      vpcId: pulumi.Input<string>;
      /** Private subnets in two or more availability zones. */
      privateSubnetIds: pulumi.Input<string>[];
      /** Private CIDR blocks allowed to reach port 5432 (the cluster's node and pod ranges). */
      clientCidrs: string[];
    }
  | {
      kind: "gcp";
      project: string;
      region: string;
      /** The VPC network's self link. */
      network: pulumi.Input<string>;
      /** The network's private services access connection (GcpNetwork.privateServices): Cloud SQL waits for it. */
      privateServices: pulumi.Resource;
    };

export interface IndexerDatabaseArgs {
  /** PostgreSQL major version: "16" or "17". */
  engineVersion: string;
  /** AWS: an RDS class, e.g. "db.r7g.large"; GCP: a custom tier, e.g. "db-custom-2-8192". */
  instanceClass: string;
  storageGiB: number;
  /** The storage autoscaling ceiling (RDS maxAllocatedStorage; Cloud SQL diskAutoresizeLimit). */
  maxStorageGiB: number;
  /** 7 to 35 days of automated backups, with point-in-time recovery. */
  backupRetentionDays: number;
  /** RDS Multi-AZ; Cloud SQL regional availability. Required in prod. */
  highAvailability: boolean;
  /** 0 to 2 read replicas; the read API reads from them when there are any. */
  readReplicas: number;
  databaseName: string;
  /** Deletion protection (both clouds), Pulumi protect and retain-on-delete, a final snapshot. Required in prod. */
  protect: boolean;
  tags: CostTags;
  placement: IndexerDatabasePlacement;
}

/** How clients authenticate; never a password. */
export type IndexerDatabaseCredentials =
  | {
      readonly kind: "aws-secrets-manager";
      /** The region of the database and its secret. */
      readonly region: pulumi.Output<string>;
      /** The master user. */
      readonly username: string;
      /** The RDS-managed secret (JSON `{ "username", "password" }`), rotated by RDS. */
      readonly secretArn: pulumi.Output<string>;
      /** The DbiResourceIds of the primary and its replicas: what RDS IAM authentication's policies name. */
      readonly resourceIds: pulumi.Output<string>[];
    }
  | {
      readonly kind: "gcp-iam";
      /** `project:region:instance` of the primary, for the Cloud SQL Auth Proxy. */
      readonly instanceConnectionName: pulumi.Output<string>;
      readonly replicaConnectionNames: pulumi.Output<string>[];
      /**
       * A Google service account per login (Workload Identity maps each pod's Kubernetes service account to one), and
       * its IAM database user: the admin's has `cloudsqlsuperuser`, the writer's and reader's get their role from the
       * role migration.
       */
      readonly logins: Record<DatabaseLogin, GcpLogin>;
    };

export interface GcpLogin {
  readonly serviceAccountEmail: pulumi.Output<string>;
  /** The database user: the service account's email without `.gserviceaccount.com`. */
  readonly username: pulumi.Output<string>;
}

/** What a per-cloud builder returns. */
export interface BuiltDatabase {
  readonly host: pulumi.Output<string>;
  readonly readerHosts: pulumi.Output<string>[];
  readonly credentials: IndexerDatabaseCredentials;
  readonly monitoringTarget: IndexerDatabaseTarget;
}

export class IndexerDatabase extends pulumi.ComponentResource {
  /** The primary's (writer's) private address. */
  readonly host: pulumi.Output<string>;
  /** The read replicas' private addresses; [] when there are none. */
  readonly readerHosts: pulumi.Output<string>[];
  readonly port: number;
  readonly databaseName: string;
  readonly credentials: IndexerDatabaseCredentials;
  readonly monitoringTarget: IndexerDatabaseTarget;

  constructor(name: string, args: IndexerDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("IndexerDatabase", name, indexerDatabaseProblems(name, args));
    super("estate:indexer:IndexerDatabase", name, {}, opts);
    const placement = args.placement;
    const built = placement.kind === "aws" ? buildAwsDatabase(this, name, args, placement) : buildGcpDatabase(this, name, args, placement);
    this.host = built.host;
    this.readerHosts = built.readerHosts;
    this.port = DATABASE_PORT;
    this.databaseName = args.databaseName;
    this.credentials = built.credentials;
    this.monitoringTarget = built.monitoringTarget;
    this.registerOutputs({
      costTags: args.tags,
      host: this.host,
      readerHosts: this.readerHosts,
      port: this.port,
      databaseName: this.databaseName,
      credentialsKind: this.credentials.kind,
    });
  }
}
