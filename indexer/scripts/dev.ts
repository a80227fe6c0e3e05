/**
 * `npm run indexer:dev`: the indexer with nothing installed. Starts a local chain (ganache, in this process), deploys
 * the test contracts, plays the scenario (vaults, a liquidation, votes, Emergency Shutdown), runs the indexer on PGlite
 * (indexer/.ponder/dev) and prints where to look. Ctrl-C stops both. `--exit` prints one answer and stops, with exit
 * code 1 when the answer has errors or no vaults (so CI runs it as a newcomer would).
 */
import * as fs from "fs";
import * as path from "path";
import { startChain } from "./chain";
import { INDEXER_ROOT, startIndexer, waitFor, waitForBlock } from "./ponder";
import { Scenario } from "./scenario";

async function main(): Promise<void> {
  const chainPort = Number(process.env.CHAIN_PORT ?? "8545");
  const chain = await startChain(chainPort, 1337);
  console.log(`local chain: ${chain.url} (chain id ${chain.chainId})`);
  const s = new Scenario(chain);
  await s.run();
  console.log(`scenario played: ${await s.head()} blocks`);
  const dir = path.join(INDEXER_ROOT, ".ponder/dev");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const addressesFile = path.join(dir, "addresses.json");
  fs.writeFileSync(addressesFile, JSON.stringify(s.maker, null, 2));
  const indexer = await startIndexer({ rpcUrl: chain.url, addressesFile, schema: "dev", pgliteDir: path.join(dir, "pglite"), port: Number(process.env.PORT ?? "42069") });
  const stop = async () => {
    await indexer.stop();
    await chain.stop();
  };
  process.on("SIGINT", () => void stop().then(() => process.exit(0)));
  try {
    await waitFor(indexer, "/ready", 300_000);
    await waitForBlock(indexer, await s.head());
  } catch (e) {
    await stop();
    throw e;
  }
  const query = "{ vaults(orderBy: \"id\") { items { ilk urn ink art debt unsafe } } auctions { items { id status takes redos } } }";
  const res = await fetch(`${indexer.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const answer = (await res.json()) as { errors?: unknown[]; data?: { vaults?: { items: unknown[] } } };
  console.log(`\nGraphQL ${query}\n${JSON.stringify(answer, null, 2)}\n`);
  console.log(`indexer on PGlite (${path.relative(process.cwd(), dir)}/pglite):`);
  console.log(`  GraphQL   ${indexer.url}/graphql   (GraphiQL in a browser)`);
  for (const route of ["/v1/ilks", "/v1/vaults", "/v1/vaults/unsafe", "/v1/auctions", "/v1/stats/daily", "/v1/stats/protocol", `/v1/addresses/${s.people.alice}/activity`]) {
    console.log(`  REST      ${indexer.url}${route}`);
  }
  console.log(`  health    ${indexer.url}/ready  ${indexer.url}/status`);
  if (process.argv.includes("--exit")) {
    await stop();
    const vaults = answer.data?.vaults?.items.length ?? 0;
    if (res.status !== 200 || answer.errors?.length || vaults === 0) throw new Error(`the GraphQL answer above is not the scenario's (HTTP ${res.status}, ${answer.errors?.length ?? 0} errors, ${vaults} vaults)`);
  } else console.log("\nCtrl-C stops the indexer and the chain.");
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
