/**
 * The indexer end to end: a local chain running contracts that emit Maker's own events and notes, the scenario of
 * indexer/scripts/scenario.ts, and the indexer (Ponder, on PGlite, or on PostgreSQL when INDEXER_TEST_DATABASE_URL
 * is set) answering GraphQL and REST with exact figures — through a reorganisation and a restart.
 */
import * as fs from "fs";
import * as path from "path";
import { type LocalChain } from "../../indexer/scripts/chain";
import { ilkId } from "../../indexer/scripts/deploy";
import { startIndexer, tempDir, waitFor, waitForBlock, type IndexerProcess } from "../../indexer/scripts/ponder";
import { PARAMS, RAY, type Scenario, WAD, wad } from "../../indexer/scripts/scenario";
import { chainWithVaults } from "../helpers/scenario-chain";

jest.setTimeout(240_000);

const databaseUrl = process.env.INDEXER_TEST_DATABASE_URL;
const schema = `e2e_${process.pid}`;
const dir = tempDir("indexer-e2e-");
const addressesFile = path.join(dir, "addresses.json");

let chain: LocalChain;
let s: Scenario;
let indexer: IndexerProcess;
/** On PostgreSQL, the read API as the stacks run it too: `ponder serve` in a process of its own. */
let api: IndexerProcess | undefined;
/** Where the read API answers: the worker's own server, and `ponder serve` when there is one. */
const readApis = () => [indexer.url, ...(api ? [api.url] : [])];
const readiness: { ready: number; block: number }[] = [];

const start = () => startIndexer({ rpcUrl: chain.url, addressesFile, schema, pgliteDir: path.join(dir, "pglite"), databaseUrl });

async function get(route: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${indexer.url}${route}`);
  const text = await res.text();
  return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

async function gql(query: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${indexer.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: res.status, body: await res.json() };
}

/** A GET or a GraphQL POST with the cache's headers: whether it answered, and its ETag. */
async function cached(route: string, init: { query?: string; variables?: unknown; accept?: string; ifNoneMatch?: string; authorization?: string; url?: string } = {}) {
  const headers: Record<string, string> = {
    ...(init.accept ? { accept: init.accept } : {}),
    ...(init.ifNoneMatch ? { "if-none-match": init.ifNoneMatch } : {}),
    ...(init.authorization ? { authorization: init.authorization } : {}),
  };
  const url = `${init.url ?? indexer.url}${route}`;
  const res = init.query
    ? await fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ query: init.query, variables: init.variables }) })
    : await fetch(url, { headers });
  const text = await res.text();
  const header = (name: string) => res.headers.get(name);
  return {
    status: res.status,
    cache: header("x-cache"),
    etag: header("etag"),
    control: header("cache-control"),
    type: header("content-type"),
    vary: header("vary"),
    text,
    body: text ? JSON.parse(text) : undefined,
  };
}

type Cached = Awaited<ReturnType<typeof cached>>;

/**
 * Asks twice in a row until the second answer is the cache's: a worker's lock heartbeat (a commit every 10 s)
 * may empty the cache between the two, but not three times running.
 */
async function askedTwice(ask: () => Promise<Cached>): Promise<[Cached, Cached]> {
  for (let attempt = 1; ; attempt++) {
    const first = await ask();
    const second = await ask();
    if (second.cache === "hit" || attempt === 3) return [first, second];
  }
}

/** Waits until the indexer has applied the chain's head. */
async function caughtUp(): Promise<void> {
  await waitForBlock(indexer, await s.head());
}

const spotOf = (usd: number) => (((wad(usd) * 10n ** 9n * RAY) / RAY) * RAY) / PARAMS.mat;
const str = (n: bigint) => n.toString();

beforeAll(async () => {
  ({ chain, s } = await chainWithVaults(addressesFile));
  indexer = await start();
  // Until the backfill reaches the chain's head (less its unfinalised blocks), /ready answers 503.
  await waitFor(indexer, "/health", 120_000);
  for (;;) {
    try {
      const ready = (await fetch(`${indexer.url}/ready`)).status;
      const status = (await (await fetch(`${indexer.url}/status`)).json()) as Record<string, { block?: { number: number } }>;
      readiness.push({ ready, block: Object.values(status)[0]?.block?.number ?? -1 });
      if (ready === 200) break;
    } catch {
      // the server is still starting (a reset connection); ask again
    }
    if (indexer.child.exitCode !== null) throw new Error(`indexer exited:\n${indexer.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await caughtUp();
  if (databaseUrl) {
    api = await startIndexer({ command: "serve", rpcUrl: chain.url, addressesFile, schema, databaseUrl });
    await waitFor(api, "/ready", 120_000);
  }
});

