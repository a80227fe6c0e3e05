/**
 * The logs of the note contracts for one block. A block at least twice Ponder's finality depth below the head is read
 * with a ranged eth_getLogs, the next range fetched while this one is applied, so a backfill costs one call per range
 * instead of one per block. Twice: Ponder moves its finalized block only once the head is two depths past it, so it
 * may revert and replay any block less than that below the head. Every other block is read by its hash, so a
 * reorganised block's logs are never mixed with its replacement's; so is a block whose ranged logs disagree with its
 * header: a log of another block hash, or, past the last block with logs of its ranged answer, no log of a note
 * contract its logsBloom may hold (an endpoint that answered a shorter range than asked, or cut its answer, loses the
 * range's end); and that last block itself, which an answer cut short may hold only in part (read by the hash its
 * logs carry as soon as the answer comes, off the handler's path). Up to that last block the answer is taken as
 * whole: a bloom check there would read most mainnet blocks by hash, their blooms being full.
 * A block at or below the last one read (Ponder reverted, replays or retries) drops the ranges read so far.
 *
 * A range widens while it returns few logs and narrows when it returns many or the endpoint refuses its width or
 * size; any other failure (rate limit, timeout, a node behind, an answer with logs outside the range) reads the block
 * by hash and keeps the width, unless three come in a row. After a run of answered ranges the width may grow past an
 * earlier refusal again.
 */
import type { Hex } from "viem";
import { bloomBits, bloomMayContain } from "./bloom";
import { isRangeLimit } from "./rangeLimit";

export type RawLog = { address: Hex; topics: Hex[]; data: Hex; logIndex: Hex; transactionHash: Hex; blockNumber: Hex; blockHash: Hex; removed?: boolean };
export type NoteBlock = { number: bigint; hash: Hex; logsBloom: Hex };

type Request = (args: { method: string; params?: unknown[] }) => Promise<unknown>;

/**
 * Blocks per ranged read: the first, the widest, the log count a range aims at; answered ranges before regrowing;
 * failures in a row that narrow like a limit (one worded otherwise than those isRangeLimit knows).
 */
const RANGE = { start: 10, max: 2000, logs: 2000, regrowAfter: 8, failuresToNarrow: 3 };

/** Ponder's finality depth (getFinalityBlockCount in ponder/src/utils/finality.ts, which the package does not export). */
export function finalityDepth(chainId: number): number {
  if ([1, 3, 4, 5, 42, 11155111].includes(chainId)) return 65;
  if ([137, 80001].includes(chainId)) return 200;
  if ([42161, 42170, 421611, 421613].includes(chainId)) return 240;
  return 30;
}
/** How often the head is asked for while blocks are above the ranged depth (following the head). */
const HEAD_EVERY_MS = 5000;

interface Range {
  from: bigint;
  to: bigint;
  size: number;
  /**
   * By block, and the last block with logs: an answer cut short may hold only part of that block's logs, so it is read
   * by the hash its logs carry as soon as the answer comes (off the handler's path), and used if the block has it.
   */
  logs: Promise<{ byBlock: Map<bigint, RawLog[]>; tail?: { number: bigint; hash: Hex; logs: Promise<RawLog[]> } }>;
}

export class NoteLogReader {
  private current?: Range;
  private next?: Range;
  private rangedUpTo = -1n;
  private headAskedAt = 0;
  private last?: bigint;
  private range = RANGE.start;
  /** The widest range the endpoint is taken to answer: half the last one it refused, until a run of answers. */
  private widest = RANGE.max;
  private answered = 0;
  private failed = 0;
  private readonly contracts: { address: string; bits: number[] }[];

  constructor(
    private readonly addresses: Hex[],
    private readonly depth: number,
  ) {
    this.contracts = addresses.map((address) => ({ address: address.toLowerCase(), bits: bloomBits(address) }));
  }

  async logs(request: Request, block: NoteBlock): Promise<RawLog[]> {
    const n = block.number;
    if (this.last !== undefined && n <= this.last) this.current = this.next = undefined;
    this.last = n;
    if (n > this.rangedUpTo && Date.now() - this.headAskedAt > HEAD_EVERY_MS) {
      this.headAskedAt = Date.now();
      this.rangedUpTo = BigInt((await request({ method: "eth_blockNumber" })) as Hex) - 2n * BigInt(this.depth);
    }
    if (n <= this.rangedUpTo) {
      const ranged = await this.ranged(request, n);
      if (ranged && "tail" in ranged && ranged.tail.hash === block.hash) {
        const tail = await ranged.tail.logs.catch(() => undefined);
        if (tail) return tail;
      } else if (ranged && "logs" in ranged && this.agrees(ranged.logs, block, ranged.pastTail)) return ranged.logs;
    }
    return this.byHash(request, block.hash);
  }

