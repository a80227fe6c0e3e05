/**
 * Safety checks of the IndexerDatabase component's arguments: pure, one problem per bad argument, each naming the
 * argument, the value and what is allowed (`<argument>: <value> ... ; allowed: ...`). The component throws them all
 * at once before it creates anything.
 */
import { tagArgProblems } from "../cluster/validation";
import { overlaps, parseCidr } from "../network/cidr";
import type { IndexerDatabaseArgs } from "./database";
import { accountScope, iamUserProblems } from "./gcp-iam-user";

/** PostgreSQL major versions both RDS and Cloud SQL offer that the estate runs: 16 and newer. */
export const SUPPORTED_ENGINE_VERSIONS = ["16", "17"] as const;
/** Automated backups (and point-in-time recovery) keep at least a week; RDS keeps at most 35 days. */
export const MIN_BACKUP_RETENTION_DAYS = 7;
export const MAX_BACKUP_RETENTION_DAYS = 35;
export const MAX_READ_REPLICAS = 2;
/** gp3 on RDS for PostgreSQL starts at 20 GiB; both clouds stop at 64 TiB. */
export const MIN_STORAGE_GIB = 20;
export const MAX_STORAGE_GIB = 65536;
/**
 * RDS storage autoscaling needs its ceiling at least 10% above the allocated storage ("Invalid max storage size"
 * otherwise): https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
 */
export function minMaxStorageGiB(storageGiB: number): number {
  return Math.ceil((storageGiB * 11) / 10);
}
/** Names the engines keep for themselves. */
const RESERVED_DATABASE_NAMES = ["postgres", "template0", "template1", "rdsadmin", "cloudsqladmin"];
/** Private IPv4 ranges (RFC 1918 and the shared address space GKE and EKS pods may use). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseCidr(c)!);
/**
 * The longest child-name part (`-replica-1`) plus the provider's random suffix: what is left of RDS's and Cloud SQL's
 * 63 characters for the component's name.
 */
export const MAX_NAME_LENGTH = 63 - "-replica-1".length - 8;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);
const isInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);

/** The component's name becomes part of RDS identifiers and Cloud SQL instance names. */
export function databaseNameProblems(name: string): string[] {
  return /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$/.test(name) && name.length <= MAX_NAME_LENGTH
    ? []
    : [`name: ${show(name)} is not usable in RDS and Cloud SQL instance names; allowed: lowercase letters, digits and single '-', starting with a letter, at most ${MAX_NAME_LENGTH} characters`];
}

/** `db.<family>.<size>`, e.g. db.r7g.large (Aurora's db.serverless is not an RDS for PostgreSQL class). */
export const RDS_INSTANCE_CLASS = /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;

function awsClassProblems(instanceClass: string): string[] {
  if (!RDS_INSTANCE_CLASS.test(instanceClass)) {
    return [`instanceClass: ${show(instanceClass)} is not an RDS instance class; allowed: db.<family>.<size>, e.g. db.r7g.large, db.m7g.large, db.t4g.medium`];
  }
  return [];
}

/**
 * `db-custom-<vCPUs>-<memory MiB>`: 1 or an even number of vCPUs up to 96, 0.9 to 6.5 GiB per vCPU, in multiples of
 * 256 MiB and at least 3,840 MiB (Cloud SQL Enterprise's custom machine rules). Shared-core tiers have no SLA.
 */
export const CLOUD_SQL_TIER_RULE = "db-custom-<vCPUs: 1 or an even number up to 96>-<memory MiB: a multiple of 256, 0.9-6.5 GiB per vCPU, at least 3840>, e.g. db-custom-2-8192";

/** What breaks Cloud SQL's custom machine rules in `tier`; undefined for a valid tier, "" when it is no custom tier at all. */
export function cloudSqlTierFault(tier: string): string | undefined {
  const match = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (!match) return "";
  const vcpus = Number(match[1]);
  const mib = Number(match[2]);
  const problems: string[] = [];
  if (!(vcpus === 1 || (vcpus % 2 === 0 && vcpus >= 2 && vcpus <= 96))) problems.push(`${vcpus} vCPUs`);
  if (mib % 256 !== 0) problems.push(`${mib} MiB is not a multiple of 256`);
  if (mib < 3840) problems.push(`${mib} MiB is below 3840`);
  if (vcpus > 0 && (mib < vcpus * 0.9 * 1024 || mib > vcpus * 6.5 * 1024)) problems.push(`${(mib / 1024 / vcpus).toFixed(2)} GiB per vCPU`);
  return problems.length === 0 ? undefined : problems.join(", ");
}

function gcpTierProblems(tier: string): string[] {
  const fault = cloudSqlTierFault(tier);
  if (fault === undefined) return [];
  if (fault === "") return [`instanceClass: ${show(tier)} is not a Cloud SQL custom tier; allowed: ${CLOUD_SQL_TIER_RULE}`];
  return [`instanceClass: ${show(tier)} is not a valid Cloud SQL custom tier (${fault}); allowed: ${CLOUD_SQL_TIER_RULE}`];
}

