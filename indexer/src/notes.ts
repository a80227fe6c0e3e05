/**
 * Decoding of Maker's anonymous notes. Vat (its own LogNote), Jug and End (dss LibNote) and Chief (ds-note) log the
 * call itself: topic0 is the function selector, the data the calldata (ABI-encoded `bytes`; ds-note adds msg.value
 * first). Decoding the calldata with the function's ABI gives the call's arguments; the caller is topic1 for the
 * LibNote and ds-note styles.
 */
import { decodeAbiParameters, decodeFunctionData, toFunctionSelector, type Abi, type Hex } from "viem";
import { chiefNoteAbi, endNoteAbi, jugNoteAbi, vatNoteAbi } from "./abis";

export type NoteSource = "vat" | "jug" | "end" | "chief";

export interface Note {
  source: NoteSource;
  /** The function's name, e.g. `frob`. */
  fn: string;
  args: readonly unknown[];
  /** The caller (LibNote, ds-note); for the Vat, the topic is the first argument instead. */
  caller?: `0x${string}`;
}

const ABIS: Record<NoteSource, Abi> = { vat: vatNoteAbi, jug: jugNoteAbi, end: endNoteAbi, chief: chiefNoteAbi };

/** Every selector a note source logs, for the log filter. */
export function noteSelectors(source: NoteSource): Hex[] {
  return ABIS[source].filter((i) => i.type === "function").map((i) => toFunctionSelector(i));
}

/** The note a log carries, or undefined when its topic0 is no known selector of that source (an ordinary event). */
export function decodeNote(source: NoteSource, log: { topics: readonly Hex[]; data: Hex }): Note | undefined {
  const topic0 = log.topics[0];
  if (!topic0 || log.topics.length < 3) return undefined;
  const selector = topic0.slice(0, 10) as Hex;
  if (`0x${topic0.slice(10)}` !== `0x${"0".repeat(56)}`) return undefined;
  if (!noteSelectors(source).includes(selector)) return undefined;
  const calldata =
    source === "chief"
      ? decodeAbiParameters([{ type: "uint256" }, { type: "bytes" }], log.data)[1]
      : decodeAbiParameters([{ type: "bytes" }], log.data)[0];
  if (!calldata.startsWith(selector)) return undefined;
  const { functionName, args } = decodeFunctionData({ abi: ABIS[source], data: calldata });
  const caller = source === "vat" ? undefined : (`0x${log.topics[1].slice(26)}` as `0x${string}`);
  return { source, fn: functionName, args: args ?? [], ...(caller ? { caller } : {}) };
}
