/**
 * The logs of the note contracts for one block. A block Ponder itself holds final (its finality depth below the
 * head) is read with a ranged eth_getLogs, the next range fetched while this one is applied, so a backfill costs one
 * call per range instead of one per block; a range widens while it returns few logs and narrows when it returns many
 * or the endpoint refuses it. Every
 * other block is read by its hash, so a reorganised block's logs are never mixed with its replacement's. A ranged
 * log whose block hash is not the block's own sends that block back to the read by hash.
 */
import type { Hex } from "viem";

export type RawLog = { address: Hex; topics: Hex[]; data: Hex; logIndex: Hex; transactionHash: Hex; blockNumber: Hex; blockHash: Hex };

type Request = (args: { method: string; params?: unknown[] }) => Promise<unknown>;

/** Blocks per ranged read: the first, the widest, and the log count a range aims at. */
const RANGE = { start: 10, max: 2000, logs: 2000 };

/** Ponder's finality depth (blocks below the head it never reverts) for the chains it names; 30 for any other. */
export function finalityDepth(chainId: number): number {
  if ([1, 3, 4, 5, 42, 11155111].includes(chainId)) return 65;
  if ([137, 80001].includes(chainId)) return 200;
  if ([42161, 42170, 421611, 421613].includes(chainId)) return 240;
  return 30;
}
/** How often the head is asked for while blocks are above the final depth (following the head). */
const HEAD_EVERY_MS = 5000;

interface Range {
  from: bigint;
  to: bigint;
  size: number;
  logs: Promise<Map<bigint, RawLog[]>>;
}

export class NoteLogReader {
  private current?: Range;
  private next?: Range;
  private finalUpTo = -1n;
  private headAskedAt = 0;
  private range = RANGE.start;
  /** The widest range the endpoint is known to answer: half the narrowest it refused. */
  private widest = RANGE.max;

  constructor(
    private readonly addresses: Hex[],
    private readonly depth: number,
  ) {}

  async logs(request: Request, block: { number: bigint; hash: Hex }): Promise<RawLog[]> {
    const n = block.number;
    if (n > this.finalUpTo && Date.now() - this.headAskedAt > HEAD_EVERY_MS) {
      this.headAskedAt = Date.now();
      this.finalUpTo = BigInt((await request({ method: "eth_blockNumber" })) as Hex) - BigInt(this.depth);
    }
    if (n <= this.finalUpTo) {
      const ranged = await this.ranged(request, n);
      if (ranged && ranged.every((l) => l.blockHash === block.hash)) return ranged;
    }
    return (await request({ method: "eth_getLogs", params: [{ blockHash: block.hash, address: this.addresses }] })) as RawLog[];
  }

  /** Block n's logs from its range, or undefined when the range could not be read (the caller reads by hash). */
  private async ranged(request: Request, n: bigint): Promise<RawLog[] | undefined> {
    if (!this.current || n < this.current.from || n > this.current.to) {
      this.current = this.next && n >= this.next.from && n <= this.next.to ? this.next : this.fetch(request, n);
      this.next = undefined;
    }
    const { to } = this.current;
    if (!this.next && to < this.finalUpTo) this.next = this.fetch(request, to + 1n);
    const { size, logs } = this.current;
    try {
      return (await logs).get(n) ?? [];
    } catch {
      // Too many logs or too wide a range for this endpoint: narrower ranges from here on.
      this.widest = Math.max(1, Math.min(this.widest, Math.floor(size / 2)));
      this.range = Math.min(this.range, this.widest);
      this.current = this.next = undefined;
      return undefined;
    }
  }

  private fetch(request: Request, from: bigint): Range {
    const to = from + BigInt(this.range) - 1n < this.finalUpTo ? from + BigInt(this.range) - 1n : this.finalUpTo;
    const hex = (b: bigint) => `0x${b.toString(16)}`;
    const logs = (request({ method: "eth_getLogs", params: [{ fromBlock: hex(from), toBlock: hex(to), address: this.addresses }] }) as Promise<RawLog[]>).then((all) => {
      if (all.length < RANGE.logs / 2) this.range = Math.min(this.widest, this.range * 2);
      else if (all.length > RANGE.logs * 2) this.range = Math.max(1, Math.floor(this.range / 2));
      const byBlock = new Map<bigint, RawLog[]>();
      for (const log of all) {
        const b = BigInt(log.blockNumber);
        const list = byBlock.get(b);
        if (list) list.push(log);
        else byBlock.set(b, [log]);
      }
      return byBlock;
    });
    // Awaited when its block comes; a failure then is handled there, not as an unhandled rejection now.
    logs.catch(() => undefined);
    return { from, to, size: Number(to - from) + 1, logs };
  }
}
