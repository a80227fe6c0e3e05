/**
 * The indexer logged in as the estate's pods log in, on a real PostgreSQL (INDEXER_TEST_DATABASE_URL, a superuser's
 * URL; skipped without one, since PGlite has a single session): the role migration as an RDS-like master user, the
 * worker (`ponder start`) as the writer role and the read API (`ponder serve`) as the reader role, each with the
 * PGOPTIONS its pod sets. The local server trusts every login: what is tested is what each role may do.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { indexerRoles, readOnlyOptions, roleMigrationSql } from "../../components/indexer";
import { sessionRoleOptions } from "../../components/indexer/db-roles";
import { type LocalChain } from "../../indexer/scripts/chain";
import { startIndexer, tempDir, waitFor, waitForBlock, type IndexerProcess } from "../../indexer/scripts/ponder";
import { type Scenario } from "../../indexer/scripts/scenario";
import { psql } from "../helpers/psql";
import { chainWithVaults } from "../helpers/scenario-chain";

jest.setTimeout(240_000);

const serverUrl = process.env.INDEXER_TEST_DATABASE_URL;
const id = randomBytes(3).toString("hex");
const indexer = `logins_${id}`;
const roles = indexerRoles(indexer);
const admin = `${indexer}_admin`;
const schema = `${indexer}_blue`;
const database = `estate_logins_${id}`;


/** The server's URL for `user` on the test's database. */
function urlFor(user: string): string {
  const url = new URL(serverUrl!);
  url.username = user;
  url.password = "";
  url.pathname = `/${database}`;
  return url.toString();
}

(serverUrl ? describe : describe.skip)("the indexer under its least-privilege logins", () => {
  const dir = tempDir("indexer-logins-");
  const addressesFile = path.join(dir, "addresses.json");
  let chain: LocalChain;
  let s: Scenario;
  let worker: IndexerProcess;
  let api: IndexerProcess;
  const asSuperuser = (sql: string) => psql(urlFor(new URL(serverUrl!).username || "postgres"), sql);

  beforeAll(async () => {
    await psql(serverUrl!, `CREATE DATABASE ${database}`);
    await asSuperuser(`DO $p$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam; END IF; END $p$;
      CREATE ROLE ${admin} LOGIN CREATEROLE;
      -- 16+: the right to grant rds_iam, not its privileges (15 lets CREATEROLE grant it).
      DO $p$ BEGIN IF current_setting('server_version_num')::int >= 160000 THEN EXECUTE 'GRANT rds_iam TO ${admin} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE'; END IF; END $p$;
      ALTER DATABASE ${database} OWNER TO ${admin};`);
    await asSuperuser(`SET SESSION AUTHORIZATION ${admin}; ${roleMigrationSql({ indexer, schemas: [schema], cloud: "aws" })}`);

    ({ chain, s } = await chainWithVaults(addressesFile));
    worker = await startIndexer({ rpcUrl: chain.url, addressesFile, schema, databaseUrl: urlFor(roles.writerLogin), env: { PGOPTIONS: sessionRoleOptions(roles.writer) } });
    await waitFor(worker, "/ready", 180_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${worker.output()}`);
    });
    await waitForBlock(worker, await s.head());
    api = await startIndexer({
      rpcUrl: chain.url,
      addressesFile,
      schema,
      command: "serve",
      databaseUrl: urlFor(roles.readerLogin),
      env: { PGOPTIONS: readOnlyOptions(schema, roles.reader) },
    });
    await waitFor(api, "/health", 120_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${api.output()}`);
    });
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await chain?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (!serverUrl) return;
    await psql(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await psql(serverUrl, [roles.writerLogin, roles.readerLogin, roles.writer, roles.reader, admin].map((r) => `DROP ROLE IF EXISTS ${r};`).join("\n"));
  });

  it("indexes as the writer role, which owns every table, view and sequence Ponder made", async () => {
    const owners = await asSuperuser(`SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace IN ('${schema}'::regnamespace, 'ponder_sync'::regnamespace)`);
    expect(owners.split("\n")).toEqual([roles.writer]);
    expect(Number(await asSuperuser(`SELECT count(*) FROM pg_tables WHERE schemaname = '${schema}'`))).toBeGreaterThan(3);
  });

  it("serves from the read API as the reader role what the worker indexed", async () => {
    const ilk = async (p: IndexerProcess) => {
      const res = await fetch(`${p.url}/v1/ilks/ETH-A`);
      return { status: res.status, body: await res.json() };
    };
    const fromApi = await ilk(api);
    expect(fromApi.status).toBe(200);
    expect(fromApi).toEqual(await ilk(worker));
  });

  it("connects each as its own login role and nothing else", async () => {
    const sessions = await asSuperuser(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid() ORDER BY 1`);
    expect(sessions.split("\n")).toEqual([roles.readerLogin, roles.writerLogin].sort());
    await expect(psql(urlFor(roles.readerLogin), `SET ROLE ${roles.reader}; INSERT INTO ${schema}._ponder_meta VALUES ('x', '{}')`)).rejects.toThrow(/permission denied for table _ponder_meta/);
  });
});
