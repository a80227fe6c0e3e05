import { indexerRoles, migrationDoneSql, roleMigrationProblems, roleMigrationSql } from "../../../components/indexer/db-roles";

const statements = (sql: string) => sql.split("\n");

describe("the indexer's database roles", () => {
  const sql = roleMigrationSql({ indexer: "mainnet-indexer", schemas: ["mainnet_indexer_blue"], cloud: "aws" });

  it("names a writer and a reader per indexer", () => {
    expect(indexerRoles("mainnet-indexer")).toEqual({
      writer: "mainnet_indexer_writer",
      reader: "mainnet_indexer_reader",
      writerLogin: "mainnet_indexer_writer_login",
      readerLogin: "mainnet_indexer_reader_login",
    });
  });

  it("creates NOLOGIN group roles and, on AWS, login roles in them, the only ones with RDS IAM, each only when missing, under an advisory lock", () => {
    expect(statements(sql)[0]).toBe("SELECT pg_advisory_xact_lock(hashtext('mainnet_indexer_writer roles'));");
    expect(sql).toContain("IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mainnet_indexer_writer') THEN CREATE ROLE mainnet_indexer_writer NOLOGIN; END IF;");
    expect(sql).toContain("IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mainnet_indexer_reader') THEN CREATE ROLE mainnet_indexer_reader NOLOGIN; END IF;");
    expect(sql).toContain("IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mainnet_indexer_writer_login') THEN CREATE ROLE mainnet_indexer_writer_login LOGIN; END IF;");
    expect(sql).toContain("ALTER ROLE mainnet_indexer_writer NOLOGIN;");
    expect(statements(sql).filter((l) => l.includes("rds_iam"))).toEqual([
      "REVOKE rds_iam FROM mainnet_indexer_writer, mainnet_indexer_reader;",
      "GRANT rds_iam TO mainnet_indexer_writer_login, mainnet_indexer_reader_login;",
    ]);
    expect(statements(sql).filter((l) => /^GRANT mainnet_indexer_\w+ TO mainnet/.test(l))).toEqual([
      "GRANT mainnet_indexer_writer TO mainnet_indexer_writer_login;",
      "GRANT mainnet_indexer_reader TO mainnet_indexer_reader_login;",
    ]);
    // The admin must act as the writer to hand it schemas and set its default privileges; never as the reader.
    expect(statements(sql).filter((l) => l.includes("CURRENT_USER"))).toEqual(["GRANT mainnet_indexer_writer TO CURRENT_USER;"]);
    expect(sql).toContain("ALTER ROLE mainnet_indexer_writer_login LOGIN;");
    expect(sql).not.toContain("cloudsqlsuperuser");
    // Kubernetes would turn `$$` into `$` in the container's environment.
    expect(sql).not.toContain("$$");
    // Every statement can run again: no bare CREATE that fails the second time.
    for (const line of statements(sql).filter((l) => /^\s*CREATE /.test(l))) expect(line).toMatch(/IF NOT EXISTS/);
  });

  it("makes the writer own the deployment's schema and gives the reader SELECT there, on later tables too, and nothing more", () => {
    expect(sql).toContain("CREATE SCHEMA IF NOT EXISTS mainnet_indexer_blue AUTHORIZATION mainnet_indexer_writer;");
    expect(sql).toContain("CREATE SCHEMA IF NOT EXISTS ponder_sync AUTHORIZATION mainnet_indexer_writer;");
    // Ponder's CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists.
    expect(sql).toContain("GRANT CREATE ON DATABASE %I TO mainnet_indexer_writer'");
    expect(sql).toContain("ALTER SCHEMA mainnet_indexer_blue OWNER TO mainnet_indexer_writer;");
    const readerGrants = statements(sql).filter((l) => / TO mainnet_indexer_reader;$/.test(l));
    expect(readerGrants).toEqual([
      "GRANT USAGE ON SCHEMA mainnet_indexer_blue TO mainnet_indexer_reader;",
      "GRANT SELECT ON ALL TABLES IN SCHEMA mainnet_indexer_blue TO mainnet_indexer_reader;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE mainnet_indexer_writer IN SCHEMA mainnet_indexer_blue GRANT SELECT ON TABLES TO mainnet_indexer_reader;",
    ]);
    expect(sql).toContain("GRANT CONNECT ON DATABASE %I TO mainnet_indexer_writer, mainnet_indexer_reader");
    expect(sql).not.toMatch(/SUPERUSER|CREATEROLE|CREATEDB|GRANT ALL|INSERT|UPDATE|DELETE/);
  });

  it("on GCP: NOLOGIN roles granted to the IAM users, created as cloudsqlsuperuser, no rds_iam", () => {
    const gcp = roleMigrationSql({ indexer: "mainnet", schemas: ["mainnet_blue"], cloud: "gcp", members: { writer: ["w-1@p.iam"], reader: ["r-1@p.iam"] } });
    expect(statements(gcp).slice(0, 2)).toEqual(["SELECT pg_advisory_xact_lock(hashtext('mainnet_writer roles'));", "SET ROLE cloudsqlsuperuser;"]);
    expect(gcp).toContain("CREATE ROLE mainnet_writer NOLOGIN;");
    expect(statements(gcp).filter((l) => /^GRANT \S+ TO "/.test(l))).toEqual(['GRANT mainnet_writer TO "w-1@p.iam";', 'GRANT mainnet_reader TO "r-1@p.iam";']);
    expect(gcp).not.toMatch(/rds_iam|_login| LOGIN/);
    expect(roleMigrationProblems({ indexer: "x", schemas: [], cloud: "gcp", members: { writer: ['a"; DROP ROLE x; --@p.iam'], reader: [] } })).toEqual([
      'members.writer: "a"; DROP ROLE x; --@p.iam" is not a Cloud SQL IAM user name (<account>@<project>.iam, at most 63 bytes)',
    ]);
  });

  it("tells a worker when its schema is set up: owned by the writer", () => {
    expect(migrationDoneSql("mainnet", "mainnet_blue")).toBe("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'mainnet_blue' AND nspowner = 'mainnet_writer'::regrole);");
    expect(() => migrationDoneSql("mainnet", "x'; --")).toThrow('role migration: schema: schema "x\'; --" is not a lowercase Postgres identifier');
  });

  it("refuses a schema that is not a plain identifier, naming it", () => {
    expect(roleMigrationProblems({ indexer: "x", schemas: ["public"], cloud: "aws" })).toEqual(['schemas: schema "public" is reserved by Postgres']);
    expect(() => roleMigrationSql({ indexer: "x", schemas: ["a; DROP"], cloud: "aws" })).toThrow('role migration: schemas: schema "a; DROP" is not a lowercase Postgres identifier');
  });
});
