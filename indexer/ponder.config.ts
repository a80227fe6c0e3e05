/**
 * What the indexer reads: Maker's core contracts on one chain (addresses from src/addresses.ts), from RPC_URL (and
 * BACKFILL_RPC_URL, an archive pool, when set). Writes to PostgreSQL when DATABASE_URL is set (the schema is
 * DATABASE_SCHEMA, one per deployment), else to PGlite in PGLITE_DIRECTORY (default .ponder/pglite).
 */
import { createConfig } from "ponder";
import { clipperAbi, dogAbi, pollingAbi, spotAbi } from "./src/abis";
import { loadAddresses } from "./src/addresses";

const maker = loadAddresses();
const rpcUrl = process.env.RPC_URL;
// `ponder serve` (the read API) reads the database only.
if (!rpcUrl && !process.argv.includes("serve")) throw new Error("RPC_URL is not set: the JSON-RPC endpoint of the chain to index");
const backfill = process.env.BACKFILL_RPC_URL;
const pollingInterval = Number(process.env.POLLING_INTERVAL_MS ?? "1000");
const startBlock = maker.startBlock;

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.PGLITE_DIRECTORY ?? ".ponder/pglite" },
  chains: {
    ethereum: { id: maker.chainId, rpc: rpcUrl && backfill && backfill !== rpcUrl ? [rpcUrl, backfill] : rpcUrl, pollingInterval },
  },
  contracts: {
    Spot: { chain: "ethereum", abi: spotAbi, address: maker.spot, startBlock },
    Dog: { chain: "ethereum", abi: dogAbi, address: maker.dog, startBlock },
    Clipper: { chain: "ethereum", abi: clipperAbi, address: Object.values(maker.clippers), startBlock },
    PollingEmitter: { chain: "ethereum", abi: pollingAbi, address: maker.polling, startBlock },
  },
  // The Vat, Jug, End and Chief log anonymous notes, which no event filter matches (topic0 is a function selector):
  // a block handler reads each block's notes by block hash (src/handlers/notes.ts).
  blocks: {
    MakerNotes: { chain: "ethereum", interval: 1, startBlock },
  },
});