  private async byHash(request: Request, hash: Hex): Promise<RawLog[]> {
    return (await request({ method: "eth_getLogs", params: [{ blockHash: hash, address: this.addresses }] })) as RawLog[];
  }

  private agrees(logs: RawLog[], block: NoteBlock, pastTail: boolean): boolean {
    if (!logs.every((l) => l.blockHash === block.hash)) return false;
    return !pastTail || this.contracts.every(({ address, bits }) => !bloomMayContain(block.logsBloom, bits) || logs.some((l) => l.address.toLowerCase() === address));
  }

  /**
   * Block n's logs from its range, and whether n is past the answer's last block with logs; that block's read by hash
   * when n is it; undefined when the range could not be read (the caller reads by hash).
   */
  private async ranged(request: Request, n: bigint): Promise<{ logs: RawLog[]; pastTail: boolean } | { tail: { hash: Hex; logs: Promise<RawLog[]> } } | undefined> {
    if (!this.current || n < this.current.from || n > this.current.to) {
      this.current = this.next && n >= this.next.from && n <= this.next.to ? this.next : this.fetch(request, n);
      this.next = undefined;
    }
    const { to } = this.current;
    if (!this.next && to < this.rangedUpTo) this.next = this.fetch(request, to + 1n);
    const { size, logs } = this.current;
    try {
      const { byBlock, tail } = await logs;
      if (tail && n === tail.number) return { tail };
      return { logs: byBlock.get(n) ?? [], pastTail: tail === undefined || n > tail.number };
    } catch (error) {
      if (isRangeLimit(error) || ++this.failed >= RANGE.failuresToNarrow) {
        this.widest = Math.max(1, Math.floor(size / 2));
        this.range = Math.min(this.range, this.widest);
        this.answered = this.failed = 0;
      }
      this.current = this.next = undefined;
      return undefined;
    }
  }

  private fetch(request: Request, from: bigint): Range {
    const to = from + BigInt(this.range) - 1n < this.rangedUpTo ? from + BigInt(this.range) - 1n : this.rangedUpTo;
    const hex = (b: bigint) => `0x${b.toString(16)}`;
    const logs = request({ method: "eth_getLogs", params: [{ fromBlock: hex(from), toBlock: hex(to), address: this.addresses }] }).then((answer) => {
      const all = plausible(answer, from, to);
      this.failed = 0;
      if (++this.answered >= RANGE.regrowAfter) this.widest = RANGE.max;
      if (all.length < RANGE.logs / 2) this.range = Math.min(this.widest, this.range * 2);
      else if (all.length > RANGE.logs * 2) this.range = Math.max(1, Math.floor(this.range / 2));
      const byBlock = new Map<bigint, RawLog[]>();
      let last: bigint | undefined;
      for (const log of all) {
        const b = BigInt(log.blockNumber);
        const list = byBlock.get(b);
        if (list) list.push(log);
        else byBlock.set(b, [log]);
        if (last === undefined || b > last) last = b;
      }
      if (last === undefined) return { byBlock };
      const hash = byBlock.get(last)![0]!.blockHash;
      const tailLogs = this.byHash(request, hash);
      tailLogs.catch(() => undefined);
      return { byBlock, tail: { number: last, hash, logs: tailLogs } };
    });
    // Awaited when its block comes; a failure then is handled there, not as an unhandled rejection now.
    logs.catch(() => undefined);
    return { from, to, size: Number(to - from) + 1, logs };
  }
}

/** The answer as logs of blocks from..to, or an error (not a range limit: the blocks are read by hash). */
function plausible(answer: unknown, from: bigint, to: bigint): RawLog[] {
  const fail = (what: string) => new Error(`eth_getLogs for blocks ${from} to ${to} answered ${what}`);
  if (!Array.isArray(answer)) throw fail("no list");
  for (const log of answer as RawLog[]) {
    if (log.removed) throw fail("a removed log");
    const b = BigInt(log.blockNumber);
    if (b < from || b > to) throw fail(`a log of block ${b}`);
  }
  return answer as RawLog[];
}
