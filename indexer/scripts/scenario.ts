/**
 * The end-to-end scenario the tests, the bench and the dev command share: vaults on two ilks, a price drop below
 * the liquidation ratio, barks, takes, a redo, governance votes and polls, an event for an unknown ilk, and
 * Emergency Shutdown. Each phase is one UTC day of the local chain; the figures are chosen so every view has an exact
 * expected value (see tests/indexer).
 */
import type { Hex } from "viem";
import type { LocalChain } from "./chain";
import { Deployer, deployMaker, ilkId } from "./deploy";

type Address = `0x${string}`;
export type Maker = Awaited<ReturnType<typeof deployMaker>>;

export const WAD = 10n ** 18n;
export const RAY = 10n ** 27n;
const DAY = 86_400;

export const wad = (n: number | string): bigint => BigInt(Math.round(Number(n) * 1e6)) * 10n ** 12n;
const price = (usd: number): Hex => `0x${wad(usd).toString(16).padStart(64, "0")}`;

/** Scenario parameters, exported so a test computes its expectations from the same numbers. */
export const PARAMS = {
  mat: (3n * RAY) / 2n, // 150%
  chop: (113n * WAD) / 100n, // 13% penalty
  step: RAY / 100n, // +1% rate per drip
  prices: { eth: 2000, ethDrop: 1700, ethRedo: 1600, wbtc: 40000, wbtcDrop: 25000, unknown: 1 },
  vaults: {
    alice: { ilk: "ETH-A", ink: 10, art: 6000 },
    bob: { ilk: "ETH-A", ink: 5, art: 6000 },
    carol: { ilk: "WBTC-A", ink: 1, art: 20000 },
  },
  takes: { first: 2, second: 3 },
  poll: { id: 0n, alice: 1n, dave: 2n },
};

export interface People {
  deployer: Address;
  alice: Address;
  bob: Address;
  carol: Address;
  dave: Address;
  keeper: Address;
  candidate: Address;
}

export class Scenario {
  readonly d: Deployer;
  maker!: Maker;
  people!: People;

  constructor(readonly chain: LocalChain) {
    this.d = new Deployer(chain);
  }

  /** Deploys the contracts and sets up ETH-A and WBTC-A (day 1, 2026-01-01). */
  async deploy(): Promise<Maker> {
    await this.d.init();
    const [deployer, alice, bob, carol, dave, keeper, candidate] = this.d.accounts;
    this.people = { deployer, alice, bob, carol, dave, keeper, candidate };
    this.maker = await deployMaker(this.d);
    const { vat, spot, jug, dog, clippers, pips } = this.maker;
    const p = PARAMS.prices;
    for (const [ilk, usd] of [["ETH-A", p.eth], ["WBTC-A", p.wbtc]] as const) {
      await this.d.send("Vat", vat, "init", [ilkId(ilk)]);
      await this.d.send("Vat", vat, "file", [ilkId(ilk), ilkId("line"), 10n ** 6n * 10n ** 45n]);
      await this.d.send("Pip", pips[ilk], "poke", [price(usd)]);
      await this.d.send("Spotter", spot, "file", [ilkId(ilk), pips[ilk], PARAMS.mat]);
      await this.d.send("Spotter", spot, "poke", [ilkId(ilk)]);
      await this.d.send("Jug", jug, "file", [ilkId(ilk), ilkId("step"), PARAMS.step]);
      await this.d.send("Dog", dog, "file", [ilkId(ilk), clippers[ilk], PARAMS.chop]);
    }
    return this.maker;
  }

  /** Day 1: three vaults. */
  async openVaults(): Promise<void> {
    for (const [who, v] of Object.entries(PARAMS.vaults)) {
      const u = this.people[who as keyof People];
      await this.frob(v.ilk, u, wad(v.ink), wad(v.art), u);
    }
  }

  async frob(ilk: string, urn: Address, dink: bigint, dart: bigint, from = this.people.deployer) {
    return this.d.send("Vat", this.maker.vat, "frob", [ilkId(ilk), urn, urn, urn, dink, dart], from);
  }

