/** Reading the note contracts' logs: ranged for final blocks, by hash near the head or when a range disagrees. */
import type { Hex } from "viem";
import { finalityDepth, NoteLogReader, type RawLog } from "../../indexer/src/noteLogs";

const VAT = "0x00000000000000000000000000000000000000aa" as Hex;
const hashOf = (n: number, fork = "") => `0x${fork}${n.toString(16).padStart(64 - fork.length, "0")}` as Hex;
const hex = (n: number) => `0x${n.toString(16)}` as Hex;

/** A chain whose block n holds n % 3 logs; records every request. */
function chain(head: number, opts: { fork?: Set<number>; maxRange?: number } = {}) {
  const calls: { method: string; params?: unknown[] }[] = [];
  const logsOf = (n: number): RawLog[] =>
    Array.from({ length: n % 3 }, (_, i) => ({
      address: VAT, topics: [], data: "0x", logIndex: hex(i), transactionHash: hashOf(n * 10 + i), blockNumber: hex(n), blockHash: hashOf(n, opts.fork?.has(n) ? "f" : ""),
    }));
  const request = async (args: { method: string; params?: unknown[] }): Promise<unknown> => {
    calls.push(args);
    if (args.method === "eth_blockNumber") return hex(head);
    const [filter] = args.params as [{ blockHash?: Hex; fromBlock?: Hex; toBlock?: Hex }];
    if (filter.blockHash) return logsOf(Number(BigInt(filter.blockHash) & 0xffffffffn));
    const [from, to] = [Number(filter.fromBlock), Number(filter.toBlock)];
    if (opts.maxRange && to - from + 1 > opts.maxRange) throw new Error("range too wide");
    return Array.from({ length: to - from + 1 }, (_, i) => logsOf(from + i)).flat();
  };
  return { calls, request, logsOf };
}

const block = (n: number) => ({ number: BigInt(n), hash: hashOf(n) });
const ranged = (calls: { method: string; params?: unknown[] }[]) => calls.filter((c) => c.method === "eth_getLogs" && !(c.params as [{ blockHash?: Hex }])[0].blockHash);
const byHash = (calls: { method: string; params?: unknown[] }[]) => calls.filter((c) => c.method === "eth_getLogs" && (c.params as [{ blockHash?: Hex }])[0].blockHash);

test("final blocks come from a few ranged reads, the last 30 by hash; every block gets exactly its own logs", async () => {
  const c = chain(1000);
  const reader = new NoteLogReader([VAT], 30);
  for (let n = 0; n <= 1000; n++) expect(await reader.logs(c.request, block(n))).toEqual(c.logsOf(n));
  expect(byHash(c.calls)).toHaveLength(30);
  expect(ranged(c.calls).length).toBeLessThan(15);
  const covered = ranged(c.calls).flatMap((r) => {
    const [f] = r.params as [{ fromBlock: Hex; toBlock: Hex }];
    return [Number(f.fromBlock), Number(f.toBlock)];
  });
  expect(Math.max(...covered)).toBe(970);
});

test("a ranged log from another block hash than the block's own: that block is read by its hash", async () => {
  const c = chain(200, { fork: new Set([5]) });
  const reader = new NoteLogReader([VAT], 30);
  for (let n = 0; n <= 10; n++) await reader.logs(c.request, block(n));
  expect(byHash(c.calls).map((r) => (r.params as [{ blockHash: Hex }])[0].blockHash)).toEqual([hashOf(5)]);
});

test("an endpoint refusing wide ranges: narrower ones, and no block lost meanwhile", async () => {
  const c = chain(3000, { maxRange: 40 });
  const reader = new NoteLogReader([VAT], 65);
  for (let n = 0; n <= 2000; n++) expect(await reader.logs(c.request, block(n))).toEqual(c.logsOf(n));
  expect(byHash(c.calls).length).toBeLessThanOrEqual(2);
});

test("Ponder's finality depths: mainnet 65, an unknown chain 30", () => {
  expect(finalityDepth(1)).toBe(65);
  expect(finalityDepth(31337)).toBe(30);
});
