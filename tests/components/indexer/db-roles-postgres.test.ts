/**
 * The role migration's SQL, run for real: on PGlite (PostgreSQL 16 in WebAssembly, in a child process) by default, or
 * on the server of
 * INDEXER_TEST_DATABASE_URL (a superuser's URL; each test gets a database and roles of its own, dropped after) through
 * psql, as the migration Job runs it. Logins are emulated with SET SESSION AUTHORIZATION (what a login sets) and
 * SET ROLE (what PGOPTIONS `-c role=` sets): IAM authentication cannot run here.
 */
import { spawn } from "child_process";
import { randomBytes } from "crypto";
import * as path from "path";
import { psql } from "../../helpers/psql";
import { CLOUD_SQL_SUPERUSER, PONDER_SYNC_SCHEMA, indexerRoles, migrationDoneSql, roleMigrationSql } from "../../../components/indexer/db-roles";

const SERVER_URL = process.env.INDEXER_TEST_DATABASE_URL;

/** One database, reached as its superuser. */
interface Database {
  /** Runs `sql` as one simple query (one implicit transaction, as `psql -c`), in a session of its own; the last result as `a|b` lines. */
  run(sql: string): Promise<string>;
  close(): Promise<void>;
}


async function openDatabase(): Promise<Database> {
  if (SERVER_URL) {
    const name = `estate_roles_${randomBytes(4).toString("hex")}`;
    await psql(SERVER_URL, `CREATE DATABASE ${name}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    return {
      run: (sql) => psql(url.toString(), sql),
      close: () => psql(SERVER_URL, `DROP DATABASE ${name} WITH (FORCE)`).then(() => undefined),
    };
  }
  const child = spawn(process.execPath, [path.join(__dirname, "pglite-session.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const pending = new Map<number, { resolve: (rows: string) => void; reject: (e: Error) => void }>();
  let buffer = "";
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
      const reply = JSON.parse(buffer.slice(0, at)) as { id: number; rows?: string[][]; error?: string };
      buffer = buffer.slice(at + 1);
      const waiting = pending.get(reply.id)!;
      pending.delete(reply.id);
      if (reply.error !== undefined) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply.rows!.map((row) => row.join("|")).join("\n"));
    }
  });
  let next = 0;
  return {
    run: (sql) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.stdin.write(`${JSON.stringify({ id, sql })}\n`);
      }),
    close: () => new Promise((resolve) => child.on("close", () => resolve()).stdin.end()),
  };
}

/** Runs `sql` logged in as `user`, acting as `role` when given. */
const as = (db: Database, user: string, sql: string, role?: string) => db.run(`SET SESSION AUTHORIZATION "${user}"; ${role ? `SET ROLE ${role}; ` : ""}${sql}`);
const refused = (p: Promise<unknown>) => p.then(() => "allowed", (e: Error) => e.message);

/** Roles are the server's, not the database's: unique per test, dropped after. */
function names() {
  const id = SERVER_URL ? randomBytes(3).toString("hex") : "t";
  const indexer = `idx_${id}`;
  return {
    indexer,
    ...indexerRoles(indexer),
    blue: `${indexer}_blue`,
    green: `${indexer}_green`,
    admin: `${indexer}_admin`,
    writerIam: `${indexer}-writer@project.iam`,
    readerIam: `${indexer}-reader@project.iam`,
  };
}
type Names = ReturnType<typeof names>;

/** PostgreSQL 16 changed what CREATEROLE may grant, and made a role's creator a member of it (ADMIN OPTION only). */
const serverVersion = async (db: Database) => Number(await db.run("SHOW server_version_num"));

/**
 * RDS: the master user has CREATEROLE, no superuser, and owns the database; rds_iam is a plain role. Before 16,
 * CREATEROLE may grant it; from 16 on, a non-superuser needs ADMIN OPTION on it, given here without INHERIT or SET:
 * the right to grant rds_iam, not its privileges (the master user logs in with its password).
 */
async function rds(db: Database, n: Names) {
  const admin = (await serverVersion(db)) >= 160000 ? `GRANT rds_iam TO ${n.admin} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE;` : "";
  await db.run(`DO $p$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $p$;
    CREATE ROLE ${n.admin} LOGIN CREATEROLE; ${admin}
    DO $p$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO ${n.admin}', current_database()); END $p$;`);
}

/**
 * Whether `role` is a member of `group` through memberships that confer something (INHERIT or SET): what makes RDS
 * treat a role as an rds_iam one. On 16+, the ADMIN-OPTION-only memberships of a role's creator are left out.
 */
async function memberOf(db: Database, role: string, group: string): Promise<boolean> {
  if ((await serverVersion(db)) < 160000) return (await db.run(`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}' AND pg_has_role(oid, '${group}', 'MEMBER'))`)) === "t";
  const reached = await db.run(`WITH RECURSIVE m(oid) AS (SELECT oid FROM pg_roles WHERE rolname = '${role}'
      UNION SELECT a.roleid FROM pg_auth_members a JOIN m ON a.member = m.oid WHERE a.inherit_option OR a.set_option)
    SELECT EXISTS (SELECT FROM m JOIN pg_roles g USING (oid) WHERE g.rolname = '${group}')`);
  return reached === "t";
}

/** Who is an rds_iam role (RDS then accepts only IAM tokens for it) among the admin, the group roles and the logins. */
async function iamRoles(db: Database, n: Names): Promise<string[]> {
  const roles = [n.admin, n.writer, n.reader, n.writerLogin, n.readerLogin];
  const member = await Promise.all(roles.map((r) => memberOf(db, r, "rds_iam")));
  return roles.filter((_, i) => member[i]);
}

/** Cloud SQL: cloudsqlsuperuser (CREATEROLE, owns the database); IAM users log in, the admin's a member of it only. */
async function cloudSql(db: Database, n: Names) {
  await db.run(`DO $p$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${CLOUD_SQL_SUPERUSER}') THEN CREATE ROLE ${CLOUD_SQL_SUPERUSER} NOLOGIN CREATEROLE CREATEDB; END IF; END $p$;
    CREATE ROLE ${n.admin} LOGIN; GRANT ${CLOUD_SQL_SUPERUSER} TO ${n.admin};
    CREATE ROLE "${n.writerIam}" LOGIN; CREATE ROLE "${n.readerIam}" LOGIN;
    DO $p$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO ${CLOUD_SQL_SUPERUSER}', current_database()); END $p$;`);
}

async function dropRoles(n: Names) {
  if (!SERVER_URL) return;
  const roles = [n.writerLogin, n.readerLogin, n.writer, n.reader, n.admin, `"${n.writerIam}"`, `"${n.readerIam}"`];
  await psql(SERVER_URL, roles.map((r) => `DROP ROLE IF EXISTS ${r};`).join("\n"));
}

/** What Ponder 0.16 runs on start for its schema and sync store, and an app table and view it creates later. */
const ponderStart = (schema: string) => `
  CREATE SCHEMA IF NOT EXISTS "${schema}";
  CREATE TABLE IF NOT EXISTS "${schema}"."_ponder_meta" ("key" TEXT PRIMARY KEY, "value" JSONB NOT NULL);
  CREATE SEQUENCE IF NOT EXISTS "${schema}"."_ponder_reorg_sequence" AS integer INCREMENT BY 1;
  CREATE TABLE IF NOT EXISTS "${PONDER_SYNC_SCHEMA}"."kysely_migration" ("name" varchar(255) PRIMARY KEY, "timestamp" varchar(255) NOT NULL);
  CREATE TABLE "${schema}"."vault" ("urn" text PRIMARY KEY, "ink" numeric NOT NULL);
  INSERT INTO "${schema}"."vault" VALUES ('0xabc', 42);
  CREATE VIEW "${schema}"."vault_view" AS SELECT "urn", "ink" FROM "${schema}"."vault";
  SELECT tableowner FROM pg_tables WHERE schemaname = '${schema}' AND tablename = 'vault';`;

/**
 * The roles, memberships and privileges the migration leaves (this test's roles only: other tests share the server):
 * equal after a rerun means it changed nothing.
 */
const catalog = (n: Names) => `
  SELECT string_agg(x, ' ; ' ORDER BY x) FROM (
    SELECT rolname || ' login=' || rolcanlogin || ' super=' || rolsuper || ' createrole=' || rolcreaterole AS x FROM pg_roles WHERE rolname IN ('${n.writer}', '${n.reader}', '${n.writerLogin}', '${n.readerLogin}')
    UNION ALL SELECT r.rolname || ' > ' || u.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE r.rolname IN ('${n.writer}', '${n.reader}', '${n.writerLogin}', '${n.readerLogin}', 'rds_iam', '${CLOUD_SQL_SUPERUSER}') AND (starts_with(u.rolname, '${n.indexer}') OR u.rolname = '${CLOUD_SQL_SUPERUSER}')
    UNION ALL SELECT nspname || ' ' || nspowner::regrole || ' ' || coalesce(nspacl::text, '') FROM pg_namespace WHERE nspname LIKE '${n.indexer}_%' OR nspname = '${PONDER_SYNC_SCHEMA}'
    UNION ALL SELECT 'default ' || defaclrole::regrole || ' ' || defaclnamespace::regnamespace || ' ' || defaclacl::text FROM pg_default_acl
    UNION ALL SELECT 'database ' || datacl::text FROM pg_database WHERE datname = current_database()
  ) rows;`;

/**
 * A database of its own for a describe block, set up by `setup` before its tests; closed, and the block's roles
 * dropped, after them.
 */
function freshDatabase(n: Names, setup: (db: Database) => Promise<void>): { readonly db: Database } {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openDatabase();
    await setup(db);
  });
  afterAll(async () => {
    await db?.close();
    await dropRoles(n);
  });
  return {
    get db(): Database {
      if (!db) throw new Error("the database is opened in beforeAll");
      return db;
    },
  };
}

