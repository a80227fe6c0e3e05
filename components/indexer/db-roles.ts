/**
 * The indexer's database roles, least privilege: the workers write as `<indexer>_writer`, which owns each deployment's
 * schema (and Ponder's sync store); the read API reads as `<indexer>_reader`, which may only SELECT in the deployments'
 * schemas, also from tables created later. Created by a migration Job with the admin login (migration.ts), as
 * idempotent SQL, so no role is ever made by hand.
 *
 * Both are NOLOGIN group roles; the workers' and the read API's logins are granted one each, and their sessions
 * `SET ROLE` to it on connect (PGOPTIONS), so what the workers create is owned by the writer role, not by a login.
 *
 * - AWS: the logins are `<indexer>_writer_login` and `<indexer>_reader_login`, the only roles granted `rds_iam` (IAM
 *   auth tokens only, no password). The admin (the RDS master user) is a member of the group roles, so `rds_iam` must
 *   never be on them: RDS then accepts only IAM tokens for every role that inherits it, and the master user's
 *   password would stop working for the next migration.
 * - GCP: the logins are the workers' and the read API's Cloud SQL IAM users.
 */
import { POSTGRES_IDENTIFIER_MAX_BYTES, schemaProblems, snakeCase } from "./schema";

export interface IndexerRoles {
  /** The group roles: the owner of the schemas, and the SELECT-only reader. */
  readonly writer: string;
  readonly reader: string;
  /** AWS: the roles the workers and the read API log in as (rds_iam), members of the writer's and the reader's. */
  readonly writerLogin: string;
  readonly readerLogin: string;
}

export function indexerRoles(indexer: string): IndexerRoles {
  const base = snakeCase(indexer);
  return { writer: `${base}_writer`, reader: `${base}_reader`, writerLogin: `${base}_writer_login`, readerLogin: `${base}_reader_login` };
}

/**
 * Cloud SQL's admin role. Role attributes are not inherited, and an IAM user granted it may lack CREATEROLE of its
 * own: the migration acts as the role itself, which has it (and owns the database).
 */
export const CLOUD_SQL_SUPERUSER = "cloudsqlsuperuser";
/** Ponder's sync store (its RPC cache), shared by the deployments: Ponder creates it unless it exists. */
export const PONDER_SYNC_SCHEMA = "ponder_sync";
/** A Cloud SQL IAM user, `<account>@<project>.iam`: quoted in SQL, so only these characters. */
const IAM_USER = /^[a-z0-9][a-z0-9._-]*@[a-z0-9][a-z0-9.-]*\.iam$/;

export interface RoleMigrationInput {
  readonly indexer: string;
  /** The deployments' schemas this run sets up. */
  readonly schemas: readonly string[];
  readonly cloud: "aws" | "gcp";
  /** Database users granted the writer's and the reader's role (GCP's IAM users); none on AWS. */
  readonly members?: { readonly writer: readonly string[]; readonly reader: readonly string[] };
}

/** Why the migration cannot be written; [] when it can. */
export function roleMigrationProblems(input: RoleMigrationInput): string[] {
  const roles = indexerRoles(input.indexer);
  const memberProblems = (["writer", "reader"] as const).flatMap((role) =>
    (input.members?.[role] ?? [])
      .filter((m) => !IAM_USER.test(m) || Buffer.byteLength(m, "utf8") > POSTGRES_IDENTIFIER_MAX_BYTES)
      .map((m) => `members.${role}: "${m}" is not a Cloud SQL IAM user name (<account>@<project>.iam, at most ${POSTGRES_IDENTIFIER_MAX_BYTES} bytes)`),
  );
  return [
    ...Object.values(roles).flatMap((role) => schemaProblems("indexer", role)),
    ...input.schemas.flatMap((s) => schemaProblems("schemas", s)),
    ...memberProblems,
  ];
}

/**
 * The migration, one transaction (psql -c): serialised by an advisory lock, since each deployment's Job runs it and
 * two may run at once. Tagged dollar quotes only: Kubernetes turns `$$` into `$` in container environment values.
 */
export function roleMigrationSql(input: RoleMigrationInput): string {
  const problems = roleMigrationProblems(input);
  if (problems.length > 0) throw new Error(`role migration: ${problems.join("; ")}`);
  const { writer, reader, writerLogin, readerLogin } = indexerRoles(input.indexer);
  const aws = input.cloud === "aws";
  // ALTER ROLE too: an earlier layout made the group roles log in themselves, with rds_iam.
  const ensureRole = (role: string, login: "LOGIN" | "NOLOGIN") => [
    `  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} ${login}; END IF;`,
    `  ALTER ROLE ${role} ${login};`,
  ];
  const ownedSchema = (schema: string) => [`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${writer};`, `ALTER SCHEMA ${schema} OWNER TO ${writer};`];
  const grantTo = (role: string, members: readonly string[]) => members.map((m) => `GRANT ${role} TO "${m}";`);
  return [
    `SELECT pg_advisory_xact_lock(hashtext('${writer} roles'));`,
    ...(input.cloud === "gcp" ? [`SET ROLE ${CLOUD_SQL_SUPERUSER};`] : []),
    "DO $roles$ BEGIN",
    ...ensureRole(writer, "NOLOGIN"),
    ...ensureRole(reader, "NOLOGIN"),
    ...(aws ? [...ensureRole(writerLogin, "LOGIN"), ...ensureRole(readerLogin, "LOGIN")] : []),
    `  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${writer}, ${reader}', current_database());`,
    // Ponder runs CREATE SCHEMA IF NOT EXISTS on its schema, which Postgres checks for CREATE before it looks.
    `  EXECUTE format('GRANT CREATE ON DATABASE %I TO ${writer}', current_database());`,
    "END $roles$;",
    // The admin must be a member to hand schemas to the writer and to set the writer's default privileges.
    `GRANT ${writer} TO CURRENT_USER;`,
    ...(aws
      ? [
          // Never on a role the admin is a member of (RDS would refuse the admin's password): the repair of that layout.
          `REVOKE rds_iam FROM ${writer}, ${reader};`,
          `GRANT ${writer} TO ${writerLogin};`,
          `GRANT ${reader} TO ${readerLogin};`,
          `GRANT rds_iam TO ${writerLogin}, ${readerLogin};`,
        ]
      : []),
    ...grantTo(writer, input.members?.writer ?? []),
    ...grantTo(reader, input.members?.reader ?? []),
    ...ownedSchema(PONDER_SYNC_SCHEMA),
    ...input.schemas.flatMap((schema) => [
      ...ownedSchema(schema),
      `GRANT USAGE ON SCHEMA ${schema} TO ${reader};`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader};`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${writer} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${reader};`,
    ]),
  ].join("\n");
}

/** `t` once the migration has set up `schema` (the writer owns it): what a worker waits for before it starts. */
export function migrationDoneSql(indexer: string, schema: string): string {
  const problems = schemaProblems("schema", schema);
  if (problems.length > 0) throw new Error(`role migration: ${problems.join("; ")}`);
  return `SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = '${schema}' AND nspowner = '${indexerRoles(indexer).writer}'::regrole);`;
}

/** Session defaults of a login that acts as one of the indexer's roles (libpq's and node-postgres' PGOPTIONS). */
export function sessionRoleOptions(role: string): string {
  return `-c role=${role}`;
}
