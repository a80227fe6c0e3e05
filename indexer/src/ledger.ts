/**
 * The state every handler updates: ilks, vaults, the system totals and the daily rows derived from them. One place,
 * so a frob, a grab and a fork move ink and art the same way, and every change refreshes the day's figures.
 */
import type { Context } from "ponder:registry";
import { activityEvent, dailyIlkStat, ilk, protocolStat, skippedEvent, system, vault } from "ponder:schema";
import { and, eq, ne } from "ponder";
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

/** After the ilk's rate or spot changed: the debt and unsafe flag of every vault of it that owes anything (one with
 * no art owes 0 and is safe at any rate). Through the store, so its cache stays whole: a raw write would flush and
 * drop it, and every later lookup would read the database. */
export async function refreshVaults(db: Db, ilkRow: IlkRow): Promise<void> {
  // A read-only query: the store first writes its pending vault rows, so the ids are this block's.
  const owing = await db.sql.select({ id: vault.id }).from(vault).where(and(eq(vault.ilk, ilkRow.id), ne(vault.art, 0n)));
  for (const { id } of owing) {
    await db.update(vault, { id }).set((v) => ({ debt: debtOf(v.art, ilkRow.rate), unsafe: isUnsafe(v.ink, v.art, ilkRow.spot, ilkRow.rate) }));
  }
}

type ActivityRow = typeof activityEvent.$inferInsert;

const activityRow = (at: At, address: `0x${string}`, kind: string, extra: Partial<ActivityRow>): ActivityRow => ({
  id: `${at.id}:${kind}:${address}`,
  address: address.toLowerCase() as `0x${string}`,
  kind,
  blockNumber: at.blockNumber,
  timestamp: at.timestamp,
  transactionHash: at.transactionHash,
  ...extra,
});

export async function recordActivity(db: Db, at: At, address: `0x${string}`, kind: string, extra: Partial<ActivityRow> = {}): Promise<void> {
  await db.insert(activityEvent).values(activityRow(at, address, kind, extra)).onConflictDoNothing();
}

type VaultMove = { ilk: string; urn: `0x${string}`; dink: bigint; dart: bigint };
type DayCounts = { fees: bigint; frobs: number; barks: number };

/**
 * One block's notes applied in memory and written at the block's end: each touched ilk, day row, vault and the
 * system once, however many notes moved them, and the activity rows in one insert. The notes of a block are read and
 * applied by one handler, so nothing else writes these rows meanwhile; the block's final rate and spot price every
 * vault it moved.
 */
export class BlockLedger {
  private readonly ilks = new Map<string, IlkRow | null>();
  private readonly changedIlks = new Set<string>();
  private readonly days = new Map<string, DayCounts>();
  private readonly refresh = new Set<string>();
  private system?: SystemRow;
  private systemChanged = false;
  private fees = 0n;
  private readonly moves = new Map<string, VaultMove>();
  private readonly activity = new Map<string, ActivityRow>();

  constructor(
    private readonly db: Db,
    private readonly block: { number: bigint; timestamp: bigint },
  ) {}

  /** The ilk as this block left it so far, or undefined after recording the event as skipped. */
  async ilk(name: string, at: At, source: string, kind: string): Promise<IlkRow | undefined> {
    if (!this.ilks.has(name)) {
      const found = await this.db.find(ilk, { id: name });
      this.ilks.set(name, found ? { ...found } : null);
    }
    const row = this.ilks.get(name);
    if (row) return row;
    await knownIlk(this.db, name, at, source, kind);
    return undefined;
  }

  async init(name: string, bytes32: `0x${string}`): Promise<void> {
    if (this.ilks.get(name)) return;
    await this.db
      .insert(ilk)
      .values({ id: name, bytes32, rate: RAY, spot: 0n, line: 0n, dust: 0n, price: 0n, art: 0n, ink: 0n, debt: 0n, updatedBlock: this.block.number })
      .onConflictDoNothing();
    this.ilks.delete(name);
  }

  /** A new state of the ilk; `day` also refreshes its day row (with that day's counts), as every Vat change does. */
  setIlk(next: IlkRow, counts: Partial<DayCounts> = {}, day = true): IlkRow {
    const row = day ? { ...next, debt: debtOf(next.art, next.rate), updatedBlock: this.block.number } : next;
    this.ilks.set(row.id, row);
    this.changedIlks.add(row.id);
    if (day) {
      const c = this.days.get(row.id) ?? { fees: 0n, frobs: 0, barks: 0 };
      this.days.set(row.id, { fees: c.fees + (counts.fees ?? 0n), frobs: c.frobs + (counts.frobs ?? 0), barks: c.barks + (counts.barks ?? 0) });
    }
    return row;
  }