describe("the role migration on PostgreSQL, AWS (RDS master user, login roles with rds_iam members of NOLOGIN groups)", () => {
  const n = names();
  const migration = (schema: string) => roleMigrationSql({ indexer: n.indexer, schemas: [schema], cloud: "aws" });
  // The workers' and the read API's sessions: the login role logs in (IAM token), PGOPTIONS sets the group role.
  const writer = (sql: string) => as(fresh.db, n.writerLogin, sql, n.writer);
  const reader = (sql: string) => as(fresh.db, n.readerLogin, sql, n.reader);

  const fresh = freshDatabase(n, async (db) => {
    await rds(db, n);
    await as(db, n.admin, migration(n.blue));
  });

  it("lets the writer start Ponder on its schema: it owns the schema, the sync store and what it creates there", async () => {
    expect(await as(fresh.db, n.writerLogin, migrationDoneSql(n.indexer, n.blue))).toBe("t");
    expect(await as(fresh.db, n.writerLogin, migrationDoneSql(n.indexer, n.green))).toBe("f");
    expect(await writer(ponderStart(n.blue))).toBe(n.writer);
    expect(await fresh.db.run(`SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE starts_with(rolname, '${n.indexer}_') ORDER BY 1`)).toBe(
      [`${n.admin}|t|f|t|f`, `${n.reader}|f|f|f|f`, `${n.readerLogin}|t|f|f|f`, `${n.writer}|f|f|f|f`, `${n.writerLogin}|t|f|f|f`].join("\n"),
    );
  });

  it("leaves the master user out of rds_iam (its password keeps working for the next migration): only the login roles have it", async () => {
    expect(await iamRoles(fresh.db, n)).toEqual([n.writerLogin, n.readerLogin]);
    expect(await fresh.db.run(`SELECT pg_has_role('${n.admin}', 'rds_iam', 'USAGE')`)).toBe("f");
    // 16+: SET, and MEMBER only where the admin holds no ADMIN OPTION on rds_iam (before 16).
    if ((await serverVersion(fresh.db)) >= 160000) expect(await fresh.db.run(`SELECT pg_has_role('${n.admin}', 'rds_iam', 'SET')`)).toBe("f");
    else expect(await fresh.db.run(`SELECT pg_has_role('${n.admin}', 'rds_iam', 'MEMBER')`)).toBe("f");
    // The admin acts as the group roles, never as a login.
    expect([await memberOf(fresh.db, n.admin, n.writer), await memberOf(fresh.db, n.admin, n.writerLogin), await memberOf(fresh.db, n.admin, n.readerLogin)]).toEqual([true, false, false]);
    expect([await memberOf(fresh.db, n.writerLogin, n.writer), await memberOf(fresh.db, n.readerLogin, n.reader), await memberOf(fresh.db, n.readerLogin, n.writer)]).toEqual([true, true, false]);
  });

  it("lets the reader SELECT the writer's tables and views, later ones too, and nothing else", async () => {
    expect(await reader(`SELECT urn, ink FROM ${n.blue}.vault_view`)).toBe("0xabc|42");
    expect(await reader(`SELECT count(*) FROM ${n.blue}._ponder_meta`)).toBe("0");
    expect(await refused(reader(`INSERT INTO ${n.blue}.vault VALUES ('0xdef', 1)`))).toMatch(/permission denied for table vault/);
    expect(await refused(reader(`UPDATE ${n.blue}.vault SET ink = 0`))).toMatch(/permission denied for table vault/);
    expect(await refused(reader(`DROP TABLE ${n.blue}.vault`))).toMatch(/must be owner of table vault/);
    expect(await refused(reader(`CREATE TABLE ${n.blue}.mine (x int)`))).toMatch(/permission denied for schema/);
    expect(await refused(reader(`CREATE SCHEMA ${n.indexer}_mine`))).toMatch(/permission denied for database/);
    expect(await refused(reader(`SELECT * FROM ${PONDER_SYNC_SCHEMA}.kysely_migration`))).toMatch(/permission denied for schema ponder_sync/);
    expect(await refused(reader(`SET ROLE ${n.writer}`))).toMatch(/permission denied to set role/);
  });

  it("gives the writer nothing beyond its schemas: no roles, no other owner's objects, no admin", async () => {
    await as(fresh.db, n.admin, `CREATE TABLE public.admin_only (x int)`);
    expect(await refused(writer(`SELECT * FROM public.admin_only`))).toMatch(/permission denied for table admin_only/);
    expect(await refused(writer(`CREATE ROLE ${n.indexer}_other`))).toMatch(/permission denied to create role/);
    expect(await refused(writer(`SET ROLE ${n.admin}`))).toMatch(/permission denied to set role/);
    expect(await refused(writer(`GRANT ${n.writer} TO ${n.reader}`))).toMatch(/permission denied to grant role|must have admin option/);
  });

  it("sets up a second deployment's schema (blue/green) the same way, and the reader sees both, with tables created after", async () => {
    await as(fresh.db, n.admin, migration(n.green));
    expect(await writer(ponderStart(n.green))).toBe(n.writer);
    await writer(`CREATE TABLE ${n.blue}.later (x int); INSERT INTO ${n.blue}.later VALUES (7);`);
    expect(await reader(`SELECT (SELECT ink FROM ${n.green}.vault) + (SELECT x FROM ${n.blue}.later) AS total`)).toBe("49");
  });

  it("runs again without error and changes nothing", async () => {
    const before = await fresh.db.run(catalog(n));
    expect(before).toContain(`${n.writer} login=false super=false createrole=false`);
    expect(before).toContain(`${n.writerLogin} login=true super=false createrole=false`);
    await as(fresh.db, n.admin, migration(n.blue));
    await as(fresh.db, n.admin, migration(n.green));
    expect(await fresh.db.run(catalog(n))).toBe(before);
    expect(await reader(`SELECT count(*) FROM ${n.blue}.vault`)).toBe("1");
    expect(await iamRoles(fresh.db, n)).toEqual([n.writerLogin, n.readerLogin]);
  });
});

