/** Maker's fixed-point units and the few derived figures the views show. */
import { hexToString, type Hex } from "viem";

export const WAD = 10n ** 18n;
export const RAY = 10n ** 27n;

/** DAI (wad) owed by `art` normalised debt at accumulated `rate`. */
export const debtOf = (art: bigint, rate: bigint): bigint => (art * rate) / RAY;

/** The Vat's own test: a vault is unsafe when its collateral at the liquidation price is worth less than its debt. */
export const isUnsafe = (ink: bigint, art: bigint, spot: bigint, rate: bigint): boolean => spot > 0n && ink * spot < art * rate;

/** `ETH-A` from its bytes32; a value that is not printable ASCII stays hex. */
export function ilkName(bytes32: Hex): string {
  const text = hexToString(bytes32, { size: 32 }).replace(/\0+$/, "");
  return /^[\x21-\x7e]+$/.test(text) ? text : bytes32;
}

/** The UTC day of a block timestamp: `2026-01-02`. */
export const dayOf = (timestamp: bigint): string => new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);

/** An address word of a note topic or argument, lower-case. */
export const addressOf = (word: Hex): Hex => `0x${word.slice(-40).toLowerCase()}` as Hex;
