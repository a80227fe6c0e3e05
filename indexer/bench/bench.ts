/**
 * `npm run bench:indexer`: events per second indexed from a local chain into PostgreSQL (INDEXER_BENCH_DATABASE_URL,
 * else INDEXER_TEST_DATABASE_URL) or PGlite, next to Ponder's own loop with empty handlers on the same blocks; the
 * database's size per event, extrapolated to 1M events; and the read API's latency at 100 concurrent GraphQL
 * requests (read.ts). Prints the figures; asserts nothing.
 * BENCH_EVENTS (default 10000) sets the number of Vat notes.
 */
import * as fs from "fs";
import * as path from "path";
import { startChain } from "../scripts/chain";
import { ilkId } from "../scripts/deploy";
import { startIndexer, tempDir, waitFor, type IndexerProcess } from "../scripts/ponder";
import { Scenario, wad } from "../scripts/scenario";
import { readBench } from "./read";

const EVENTS = Number(process.env.BENCH_EVENTS ?? "10000");
const PER_TX = 250;
const databaseUrl = process.env.INDEXER_BENCH_DATABASE_URL ?? process.env.INDEXER_TEST_DATABASE_URL;

/** Seconds between Ponder's "Started backfill indexing" and "Completed backfill indexing" log lines. */
function backfillSeconds(log: string): number {
  const at = (pattern: RegExp): number => {
    const line = log.split("\n").find((l) => pattern.test(l));
    const m = line && /^(\d\d):(\d\d):(\d\d)\.(\d\d\d)/.exec(line);
    if (!m) throw new Error(`no log line ${pattern}:\n${log.slice(-2000)}`);
    return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
  };
  return (at(/Completed backfill indexing/) - at(/Started backfill indexing/)) / 1000;
}

async function run(label: string, opts: { root?: string; schema: string; rpcUrl: string; addressesFile: string; pgliteDir: string }): Promise<{ indexer: IndexerProcess; seconds: number }> {
  const indexer = await startIndexer({ ...opts, databaseUrl });
  await waitFor(indexer, "/ready", 1_800_000);
  const seconds = backfillSeconds(indexer.output());
  console.log(`${label}: ${EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)} events/s`);
  return { indexer, seconds };
}

async function schemaBytes(schema: string): Promise<number | undefined> {
  if (!databaseUrl) return undefined;
  // node-postgres, which Ponder brings.
  type PgClient = { connect(): Promise<void>; query(sql: string, params: unknown[]): Promise<{ rows: { bytes: string }[] }>; end(): Promise<void> };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require("pg") as { Client: new (opts: { connectionString: string }) => PgClient };
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const sql = "select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'm')";
  const { rows } = await client.query(sql, [schema]);
  await client.end();
  return Number(rows[0].bytes);
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

async function main(): Promise<void> {
  const chain = await startChain();
  const s = new Scenario(chain);
  await s.deploy();
  const loader = await s.d.deploy("Loader");
  const t0 = Date.now();
  for (let sent = 0, salt = 0; sent < EVENTS; sent += PER_TX, salt++) {
    await s.d.send("Loader", loader, "frobMany", [s.maker.vat, ilkId("ETH-A"), BigInt(Math.min(PER_TX, EVENTS - sent)), BigInt(salt)]);
  }
  await s.frob("ETH-A", s.people.alice, wad(1), wad(1));
  // Past Ponder's 30 unfinalised blocks, so every note is backfilled, none indexed block by block.
  for (let i = 0; i < 35; i++) await chain.rpc("evm_mine", []);
  console.log(`chain: ${EVENTS} Vat frob notes in ${Math.ceil(EVENTS / PER_TX)} transactions, ${await s.head()} blocks, built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`database: ${databaseUrl ? `PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, "//")}` : "PGlite"}`);
  const dir = tempDir("indexer-bench-");
  const addressesFile = path.join(dir, "addresses.json");
  fs.writeFileSync(addressesFile, JSON.stringify(s.maker));
  process.env.PONDER_LOG_LEVEL = "info";
  const stamp = Date.now().toString(36);

  // The first run fetches the blocks and logs into Ponder's sync cache; the two after it read them from there, so the
  // indexer's figure and the baseline it is compared with are both the handlers' work over the same cached data.
  const noopDb = path.join(dir, "noop");
  const cold = await run("Ponder, empty handlers, fetching from the chain", { root: path.join(__dirname, "noop"), schema: `bench_cold_${stamp}`, rpcUrl: chain.url, addressesFile, pgliteDir: noopDb });
  await cold.indexer.stop();
  const noop = await run("Ponder, empty handlers, cached blocks", { root: path.join(__dirname, "noop"), schema: `bench_noop_${stamp}`, rpcUrl: chain.url, addressesFile, pgliteDir: noopDb });
  await noop.indexer.stop();
  const schema = `bench_${stamp}`;
  const app = await run("indexer, cached blocks", { schema, rpcUrl: chain.url, addressesFile, pgliteDir: noopDb });
  // The figure counts only if every note became a vault.
  const count = await fetch(`${app.indexer.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ vaults { totalCount } }" }) });
  const vaults = ((await count.json()) as { data: { vaults: { totalCount: number } } }).data.vaults.totalCount;
  if (vaults !== EVENTS + 1) throw new Error(`the indexer holds ${vaults} vaults, not ${EVENTS + 1}: the run did not index every note`);
  console.log(`  ${vaults} vaults indexed (every note and the one scenario frob)`);
  console.log(`  handlers cost ${(app.seconds - noop.seconds).toFixed(2)} s over Ponder's loop (${(app.seconds / noop.seconds).toFixed(1)}x)`);
  try {
    await readBench({ databaseUrl, schema, addressesFile, rpcUrl: chain.url, worker: app.indexer });
  } finally {
    await app.indexer.stop();
  }
  const bytes = await schemaBytes(schema);
  if (bytes !== undefined) {
    console.log(`database growth: schema ${schema} ${(bytes / 1e6).toFixed(1)} MB for ${EVENTS} events = ${Math.round(bytes / EVENTS)} B/event -> ${((bytes / EVENTS) * 1e6 / 1e9).toFixed(2)} GB per 1M events (extrapolated; every note here opens a new vault, the worst case)`);
    const sync = await schemaBytes("ponder_sync");
    if (sync !== undefined) console.log(`  Ponder's sync cache (ponder_sync, shared by every run on this database): ${(sync / 1e6).toFixed(1)} MB`);
  } else {
    const bytes = dirBytes(noopDb);
    console.log(`database growth: PGlite directory ${(bytes / 1e6).toFixed(1)} MB for ${EVENTS} events, three runs' tables, the sync cache and PGlite's empty cluster together; set INDEXER_BENCH_DATABASE_URL for the schema alone`);
  }
  await chain.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