describe("the role migration on PostgreSQL, AWS, over the earlier layout (group roles that logged in, with rds_iam)", () => {
  const n = names();
  const migration = (schema: string) => roleMigrationSql({ indexer: n.indexer, schemas: [schema], cloud: "aws" });

  const fresh = freshDatabase(n, async (db) => {
    await rds(db, n);
    // What that layout's migration left: the master user inheriting rds_iam through the writer.
    await as(db, n.admin, `CREATE ROLE ${n.writer} LOGIN; CREATE ROLE ${n.reader} LOGIN; GRANT ${n.writer} TO CURRENT_USER; GRANT rds_iam TO ${n.writer}, ${n.reader};
      CREATE SCHEMA ${n.blue} AUTHORIZATION ${n.writer};`);
  });

  it("repairs it: the group roles lose LOGIN and rds_iam, the master user leaves rds_iam, the logins get it; a rerun changes nothing", async () => {
    expect(await iamRoles(fresh.db, n)).toEqual([n.admin, n.writer, n.reader]);
    await as(fresh.db, n.admin, migration(n.blue));
    expect(await iamRoles(fresh.db, n)).toEqual([n.writerLogin, n.readerLogin]);
    expect(await fresh.db.run(`SELECT string_agg(rolname || ':' || rolcanlogin, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN ('${n.writer}', '${n.reader}')`)).toBe(`${n.reader}:false,${n.writer}:false`);
    expect(await as(fresh.db, n.writerLogin, `SET ROLE ${n.writer}; ${ponderStart(n.blue)}`)).toBe(n.writer);
    const before = await fresh.db.run(catalog(n));
    await as(fresh.db, n.admin, migration(n.blue));
    expect(await fresh.db.run(catalog(n))).toBe(before);
  });
});

