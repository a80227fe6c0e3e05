/**
 * The read half of `npm run bench:indexer`: the read API's latency at 100 concurrent GraphQL requests, with the load
 * generator in a process of its own (keep-alive sockets on loopback), against the read API as production runs it —
 * `ponder serve` in its own process on PostgreSQL — or, on PGlite (which `ponder serve` cannot read), the worker's.
 *
 * Two workloads: the same `vaults` query over and over (what a dashboard's viewers send), and as many distinct
 * queries as requests (pages of `vaults`, unsafe urns, auctions, activity, daily stats), which no cache answers.
 *
 * Alone, on a schema a worker already filled:
 *   DATABASE_URL=... DATABASE_SCHEMA=... MAKER_ADDRESSES=addresses.json npm run bench:indexer:read
 */
import { spawn } from "child_process";
import * as http from "http";
import * as path from "path";
import { startIndexer, waitFor, type IndexerProcess } from "../scripts/ponder";
import { DEFAULT_CACHE_MB } from "../src/api/cache-size";

export const CONCURRENCY = 100;
const REQUESTS = 3000;
const WARMUP = 1000;
const LOAD_SECONDS = 60;

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Milliseconds, sorted. */
  latencies: number[];
  /** Responses that said the read API's cache answered them (x-cache: hit). */
  hits: number;
}

/** The same query every time: 100 vaults of one ilk. */
export const SAME_QUERY = '{ vaults(where: { ilk: "ETH-A" }, limit: 100, orderBy: "id") { items { urn ink art debt unsafe } } }';

/** The i-th of many distinct queries over the consumers' views. */
export function distinctQuery(i: number): string {
  const n = Math.floor(i / 5);
  const views = [
    `{ vaults(where: { ilk: "ETH-A" }, limit: 100, offset: ${n}, orderBy: "id") { items { urn ink art debt unsafe } } }`,
    `{ vaults(where: { unsafe: true }, limit: 100, offset: ${n}, orderBy: "id") { items { urn ilk ink art } } }`,
    `{ auctions(where: { status: "active" }, limit: 100, offset: ${n}) { items { id ilk tab lot } } }`,
    `{ activityEvents(where: { address: "0x${n.toString(16).padStart(40, "0")}" }, orderBy: "blockNumber", orderDirection: "desc", limit: 100) { items { kind ilk detail blockNumber } } }`,
    `{ dailyIlkStats(where: { ilk: "ETH-A" }, orderBy: "day", limit: 100, offset: ${n}) { items { day ink art debt fees } } }`,
  ];
  return views[i % views.length];
}

export interface Load {
  url: string;
  /** Sent once each first, not measured: the generator's own JIT and sockets warm up, and the server's. */
  warmup: string[];
  bodies: string[];
  requests: number;
  concurrency: number;
  seconds: number;
}

/** Runs in the load generator's own process: the warm-up, then `bodies` round-robin over `concurrency` keep-alive sockets. */
async function generate(load: Load): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: load.concurrency });
  const target = new URL(`${load.url}/graphql`);
  const post = (body: string) =>
    new Promise<{ status: number; hit: boolean }>((resolve, reject) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => resolve({ status: res.statusCode ?? 0, hit: res.headers["x-cache"] === "hit" }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const phase = async (bodies: string[], requests: number): Promise<LoadResult> => {
    const latencies: number[] = [];
    let errors = 0;
    let hits = 0;
    let next = 0;
    const deadline = Date.now() + load.seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: load.concurrency }, async () => {
        while (next < requests && Date.now() < deadline) {
          const body = bodies[next++ % bodies.length];
          const t0 = performance.now();
          try {
            const res = await post(body);
            if (res.status !== 200) errors++;
            if (res.hit) hits++;
          } catch {
            errors++;
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return { requests: latencies.length, errors, hits, seconds: (performance.now() - started) / 1000, latencies };
  };
  await phase(load.warmup, load.warmup.length);
  const result = await phase(load.bodies, load.requests);
  agent.destroy();
  return result;
}

/** Starts the load generator as a child process (so it shares neither this process's event loop nor the server's). */
export function load(url: string, warmup: string[], bodies: string[], requests = REQUESTS, concurrency = CONCURRENCY, seconds = LOAD_SECONDS): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", require.resolve("@swc-node/register"), __filename, "--generate"], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}: ${out}`))));
    child.stdin!.end(JSON.stringify({ url, warmup, bodies, requests, concurrency, seconds } satisfies Load));
  });
}

