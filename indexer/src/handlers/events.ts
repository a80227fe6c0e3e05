/** The ordinary events: Spot's Poke, Dog's Bark, each Clipper's Kick/Take/Redo/Yank, the polling emitter's Voted. */
import { ponder } from "ponder:registry";
import { auction } from "ponder:schema";
import { ilkOfClipper, loadAddresses } from "../addresses";
import { knownIlk, recordActivity, saveIlk, updateSystem, type At } from "../ledger";
import { ilkName } from "../units";

const maker = loadAddresses();

const atOf = (event: { block: { number: bigint; timestamp: bigint }; transaction: { hash: `0x${string}` }; log: { logIndex: number } }): At => ({
  blockNumber: event.block.number,
  timestamp: event.block.timestamp,
  transactionHash: event.transaction.hash,
  id: `${event.transaction.hash}:${event.log.logIndex}`,
});

ponder.on("Spot:Poke", async ({ event, context }) => {
  const at = atOf(event);
  const row = await knownIlk(context.db, ilkName(event.args.ilk), at, "spot", "poke");
  if (!row) return;
  const price = BigInt(event.args.val);
  await saveIlk(context.db, at, { ...row, price });
  await updateSystem(context.db, at, (s) => ({ collateralValue: s.collateralValue + row.ink * (price - row.price) }));
});

ponder.on("Dog:Bark", async ({ event, context }) => {
  const at = atOf(event);
  const { ilk: ilkHex, urn, due, clip, id } = event.args;
  const row = await knownIlk(context.db, ilkName(ilkHex), at, "dog", "bark");
  if (!row) return;
  await context.db.update(auction, { id: `${row.id}:${id}` }).set({ due, urn: urn.toLowerCase() as `0x${string}`, clip: clip.toLowerCase() as `0x${string}` });
  await saveIlk(context.db, at, row, { barks: 1 });
  await recordActivity(context.db, at, urn, "vault.bark", { ilk: row.id, detail: `auction=${id}` });
});

/** The Clipper's ilk, or undefined (and the event recorded as skipped) for a Clipper not in the address book. */
async function clipperIlk(db: Parameters<typeof knownIlk>[0], clip: string, at: At, kind: string): Promise<string | undefined> {
  const name = ilkOfClipper(maker, clip) ?? `clipper ${clip.toLowerCase()}`;
  return (await knownIlk(db, name, at, "clipper", kind))?.id;
}

ponder.on("Clipper:Kick", async ({ event, context }) => {
  const at = atOf(event);
  const name = await clipperIlk(context.db, event.log.address, at, "kick");
  if (!name) return;
  const { id, top, tab, lot, usr, kpr } = event.args;
  await context.db.insert(auction).values({
    id: `${name}:${id}`, ilk: name, auctionId: id, clip: event.log.address.toLowerCase() as `0x${string}`, urn: usr.toLowerCase() as `0x${string}`,
    keeper: kpr.toLowerCase() as `0x${string}`, status: "active", top, tab, lot, takes: 0, redos: 0, sold: 0n, raised: 0n,
    kickedAt: at.timestamp, updatedAt: at.timestamp,
  });
});

ponder.on("Clipper:Take", async ({ event, context }) => {
  const at = atOf(event);
  const name = await clipperIlk(context.db, event.log.address, at, "take");
  if (!name) return;
  const { id, owe, tab, lot } = event.args;
  await context.db.update(auction, { id: `${name}:${id}` }).set((a) => ({
    tab, lot, takes: a.takes + 1, sold: a.sold + (a.lot - lot), raised: a.raised + owe,
    status: lot === 0n || tab === 0n ? "done" : "active", updatedAt: at.timestamp,
  }));
  await recordActivity(context.db, at, event.transaction.from, "auction.take", { ilk: name, detail: `auction=${id} owe=${owe}` });
});

ponder.on("Clipper:Redo", async ({ event, context }) => {
  const at = atOf(event);
  const name = await clipperIlk(context.db, event.log.address, at, "redo");
  if (!name) return;
  const { id, top, tab, lot, kpr } = event.args;
  await context.db.update(auction, { id: `${name}:${id}` }).set((a) => ({ top, tab, lot, keeper: kpr.toLowerCase() as `0x${string}`, redos: a.redos + 1, updatedAt: at.timestamp }));
});

ponder.on("Clipper:Yank", async ({ event, context }) => {
  const at = atOf(event);
  const name = await clipperIlk(context.db, event.log.address, at, "yank");
  if (!name) return;
  await context.db.update(auction, { id: `${name}:${event.args.id}` }).set({ status: "yanked", updatedAt: at.timestamp });
});

ponder.on("PollingEmitter:Voted", async ({ event, context }) => {
  const { voter, pollId, optionId } = event.args;
  await recordActivity(context.db, atOf(event), voter, "poll.vote", { pollId, optionId });
});
