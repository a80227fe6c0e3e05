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

/** Moves an urn's ink and art (frob, grab, fork): the ilk's totals, vault debt and collateral value now, the vault row
 * with the block's batch. */
export async function moveUrn(
  db: Db,
  at: At,
  ilkRow: IlkRow,
  urn: `0x${string}`,
  dink: bigint,
  dart: bigint,
  counts: { frobs?: number; barks?: number },
  batch: BlockBatch,
  alsoSystem: (s: SystemRow) => Partial<SystemRow> = () => ({}),
): Promise<IlkRow> {
  batch.move(ilkRow.id, urn, dink, dart);
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

type ActivityRow = typeof activityEvent.$inferInsert;

export async function recordActivity(db: Db, at: At, address: `0x${string}`, kind: string, extra: Partial<ActivityRow> = {}, batch?: BlockBatch): Promise<void> {
  const row = { id: `${at.id}:${kind}:${address}`, address: address.toLowerCase() as `0x${string}`, kind, blockNumber: at.blockNumber, timestamp: at.timestamp, transactionHash: at.transactionHash, ...extra };
  if (batch) batch.activity.push(row);
  else await db.insert(activityEvent).values(row).onConflictDoNothing();
}

const CHUNK = 1000;

/**
 * The vault moves and activity rows of one block's notes, written at the block's end in one statement per ilk (and
 * one for the activity): a note's vault is mostly one the store has not cached, and a statement per block costs one
 * database round trip where a store operation per note costs one each. Debt and the unsafe flag use the ilk's rate
 * and spot at the block's end.
 */
export class BlockBatch {
  private readonly moves = new Map<string, { ilk: string; urn: `0x${string}`; dink: bigint; dart: bigint }>();
  readonly activity: ActivityRow[] = [];

  move(ilkName: string, urn: `0x${string}`, dink: bigint, dart: bigint): void {
    const id = `${ilkName}:${urn}`;
    const m = this.moves.get(id) ?? { ilk: ilkName, urn, dink: 0n, dart: 0n };
    this.moves.set(id, { ...m, dink: m.dink + dink, dart: m.dart + dart });
  }

  async flush(db: Db, blockNumber: bigint): Promise<void> {
    const byIlk = new Map<string, [string, { urn: `0x${string}`; dink: bigint; dart: bigint }][]>();
    for (const [id, m] of this.moves) byIlk.set(m.ilk, [...(byIlk.get(m.ilk) ?? []), [id, m]]);
    for (const [name, moves] of byIlk) {
      const row = await db.find(ilk, { id: name });
      if (!row) continue;
      const rate = sql.raw(row.rate.toString());
      const spot = sql.raw(row.spot.toString());
      const ink = sql`(${vault.ink} + excluded.ink)`;
      const art = sql`(${vault.art} + excluded.art)`;
      const values = moves.map(([id, m]) => ({ id, ilk: name, urn: m.urn, ink: m.dink, art: m.dart, debt: debtOf(m.dart, row.rate), unsafe: isUnsafe(m.dink, m.dart, row.spot, row.rate), updatedBlock: blockNumber }));
      for (let i = 0; i < values.length; i += CHUNK) {
        await db.sql
          .insert(vault)
          .values(values.slice(i, i + CHUNK))
          .onConflictDoUpdate({
            target: vault.id,
            set: {
              ink,
              art,
              debt: sql`div(${art} * ${rate}, ${sql.raw(RAY.toString())})`,
              unsafe: row.spot > 0n ? sql`${ink} * ${spot} < ${art} * ${rate}` : sql`false`,
              updatedBlock: sql.raw(blockNumber.toString()),
            },
          });
      }
    }
    for (let i = 0; i < this.activity.length; i += CHUNK) await db.sql.insert(activityEvent).values(this.activity.slice(i, i + CHUNK)).onConflictDoNothing();
  }
}
