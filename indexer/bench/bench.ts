/**
 * `npm run bench:indexer`: events per second indexed from a local chain into PostgreSQL (INDEXER_BENCH_DATABASE_URL,
 * else INDEXER_TEST_DATABASE_URL) or PGlite, next to Ponder's own loop with empty handlers on the same blocks; the
 * database's size per event, extrapolated to 1M events; and the read API's latency at 100 concurrent GraphQL
 * requests (a load generator on loopback, bounded in count and time). Prints the figures; asserts nothing.
 * BENCH_EVENTS (default 10000) sets the number of Vat notes. The write side is bench/write.ts.
 */
import { writeBench } from "./write";

const CONCURRENCY = 100;
const REQUESTS = 3000;
const LOAD_SECONDS = 60;

async function load(url: string): Promise<void> {
  const body = JSON.stringify({ query: '{ vaults(where: { ilk: "ETH-A" }, limit: 100, orderBy: "id") { items { urn ink art debt unsafe } } }' });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = Date.now() + LOAD_SECONDS * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS && Date.now() < deadline) {
        next++;
        const t0 = performance.now();
        const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  console.log(`read API: ${latencies.length} GraphQL requests, ${CONCURRENCY} concurrent, in ${seconds.toFixed(1)} s (${Math.round(latencies.length / seconds)}/s), ${errors} errors`);
  console.log(`  latency p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
}

async function main(): Promise<void> {
  const write = await writeBench();
  try {
    await load(write.app.url);
  } finally {
    await write.app.stop();
  }
  await write.growth();
  await write.close();
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
