/**
 * The anonymous notes of the Vat, Jug, End and Chief, read per block by block hash (so a reorganised block's notes
 * are never mixed with its replacement's) and applied in log order.
 */
import { ponder, type Context } from "ponder:registry";
import { ilk } from "ponder:schema";
import type { Hex } from "viem";
import { loadAddresses } from "../addresses";
import { BlockBatch, getSystem, knownIlk, moveUrn, recordActivity, refreshVaults, saveIlk, updateSystem, type At } from "../ledger";
import { decodeNote, type Note, type NoteSource } from "../notes";
import { addressOf, ilkName, RAY } from "../units";

const maker = loadAddresses();
const SOURCES: Record<string, NoteSource> = {
  [maker.vat.toLowerCase()]: "vat",
  [maker.jug.toLowerCase()]: "jug",
  [maker.end.toLowerCase()]: "end",
  [maker.chief.toLowerCase()]: "chief",
};

type Db = Context["db"];
type RawLog = { address: Hex; topics: Hex[]; data: Hex; logIndex: Hex; transactionHash: Hex; removed?: boolean };

ponder.on("MakerNotes:block", async ({ event, context }) => {
  const logs = (await context.client.request({
    method: "eth_getLogs",
    params: [{ blockHash: event.block.hash, address: Object.keys(SOURCES) as Hex[] }],
  } as never)) as RawLog[];
  const batch = new BlockBatch();
  for (const log of logs) {
    const source = SOURCES[log.address.toLowerCase()];
    const note = source ? decodeNote(source, log) : undefined;
    if (!note) continue;
    const at: At = { blockNumber: event.block.number, timestamp: event.block.timestamp, transactionHash: log.transactionHash, id: `${log.transactionHash}:${Number(log.logIndex)}` };
    await apply(context.db, at, note, batch);
  }
  await batch.flush(context.db, event.block.number);
});

async function apply(db: Db, at: At, note: Note, batch: BlockBatch): Promise<void> {
  if (note.source === "vat") return applyVat(db, at, note, batch);
  if (note.source === "jug") return applyJug(db, at, note);
  if (note.source === "end") return applyEnd(db, at, note, batch);
  return applyChief(db, at, note, batch);
}

async function applyVat(db: Db, at: At, { fn, args }: Note, batch: BlockBatch): Promise<void> {
  const a = args as readonly (Hex | bigint)[];
  switch (fn) {
    case "init": {
      const name = ilkName(a[0] as Hex);
      await db
        .insert(ilk)
        .values({ id: name, bytes32: a[0] as Hex, rate: RAY, spot: 0n, line: 0n, dust: 0n, price: 0n, art: 0n, ink: 0n, debt: 0n, updatedBlock: at.blockNumber })
        .onConflictDoNothing();
      return;
    }
    case "file": {
      if (a.length !== 3) return; // file(what, data): the global debt ceiling
      const row = await knownIlk(db, ilkName(a[0] as Hex), at, "vat", "file");
      if (!row) return;
      const what = ilkName(a[1] as Hex);
      const value = a[2] as bigint;
      if (what !== "spot" && what !== "line" && what !== "dust") return;
      const next = { ...row, [what]: value };
      await saveIlk(db, at, next);
      if (what === "spot") await refreshVaults(db, next);
      return;
    }
    case "frob":
    case "grab": {
      const row = await knownIlk(db, ilkName(a[0] as Hex), at, "vat", fn);
      if (!row) return;
      const urn = addressOf(a[1] as Hex);
      const [dink, dart] = [a[4] as bigint, a[5] as bigint];
      const dtab = row.rate * dart;
      await moveUrn(db, at, row, urn, dink, dart, fn === "frob" ? { frobs: 1 } : {}, batch, (s) => (fn === "frob" ? { vatDebt: s.vatDebt + dtab } : { vice: s.vice - dtab }));
      await recordActivity(db, at, urn, `vault.${fn}`, { ilk: row.id, detail: `dink=${dink} dart=${dart}` }, batch);
      return;
    }
    case "fork": {
      const row = await knownIlk(db, ilkName(a[0] as Hex), at, "vat", fn);
      if (!row) return;
      const [src, dst] = [addressOf(a[1] as Hex), addressOf(a[2] as Hex)];
      const [dink, dart] = [a[3] as bigint, a[4] as bigint];
      const after = await moveUrn(db, at, row, src, -dink, -dart, {}, batch);
      await moveUrn(db, at, after, dst, dink, dart, {}, batch);
      await recordActivity(db, at, src, "vault.fork", { ilk: row.id, detail: `to=${dst}` }, batch);
      await recordActivity(db, at, dst, "vault.fork", { ilk: row.id, detail: `from=${src}` }, batch);
      return;
    }
    case "fold": {
      const row = await knownIlk(db, ilkName(a[0] as Hex), at, "vat", fn);
      if (!row) return;
      const delta = a[2] as bigint;
      const rad = row.art * delta;
      const next = { ...row, rate: row.rate + delta };
      await saveIlk(db, at, next, { fees: rad / RAY });
      await refreshVaults(db, next);
      await updateSystem(db, at, (s) => ({ vatDebt: s.vatDebt + rad, vaultDebt: s.vaultDebt + rad }), rad / RAY);
      return;
    }
    case "suck":
      return updateSystem(db, at, (s) => ({ vatDebt: s.vatDebt + (a[2] as bigint), vice: s.vice + (a[2] as bigint) }));
    case "heal":
      return updateSystem(db, at, (s) => ({ vatDebt: s.vatDebt - (a[0] as bigint), vice: s.vice - (a[0] as bigint) }));
    case "cage":
      await getSystem(db);
      return updateSystem(db, at, () => ({ live: false }));
  }
}

async function applyJug(db: Db, at: At, { args }: Note): Promise<void> {
  const row = await knownIlk(db, ilkName(args[0] as Hex), at, "jug", "drip");
  if (row) await db.update(ilk, { id: row.id }).set({ lastDrip: at.timestamp });
}

async function applyEnd(db: Db, at: At, { fn, args, caller }: Note, batch: BlockBatch): Promise<void> {
  if (fn === "cage" && args.length === 0) return recordActivity(db, at, caller!, "es.cage", {}, batch);
  const row = await knownIlk(db, ilkName(args[0] as Hex), at, "end", fn);
  if (!row) return;
  if (fn === "cage") return recordActivity(db, at, caller!, "es.cage-ilk", { ilk: row.id }, batch);
  if (fn === "skim") return recordActivity(db, at, addressOf(args[1] as Hex), "es.skim", { ilk: row.id }, batch);
  return recordActivity(db, at, caller!, "es.free", { ilk: row.id }, batch);
}

async function applyChief(db: Db, at: At, { fn, args, caller }: Note, batch: BlockBatch): Promise<void> {
  const [arg] = args as readonly unknown[];
  const detail = Array.isArray(arg) ? `yays=${(arg as Hex[]).map((x) => x.toLowerCase()).join(",")}` : typeof arg === "bigint" ? `wad=${arg}` : `${fn === "lift" ? "whom" : "slate"}=${String(arg).toLowerCase()}`;
  await recordActivity(db, at, caller!, `chief.${fn}`, { detail }, batch);
}
