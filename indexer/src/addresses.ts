/**
 * Where Maker's core contracts live, per chain. Mainnet's come from the Chainlog (chainlog.makerdao.com, keys
 * MCD_VAT, MCD_SPOT, MCD_JUG, MCD_DOG, MCD_END, MCD_ADM, MCD_CLIP_<ILK>) and the polling emitter from
 * vote.makerdao.com's contract list. Any other chain (a local test chain, a testnet deployment) names its own in
 * `MAKER_ADDRESSES`: a JSON file of the same shape, or that JSON inline (a worker's env in the stack file).
 */
import * as fs from "fs";

type Address = `0x${string}`;

export interface MakerAddresses {
  chainId: number;
  /** Where the addresses were read, and when. */
  source: string;
  date: string;
  /** First block worth indexing (the Vat's deployment on mainnet). */
  startBlock: number;
  vat: Address;
  spot: Address;
  jug: Address;
  dog: Address;
  end: Address;
  chief: Address;
  polling: Address;
  /** One Clipper per collateral type, by ilk name. */
  clippers: Record<string, Address>;
}

export const MAINNET: MakerAddresses = {
  chainId: 1,
  source: "Chainlog (chainlog.makerdao.com) MCD_* keys; polling emitter from vote.makerdao.com",
  date: "2026-12-02",
  startBlock: 8928152,
  vat: "0x35D1b3F3D7966A1DFe207aa4514C12a259A0492B",
  spot: "0x65C79fcB50Ca1594B025960e539eD7A9a6D434A3",
  jug: "0x19c0976f590D67707E62397C87829d896Dc0f1F1",
  dog: "0x135954d155898D42C90D2a57824C690e0c7BEf1B",
  end: "0x0e2e8F1D1326A4B9633D96222Ce399c708B19c28",
  chief: "0x0a3f6849f78076aefaDf113F5BED87720274dDC0",
  polling: "0xF9be8F0945acDdeeDaA64DFCA5Fe9629D0CF8E5D",
  clippers: {
    "ETH-A": "0xc67963a226eddd77B91aD8c421630A1b0AdFF270",
    "WBTC-A": "0x0227b54AdbFAEec5f1eD1dFa11f54dcff9076e2C",
  },
};

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The deployment to index: `MAKER_ADDRESSES` when set, else mainnet's when `CHAIN_ID` is 1 (or unset). */
export function loadAddresses(env: Record<string, string | undefined> = process.env): MakerAddresses {
  const value = env.MAKER_ADDRESSES?.trim();
  const chainId = Number(env.CHAIN_ID ?? "1");
  if (!value) {
    if (chainId !== 1) throw new Error(`CHAIN_ID=${env.CHAIN_ID}: no built-in Maker addresses for this chain; set MAKER_ADDRESSES to the deployment's address book (JSON, or a JSON file)`);
    return MAINNET;
  }
  const file = value.startsWith("{") ? "(inline)" : value;
  let parsed: MakerAddresses;
  try {
    parsed = JSON.parse(value.startsWith("{") ? value : fs.readFileSync(value, "utf8")) as MakerAddresses;
  } catch (e) {
    throw new Error(`MAKER_ADDRESSES=${file}: not a readable JSON address book (${(e as Error).message})`, { cause: e });
  }
  if (env.CHAIN_ID !== undefined && parsed.chainId !== chainId) throw new Error(`MAKER_ADDRESSES=${file}: chainId ${parsed.chainId} is not CHAIN_ID=${env.CHAIN_ID}`);
  const named: [string, unknown][] = [
    ...(["vat", "spot", "jug", "dog", "end", "chief", "polling"] as const).map((k): [string, unknown] => [k, parsed[k]]),
    ...Object.entries(parsed.clippers ?? {}).map(([ilk, a]): [string, unknown] => [`clippers.${ilk}`, a]),
  ];
  const bad = named.filter(([, a]) => typeof a !== "string" || !ADDRESS.test(a));
  if (bad.length > 0) throw new Error(`MAKER_ADDRESSES=${file}: ${bad.map(([k, a]) => `${k}=${String(a)}`).join(", ")} must be 0x-prefixed 20-byte addresses`);
  return parsed;
}

/** The ilk a Clipper auctions, from its address. */
export function ilkOfClipper(addresses: MakerAddresses, clip: string): string | undefined {
  return Object.entries(addresses.clippers).find(([, a]) => a.toLowerCase() === clip.toLowerCase())?.[0];
}
