/**
 * The read API: GraphQL over every table at /graphql, and the REST routes the consumers call under /v1.
 * Ponder adds /ready, /status, /health and /metrics. Amounts are decimal strings of Maker's integer units.
 */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { and, asc, desc, eq, gte, lte, graphql, replaceBigInts, sql } from "ponder";
import { Hono, type Context } from "hono";
import { cacheFromEnv, cacheMiddleware } from "./cache-middleware";
import { graphqlAnswer } from "./graphql-answer";
import { parseAddress, parseDay, parseIlk, parseLimit, parseStatus, type Parsed } from "./params";

const app = new Hono();

// The database's MVCC snapshot: it changes whenever a write transaction commits, so the cache keeps no answer past one.
const cache = cacheFromEnv(process.env, async () => {
  const { rows } = (await db.execute(sql`select pg_current_snapshot()::text as state`)) as unknown as { rows: { state: string }[] };
  return rows[0].state;
});
app.use("*", cacheMiddleware(cache));

const graphqlMiddleware = graphql({ db, schema });

// The status and caching of GraphQL's answer (graphql-answer.ts).
app.use("/graphql", async (c, next) => {
  const res = ((await graphqlMiddleware(c, next)) as Response | undefined) ?? c.res;
  if (!res.headers.get("content-type")?.includes("json")) return res;
  const text = await res.text();
  const { status, noStore } = graphqlAnswer(text);
  const headers = new Headers(res.headers);
  if (noStore) headers.set("cache-control", "no-store");
  return new Response(text, { status, headers });
});

const json = (c: Context, rows: unknown) => c.json(replaceBigInts(rows, (v) => String(v)));

/** The parsed values, or a 400 naming every bad parameter. */
function parse<T extends Record<string, Parsed<unknown>>>(c: Context, parsed: T): { [K in keyof T]: T[K] extends Parsed<infer V> ? V : never } | Response {
  const errors = Object.values(parsed).flatMap((p) => (p.ok ? [] : [p.error]));
  if (errors.length > 0) return c.json({ error: errors.join("; ") }, 400);
  return Object.fromEntries(Object.entries(parsed).map(([k, p]) => [k, (p as { value: unknown }).value])) as never;
}

type SQL = ReturnType<typeof eq>;
const where = (...conditions: (SQL | undefined)[]) => and(...conditions.filter((x): x is SQL => x !== undefined));

app.get("/v1/ilks", async (c) => json(c, await db.select().from(schema.ilk).orderBy(asc(schema.ilk.id))));

app.get("/v1/ilks/:ilk", async (c) => {
  const p = parse(c, { ilk: parseIlk(c.req.param("ilk")) });
  if (p instanceof Response) return p;
  const [row] = await db.select().from(schema.ilk).where(eq(schema.ilk.id, p.ilk!));
  return row ? json(c, row) : c.json({ error: `ilk ${p.ilk}: not indexed` }, 404);
});

app.get("/v1/vaults", async (c) => {
  const p = parse(c, { ilk: parseIlk(c.req.query("ilk")), limit: parseLimit(c.req.query("limit")) });
  if (p instanceof Response) return p;
  const rows = await db.select().from(schema.vault).where(where(p.ilk ? eq(schema.vault.ilk, p.ilk) : undefined)).orderBy(asc(schema.vault.id)).limit(p.limit);
  return json(c, rows);
});

app.get("/v1/vaults/unsafe", async (c) => {
  const p = parse(c, { ilk: parseIlk(c.req.query("ilk")), limit: parseLimit(c.req.query("limit")) });
  if (p instanceof Response) return p;
  const rows = await db
    .select()
    .from(schema.vault)
    .where(where(eq(schema.vault.unsafe, true), p.ilk ? eq(schema.vault.ilk, p.ilk) : undefined))
    .orderBy(asc(schema.vault.id))
    .limit(p.limit);
  return json(c, rows);
});

app.get("/v1/auctions", async (c) => {
  const p = parse(c, { ilk: parseIlk(c.req.query("ilk")), status: parseStatus(c.req.query("status")), limit: parseLimit(c.req.query("limit")) });
  if (p instanceof Response) return p;
  const rows = await db
    .select()
    .from(schema.auction)
    .where(where(p.ilk ? eq(schema.auction.ilk, p.ilk) : undefined, p.status ? eq(schema.auction.status, p.status) : undefined))
    .orderBy(asc(schema.auction.id))
    .limit(p.limit);
  return json(c, rows);
});

app.get("/v1/stats/daily", async (c) => {
  const p = parse(c, { ilk: parseIlk(c.req.query("ilk")), from: parseDay("from", c.req.query("from")), to: parseDay("to", c.req.query("to")), limit: parseLimit(c.req.query("limit")) });
  if (p instanceof Response) return p;
  const t = schema.dailyIlkStat;
  const rows = await db
    .select()
    .from(t)
    .where(where(p.ilk ? eq(t.ilk, p.ilk) : undefined, p.from ? gte(t.day, p.from) : undefined, p.to ? lte(t.day, p.to) : undefined))
    .orderBy(asc(t.day), asc(t.ilk))
    .limit(p.limit);
  return json(c, rows);
});

app.get("/v1/stats/protocol", async (c) => {
  const p = parse(c, { from: parseDay("from", c.req.query("from")), to: parseDay("to", c.req.query("to")), limit: parseLimit(c.req.query("limit")) });
  if (p instanceof Response) return p;
  const t = schema.protocolStat;
  const rows = await db.select().from(t).where(where(p.from ? gte(t.day, p.from) : undefined, p.to ? lte(t.day, p.to) : undefined)).orderBy(asc(t.day)).limit(p.limit);
  return json(c, rows);
});

app.get("/v1/addresses/:address/activity", async (c) => {
  const p = parse(c, { address: parseAddress(c.req.param("address")), limit: parseLimit(c.req.query("limit")) });
  if (p instanceof Response) return p;
  const t = schema.activityEvent;
  const rows = await db.select().from(t).where(eq(t.address, p.address)).orderBy(desc(t.blockNumber), asc(t.id)).limit(p.limit);
  return json(c, { address: p.address, count: rows.length, activity: rows });
});

app.notFound((c) => c.json({ error: `${c.req.method} ${c.req.path}: no such route; see /v1/* and /graphql` }, 404));
app.onError((err, c) => {
  console.error(err);
  return c.json({ error: "internal error" }, 500);
});

export default app;