function placementProblems(placement: IndexerDatabaseArgs["placement"]): string[] {
  if (placement.kind === "aws") {
    const problems: string[] = [];
    if (placement.privateSubnetIds.length < 2) {
      problems.push(`placement.privateSubnetIds: ${placement.privateSubnetIds.length} subnets; allowed: private subnets in at least 2 availability zones (an RDS subnet group needs two)`);
    }
    if (placement.clientCidrs.length === 0) problems.push("placement.clientCidrs: []; allowed: at least one private CIDR block the clients connect from");
    placement.clientCidrs.forEach((cidr, i) => {
      const parsed = parseCidr(cidr);
      const isPrivate = parsed !== undefined && PRIVATE_RANGES.some((r) => parsed.prefix >= r.prefix && overlaps(parsed, r));
      if (!isPrivate) {
        problems.push(`placement.clientCidrs[${i}]: ${show(cidr)} is not a private IPv4 CIDR block; allowed: blocks inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10`);
      }
    });
    return problems;
  }
  if (placement.kind === "gcp") {
    return [
      ...(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(placement.project) ? [] : [`placement.project: ${show(placement.project)} is not a GCP project id; allowed: 6-30 lowercase letters, digits and '-'`]),
      ...(/^[a-z]+(?:-[a-z]+)+\d+$/.test(placement.region) ? [] : [`placement.region: ${show(placement.region)} is not a GCP region; allowed: e.g. us-central1`]),
    ];
  }
  return [`placement.kind: ${show((placement as { kind?: unknown }).kind)}; allowed: "aws" or "gcp"`];
}

/** Every way `args` would make an unsafe or invalid database; [] when it is fine. */
export function databaseSafetyProblems(args: IndexerDatabaseArgs): string[] {
  const problems: string[] = [];
  const versions: readonly string[] = SUPPORTED_ENGINE_VERSIONS;
  if (!versions.includes(args.engineVersion)) {
    problems.push(`engineVersion: ${show(args.engineVersion)} is not supported; allowed: a PostgreSQL major version, 16 or newer, that both RDS and Cloud SQL offer (${versions.join(", ")})`);
  }
  if (args.placement?.kind === "aws") problems.push(...awsClassProblems(args.instanceClass));
  else if (args.placement?.kind === "gcp") problems.push(...gcpTierProblems(args.instanceClass));

  const storageOk = isInteger(args.storageGiB) && args.storageGiB >= MIN_STORAGE_GIB && args.storageGiB <= MAX_STORAGE_GIB;
  if (!storageOk) problems.push(`storageGiB: ${show(args.storageGiB)}; allowed: a whole number of GiB from ${MIN_STORAGE_GIB} to ${MAX_STORAGE_GIB}`);
  if (!isInteger(args.maxStorageGiB) || args.maxStorageGiB > MAX_STORAGE_GIB) {
    problems.push(`maxStorageGiB: ${show(args.maxStorageGiB)}; allowed: a whole number of GiB up to ${MAX_STORAGE_GIB}`);
  } else if (storageOk && args.maxStorageGiB < minMaxStorageGiB(args.storageGiB)) {
    problems.push(
      `maxStorageGiB: ${args.maxStorageGiB} is below storageGiB ${args.storageGiB} plus 10%; allowed: at least ${minMaxStorageGiB(args.storageGiB)} (the storage autoscaling ceiling must exceed the allocated storage by 10% or more)`,
    );
  }

  if (!isInteger(args.backupRetentionDays) || args.backupRetentionDays < MIN_BACKUP_RETENTION_DAYS || args.backupRetentionDays > MAX_BACKUP_RETENTION_DAYS) {
    problems.push(`backupRetentionDays: ${show(args.backupRetentionDays)}; allowed: a whole number of days from ${MIN_BACKUP_RETENTION_DAYS} to ${MAX_BACKUP_RETENTION_DAYS} (automated backups with point-in-time recovery)`);
  }
  if (!isInteger(args.readReplicas) || args.readReplicas < 0 || args.readReplicas > MAX_READ_REPLICAS) {
    problems.push(`readReplicas: ${show(args.readReplicas)}; allowed: a whole number from 0 to ${MAX_READ_REPLICAS}`);
  }
  if (typeof args.highAvailability !== "boolean") problems.push(`highAvailability: ${show(args.highAvailability)}; allowed: true or false`);
  if (typeof args.protect !== "boolean") problems.push(`protect: ${show(args.protect)}; allowed: true or false`);

  if (typeof args.databaseName !== "string" || !/^[a-z][a-z0-9_]{0,62}$/.test(args.databaseName)) {
    problems.push(`databaseName: ${show(args.databaseName)} is not a database name; allowed: 1-63 lowercase letters, digits and '_', starting with a letter`);
  } else if (RESERVED_DATABASE_NAMES.includes(args.databaseName)) {
    problems.push(`databaseName: ${show(args.databaseName)} is reserved by the engine; allowed: any other name, e.g. the indexer's`);
  }

  problems.push(...tagArgProblems("tags", (args.tags ?? {}) as Readonly<Record<string, unknown>>));
  // A prod database survives a mistaken delete and a zone outage.
  if (args.tags?.environment === "prod") {
    if (args.protect !== true) problems.push(`protect: ${show(args.protect)} in prod; allowed: true (deletion protection, pulumi protect and retain on delete)`);
    if (args.highAvailability !== true) problems.push(`highAvailability: ${show(args.highAvailability)} in prod; allowed: true (RDS Multi-AZ, Cloud SQL regional)`);
  }
  if (args.placement === undefined || args.placement === null) problems.push("placement: missing; allowed: { kind: \"aws\", ... } or { kind: \"gcp\", ... }");
  else problems.push(...placementProblems(args.placement));
  return problems;
}

/** What the component's name makes of the arguments: on GCP, the logins' IAM database users (`<account>@<project>.iam`). */
export function databaseLoginProblems(name: string, args: IndexerDatabaseArgs, scope: string = accountScope()): string[] {
  const placement = args.placement;
  if (placement?.kind !== "gcp" || placementProblems(placement).length > 0) return [];
  return iamUserProblems(name, placement.project, scope);
}

/** The name's problems and the arguments'. */
export function indexerDatabaseProblems(name: string, args: IndexerDatabaseArgs): string[] {
  return [...databaseNameProblems(name), ...databaseSafetyProblems(args), ...databaseLoginProblems(name, args)];
}
