/**
 * The anonymous notes of the Vat, Jug, End and Chief, read per block (src/noteLogs.ts) and applied in log order to
 * the block's ledger, which writes what they changed at the block's end.
 */
import { ponder } from "ponder:registry";
import type { Hex } from "viem";
import { loadAddresses } from "../addresses";
import { BlockLedger, type At } from "../ledger";
import { finalityDepth, NoteLogReader } from "../noteLogs";
import { decodeNote, type Note, type NoteSource } from "../notes";
import { addressOf, ilkName, RAY } from "../units";

const maker = loadAddresses();
const SOURCES: Record<string, NoteSource> = {
  [maker.vat.toLowerCase()]: "vat",
  [maker.jug.toLowerCase()]: "jug",
  [maker.end.toLowerCase()]: "end",
  [maker.chief.toLowerCase()]: "chief",
};
const reader = new NoteLogReader(Object.keys(SOURCES) as Hex[], finalityDepth(maker.chainId));

ponder.on("MakerNotes:block", async ({ event, context }) => {
  const logs = await reader.logs((args) => context.client.request(args as never), event.block);
  const ledger = new BlockLedger(context.db, event.block);
  for (const log of logs) {
    const source = SOURCES[log.address.toLowerCase()];
    const note = source ? decodeNote(source, log) : undefined;
    if (!note) continue;
    const at: At = { blockNumber: event.block.number, timestamp: event.block.timestamp, transactionHash: log.transactionHash, id: `${log.transactionHash}:${Number(log.logIndex)}` };
    await apply(ledger, at, note);
  }
  await ledger.flush();
});

async function apply(ledger: BlockLedger, at: At, note: Note): Promise<void> {
  if (note.source === "vat") return applyVat(ledger, at, note);
  if (note.source === "jug") return applyJug(ledger, at, note);
  if (note.source === "end") return applyEnd(ledger, at, note);
  return applyChief(ledger, at, note);
}

async function applyVat(ledger: BlockLedger, at: At, { fn, args }: Note): Promise<void> {
  const a = args as readonly (Hex | bigint)[];
  switch (fn) {
    case "init":
      return ledger.init(ilkName(a[0] as Hex), a[0] as Hex);
    case "file": {
      if (a.length !== 3) return; // file(what, data): the global debt ceiling
      const row = await ledger.ilk(ilkName(a[0] as Hex), at, "vat", "file");
      if (!row) return;
      const what = ilkName(a[1] as Hex);
      if (what !== "spot" && what !== "line" && what !== "dust") return;
      ledger.setIlk({ ...row, [what]: a[2] as bigint });
      if (what === "spot") ledger.reprice(row.id);
      return;
    }
    case "frob":
    case "grab": {
      const row = await ledger.ilk(ilkName(a[0] as Hex), at, "vat", fn);
      if (!row) return;
      const urn = addressOf(a[1] as Hex);
      const [dink, dart] = [a[4] as bigint, a[5] as bigint];
      const dtab = row.rate * dart;
      await ledger.moveUrn(row, urn, dink, dart, fn === "frob" ? { frobs: 1 } : {}, (s) => (fn === "frob" ? { vatDebt: s.vatDebt + dtab } : { vice: s.vice - dtab }));
      ledger.record(at, urn, `vault.${fn}`, { ilk: row.id, detail: `dink=${dink} dart=${dart}` });
      return;
    }
    case "fork": {
      const row = await ledger.ilk(ilkName(a[0] as Hex), at, "vat", fn);
      if (!row) return;
      const [src, dst] = [addressOf(a[1] as Hex), addressOf(a[2] as Hex)];
      const [dink, dart] = [a[3] as bigint, a[4] as bigint];
      const after = await ledger.moveUrn(row, src, -dink, -dart, {});
      await ledger.moveUrn(after, dst, dink, dart, {});
      ledger.record(at, src, "vault.fork", { ilk: row.id, detail: `to=${dst}` });
      ledger.record(at, dst, "vault.fork", { ilk: row.id, detail: `from=${src}` });
      return;
    }
    case "fold": {
      const row = await ledger.ilk(ilkName(a[0] as Hex), at, "vat", fn);
      if (!row) return;
      const delta = a[2] as bigint;
      const rad = row.art * delta;
      ledger.setIlk({ ...row, rate: row.rate + delta }, { fees: rad / RAY });
      ledger.reprice(row.id);
      return ledger.updateSystem((s) => ({ vatDebt: s.vatDebt + rad, vaultDebt: s.vaultDebt + rad }), rad / RAY);
    }
    case "suck":
      return ledger.updateSystem((s) => ({ vatDebt: s.vatDebt + (a[2] as bigint), vice: s.vice + (a[2] as bigint) }));
    case "heal":
      return ledger.updateSystem((s) => ({ vatDebt: s.vatDebt - (a[0] as bigint), vice: s.vice - (a[0] as bigint) }));
    case "cage":
      return ledger.updateSystem(() => ({ live: false }));
  }
}

async function applyJug(ledger: BlockLedger, at: At, { args }: Note): Promise<void> {
  const row = await ledger.ilk(ilkName(args[0] as Hex), at, "jug", "drip");
  if (row) ledger.setIlk({ ...row, lastDrip: at.timestamp }, {}, false);
}

async function applyEnd(ledger: BlockLedger, at: At, { fn, args, caller }: Note): Promise<void> {
  if (fn === "cage" && args.length === 0) return ledger.record(at, caller!, "es.cage");
  const row = await ledger.ilk(ilkName(args[0] as Hex), at, "end", fn);
  if (!row) return;
  if (fn === "cage") return ledger.record(at, caller!, "es.cage-ilk", { ilk: row.id });
  if (fn === "skim") return ledger.record(at, addressOf(args[1] as Hex), "es.skim", { ilk: row.id });
  return ledger.record(at, caller!, "es.free", { ilk: row.id });
}

async function applyChief(ledger: BlockLedger, at: At, { fn, args, caller }: Note): Promise<void> {
  const [arg] = args as readonly unknown[];
  const detail = Array.isArray(arg) ? `yays=${(arg as Hex[]).map((x) => x.toLowerCase()).join(",")}` : typeof arg === "bigint" ? `wad=${arg}` : `${fn === "lift" ? "whom" : "slate"}=${String(arg).toLowerCase()}`;
  ledger.record(at, caller!, `chief.${fn}`, { detail });
}