  /** Rate or spot changed: the ilk's vaults are repriced at the block's end. */
  reprice(name: string): void {
    this.refresh.add(name);
  }

  async updateSystem(change: (s: SystemRow) => Partial<SystemRow>, fees = 0n): Promise<void> {
    this.system ??= { ...(await getSystem(this.db)) };
    this.system = { ...this.system, ...change(this.system) };
    this.systemChanged = true;
    this.fees += fees;
  }

  /** Moves an urn's ink and art (frob, grab, fork): the ilk's totals, vault debt and collateral value. */
  async moveUrn(ilkRow: IlkRow, urn: `0x${string}`, dink: bigint, dart: bigint, counts: Partial<DayCounts>, alsoSystem: (s: SystemRow) => Partial<SystemRow> = () => ({})): Promise<IlkRow> {
    const id = `${ilkRow.id}:${urn}`;
    const m = this.moves.get(id) ?? { ilk: ilkRow.id, urn, dink: 0n, dart: 0n };
    this.moves.set(id, { ...m, dink: m.dink + dink, dart: m.dart + dart });
    await this.updateSystem((s) => ({ ...alsoSystem(s), vaultDebt: s.vaultDebt + ilkRow.rate * dart, collateralValue: s.collateralValue + dink * ilkRow.price }));
    return this.setIlk({ ...ilkRow, ink: ilkRow.ink + dink, art: ilkRow.art + dart }, counts);
  }

  record(at: At, address: `0x${string}`, kind: string, extra: Partial<ActivityRow> = {}): void {
    const row = activityRow(at, address, kind, extra);
    // The first of two rows with one id wins (a fork from an urn to itself), as an insert ignoring conflicts would.
    if (!this.activity.has(row.id)) this.activity.set(row.id, row);
  }

  async flush(): Promise<void> {
    const { db } = this;
    const blockNumber = this.block.number;
    for (const [id, m] of this.moves) {
      const { rate, spot } = this.ilks.get(m.ilk)!;
      await db
        .insert(vault)
        .values({ id, ilk: m.ilk, urn: m.urn, ink: m.dink, art: m.dart, debt: debtOf(m.dart, rate), unsafe: isUnsafe(m.dink, m.dart, spot, rate), updatedBlock: blockNumber })
        .onConflictDoUpdate((v) => {
          const [ink, art] = [v.ink + m.dink, v.art + m.dart];
          return { ink, art, debt: debtOf(art, rate), unsafe: isUnsafe(ink, art, spot, rate), updatedBlock: blockNumber };
        });
    }
    for (const name of this.refresh) await refreshVaults(db, this.ilks.get(name)!);
    const day = dayOf(this.block.timestamp);
    for (const name of this.changedIlks) {
      const row = this.ilks.get(name)!;
      await db.update(ilk, { id: name }).set(row);
      const c = this.days.get(name);
      if (!c) continue;
      const figures = { ink: row.ink, art: row.art, rate: row.rate, debt: row.debt, price: row.price };
      await db
        .insert(dailyIlkStat)
        .values({ id: `${name}:${day}`, ilk: name, day, ...figures, ...c })
        .onConflictDoUpdate((r) => ({ ...figures, fees: r.fees + c.fees, frobs: r.frobs + c.frobs, barks: r.barks + c.barks }));
    }
    if (this.system && this.systemChanged) {
      const next = this.system;
      const fees = this.fees;
      await db.update(system, { id: "vat" }).set(next);
      const figures = { supply: next.vatDebt / RAY, debt: next.vaultDebt / RAY, collateralValue: next.collateralValue / WAD };
      await db
        .insert(protocolStat)
        .values({ id: day, day, ...figures, fees })
        .onConflictDoUpdate((row) => ({ ...figures, fees: row.fees + fees }));
    }
    // A plain insert: the ids are unique per note (deduplicated above), and on PostgreSQL the store then needs no
    // lookup per row, which would read the database once its cache is no longer whole (after a restart).
    if (this.activity.size > 0) await db.insert(activityEvent).values([...this.activity.values()]);
  }
}
