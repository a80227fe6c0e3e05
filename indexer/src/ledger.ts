/**
 * The state every handler updates: ilks, vaults, the system totals and the daily rows derived from them. One place,
 * so a frob, a grab and a fork move ink and art the same way, and every change refreshes the day's figures.
 */
import type { Context } from "ponder:registry";
import { activityEvent, dailyIlkStat, ilk, protocolStat, skippedEvent, system, vault } from "ponder:schema";
import { eq, sql } from "ponder";
import { dayOf, debtOf, isUnsafe, RAY, WAD } from "./units";

type Db = Context["db"];
type IlkRow = typeof ilk.$inferSelect;
type SystemRow = typeof system.$inferSelect;

export interface At {
  blockNumber: bigint;
  timestamp: bigint;
  transactionHash: `0x${string}`;
  /** Unique per event: `<tx>:<logIndex>`. */
  id: string;
}

export async function getSystem(db: Db): Promise<SystemRow> {
  return (
    (await db.find(system, { id: "vat" })) ??
    (await db.insert(system).values({ id: "vat", vatDebt: 0n, vice: 0n, vaultDebt: 0n, collateralValue: 0n, live: true }))
  );
}

export async function updateSystem(db: Db, at: At, change: (s: SystemRow) => Partial<SystemRow>, fees = 0n): Promise<void> {
  const s = { ...(await getSystem(db)) };
  const next = { ...s, ...change(s) };
  await db.update(system, { id: "vat" }).set(next);
  const day = dayOf(at.timestamp);
  const figures = { supply: next.vatDebt / RAY, debt: next.vaultDebt / RAY, collateralValue: next.collateralValue / WAD };
  await db
    .insert(protocolStat)
    .values({ id: day, day, ...figures, fees })
    .onConflictDoUpdate((row) => ({ ...figures, fees: row.fees + fees }));
}

/** The ilk, or undefined after recording the event as skipped: the Vat never initialised it. */
export async function knownIlk(db: Db, name: string, at: At, source: string, kind: string): Promise<IlkRow | undefined> {
  // A copy: the store hands out its cached object, which a later update of the same row would change under us.
  const found = await db.find(ilk, { id: name });
  const row = found ? { ...found } : undefined;
  if (!row) {
    await db.insert(skippedEvent).values({ id: at.id, source, kind, ilk: name, reason: "ilk not initialised in the Vat", blockNumber: at.blockNumber }).onConflictDoNothing();
  }
  return row;
}

/** Writes the ilk's new parameters and refreshes its day row. */
export async function saveIlk(db: Db, at: At, next: IlkRow, counts: { fees?: bigint; frobs?: number; barks?: number } = {}): Promise<void> {
  const row = { ...next, debt: debtOf(next.art, next.rate), updatedBlock: at.blockNumber };
  await db.update(ilk, { id: next.id }).set(row);
  const day = dayOf(at.timestamp);
  const figures = { ink: row.ink, art: row.art, rate: row.rate, debt: row.debt, price: row.price };
  const fees = counts.fees ?? 0n;
  const frobs = counts.frobs ?? 0;
  const barks = counts.barks ?? 0;
  await db
    .insert(dailyIlkStat)
    .values({ id: `${next.id}:${day}`, ilk: next.id, day, ...figures, fees, frobs, barks })
    .onConflictDoUpdate((r) => ({ ...figures, fees: r.fees + fees, frobs: r.frobs + frobs, barks: r.barks + barks }));
}

/** Moves an urn's ink and art (frob, grab, fork): the vault row, the ilk's totals, vault debt and collateral value. */
export async function moveUrn(
  db: Db,
  at: At,
  ilkRow: IlkRow,
  urn: `0x${string}`,
  dink: bigint,
  dart: bigint,
  counts: { frobs?: number; barks?: number } = {},
  alsoSystem: (s: SystemRow) => Partial<SystemRow> = () => ({}),
): Promise<IlkRow> {
  const id = `${ilkRow.id}:${urn}`;
  const fields = (ink: bigint, art: bigint) => ({ ink, art, debt: debtOf(art, ilkRow.rate), unsafe: isUnsafe(ink, art, ilkRow.spot, ilkRow.rate), updatedBlock: at.blockNumber });
  // One store operation: a new urn is inserted, a known one moved from its current row.
  await db
    .insert(vault)
    .values({ id, ilk: ilkRow.id, urn, ...fields(dink, dart) })
    .onConflictDoUpdate((row) => fields(row.ink + dink, row.art + dart));
  const next = { ...ilkRow, ink: ilkRow.ink + dink, art: ilkRow.art + dart };
  await saveIlk(db, at, next, counts);
  await updateSystem(db, at, (s) => ({ ...alsoSystem(s), vaultDebt: s.vaultDebt + ilkRow.rate * dart, collateralValue: s.collateralValue + dink * ilkRow.price }));
  return { ...next, debt: debtOf(next.art, next.rate) };
}

/** After the ilk's rate or spot changed: every vault's debt and unsafe flag, in one statement. */
export async function refreshVaults(db: Db, ilkRow: IlkRow): Promise<void> {
  const rate = sql.raw(ilkRow.rate.toString());
  const spot = sql.raw(ilkRow.spot.toString());
  await db.sql
    .update(vault)
    .set({
      debt: sql`div(${vault.art} * ${rate}, ${sql.raw(RAY.toString())})`,
      unsafe: ilkRow.spot > 0n ? sql`${vault.ink} * ${spot} < ${vault.art} * ${rate}` : sql`false`,
    })
    .where(eq(vault.ilk, ilkRow.id));
}

export async function recordActivity(db: Db, at: At, address: `0x${string}`, kind: string, extra: Partial<typeof activityEvent.$inferInsert> = {}): Promise<void> {
  await db
    .insert(activityEvent)
    .values({ id: `${at.id}:${kind}:${address}`, address: address.toLowerCase() as `0x${string}`, kind, blockNumber: at.blockNumber, timestamp: at.timestamp, transactionHash: at.transactionHash, ...extra })
    .onConflictDoNothing();
}
