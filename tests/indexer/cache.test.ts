/**
 * The read API's response cache against a database state the test moves: an answer per key and per state, one
 * computation for identical concurrent requests, a state read that never predates the request, bounds, and its knob;
 * then its middleware in front of a small Hono app: what it keys on, what it keeps, the headers of every answer.
 * (The end-to-end test checks the same against the indexer itself, through a new block and a reorg.)
 */
import { Hono } from "hono";
import { cacheFromEnv, cacheMiddleware } from "../../indexer/src/api/cache-middleware";
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

/** What an entry costs the byte bound: its key, ETag, headers and body. */
const sizeOf = (key: string, r: CachedResponse) => key.length + r.etag.length + r.headers.flat().join("").length + r.body.byteLength;

test("bounded in entries and bytes, least recently used first", async () => {
  const { observe } = database();
  const one = sizeOf("a", answer("a"));
  const byEntries = new ResponseCache(observe, { bytes: 1 << 20, entries: 3 });
  for (const k of ["a", "b", "c"]) await byEntries.get(k, async () => answer(k));
  await byEntries.get("a", async () => answer("x")); // a is now the most recent
  await byEntries.get("d", async () => answer("d")); // evicts b
  expect((await byEntries.get("b", async () => answer("b2"))).hit).toBe(false);
  expect((await byEntries.get("a", async () => answer("a2"))).hit).toBe(true);
  expect(byEntries.size).toEqual({ entries: 3, bytes: sizeOf("a", answer("a")) + sizeOf("d", answer("d")) + sizeOf("b", answer("b2")) });

  const byBytes = new ResponseCache(observe, { bytes: 3 * one, entries: 100 });
  for (const k of ["a", "b", "c"]) await byBytes.get(k, async () => answer(k));
  await byBytes.get("a", async () => answer("x"));
  await byBytes.get("d", async () => answer("d")); // evicts b
  expect((await byBytes.get("b", async () => answer("b2"))).hit).toBe(false);
  expect((await byBytes.get("d", async () => answer("d2"))).hit).toBe(true);
  await byBytes.get("big", async () => answer("x".repeat(3 * one))); // over the byte bound alone: not kept
  expect((await byBytes.get("big", async () => answer("big"))).hit).toBe(false);
  expect(byBytes.size.bytes).toBeLessThanOrEqual(3 * one);
});

test("a key and its headers count against the byte bound, not the body alone", async () => {
  const { observe } = database();
  const cache = new ResponseCache(observe, { bytes: 1000, entries: 100 });
  const longKey = "k".repeat(2000);
  await cache.get(longKey, async () => answer("{}"));
  expect((await cache.get(longKey, async () => answer("{}"))).hit).toBe(false);
  const manyHeaders: CachedResponse = { ...answer("{}"), headers: [["x-padding", "p".repeat(2000)]] };
  await cache.get("h", async () => manyHeaders);
  expect((await cache.get("h", async () => manyHeaders)).hit).toBe(false);
  await cache.get("small", async () => answer("{}"));
  expect(cache.size).toEqual({ entries: 1, bytes: sizeOf("small", answer("{}")) });
});

test("an answer marked no-store, or not a 200, is not kept", async () => {
  const { observe } = database();
  const cache = new ResponseCache(observe, { bytes: 1 << 20, entries: 100 });
  const partial: CachedResponse = { ...answer('{"data":{"ilk":null},"errors":[{"message":"timeout"}]}'), headers: [["Cache-Control", "no-store"]] };
  for (const [key, r] of [["partial", partial], ["404", answer("{}", 404)], ["500", answer("{}", 500)], ["304", answer("", 304)]] as const) {
    await cache.get(key, async () => r);
    expect([key, (await cache.get(key, async () => answer("fresh"))).hit]).toEqual([key, false]);
    // The next 200 to the same key is kept.
    expect(text(await cache.get(key, async () => answer("unused")))).toBe("fresh");
  }
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

/** A read API in small: a route per kind of answer, behind the middleware, on a database that stays in one state. */
function api(cache: ResponseCache | undefined) {
  const app = new Hono();
  app.use("*", cacheMiddleware(cache));
  let computed = 0;
  app.get("/ok", (c) => (computed++, c.json({ ok: true })));
  app.get("/origin", (c) => (computed++, c.json({ ok: true }, 200, { vary: "Origin" })));
  app.post("/graphql", async (c) => (computed++, c.json({ echo: (await c.req.text()).length })));
  app.get("/partial", (c) => (computed++, c.json({ data: { ilk: null }, errors: [{ message: "canceling statement due to statement timeout" }] }, 200, { "cache-control": "no-store" })));
  app.get("/boom", () => {
    computed++;
    throw new Error("boom");
  });
  app.notFound((c) => (computed++, c.json({ error: "no such route" }, 404)));
  app.onError((_err, c) => c.json({ error: "internal error" }, 500));
  const ask = async (route: string, init?: RequestInit) => {
    const res = await app.request(route, init);
    const h = (name: string) => res.headers.get(name);
    return { status: res.status, cache: h("x-cache"), control: h("cache-control"), vary: h("vary"), etag: h("etag"), text: await res.text() };
  };
  return { ask, computed: () => computed };
}

const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
  body,
});

