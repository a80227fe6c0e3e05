/**
 * `npm run bench:indexer`: events per second indexed from a local chain into PostgreSQL (INDEXER_BENCH_DATABASE_URL,
 * else INDEXER_TEST_DATABASE_URL) or PGlite, next to Ponder's own loop with empty handlers on the same blocks; the
 * database's size per event, extrapolated to 1M events; and the read API's latency at 100 concurrent GraphQL
 * requests (read.ts). Prints the figures; asserts nothing.
 * BENCH_EVENTS (default 10000) sets the number of Vat notes. The write side is bench/write.ts.
 */
import { readBench } from "./read";
import { databaseUrl, writeBench } from "./write";

async function main(): Promise<void> {
  const write = await writeBench();
  try {
    await readBench({ databaseUrl, schema: write.schema, addressesFile: write.addressesFile, rpcUrl: write.rpcUrl, worker: write.app });
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
