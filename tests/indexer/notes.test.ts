/** Decoding Maker's anonymous notes from the logs the test contracts really emit on a local chain. */
import type { Hex } from "viem";
import { startChain, type LocalChain } from "../../indexer/scripts/chain";
import { sourceHash, readBuild } from "../../indexer/scripts/compile";
import { Deployer, ilkId } from "../../indexer/scripts/deploy";
import { decodeNote, noteSelectors } from "../../indexer/src/notes";
import { ilkName, isUnsafe, dayOf } from "../../indexer/src/units";

type Log = { address: Hex; topics: Hex[]; data: Hex };

let chain: LocalChain;
let d: Deployer;

beforeAll(async () => {
  chain = await startChain();
  d = await new Deployer(chain).init();
});
afterAll(() => chain.stop());

async function logsOf(block: Hex): Promise<Log[]> {
  return chain.rpc<Log[]>("eth_getLogs", [{ fromBlock: block, toBlock: block }]);
}

test("contracts/build.json is built from contracts/Maker.sol as it is (npm run indexer:compile)", () => {
  expect(readBuild().sha256).toBe(sourceHash());
});

test("a Vat note: topic0 is frob's selector, the arguments come back from the logged calldata", async () => {
  const vat = await d.deploy("Vat");
  await d.send("Vat", vat, "init", [ilkId("ETH-A")]);
  const u = d.accounts[1];
  await d.send("Vat", vat, "frob", [ilkId("ETH-A"), u, u, u, 10n ** 19n, 10n ** 21n]);
  const receipt = await d.send("Vat", vat, "frob", [ilkId("ETH-A"), u, u, u, -(10n ** 18n), -(10n ** 20n)]);
  const [log] = await logsOf(receipt.blockNumber);
  expect(log.topics[0]).toBe(`${noteSelectors("vat").find((s) => s === "0x76088703")}${"0".repeat(56)}`);
  const U = u.toLowerCase();
  expect(decodeNote("vat", log)).toEqual({ source: "vat", fn: "frob", args: [ilkId("ETH-A"), U, U, U, -(10n ** 18n), -(10n ** 20n)] });
});

test("a LibNote (Jug) names its caller; a ds-note (Chief) carries the whole calldata, dynamic arrays too", async () => {
  const vat = await d.deploy("Vat");
  const jug = await d.deploy("Jug", [vat, d.accounts[7]]);
  const chief = await d.deploy("Chief");
  await d.send("Vat", vat, "init", [ilkId("WBTC-A")]);
  const drip = await d.send("Jug", jug, "drip", [ilkId("WBTC-A")], d.accounts[2]);
  const dripLogs = await logsOf(drip.blockNumber);
  const jugLog = dripLogs.find((l) => l.address.toLowerCase() === jug.toLowerCase())!;
  expect(decodeNote("jug", jugLog)).toEqual({ source: "jug", fn: "drip", args: [ilkId("WBTC-A")], caller: d.accounts[2].toLowerCase() });
  // The Vat's fold from inside the drip is the Vat's own note.
  expect(decodeNote("vat", dripLogs.find((l) => l.address.toLowerCase() === vat.toLowerCase())!)).toMatchObject({ fn: "fold", args: [ilkId("WBTC-A"), d.accounts[7].toLowerCase(), 0n] });

  const yays = [d.accounts[5], d.accounts[6]];
  const vote = await d.send("Chief", chief, "vote", [yays], d.accounts[3]);
  const [etch, note] = await logsOf(vote.blockNumber);
  expect(decodeNote("chief", note)).toEqual({ source: "chief", fn: "vote", args: [yays.map((a) => a.toLowerCase())], caller: d.accounts[3].toLowerCase() });
  expect(decodeNote("chief", etch)).toBeUndefined(); // Etch(bytes32 indexed slate) is an ordinary event
});

test("units: ilk names, the Vat's safety test, UTC days", () => {
  expect(ilkName(ilkId("ETH-A"))).toBe("ETH-A");
  expect(ilkName(`0x${"ff".repeat(32)}`)).toBe(`0x${"ff".repeat(32)}`);
  const RAY = 10n ** 27n;
  expect(isUnsafe(10n, 10n, RAY, RAY)).toBe(false);
  expect(isUnsafe(9n, 10n, RAY, RAY)).toBe(true);
  expect(isUnsafe(0n, 10n, 0n, RAY)).toBe(false); // no price yet: unknown, not unsafe
  expect(dayOf(1767312000n)).toBe("2026-01-02");
});
