/**
 * The response cache (cache.ts) in front of the read API's routes, with HTTP's own semantics: every answer carries
 * `Cache-Control: no-cache` (a client or CDN may keep it but must revalidate; `no-store`, which the cache obeys too,
 * when the route said so) and `Vary: Accept`; a 200 the cache looked up carries an ETag (a hash of its media type and
 * body), and a GET whose If-None-Match names the current ETag gets 304. `X-Cache` says hit, miss, or bypass for a
 * request the cache does not look up. API_CACHE_MB bounds the bytes kept (default 64; 0 turns the cache off).
 */
import { createHash } from "crypto";
import type { IncomingMessage } from "http";
import type { Context, MiddlewareHandler } from "hono";
import { etagOf, ResponseCache, type CachedResponse } from "./cache";
import { CACHE_MB_RULE, cacheMb } from "./cache-size";

const ENTRIES_PER_MB = 64;

/** The cache API_CACHE_MB asks for, or undefined when it is 0. */
export function cacheFromEnv(env: Record<string, string | undefined>, observe: () => Promise<string>): ResponseCache | undefined {
  const mb = cacheMb(env.API_CACHE_MB);
  if (mb === undefined) throw new Error(`API_CACHE_MB=${env.API_CACHE_MB}: must be ${CACHE_MB_RULE}`);
  return mb === 0 ? undefined : new ResponseCache(observe, { bytes: mb * 2 ** 20, entries: mb * ENTRIES_PER_MB });
}

/** A request body bigger than this is not cached (GraphQL's own limits refuse such queries anyway). */
const MAX_KEYED_BODY = 64 * 1024;

/** The request's body, from Node's request itself when the server is Node's (cheaper than a web Request's stream). */
async function bodyOf(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming?.readable) return c.req.raw.text();
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A digest of what the answer depends on: the request's body is not kept, however long it is. */
async function keyOf(c: Context): Promise<{ key: string; body: string }> {
  const url = new URL(c.req.url);
  const body = c.req.method === "POST" ? await bodyOf(c) : "";
  const tuple = JSON.stringify([c.req.method, url.pathname, url.search, c.req.header("accept") ?? "", c.req.header("content-type") ?? "", body]);
  return { key: createHash("sha256").update(tuple).digest("base64url"), body };
}

/** The headers every answer of the read API carries. */
function readApiHeaders(headers: Headers, xCache: "hit" | "miss" | "bypass"): void {
  if (!/\bno-store\b/i.test(headers.get("cache-control") ?? "")) headers.set("cache-control", "no-cache");
  // GraphQL answers in the media type asked for (and the cache's key holds Accept): a shared cache downstream must key on it too.
  const vary = headers.get("vary");
  if (!vary?.split(/\s*,\s*/).some((v) => v.toLowerCase() === "accept" || v === "*")) headers.set("vary", [vary, "Accept"].filter(Boolean).join(", "));
  headers.set("x-cache", xCache);
}

/** The answer of a request the cache does not look up, with the read API's headers. */
async function bypass(c: Context, next: () => Promise<void>): Promise<void> {
  await next();
  const res = new Response(c.res.body, c.res);
  readApiHeaders(res.headers, "bypass");
  c.res = undefined as unknown as Response;
  c.res = res;
}

function toResponse(c: Context, cached: CachedResponse, hit: boolean): Response {
  const headers = new Headers(cached.headers);
  // The server sets Content-Length from the body.
  headers.delete("content-length");
  if (cached.status === 200) headers.set("etag", cached.etag);
  readApiHeaders(headers, hit ? "hit" : "miss");
  const revalidated = c.req.method === "GET" && cached.status === 200 && c.req.header("if-none-match")?.split(/\s*,\s*/).includes(cached.etag);
  if (revalidated) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(cached.body, { status: cached.status, headers });
}

/** The cache in front of the routes; without one (API_CACHE_MB=0), only the read API's headers. */
export function cacheMiddleware(cache: ResponseCache | undefined): MiddlewareHandler {
  return async (c, next) => {
    // A request with credentials is never answered from, nor kept in, a cache shared by every client.
    if (!cache || (c.req.method !== "GET" && c.req.method !== "POST") || c.req.header("authorization") || c.req.header("cookie")) return bypass(c, next);
    const length = Number(c.req.header("content-length") ?? (c.req.method === "GET" ? "0" : NaN));
    if (!(length <= MAX_KEYED_BODY)) return bypass(c, next);
    const { key, body: requestBody } = await keyOf(c);
    const { response, hit } = await cache.get(key, async () => {
      // The GraphQL server reads the request itself: give it one whose body is still unread.
      if (c.req.method === "POST") c.req.raw = new Request(c.req.raw.url, { method: "POST", headers: c.req.raw.headers, body: requestBody });
      await next();
      const body = new Uint8Array(await c.res.arrayBuffer());
      return { status: c.res.status, headers: [...c.res.headers], body, etag: etagOf(body, c.res.headers.get("content-type") ?? "") };
    });
    const res = toResponse(c, response, hit);
    // Headers the server's middleware set before this one (CORS) go onto the answer here; Hono would copy them by
    // rebuilding the response around a stream, the slow way to send a body already in memory.
    for (const [name, value] of c.res.headers) if (name !== "content-length" && !res.headers.has(name)) res.headers.set(name, value);
    c.res = undefined as unknown as Response;
    c.res = res;
    return res;
  };
}