describe("the role migration on PostgreSQL, GCP (cloudsqlsuperuser, IAM users granted a NOLOGIN role)", () => {
  const n = names();
  const migration = (schema: string) => roleMigrationSql({ indexer: n.indexer, schemas: [schema], cloud: "gcp", members: { writer: [n.writerIam], reader: [n.readerIam] } });
  // The workers' and the read API's sessions: the IAM user logs in, PGOPTIONS sets the role.
  const writer = (sql: string) => as(fresh.db, n.writerIam, sql, n.writer);
  const reader = (sql: string) => as(fresh.db, n.readerIam, sql, n.reader);

  const fresh = freshDatabase(n, async (db) => {
    await cloudSql(db, n);
  });

  it("runs as an IAM user that is only a member of cloudsqlsuperuser, without CREATEROLE of its own", async () => {
    expect(await fresh.db.run(`SELECT rolcreaterole FROM pg_roles WHERE rolname = '${n.admin}'`)).toBe("f");
    await as(fresh.db, n.admin, migration(n.blue));
    expect(await fresh.db.run(`SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('${n.writer}', '${n.reader}') ORDER BY 1`)).toBe(`${n.reader}|f\n${n.writer}|f`);
    expect(await fresh.db.run(`SELECT pg_has_role('${n.writerIam}', '${n.writer}', 'MEMBER') AS a, pg_has_role('${n.readerIam}', '${n.reader}', 'MEMBER') AS b, pg_has_role('${n.readerIam}', '${n.writer}', 'MEMBER') AS c`)).toBe("t|t|f");
  });

  it("lets the workers' IAM user, acting as the writer, start Ponder: the writer role owns what it creates", async () => {
    expect(await writer(migrationDoneSql(n.indexer, n.blue))).toBe("t");
    expect(await writer(ponderStart(n.blue))).toBe(n.writer);
  });

  it("lets the read API's IAM user, acting as the reader, only SELECT", async () => {
    expect(await reader(`SELECT urn FROM ${n.blue}.vault`)).toBe("0xabc");
    expect(await refused(reader(`INSERT INTO ${n.blue}.vault VALUES ('0xdef', 1)`))).toMatch(/permission denied for table vault/);
    expect(await refused(reader(`DROP VIEW ${n.blue}.vault_view`))).toMatch(/must be owner of view vault_view/);
    expect(await refused(reader(`SET ROLE ${n.writer}`))).toMatch(/permission denied to set role/);
    expect(await refused(as(fresh.db, n.readerIam, `SET ROLE ${CLOUD_SQL_SUPERUSER}`))).toMatch(/permission denied to set role/);
  });

  it("runs again without error and changes nothing", async () => {
    const before = await fresh.db.run(catalog(n));
    await as(fresh.db, n.admin, migration(n.blue));
    expect(await fresh.db.run(catalog(n))).toBe(before);
  });
});

describe("the role migration run twice at once (two deployments' Jobs starting together)", () => {
  const n = names();
  const fresh = freshDatabase(n, async (db) => {
    await rds(db, n);
  });

  it("succeeds both times: the advisory lock serialises them (on PGlite, one session: they run one after the other)", async () => {
    const run = (schema: string) => as(fresh.db, n.admin, roleMigrationSql({ indexer: n.indexer, schemas: [schema], cloud: "aws" }));
    const results = await Promise.allSettled([run(n.blue), run(n.green), run(n.blue)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(await fresh.db.run(`SELECT count(*) FROM pg_roles WHERE rolname IN ('${n.writer}', '${n.reader}')`)).toBe("2");
    expect(await fresh.db.run(`SELECT string_agg(nspname || ':' || nspowner::regrole, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname LIKE '${n.indexer}_%'`)).toBe(
      `${n.blue}:${n.writer},${n.green}:${n.writer}`.split(",").sort().join(","),
    );
  });
});
