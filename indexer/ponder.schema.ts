/**
 * The indexer's tables; Ponder serves each over GraphQL (`ilk`/`ilks`, `vault`/`vaults`, ...). Amounts keep Maker's
 * units as integers: wad (1e18), ray (1e27), rad (1e45); `debt` columns are DAI in wad (art × rate / ray).
 */
import { index, onchainTable } from "ponder";

/** A collateral type, by name (ETH-A): the Vat's parameters, the price fed to the Spotter and its totals. */
export const ilk = onchainTable("ilk", (t) => ({
  id: t.text().primaryKey(),
  bytes32: t.hex().notNull(),
  rate: t.bigint().notNull(),
  spot: t.bigint().notNull(),
  line: t.bigint().notNull(),
  dust: t.bigint().notNull(),
  price: t.bigint().notNull(),
  art: t.bigint().notNull(),
  ink: t.bigint().notNull(),
  debt: t.bigint().notNull(),
  lastDrip: t.bigint(),
  tag: t.bigint(),
  updatedBlock: t.bigint().notNull(),
}));

/** Every urn per ilk (the Emergency Shutdown vault listing); `unsafe` when ink × spot < art × rate. */
export const vault = onchainTable(
  "vault",
  (t) => ({
    id: t.text().primaryKey(),
    ilk: t.text().notNull(),
    urn: t.hex().notNull(),
    ink: t.bigint().notNull(),
    art: t.bigint().notNull(),
    debt: t.bigint().notNull(),
    unsafe: t.boolean().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  // (ilk, id): a page of one ilk in id order is an index range; on ilk alone the planner walks the primary key.
  (table) => ({ ilkIdx: index().on(table.ilk, table.id), urnIdx: index().on(table.urn), unsafeIdx: index().on(table.unsafe) }),
);

/** A Clipper auction, from its Kick to its last Take (done) or Yank. */
export const auction = onchainTable(
  "auction",
  (t) => ({
    id: t.text().primaryKey(),
    ilk: t.text().notNull(),
    auctionId: t.bigint().notNull(),
    clip: t.hex().notNull(),
    urn: t.hex().notNull(),
    keeper: t.hex().notNull(),
    status: t.text().notNull(),
    top: t.bigint().notNull(),
    tab: t.bigint().notNull(),
    lot: t.bigint().notNull(),
    due: t.bigint(),
    takes: t.integer().notNull(),
    redos: t.integer().notNull(),
    sold: t.bigint().notNull(),
    raised: t.bigint().notNull(),
    kickedAt: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ statusIdx: index().on(table.status), ilkIdx: index().on(table.ilk) }),
);

/** Per ilk and UTC day: the totals at the day's last event, and that day's fees, frobs and barks. */
export const dailyIlkStat = onchainTable(
  "daily_ilk_stat",
  (t) => ({
    id: t.text().primaryKey(),
    ilk: t.text().notNull(),
    day: t.text().notNull(),
    ink: t.bigint().notNull(),
    art: t.bigint().notNull(),
    rate: t.bigint().notNull(),
    debt: t.bigint().notNull(),
    price: t.bigint().notNull(),
    fees: t.bigint().notNull(),
    frobs: t.integer().notNull(),
    barks: t.integer().notNull(),
  }),
  (table) => ({ dayIdx: index().on(table.day), ilkIdx: index().on(table.ilk, table.day) }),
);

/** The whole protocol now (id `vat`): Vat.debt, Vat.vice, vault debt, collateral value, live. */
export const system = onchainTable("system", (t) => ({
  id: t.text().primaryKey(),
  vatDebt: t.bigint().notNull(),
  vice: t.bigint().notNull(),
  vaultDebt: t.bigint().notNull(),
  collateralValue: t.bigint().notNull(),
  live: t.boolean().notNull(),
}));

/** Per UTC day: DAI supply (Vat.debt), vault debt, collateral value (USD, wad) at the day's end, and fees. */
export const protocolStat = onchainTable("protocol_stat", (t) => ({
  id: t.text().primaryKey(),
  day: t.text().notNull(),
  supply: t.bigint().notNull(),
  debt: t.bigint().notNull(),
  collateralValue: t.bigint().notNull(),
  fees: t.bigint().notNull(),
}));

/** What an address did: vault moves, liquidations, shutdown claims, executive and poll votes (forum badges). */
export const activityEvent = onchainTable(
  "activity_event",
  (t) => ({
    id: t.text().primaryKey(),
    address: t.hex().notNull(),
    kind: t.text().notNull(),
    ilk: t.text(),
    pollId: t.bigint(),
    optionId: t.bigint(),
    detail: t.text(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ addressIdx: index().on(table.address, table.blockNumber) }),
);

/** Events the indexer read and did not apply (an ilk the Vat never initialised), so none vanishes unseen. */
export const skippedEvent = onchainTable("skipped_event", (t) => ({
  id: t.text().primaryKey(),
  source: t.text().notNull(),
  kind: t.text().notNull(),
  ilk: t.text(),
  reason: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
}));
