/**
 * A local EVM chain for the indexer's tests, bench and dev command: ganache in this process, on 127.0.0.1, with
 * deterministic accounts, instant mining and a fixed genesis time, so block timestamps (and the indexer's days)
 * are the same on every run.
 */
import type { AddressInfo } from "net";

/**
 * A chain id of its own per run: Ponder caches finalised blocks per chain id (ponder_sync), and a new local chain
 * reuses block numbers with other hashes, so a shared id would make a later run on the same database read the
 * previous chain's blocks.
 */
export const localChainId = (): number => 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
/** 2026-01-01T00:00:00Z. */
export const GENESIS_TIME = 1767225600;

export interface LocalChain {
  url: string;
  chainId: number;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

export async function startChain(port = 0, chainId = localChainId()): Promise<LocalChain> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ganache = require("ganache") as typeof import("ganache");
  const server = ganache.server({
    logging: { quiet: true },
    chain: { chainId, hardfork: "shanghai", time: new Date(GENESIS_TIME * 1000) },
    wallet: { deterministic: true, totalAccounts: 8 },
    miner: { blockGasLimit: 60_000_000 },
  });
  await server.listen(port, "127.0.0.1");
  const address = (server as unknown as { address(): AddressInfo }).address();
  const url = `http://127.0.0.1:${address.port}`;
  let id = 0;
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  return { url, chainId, rpc, stop: () => server.close() };
}