  /** Day 2, first: ETH-A accrues 1% and its price drops 15%: bob's vault is unsafe. */
  async dropPrice(): Promise<void> {
    await this.nextDay();
    const { jug, spot, pips } = this.maker;
    await this.d.send("Jug", jug, "drip", [ilkId("ETH-A")], this.people.keeper);
    await this.d.send("Pip", pips["ETH-A"], "poke", [price(PARAMS.prices.ethDrop)]);
    await this.d.send("Spotter", spot, "poke", [ilkId("ETH-A")]);
  }

  /** Day 2, then: bob's vault is barked, partly taken, redone at a lower price, then taken out. */
  async liquidate(): Promise<void> {
    const { dog, pips, clippers } = this.maker;
    const { keeper, bob } = this.people;
    await this.d.send("Dog", dog, "bark", [ilkId("ETH-A"), bob, keeper], keeper);
    const max = 10n ** 60n;
    await this.d.send("Clipper", clippers["ETH-A"], "take", [1n, wad(PARAMS.takes.first), max, keeper, "0x"], keeper);
    await this.d.send("Pip", pips["ETH-A"], "poke", [price(PARAMS.prices.ethRedo)]);
    await this.d.send("Clipper", clippers["ETH-A"], "redo", [1n, keeper], keeper);
    await this.d.send("Clipper", clippers["ETH-A"], "take", [1n, wad(PARAMS.takes.second), max, keeper, "0x"], keeper);
  }

  /** Day 3: a poll and its votes, an executive vote and lift, an unknown ilk's price, WBTC-A falls and is barked. */
  async govern(): Promise<void> {
    await this.nextDay();
    const { polling, chief, spot, dog, pips } = this.maker;
    const { alice, dave, carol, keeper, candidate } = this.people;
    const now = Number(BigInt(await this.timestamp()));
    await this.d.send("PollingEmitter", polling, "createPoll", [BigInt(now), BigInt(now + 7 * DAY), "QmPoll", "https://vote.example/poll/0"]);
    await this.d.send("PollingEmitter", polling, "vote", [PARAMS.poll.id, PARAMS.poll.alice], alice);
    await this.d.send("PollingEmitter", polling, "vote", [PARAMS.poll.id, PARAMS.poll.dave], dave);
    await this.d.send("Chief", chief, "lock", [wad(100)], alice);
    await this.d.send("Chief", chief, "vote", [[candidate]], alice);
    await this.d.send("Chief", chief, "lift", [candidate], alice);
    await this.d.send("Pip", pips["UNKNOWN-A"], "poke", [price(PARAMS.prices.unknown)]);
    await this.d.send("Spotter", spot, "file", [ilkId("UNKNOWN-A"), pips["UNKNOWN-A"], PARAMS.mat]);
    await this.d.send("Spotter", spot, "poke", [ilkId("UNKNOWN-A")]);
    await this.d.send("Pip", pips["WBTC-A"], "poke", [price(PARAMS.prices.wbtcDrop)]);
    await this.d.send("Spotter", spot, "poke", [ilkId("WBTC-A")]);
    await this.d.send("Dog", dog, "bark", [ilkId("WBTC-A"), carol, keeper], keeper);
  }

  /** Day 4: Emergency Shutdown: cage, the WBTC-A auction yanked, alice's ETH-A vault skimmed and her collateral freed. */
  async shutdown(): Promise<void> {
    await this.nextDay();
    const { end, clippers } = this.maker;
    const { alice } = this.people;
    await this.d.send("End", end, "cage", []);
    await this.d.send("End", end, "cage", [ilkId("ETH-A")]);
    await this.d.send("Clipper", clippers["WBTC-A"], "yank", [1n]);
    await this.d.send("End", end, "skim", [ilkId("ETH-A"), alice]);
    await this.d.send("End", end, "free", [ilkId("ETH-A")], alice);
  }

  async run(): Promise<void> {
    await this.deploy();
    await this.openVaults();
    await this.dropPrice();
    await this.liquidate();
    await this.govern();
    await this.shutdown();
  }

  async nextDay(): Promise<void> {
    await this.chain.rpc("evm_increaseTime", [DAY]);
    await this.chain.rpc("evm_mine", []);
  }

  async timestamp(): Promise<Hex> {
    const block = await this.chain.rpc<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
    return block.timestamp;
  }

  async head(): Promise<number> {
    return Number(await this.chain.rpc<Hex>("eth_blockNumber"));
  }
}
