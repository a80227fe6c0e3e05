/** Reading the note contracts' logs: ranged for final blocks, by hash near the head or when a range disagrees. */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { bytesToHex, HttpRequestError, LimitExceededRpcError, RpcRequestError, TimeoutError, type Hex } from "viem";
import { bloomBits } from "../../indexer/src/bloom";
import { finalityDepth, NoteLogReader, type RawLog } from "../../indexer/src/noteLogs";

const VAT = "0x00000000000000000000000000000000000000aa" as Hex;
const hashOf = (n: number, fork = "") => `0x${fork}${n.toString(16).padStart(64 - fork.length, "0")}` as Hex;
const hex = (n: number) => `0x${n.toString(16)}` as Hex;
type Call = { method: string; params?: unknown[] };
type Filter = { blockHash?: Hex; fromBlock?: Hex; toBlock?: Hex };

/** A 2048-bit logs bloom holding the given items. */
function bloomOf(items: Hex[]): Hex {
  const bytes = new Uint8Array(256);
  for (const item of items) for (const bit of bloomBits(item)) bytes[255 - (bit >> 3)]! |= 1 << (bit & 7);
  return bytesToHex(bytes);
}

interface Opts {
  /** Logs carry a forked hash while the block the handler gets does not. */
  fork?: Set<number>;
  /** Blocks whose bloom holds the Vat's bits although they have no log of it. */
  noisy?: Set<number>;
  /** Ranged answers silently stop at this block (a node behind). */
  clampTo?: number;
  /** Ranged answers silently keep only this many logs. */
  cap?: number;
  /** Ranged answers are those of the range this many blocks later. */
  shift?: number;
  /** An error for the k-th ranged call (from 1), thrown instead of answering. */
  refuse?: (k: number, from: number, to: number, logs: number) => Error | undefined;
  logCount?: (n: number) => number;
}

/** A chain whose block n holds n % 3 logs (unless told otherwise); records every request. */
function chain(head: number, opts: Opts = {}) {
  const calls: Call[] = [];
  /** Per ranged call answered, the hash of its last block with logs (read by hash: the answer may be cut there). */
  const tails: Hex[] = [];
  let refused = 0;
  const tags = new Map<number, string>();
  let logCount = opts.logCount ?? ((n: number) => n % 3);
  const hashOfBlock = (n: number) => hashOf(n, tags.get(n) ?? "");
  const logsOf = (n: number): RawLog[] =>
    Array.from({ length: logCount(n) }, (_, i) => ({
      address: VAT, topics: [], data: "0x", logIndex: hex(i), transactionHash: hashOf(n * 100 + i, tags.get(n) ?? ""), blockNumber: hex(n), blockHash: opts.fork?.has(n) ? hashOf(n, "f") : hashOfBlock(n),
    }));
  const block = (n: number) => ({ number: BigInt(n), hash: hashOfBlock(n), logsBloom: bloomOf(logCount(n) > 0 || opts.noisy?.has(n) ? [VAT] : []) });
  let k = 0;
  const request = async (args: Call): Promise<unknown> => {
    calls.push(args);
    if (args.method === "eth_blockNumber") return hex(head);
    const [filter] = args.params as [Filter];
    if (filter.blockHash) return logsOf(Number(BigInt(filter.blockHash) & 0xffffffffn));
    const from = Number(filter.fromBlock) + (opts.shift ?? 0);
    const to = Math.min(Number(filter.toBlock) + (opts.shift ?? 0), opts.clampTo ?? Infinity);
    const all = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => logsOf(from + i)).flat();
    const error = opts.refuse?.(++k, from, to, all.length);
    if (error) {
      refused++;
      throw error;
    }
    const answer = opts.cap === undefined ? all : all.slice(0, opts.cap);
    if (answer.length && !opts.shift) tails.push(answer.at(-1)!.blockHash);
    return answer;
  };
  /** Blocks from..to replaced by others holding count(n) logs. */
  const reorg = (from: number, to: number, tag: string, count: (n: number) => number) => {
    for (let n = from; n <= to; n++) tags.set(n, tag);
    const before = logCount;
    logCount = (n) => (n >= from && n <= to ? count(n) : before(n));
  };
  return { calls, tails, refused: () => refused, request, logsOf, block, reorg, hashOfBlock };
}

