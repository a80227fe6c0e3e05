/**
 * The indexer's database roles, least privilege: the workers write as `<indexer>_writer`, which owns each deployment's
 * schema; the read API reads as `<indexer>_reader`, which may only SELECT in them (also from tables created later).
 * Created by a migration the workers run before they start (an init container with the admin login), as idempotent
 * SQL, so no role is ever made by hand. On AWS both may log in with RDS IAM authentication (`rds_iam`).
 */
import { schemaProblems, snakeCase } from "./schema";

export interface IndexerRoles {
  readonly writer: string;
  readonly reader: string;
}

export function indexerRoles(indexer: string): IndexerRoles {
  const base = snakeCase(indexer);
  return { writer: `${base}_writer`, reader: `${base}_reader` };
}

export interface RoleMigrationInput {
  readonly indexer: string;
  /** Every deployment's schema. */
  readonly schemas: readonly string[];
  readonly cloud: "aws" | "gcp";
}

/** Why the migration cannot be written; [] when it can. */
export function roleMigrationProblems(input: RoleMigrationInput): string[] {
  const roles = indexerRoles(input.indexer);
  return [
    ...schemaProblems("indexer", roles.writer),
    ...schemaProblems("indexer", roles.reader),
    ...input.schemas.flatMap((s) => schemaProblems("schemas", s)),
  ];
}

/**
 * The migration, one transaction (psql -c): serialised by an advisory lock, since every worker pod runs it. Tagged
 * dollar quotes only: Kubernetes turns `$$` into `$` in container environment values.
 */
export function roleMigrationSql(input: RoleMigrationInput): string {
  const problems = roleMigrationProblems(input);
  if (problems.length > 0) throw new Error(`role migration: ${problems.join("; ")}`);
  const { writer, reader } = indexerRoles(input.indexer);
  const createRole = (role: string) => `  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF;`;
  return [
    `SELECT pg_advisory_xact_lock(hashtext('${writer} roles'));`,
    "DO $roles$ BEGIN",
    createRole(writer),
    createRole(reader),
    `  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${writer}, ${reader}', current_database());`,
    "END $roles$;",
    // The admin must be a member to hand its schemas over and to set the writer's default privileges, and of the
    // reader to act as it (the read API's sessions SET ROLE to it).
    `GRANT ${writer}, ${reader} TO CURRENT_USER;`,
    ...(input.cloud === "aws" ? [`GRANT rds_iam TO ${writer}, ${reader};`] : []),
    ...input.schemas.flatMap((schema) => [
      `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${writer};`,
      `ALTER SCHEMA ${schema} OWNER TO ${writer};`,
      `GRANT USAGE ON SCHEMA ${schema} TO ${reader};`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader};`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${writer} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${reader};`,
    ]),
  ].join("\n");
}
