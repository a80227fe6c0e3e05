/**
 * The write side of `npm run bench:indexer`: a local chain of BENCH_EVENTS Vat frob notes (default 10000, each opening
 * a new vault, the worst case for the store), indexed by Ponder with empty handlers (bench/noop) and by the indexer on
 * the same blocks, each timed from Ponder's own backfill log lines, BENCH_RUNS times in turn (default 3; the median
 * is the figure, the machine being shared); and the schema's size per event afterwards.
 */
import * as fs from "fs";
import * as path from "path";
import { startChain, type LocalChain } from "../scripts/chain";
import { ilkId } from "../scripts/deploy";
import { startIndexer, tempDir, waitFor, type IndexerProcess } from "../scripts/ponder";
import { Scenario, wad } from "../scripts/scenario";

export const EVENTS = Number(process.env.BENCH_EVENTS ?? "10000");
const PER_TX = 250;
const RUNS = Number(process.env.BENCH_RUNS ?? "3");
export const databaseUrl = process.env.INDEXER_BENCH_DATABASE_URL ?? process.env.INDEXER_TEST_DATABASE_URL;

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

interface Run {
  indexer: IndexerProcess;
  seconds: number;
}

async function run(label: string, opts: { root?: string; schema: string; rpcUrl: string; addressesFile: string; pgliteDir: string }): Promise<Run> {
  const indexer = await startIndexer({ ...opts, databaseUrl });
  await waitFor(indexer, "/ready", 1_800_000);
  const seconds = backfillSeconds(indexer.output());
  console.log(`${label}: ${EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)} events/s`);
  return { indexer, seconds };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function summary(label: string, seconds: number[]): number {
  const rates = seconds.map((t) => EVENTS / t);
  const m = median(seconds);
  console.log(`${label}: median ${m.toFixed(2)} s = ${Math.round(EVENTS / m)} events/s over ${seconds.length} runs (${Math.round(Math.min(...rates))}-${Math.round(Math.max(...rates))})`);
  return m;
}

async function vaultCount(indexer: IndexerProcess): Promise<number> {
  const res = await fetch(`${indexer.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ vaults { totalCount } }" }) });
  return ((await res.json()) as { data: { vaults: { totalCount: number } } }).data.vaults.totalCount;
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

export interface WriteBench {
  /** The indexer that ran last, still serving its data (stop it when done). */
  app: IndexerProcess;
  /** The last run's schema, address book and chain, for the read bench. */
  schema: string;
  addressesFile: string;
  rpcUrl: string;
  /** Prints the database growth per event; after `app` stopped. */
  growth(): Promise<void>;
  close(): Promise<void>;
}

async function buildChain(): Promise<{ chain: LocalChain; addressesFile: string; dir: string }> {
  const chain = await startChain();
  const s = new Scenario(chain);
  await s.deploy();
  const loader = await s.d.deploy("Loader");
  const t0 = Date.now();
  for (let sent = 0, salt = 0; sent < EVENTS; sent += PER_TX, salt++) {
    await s.d.send("Loader", loader, "frobMany", [s.maker.vat, ilkId("ETH-A"), BigInt(Math.min(PER_TX, EVENTS - sent)), BigInt(salt)]);
  }
  await s.frob("ETH-A", s.people.alice, wad(1), wad(1));
  // Past twice Ponder's 30 unfinalised blocks: every note is backfilled and read with ranged eth_getLogs (the note
  // reader reads by hash what Ponder may still revert), as in a backfill of a long chain, where those blocks are few.
  for (let i = 0; i < 65; i++) await chain.rpc("evm_mine", []);
  console.log(`chain: ${EVENTS} Vat frob notes in ${Math.ceil(EVENTS / PER_TX)} transactions, ${await s.head()} blocks, built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const dir = tempDir("indexer-bench-");
  const addressesFile = path.join(dir, "addresses.json");
  fs.writeFileSync(addressesFile, JSON.stringify(s.maker));
  return { chain, addressesFile, dir };
}

export async function writeBench(): Promise<WriteBench> {
  if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 20) throw new Error(`BENCH_RUNS=${process.env.BENCH_RUNS}: must be a whole number from 1 to 20`);
  const { chain, addressesFile, dir } = await buildChain();
  console.log(`database: ${databaseUrl ? `PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, "//")}` : "PGlite"}`);
  process.env.PONDER_LOG_LEVEL = "info";
  const stamp = Date.now().toString(36);

  // The first run fetches the blocks into Ponder's sync cache; the two after it read them from there, so the
  // indexer's figure and the baseline it is compared with are both the handlers' work over the same cached blocks.
  // The notes are no Ponder source, so the indexer reads them from the chain in every run (ranged eth_getLogs).
  const pgliteDir = path.join(dir, "noop");
  const noopRoot = path.join(__dirname, "noop");
  const cold = await run("Ponder, empty handlers, fetching from the chain", { root: noopRoot, schema: `bench_cold_${stamp}`, rpcUrl: chain.url, addressesFile, pgliteDir });
  await cold.indexer.stop();
  const noops: number[] = [];
  const apps: number[] = [];
  let app: Run | undefined;
  let schema = "";
  for (let i = 0; i < RUNS; i++) {
    await app?.indexer.stop();
    const noop = await run("Ponder, empty handlers, cached blocks", { root: noopRoot, schema: `bench_noop_${stamp}_${i}`, rpcUrl: chain.url, addressesFile, pgliteDir });
    await noop.indexer.stop();
    noops.push(noop.seconds);
    schema = `bench_${stamp}_${i}`;
    app = await run("indexer, cached blocks, notes read from the chain", { schema, rpcUrl: chain.url, addressesFile, pgliteDir });
    apps.push(app.seconds);
    // A figure counts only if every note became a vault.
    const vaults = await vaultCount(app.indexer);
    if (vaults !== EVENTS + 1) {
      await app.indexer.stop();
      throw new Error(`the indexer holds ${vaults} vaults, not ${EVENTS + 1}: the run did not index every note`);
    }
  }
  console.log(`  ${EVENTS + 1} vaults indexed in each run (every note and the one scenario frob)`);
  const noop = summary("Ponder, empty handlers, cached blocks", noops);
  const indexed = summary("indexer", apps);
  console.log(`  handlers cost ${(indexed - noop).toFixed(2)} s over Ponder's loop (${(indexed / noop).toFixed(1)}x), medians`);

  return {
    app: app!.indexer,
    schema,
    addressesFile,
    rpcUrl: chain.url,
    growth: async () => {
      const bytes = await schemaBytes(schema);
      if (bytes !== undefined) {
        console.log(`database growth: schema ${schema} ${(bytes / 1e6).toFixed(1)} MB for ${EVENTS} events = ${Math.round(bytes / EVENTS)} B/event -> ${((bytes / EVENTS) * 1e6 / 1e9).toFixed(2)} GB per 1M events (extrapolated; every note here opens a new vault, the worst case)`);
        const sync = await schemaBytes("ponder_sync");
        if (sync !== undefined) console.log(`  Ponder's sync cache (ponder_sync, shared by every run on this database): ${(sync / 1e6).toFixed(1)} MB`);
      } else {
        console.log(`database growth: PGlite directory ${(dirBytes(pgliteDir) / 1e6).toFixed(1)} MB for ${EVENTS} events, three runs' tables, the sync cache and PGlite's empty cluster together; set INDEXER_BENCH_DATABASE_URL for the schema alone`);
      }
    },
    close: async () => {
      await chain.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