afterAll(async () => {
  await api?.stop();
  await indexer?.stop();
  await chain?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("/ready answers 503 while backfilling and 200 only once the backfill reached the head", async () => {
  const head = await s.head();
  expect(readiness[0].ready).toBe(503);
  const firstReady = readiness.find((r) => r.ready === 200)!;
  expect(firstReady.block).toBeGreaterThanOrEqual(head - 30); // Ponder backfills to the finalised block, then follows the head
});

test("vaults: every urn's ink, art and debt per ilk (GraphQL)", async () => {
  const { alice, bob } = s.people;
  const { status, body } = await gql(`{ vaults(where: { ilk: "ETH-A" }, orderBy: "ink", orderDirection: "desc") { items { urn ink art debt unsafe } } }`);
  expect(status).toBe(200);
  expect(body.data.vaults.items).toEqual([
    { urn: alice.toLowerCase(), ink: str(wad(10)), art: str(wad(6000)), debt: str(wad(6000)), unsafe: false },
    { urn: bob.toLowerCase(), ink: str(wad(5)), art: str(wad(6000)), debt: str(wad(6000)), unsafe: false },
  ]);
});

test("ilks (REST): the Vat's rate and spot, the Spotter's price, totals", async () => {
  const { status, body } = await get("/v1/ilks/WBTC-A");
  expect(status).toBe(200);
  expect(body).toMatchObject({ id: "WBTC-A", rate: str(RAY), spot: str(spotOf(PARAMS.prices.wbtc)), price: str(wad(40000)), ink: str(wad(1)), art: str(wad(20000)), debt: str(wad(20000)) });
});

test("the response cache answers each query with its own answer, and revalidates by ETag", async () => {
  const { alice, bob, carol } = s.people;
  const query = `query ($ilk: String!) { vaults(where: { ilk: $ilk }, orderBy: "id") { items { urn } } }`;
  const urns = (r: { body: any }) => r.body.data.vaults.items.map((v: any) => v.urn).sort();
  // Every request twice, all at once: the second of each pair may be answered by the cache, never with another's.
  const asked = [
    () => cached("/graphql", { query, variables: { ilk: "ETH-A" } }),
    () => cached("/graphql", { query, variables: { ilk: "WBTC-A" } }),
    () => cached("/graphql", { query, variables: { ilk: "WBTC-A" }, accept: "application/graphql-response+json" }),
    () => cached("/v1/vaults?ilk=ETH-A"),
    () => cached("/v1/vaults?ilk=WBTC-A"),
  ];
  const answers = await Promise.all([...asked, ...asked].map((ask) => ask()));
  const again: Cached[] = [];
  for (const ask of asked) {
    const [first, second] = await askedTwice(ask);
    expect(second.text).toBe(first.text);
    again.push(second);
  }
  for (const [i, r] of [...answers, ...again].entries()) {
    const expected = [[alice, bob], [carol], [carol], [alice, bob], [carol]][i % asked.length].map((a) => a.toLowerCase()).sort();
    expect(r.status).toBe(200);
    expect(i % asked.length < 3 ? urns(r) : r.body.map((v: any) => v.urn).sort()).toEqual(expected);
  }
  expect(again.map((r) => r.cache)).toEqual(Array(asked.length).fill("hit"));
  expect(answers[2].type).toContain("application/graphql-response+json");
  expect(answers[1].type).toContain("application/json");
  expect(new Set(again.map((r) => r.etag)).size).toBe(asked.length);
  expect(again[2]).toMatchObject({ vary: expect.stringMatching(/\bAccept\b/), type: expect.stringContaining("application/graphql-response+json") });
  expect(again.map((r) => [r.control, r.vary])).toEqual(Array(asked.length).fill(["no-cache", expect.stringMatching(/\bAccept\b/)]));
  // With credentials: neither answered from the cache nor kept in it, and said so.
  const withCredentials = () => cached("/v1/vaults?ilk=WBTC-A", { authorization: "Bearer token" });
  for (let i = 0; i < 2; i++) {
    expect(await withCredentials()).toMatchObject({ status: 200, cache: "bypass", control: "no-cache", vary: expect.stringMatching(/\bAccept\b/), etag: null });
  }
  expect((await withCredentials()).body.map((v: any) => v.urn)).toEqual([carol.toLowerCase()]);

  const first = await cached("/v1/vaults?ilk=WBTC-A");
  expect(await cached("/v1/vaults?ilk=WBTC-A", { ifNoneMatch: first.etag! })).toMatchObject({ status: 304, etag: first.etag, text: "" });
  expect((await cached("/v1/vaults?ilk=ETH-A", { ifNoneMatch: first.etag! })).status).toBe(200);
});

test("a GraphQL answer with errors is no-store and never a hit; the same query without them is kept", async () => {
  const refused = `{ vaults(where: { ilk: "WBTC-A" }, limit: 5000) { items { urn } } }`;
  for (let i = 0; i < 3; i++) {
    const r = await cached("/graphql", { query: refused });
    expect(r).toMatchObject({ status: 400, cache: "miss", control: "no-store", vary: expect.stringMatching(/\bAccept\b/) });
    expect(r.body.errors[0].message).toMatch(/limit/i);
  }
  const good = () => cached("/graphql", { query: `{ vaults(where: { ilk: "WBTC-A" }) { items { urn } } }` });
  expect((await askedTwice(good))[1]).toMatchObject({ status: 200, cache: "hit", control: "no-cache", body: { data: { vaults: { items: [{ urn: s.people.carol.toLowerCase() }] } } } });
});

test("a reorganisation replaces the orphaned blocks' events: nothing kept from them, nothing counted twice", async () => {
  const { dave } = s.people;
  const urns = (r: { body: any }) => r.body.map((v: any) => v.urn);
  const route = "/v1/vaults?ilk=ETH-A";
  for (const url of readApis()) {
    await cached(route, { url });
    expect((await askedTwice(() => cached(route, { url })))[1]).toMatchObject({ cache: "hit" });
  }
  const snapshot = await chain.rpc<string>("evm_snapshot");
  await s.frob("ETH-A", dave, wad(3), wad(1000));
  await caughtUp();
  // A new block: no read API keeps its cached answer.
  for (const url of readApis()) {
    const afterBlock = await cached(route, { url });
    expect(afterBlock.cache).toBe("miss");
    expect(urns(afterBlock)).toContain(dave.toLowerCase());
    expect((await askedTwice(() => cached(route, { url })))[1]).toMatchObject({ cache: "hit" });
  }

  await chain.rpc("evm_revert", [snapshot]);
  await s.frob("ETH-A", dave, wad(4), wad(500));
  for (let i = 0; i < 3; i++) await chain.rpc("evm_mine", []);
  await caughtUp();

  // The reorg: nothing of the orphaned block's answer is served.
  for (const url of readApis()) {
    const afterReorg = await cached(route, { url });
    expect(afterReorg.cache).toBe("miss");
    expect(afterReorg.body.filter((v: any) => v.urn === dave.toLowerCase())).toEqual([expect.objectContaining({ ink: str(wad(4)), art: str(wad(500)) })]);
  }
  const ilk = (await get("/v1/ilks/ETH-A")).body;
  expect({ ink: ilk.ink, art: ilk.art }).toEqual({ ink: str(wad(19)), art: str(wad(12500)) });
  const activity = (await get(`/v1/addresses/${dave}/activity`)).body.activity;
  expect(activity.map((a: any) => [a.kind, a.detail])).toEqual([["vault.frob", `dink=${wad(4)} dart=${wad(500)}`]]);
  const [day1] = (await get("/v1/stats/daily?ilk=ETH-A")).body;
  expect(day1).toMatchObject({ day: "2026-01-01", frobs: 3, ink: str(wad(19)) });
});

test("unsafe urns: the price drop below the liquidation ratio, with the accrued rate (REST and GraphQL)", async () => {
  await s.dropPrice();
  await caughtUp();
  const rate = RAY + PARAMS.step;
  const unsafe = (await get("/v1/vaults/unsafe")).body;
  expect(unsafe).toEqual([expect.objectContaining({ ilk: "ETH-A", urn: s.people.bob.toLowerCase(), debt: str((wad(6000) * rate) / RAY), unsafe: true })]);
  const g = await gql(`{ vaults(where: { unsafe: true }) { totalCount items { urn } } ilk(id: "ETH-A") { rate spot } }`);
  expect(g.body.data).toEqual({ vaults: { totalCount: 1, items: [{ urn: s.people.bob.toLowerCase() }] }, ilk: { rate: str(rate), spot: str(spotOf(PARAMS.prices.ethDrop)) } });
});

test("auctions: kick, take, redo, take — the auction is done with exact tab, lot, sold and raised", async () => {
  await s.liquidate();
  await caughtUp();
  const rate = RAY + PARAMS.step;
  const due = wad(6000) * rate;
  const tab = (due * PARAMS.chop) / WAD;
  const owe1 = wad(PARAMS.takes.first) * wad(1700) * 10n ** 9n;
  const price2 = wad(1600) * 10n ** 9n;
  const owe2 = tab - owe1;
  const lot = wad(5) - wad(PARAMS.takes.first) - owe2 / price2;
  const { body } = await get("/v1/auctions?ilk=ETH-A");
  expect(body).toEqual([
    expect.objectContaining({ id: "ETH-A:1", urn: s.people.bob.toLowerCase(), status: "done", due: str(due), tab: "0", lot: str(lot), top: str(price2), takes: 2, redos: 1, sold: str(wad(5) - lot), raised: str(tab) }),
  ]);
  expect((await get("/v1/vaults/unsafe")).body).toEqual([]);
  const g = await gql(`{ auctions(where: { status: "done" }) { items { id keeper } } }`);
  expect(g.body.data.auctions.items).toEqual([{ id: "ETH-A:1", keeper: s.people.keeper.toLowerCase() }]);
});

test("a restart resumes where it stopped: events while it was down are applied once, earlier ones not again", async () => {
  await indexer.stop();
  await s.govern();
  indexer = await start();
  await waitFor(indexer, "/ready", 120_000);
  await caughtUp();

  const alice = (await get(`/v1/addresses/${s.people.alice}/activity`)).body;
  expect(alice.activity.map((a: any) => a.kind).sort()).toEqual(["chief.lift", "chief.lock", "chief.vote", "poll.vote", "vault.frob"]);
  expect(alice.activity.find((a: any) => a.kind === "poll.vote")).toMatchObject({ pollId: "0", optionId: str(PARAMS.poll.alice) });
  expect(alice.activity.find((a: any) => a.kind === "chief.vote").detail).toBe(`yays=${s.people.candidate.toLowerCase()}`);
  const dave = (await get(`/v1/addresses/${s.people.dave}/activity`)).body.activity;
  expect(dave.map((a: any) => a.kind).sort()).toEqual(["poll.vote", "vault.frob"]);
  const stats = (await get("/v1/stats/daily?ilk=ETH-A&to=2026-01-02")).body;
  expect(stats.map((d: any) => [d.day, d.frobs, d.barks, d.fees])).toEqual([
    ["2026-01-01", 3, 0, "0"],
    ["2026-01-02", 0, 1, str((wad(12500) * PARAMS.step) / RAY)],
  ]);
  // The analytics site reads the same figures over GraphQL.
  const answer = (await gql(`{ dailyIlkStats(where: { ilk: "ETH-A", day_in: ["2026-01-01", "2026-01-02"] }, orderBy: "day") { items { day frobs barks fees } } protocolStats(orderBy: "day") { items { day supply debt fees } } }`)).body;
  expect(answer.errors).toBeUndefined();
  const g = answer.data;
  expect(g.dailyIlkStats.items.map((d: any) => [d.day, d.frobs, d.barks, d.fees])).toEqual(stats.map((d: any) => [d.day, d.frobs, d.barks, d.fees]));
  const protocol = (await get("/v1/stats/protocol")).body;
  expect(protocol.length).toBeGreaterThan(0);
  expect(g.protocolStats.items.map((d: any) => [d.day, d.supply, d.debt, d.fees])).toEqual(protocol.map((d: any) => [d.day, d.supply, d.debt, d.fees]));
  const wbtc = (await get("/v1/auctions?ilk=WBTC-A&status=active")).body;
  expect(wbtc).toEqual([expect.objectContaining({ id: "WBTC-A:1", tab: str((wad(20000) * RAY * PARAMS.chop) / WAD), lot: str(wad(1)) })]);
});

test("an event for an ilk the Vat never initialised is recorded as skipped, not applied, and the indexer keeps going", async () => {
  expect((await get("/v1/ilks/UNKNOWN-A")).status).toBe(404);
  const g = await gql(`{ skippedEvents(orderBy: "kind") { items { source kind ilk reason } } }`);
  expect(g.body.data.skippedEvents.items).toEqual([
    { source: "vat", kind: "file", ilk: "UNKNOWN-A", reason: "ilk not initialised in the Vat" },
    { source: "spot", kind: "poke", ilk: "UNKNOWN-A", reason: "ilk not initialised in the Vat" },
  ]);
  expect(ilkId("UNKNOWN-A")).toMatch(/^0x554e4b4e4f574e2d41/);
});

test("Emergency Shutdown: cage, yank, skim and free; the day's protocol figures", async () => {
  await s.shutdown();
  await caughtUp();
  const rate = RAY + PARAMS.step;
  expect((await get("/v1/auctions?status=yanked")).body.map((a: any) => a.id)).toEqual(["WBTC-A:1"]);
  const vaults = (await get("/v1/vaults")).body.map((v: any) => [v.ilk, v.urn, v.ink, v.art]);
  const { alice, bob, carol, dave } = s.people;
  expect(vaults.sort()).toEqual(
    [
      ["ETH-A", alice.toLowerCase(), "0", "0"],
      ["ETH-A", bob.toLowerCase(), "0", "0"],
      ["ETH-A", dave.toLowerCase(), str(wad(4)), str(wad(500))],
      ["WBTC-A", carol.toLowerCase(), "0", "0"],
    ].sort(),
  );
  const kinds = (await get(`/v1/addresses/${alice}/activity?limit=4`)).body.activity.map((a: any) => a.kind);
  expect(kinds.sort()).toEqual(["es.free", "es.skim", "vault.grab", "vault.grab"]);
  const g = await gql(`{ system(id: "vat") { live } }`);
  expect(g.body.data.system.live).toBe(false);
  const protocol = (await get("/v1/stats/protocol")).body;
  expect(protocol.map((d: any) => d.day)).toEqual(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]);
  expect(protocol[0]).toMatchObject({ supply: str(wad(32500)), debt: str(wad(32500)), collateralValue: str(wad(19 * 2000 + 40000)), fees: "0" });
  expect(protocol[1]).toMatchObject({ fees: str(wad(125)), supply: str(wad(32625)), debt: str((wad(6500) * rate) / RAY + wad(20000)), collateralValue: str(wad(14 * 1700 + 40000)) });
  expect(protocol[3]).toMatchObject({ debt: str((wad(500) * rate) / RAY), collateralValue: str(wad(4 * 1700)) });
});

test("bad input: a malformed address, a limit over the maximum, an unknown route, a GraphQL query over limits — 4xx, no crash", async () => {
  const address = await get("/v1/addresses/0x1234/activity");
  expect(address).toEqual({ status: 400, body: { error: expect.stringContaining('address "0x1234"') } });
  expect(await get("/v1/vaults?limit=5000")).toEqual({ status: 400, body: { error: "limit=5000: must be from 1 to 1000" } });
  expect(await get("/v1/stats/daily?from=yesterday&ilk=ETH-A")).toEqual({ status: 400, body: { error: "from=yesterday: must be a UTC day, YYYY-MM-DD" } });
  expect((await get("/v1/nothing")).status).toBe(404);
  const overLimit = await gql(`{ vaults(limit: 5000) { items { id } } }`);
  expect(overLimit.status).toBe(400);
  expect(overLimit.body.errors[0].message).toMatch(/limit/i);
  const aliases = await gql(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: vaults { items { id } }`).join(" ")} }`);
  expect(aliases.status).toBe(400);
  expect(aliases.body.errors[0].message).toMatch(/aliases/i);
  expect((await gql(`{ vaults { items { nope } } }`)).status).toBe(400);
  expect(indexer.child.exitCode).toBeNull();
  expect((await get("/v1/ilks")).status).toBe(200);
});
