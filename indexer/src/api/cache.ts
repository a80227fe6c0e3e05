/**
 * The read API's response cache. An answer is kept for one state of the database and only that one: before it
 * answers, every request reads the database's state (its MVCC snapshot, which changes when any write transaction
 * commits — a new block, a backfill batch, a reorg's revert), and a new state empties the cache. The read is
 * coalesced: all requests waiting share one query, started after each of them arrived, so a request never sees an
 * answer older than the database it arrived at. Identical requests arriving together share one computation.
 * Only a 200 is kept, and not one whose Cache-Control says no-store. Least recently used go first past the bounds,
 * which count every entry's key, headers and body.
 */
import { createHash } from "crypto";

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  etag: string;
}

export interface CacheLimits {
  /** Total bytes kept: keys, headers and bodies. */
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

/** A 200 that does not forbid it: an error (a status, or GraphQL's errors marked no-store) is the answer of a moment. */
const storable = (response: CachedResponse): boolean =>
  response.status === 200 && !response.headers.some(([name, value]) => name.toLowerCase() === "cache-control" && /\bno-store\b/i.test(value));

/** The bytes an entry holds: its key, ETag and headers (Latin-1 strings, a byte a character in V8) and its body. */
const sizeOf = (key: string, r: CachedResponse): number =>
  key.length + r.etag.length + r.headers.reduce((n, [name, value]) => n + name.length + value.length, 0) + r.body.byteLength;

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

  /** The cached answer to `key` in the current state, else `compute`'s (kept when `storable`). */
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
      if (storable(response)) this.keep(g, key, response);
      return { response, hit: false };
    } finally {
      g.computing.delete(key);
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.generation.entries.size, bytes: this.generation.bytes };
  }

  private keep(g: Generation, key: string, response: CachedResponse): void {
    const size = sizeOf(key, response);
    if (size > this.limits.bytes) return;
    g.entries.set(key, response);
    g.bytes += size;
    for (const [oldest, r] of g.entries) {
      if (g.entries.size <= this.limits.entries && g.bytes <= this.limits.bytes) break;
      g.entries.delete(oldest);
      g.bytes -= sizeOf(oldest, r);
    }
  }
}