test("the cache keys a request by a digest: a padded query of 60 KiB holds a few dozen bytes of key", async () => {
  const cache = cacheFromEnv({ API_CACHE_MB: "1" }, async () => "s")!;
  const keys: string[] = [];
  const get = cache.get.bind(cache);
  jest.spyOn(cache, "get").mockImplementation((key, compute) => (keys.push(key), get(key, compute)));
  const { ask } = api(cache);
  const padded = (i: number) => JSON.stringify({ query: `{ ilks { items { id } } }${" ".repeat(60 * 1024)}#${i}` });
  for (let i = 0; i < 100; i++) expect((await ask("/graphql", post(padded(i)))).cache).toBe("miss");
  expect((await ask("/graphql", post(padded(99)))).cache).toBe("hit");
  expect(new Set(keys).size).toBe(100);
  expect(keys.every((k) => /^[\w-]{43}$/.test(k))).toBe(true);
  // What the cache holds, keys and all, stays under API_CACHE_MB (and its 64 entries per MiB).
  expect(cache.size.entries).toBe(64);
  expect(cache.size.bytes).toBeLessThanOrEqual(2 ** 20);
  expect(cache.size.bytes).toBeGreaterThan(64 * (43 + JSON.stringify({ echo: 0 }).length));
});

test("the key holds method, path, query, Accept, content type and body: any of them apart, another answer", async () => {
  const { ask, computed } = api(new ResponseCache(async () => "s", { bytes: 1 << 20, entries: 100 }));
  const body = JSON.stringify({ query: "{ ilks { items { id } } }" });
  const variants: [string, RequestInit][] = [
    ["/graphql", post(body)],
    ["/graphql?x=1", post(body)],
    ["/graphql", post(body, { accept: "application/graphql-response+json" })],
    ["/graphql", post(body, { "content-type": "application/graphql+json" })],
    ["/graphql", post(body.replace("id", "id "))],
    ["/ok", {}],
  ];
  for (const [route, init] of variants) expect((await ask(route, init)).cache).toBe("miss");
  for (const [route, init] of variants) expect((await ask(route, init)).cache).toBe("hit");
  expect(computed()).toBe(variants.length);
});

test("an answer with errors marked no-store, a 404 and a 500 are computed again every time", async () => {
  const { ask, computed } = api(new ResponseCache(async () => "s", { bytes: 1 << 20, entries: 100 }));
  for (const route of ["/partial", "/missing", "/boom"]) {
    const before = computed();
    const [first, second] = [await ask(route), await ask(route)];
    expect([route, first.cache, second.cache, computed() - before]).toEqual([route, "miss", "miss", 2]);
  }
  // A downstream cache is told not to keep the answer with errors either.
  expect(await ask("/partial")).toMatchObject({ status: 200, control: "no-store", vary: "Accept" });
  expect((await ask("/missing")).status).toBe(404);
  expect((await ask("/boom")).status).toBe(500);
});

test("every answer says Cache-Control and Vary: Accept; X-Cache says hit, miss or bypass; an ETag where the cache looked", async () => {
  const { ask } = api(new ResponseCache(async () => "s", { bytes: 1 << 20, entries: 100 }));
  const miss = await ask("/ok");
  expect(miss).toMatchObject({ status: 200, cache: "miss", control: "no-cache", vary: "Accept", etag: expect.stringMatching(/^".+"$/) });
  expect(await ask("/ok")).toMatchObject({ cache: "hit", control: "no-cache", vary: "Accept", etag: miss.etag });
  expect(await ask("/ok", { headers: { "if-none-match": miss.etag! } })).toMatchObject({ status: 304, cache: "hit", vary: "Accept", text: "" });
  expect(await ask("/origin")).toMatchObject({ cache: "miss", vary: "Origin, Accept" });
  expect(await ask("/missing")).toMatchObject({ status: 404, cache: "miss", control: "no-cache", vary: "Accept", etag: null });

  const bypassed = { cache: "bypass", control: "no-cache", vary: "Accept", etag: null };
  const body = JSON.stringify({ query: "{ ilks { items { id } } }" });
  const chunked = { "content-type": "application/json" };
  for (const [route, init] of [
    ["/ok", { headers: { authorization: "Bearer token" } }],
    ["/ok", { headers: { cookie: "session=1" } }],
    ["/ok", { method: "HEAD" }],
    ["/ok", { method: "OPTIONS" }],
    ["/graphql", { method: "POST", headers: chunked, body }],
    ["/graphql", post(JSON.stringify({ query: `{ ilks { items { id } } }${" ".repeat(64 * 1024)}` }))],
  ] as [string, RequestInit][]) {
    expect([route, init.method ?? "GET", await ask(route, init)]).toEqual([route, init.method ?? "GET", expect.objectContaining(bypassed)]);
  }
  // The body of a request the cache does not look up still reaches the route.
  expect(JSON.parse((await ask("/graphql", { method: "POST", headers: chunked, body })).text)).toEqual({ echo: body.length });
  expect((await ask("/ok", { headers: { authorization: "Bearer token" } })).text).toBe('{"ok":true}');

  // With the cache off (API_CACHE_MB=0), the same headers: every request is a bypass.
  const off = api(cacheFromEnv({ API_CACHE_MB: "0" }, async () => "s"));
  expect(await off.ask("/ok")).toMatchObject({ status: 200, ...bypassed, text: '{"ok":true}' });
  expect(await off.ask("/ok")).toMatchObject({ cache: "bypass" });
});
