/**
 * The read API's response cache against a database state the test moves: an answer per key and per state, one
 * computation for identical concurrent requests, a state read that never predates the request, bounds, and its knob.
 * (The end-to-end test checks the same against the indexer itself, through a new block and a reorg.)
 */
import { cacheFromEnv } from "../../indexer/src/api/cache-middleware";
import { etagOf, ResponseCache, type CachedResponse } from "../../indexer/src/api/cache";

const answer = (text: string, status = 200): CachedResponse => {
  const body = new TextEncoder().encode(text);
  return { status, headers: [["content-type", "application/json"]], body, etag: etagOf(body) };
};
const text = (r: { response: CachedResponse }) => new TextDecoder().decode(r.response.body);

/** A database whose state the test sets; counts the reads of it. */
function database() {
  const db = { state: "s1", reads: 0, gate: undefined as Promise<void> | undefined };
  const observe = async () => {
    db.reads++;
    const state = db.state;
    await db.gate;
    return state;
  };
  return { db, observe };
}

test("an answer is kept per key: another query never gets it", async () => {
  const { observe } = database();
  const cache = new ResponseCache(observe, { bytes: 1 << 20, entries: 100 });
  const a1 = await cache.get("a", async () => answer("A"));
  const b1 = await cache.get("b", async () => answer("B"));
  const a2 = await cache.get("a", async () => answer("A again"));
  const b2 = await cache.get("b", async () => answer("B again"));
  expect([text(a1), a1.hit, text(b1), b1.hit]).toEqual(["A", false, "B", false]);
  expect([text(a2), a2.hit, text(b2), b2.hit]).toEqual(["A", true, "B", true]);
});

test("a new database state (a block, a reorg's revert) empties the cache", async () => {
  const { db, observe } = database();
  const cache = new ResponseCache(observe, { bytes: 1 << 20, entries: 100 });
  await cache.get("a", async () => answer("before"));
  expect(text(await cache.get("a", async () => answer("unused")))).toBe("before");
  db.state = "s2";
  const after = await cache.get("a", async () => answer("after"));
  expect([text(after), after.hit]).toEqual(["after", false]);
  // Back to a state seen before is still a new state for the cache: nothing from the first one survives.
  db.state = "s1";
  expect(text(await cache.get("a", async () => answer("again")))).toBe("again");
  expect(cache.size.entries).toBe(1);
});

test("a request never gets a state read that started before it arrived", async () => {
  const { db, observe } = database();
  const cache = new ResponseCache(observe, { bytes: 1 << 20, entries: 100 });
  let open!: () => void;
  db.gate = new Promise((r) => (open = r));
  const early = cache.state();
  db.state = "s2"; // a write commits while the first read is under way
  const late = cache.state();
  const later = cache.state();
  db.gate = undefined;
  open();
  expect(await early).toBe("s1");
  expect(await late).toBe("s2");
  expect(await later).toBe("s2");
  // Three callers, two reads: those that arrived during the first share the second.
  expect(db.reads).toBe(2);
});

test("identical requests arriving together share one computation; a failed one is not kept", async () => {
  const { observe } = database();
  const cache = new ResponseCache(observe, { bytes: 1 << 20, entries: 100 });
  let computed = 0;
  let release!: () => void;
  const slow = () => {
    computed++;
    return new Promise<CachedResponse>((r) => (release = () => r(answer("shared"))));
  };
  const pending = Array.from({ length: 10 }, () => cache.get("q", slow));
  while (computed === 0) await new Promise((r) => setImmediate(r));
  release();
  const all = await Promise.all(pending);
  expect(computed).toBe(1);
  expect(all.map(text)).toEqual(Array(10).fill("shared"));
  expect(all.filter((r) => !r.hit)).toHaveLength(1);

  await cache.get("bad", async () => answer('{"errors":[]}', 400));
  const retried = await cache.get("bad", async () => answer("fixed"));
  expect([text(retried), retried.hit]).toEqual(["fixed", false]);
});

test("bounded in entries and bytes, least recently used first", async () => {
  const { observe } = database();
  const cache = new ResponseCache(observe, { bytes: 10, entries: 3 });
  for (const k of ["a", "b", "c"]) await cache.get(k, async () => answer(k));
  await cache.get("a", async () => answer("x")); // a is now the most recent
  await cache.get("d", async () => answer("d")); // evicts b
  expect((await cache.get("b", async () => answer("b2"))).hit).toBe(false);
  expect((await cache.get("a", async () => answer("a2"))).hit).toBe(true);
  await cache.get("big", async () => answer("0123456789abc")); // over the byte bound alone: not kept
  expect((await cache.get("big", async () => answer("big"))).hit).toBe(false);
  expect(cache.size.bytes).toBeLessThanOrEqual(10);
});

test("API_CACHE_MB: default 64 MiB, 0 turns it off, anything else is refused by name", () => {
  const observe = async () => "s";
  expect(cacheFromEnv({}, observe)?.limits.bytes).toBe(64 * 2 ** 20);
  expect(cacheFromEnv({ API_CACHE_MB: "8" }, observe)?.limits).toEqual({ bytes: 8 * 2 ** 20, entries: 512 });
  expect(cacheFromEnv({ API_CACHE_MB: "0" }, observe)).toBeUndefined();
  for (const bad of ["-1", "lots", "1.5", "5000"]) {
    expect(() => cacheFromEnv({ API_CACHE_MB: bad }, observe)).toThrow(`API_CACHE_MB=${bad}: must be a whole number of MiB from 0 (no cache) to 4096`);
  }
});
