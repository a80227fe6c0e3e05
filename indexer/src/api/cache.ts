/**
 * The read API's response cache. An answer is kept for one state of the database and only that one: before it
 * answers, every request reads the database's state (its MVCC snapshot, which changes when any write transaction
 * commits — a new block, a backfill batch, a reorg's revert), and a new state empties the cache. The read is
 * coalesced: all requests waiting share one query, started after each of them arrived, so a request never sees an
 * answer older than the database it arrived at. Identical requests arriving together share one computation.
 * Entries are keyed by method, path and query, Accept and body; least recently used go first past the bounds.
 */
import { createHash } from "crypto";

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  etag: string;
}

export interface CacheLimits {
  /** Total body bytes kept. */
  bytes: number;
  entries: number;
}

interface Generation {
  state: string;
  entries: Map<string, CachedResponse>;
  computing: Map<string, Promise<CachedResponse>>;
  bytes: number;
}

/** A strong validator: the same bytes of the same media type. */
export const etagOf = (body: Uint8Array, contentType = ""): string => `"${createHash("sha1").update(contentType).update("\n").update(body).digest("base64url")}"`;

export class ResponseCache {
  private generation: Generation = { state: "", entries: new Map(), computing: new Map(), bytes: 0 };
  private running: Promise<string> | undefined;
  private queued: Promise<string> | undefined;

  /** `observe` returns the database's state; equal strings mean equal data. */
  constructor(
    private readonly observe: () => Promise<string>,
    readonly limits: CacheLimits,
  ) {}

  /** The database's state, read by a query that started after this call. */
  state(): Promise<string> {
    if (this.running === undefined) {
      this.running = this.observe().finally(() => (this.running = undefined));
      return this.running;
    }
    // The running read may predate this call: share the one that starts when it ends.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.state();
      });
    return this.queued;
  }

  /** The cached answer to `key` in the current state, else `compute`'s (kept when its status is 200). */
  async get(key: string, compute: () => Promise<CachedResponse>): Promise<{ response: CachedResponse; hit: boolean }> {
    const state = await this.state();
    if (state !== this.generation.state) this.generation = { state, entries: new Map(), computing: new Map(), bytes: 0 };
    const g = this.generation;
    const kept = g.entries.get(key);
    if (kept) {
      g.entries.delete(key);
      g.entries.set(key, kept);
      return { response: kept, hit: true };
    }
    const shared = g.computing.get(key);
    if (shared) return { response: await shared, hit: true };
    const computing = compute();
    g.computing.set(key, computing);
    try {
      const response = await computing;
      if (response.status === 200) this.keep(g, key, response);
      return { response, hit: false };
    } finally {
      g.computing.delete(key);
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.generation.entries.size, bytes: this.generation.bytes };
  }

  private keep(g: Generation, key: string, response: CachedResponse): void {
    if (response.body.byteLength > this.limits.bytes) return;
    g.entries.set(key, response);
    g.bytes += response.body.byteLength;
    for (const [oldest, r] of g.entries) {
      if (g.entries.size <= this.limits.entries && g.bytes <= this.limits.bytes) break;
      g.entries.delete(oldest);
      g.bytes -= r.body.byteLength;
    }
  }
}