export function report(label: string, r: LoadResult): void {
  const q = (p: number) => r.latencies[Math.min(r.latencies.length - 1, Math.floor(p * r.latencies.length))].toFixed(1);
  console.log(`read API, ${label}: ${r.requests} GraphQL requests, ${CONCURRENCY} concurrent, in ${r.seconds.toFixed(1)} s (${Math.round(r.requests / r.seconds)}/s), ${r.errors} errors, ${r.hits} cache hits`);
  console.log(`  latency p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${r.latencies[r.latencies.length - 1].toFixed(1)} ms`);
}

/** Both workloads against `url`. */
export async function loadBoth(url: string): Promise<void> {
  const bodies = (queries: string[]) => queries.map((query) => JSON.stringify({ query }));
  // Each warm-up is the measured workload's kind: the same query, or other distinct queries (none measured later).
  const same = bodies([SAME_QUERY]);
  report("the same vaults query", await load(url, Array(WARMUP).fill(same[0]), same));
  const distinct = (from: number) => bodies(Array.from({ length: REQUESTS }, (_, i) => distinctQuery(from + i)));
  report(`${REQUESTS} distinct queries`, await load(url, distinct(REQUESTS * 5).slice(0, WARMUP), distinct(0)));
}

export interface ReadBenchOptions {
  /** PostgreSQL: the read API is `ponder serve` on its own; without it, the worker at workerUrl answers. */
  databaseUrl?: string;
  schema: string;
  addressesFile: string;
  rpcUrl: string;
  /** The worker that filled the schema: it answers on PGlite; on PostgreSQL it is stopped first (it runs elsewhere in production). */
  worker?: IndexerProcess;
}

export async function readBench(opts: ReadBenchOptions): Promise<void> {
  if (!opts.databaseUrl) {
    if (!opts.worker) throw new Error("read bench: PGlite needs the worker that holds it");
    console.log("read API: PGlite, which `ponder serve` cannot read: the worker's own process answers");
    await loadBoth(opts.worker.url);
    return;
  }
  await opts.worker?.stop();
  for (const cacheMb of ["0", String(DEFAULT_CACHE_MB)]) {
    const api = await startIndexer({ command: "serve", databaseUrl: opts.databaseUrl, schema: opts.schema, addressesFile: opts.addressesFile, rpcUrl: opts.rpcUrl, env: { API_CACHE_MB: cacheMb } });
    try {
      await waitFor(api, "/ready", 120_000);
      console.log(`read API: \`ponder serve\` in its own process (as the stacks run it) on the worker's schema, API_CACHE_MB=${cacheMb}${cacheMb === "0" ? " (no response cache)" : ""}`);
      await loadBoth(api.url);
    } finally {
      await api.stop();
    }
  }
}

async function generatorMain(): Promise<void> {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  process.stdout.write(JSON.stringify(await generate(JSON.parse(input) as Load)));
}

async function standaloneMain(): Promise<void> {
  const need = (name: string) => process.env[name] ?? (console.error(`${name} is not set (see indexer/bench/read.ts)`), process.exit(2));
  await readBench({ databaseUrl: need("DATABASE_URL"), schema: need("DATABASE_SCHEMA"), addressesFile: path.resolve(need("MAKER_ADDRESSES")), rpcUrl: "http://127.0.0.1:1" });
}

if (require.main === module) {
  (process.argv.includes("--generate") ? generatorMain() : standaloneMain()).catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