const ranged = (calls: Call[]) => calls.filter((c) => c.method === "eth_getLogs" && !(c.params as [Filter])[0].blockHash).map((c) => (c.params as [Filter])[0]);
const byHash = (calls: Call[]) => calls.filter((c) => c.method === "eth_getLogs" && (c.params as [Filter])[0].blockHash).map((c) => (c.params as [Filter])[0].blockHash!);
const sorted = (hashes: Hex[]) => [...hashes].sort();
const rpcError = (code: number, message: string) => new RpcRequestError({ body: {}, url: "http://node", error: { code, message } });

/** Until every answer that came has been handled (each answer's last block is read by hash when it comes). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

async function readAll(c: ReturnType<typeof chain>, reader: NoteLogReader, upTo: number): Promise<void> {
  for (let n = 0; n <= upTo; n++) expect(await reader.logs(c.request, c.block(n))).toEqual(c.logsOf(n));
  await settled();
}

test("final blocks come from a few ranged reads, the last twice the depth (60) and each answer's last block by hash; every block gets exactly its own logs", async () => {
  const c = chain(1000);
  await readAll(c, new NoteLogReader([VAT], 30), 1000);
  const head = Array.from({ length: 60 }, (_, i) => hashOf(941 + i));
  expect(sorted(byHash(c.calls))).toEqual(sorted([...c.tails, ...head]));
  expect(ranged(c.calls).length).toBeLessThan(15);
  expect(Math.max(...ranged(c.calls).map((f) => Number(f.toBlock)))).toBe(940);
});

test("a ranged log from another block hash than the block's own: that block is read by its hash", async () => {
  const c = chain(200, { fork: new Set([5]) });
  const reader = new NoteLogReader([VAT], 30);
  for (let n = 0; n <= 10; n++) await reader.logs(c.request, c.block(n));
  await settled();
  expect(sorted(byHash(c.calls))).toEqual(sorted([hashOf(5), ...c.tails]));
});

test("an endpoint answering ranges only up to its own, lagging head: the blocks it left out are read by hash", async () => {
  const c = chain(1000, { clampTo: 500 });
  await readAll(c, new NoteLogReader([VAT], 30), 1000);
  const left: Hex[] = [];
  for (let n = 501; n <= 1000; n++) if (c.logsOf(n).length || n > 940) left.push(hashOf(n));
  expect(sorted(byHash(c.calls))).toEqual(sorted([...c.tails, ...left]));
});

test("an endpoint cutting its answers short: no block loses a log", async () => {
  const c = chain(1000, { cap: 7 });
  await readAll(c, new NoteLogReader([VAT], 30), 1000);
});

test("a bloom holding the Vat's bits without a Vat log: read by hash past its answer's last block with logs, taken as whole before it", async () => {
  const logCount = (n: number) => (n <= 120 ? n % 3 : 0);
  const noisy = new Set([50, 130, 150]);
  const c = chain(1000, { noisy, logCount });
  await readAll(c, new NoteLogReader([VAT], 30), 200);
  const pastTail = [...noisy].filter((n) => {
    const range = ranged(c.calls).find((f) => Number(f.fromBlock) <= n && n <= Number(f.toBlock))!;
    const withLogs = Array.from({ length: Number(range.toBlock) - Number(range.fromBlock) + 1 }, (_, i) => Number(range.fromBlock) + i).filter((m) => logCount(m) > 0);
    return withLogs.length === 0 || n > Math.max(...withLogs);
  });
  expect(pastTail).toEqual([130, 150]);
  expect(sorted(byHash(c.calls))).toEqual(sorted([...pastTail.map((n) => hashOf(n)), ...c.tails]));
});

test("an answer holding logs of blocks outside the range asked is not used, even for a block without logs", async () => {
  const c = chain(1000, { shift: 5 });
  await readAll(c, new NoteLogReader([VAT], 30), 100);
  expect(byHash(c.calls)).toContain(hashOf(3));
  expect(c.logsOf(3)).toEqual([]);
});

test("a revert and replay: the ranges read before are dropped, the replayed blocks get the new chain's logs", async () => {
  const c = chain(1000);
  const reader = new NoteLogReader([VAT], 30);
  await readAll(c, reader, 25);
  c.reorg(20, 25, "b", (n) => (n % 3) + 1);
  const before = ranged(c.calls).length;
  for (let n = 20; n <= 30; n++) expect(await reader.logs(c.request, c.block(n))).toEqual(c.logsOf(n));
  expect(ranged(c.calls)[before]?.fromBlock).toBe(hex(20));
  expect(byHash(c.calls).filter((h) => !c.tails.includes(h))).toEqual([]);
});

test("an endpoint refusing wide ranges: narrower ones, and no block lost meanwhile", async () => {
  const c = chain(3000, { refuse: (_, from, to) => (to - from + 1 > 40 ? rpcError(-32602, "exceed maximum block range: 40") : undefined) });
  await readAll(c, new NoteLogReader([VAT], 65), 2000);
  expect(byHash(c.calls).length).toBeLessThanOrEqual(c.tails.length + c.refused());
  expect(ranged(c.calls).length).toBeLessThan(2000 / 20 + 30);
});

test("rate limits and timeouts do not narrow the ranges: the blocks are read by hash meanwhile", async () => {
  const passing = [
    new HttpRequestError({ url: "http://node", status: 429, details: "Too Many Requests" }),
    new TimeoutError({ body: {}, url: "http://node" }),
    new LimitExceededRpcError(rpcError(-32005, "daily request count exceeded, request rate limited")),
    rpcError(-32602, "block range extends beyond current head block"),
  ];
  const at = [2, 9, 15, 22];
  const c = chain(3000, { refuse: (k) => passing[at.indexOf(k)] });
  await readAll(c, new NoteLogReader([VAT], 65), 2000);
  const failed = byHash(c.calls).filter((h) => !c.tails.includes(h));
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.length).toBeLessThanOrEqual(passing.length);
  expect(ranged(c.calls).length).toBeLessThan(20);
});

test("a limit worded otherwise than the usual ones: narrowed after three refusals in a row", async () => {
  const c = chain(3000, { refuse: (_k, from, to) => (to - from + 1 > 40 ? new Error("request too big for this node") : undefined) });
  await readAll(c, new NoteLogReader([VAT], 65), 2000);
  expect(ranged(c.calls).length).toBeLessThan(2000 / 20 + 60);
});

test("after refusals in a dense stretch the width grows back", async () => {
  const c = chain(3000, {
    logCount: (n) => (n < 300 ? 50 : Number(n % 7 === 0)),
    refuse: (_k, _from, _to, logs) => (logs > 1000 ? new LimitExceededRpcError(rpcError(-32005, "query returned more than 1000 results")) : undefined),
  });
  await readAll(c, new NoteLogReader([VAT], 65), 2800);
  expect(byHash(c.calls).length).toBeLessThanOrEqual(c.tails.length + c.refused());
  const sizes = ranged(c.calls).map((f) => Number(f.toBlock) - Number(f.fromBlock) + 1);
  expect(Math.max(...sizes.slice(-3))).toBeGreaterThanOrEqual(1000);
  expect(sizes.length).toBeLessThan(100);
});

test("Ponder's finality depths: finalityDepth agrees with Ponder's getFinalityBlockCount", () => {
  // Ponder exports only its runtime, not utils/finality, and is ESM: a node process imports the file itself.
  const ids = [1, 3, 4, 5, 42, 11155111, 137, 80001, 42161, 42170, 421611, 421613, 10, 8453, 17000, 560048, 31337, 1337];
  const file = pathToFileURL(path.join(__dirname, "../../node_modules/ponder/dist/esm/utils/finality.js")).href;
  const script = `import { getFinalityBlockCount } from ${JSON.stringify(file)}; console.log(JSON.stringify(${JSON.stringify(ids)}.map((id) => getFinalityBlockCount({ chain: { id } }))));`;
  const ponders = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as number[];
  expect(ids.map(finalityDepth)).toEqual(ponders);
});
