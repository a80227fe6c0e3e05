/**
 * Decoding of Maker's anonymous notes. Vat (its own LogNote), Jug and End (dss LibNote) and Chief (ds-note) log the
 * call itself: topic0 is the function selector, the data the calldata (ABI-encoded `bytes`; ds-note adds msg.value
 * first). Decoding the calldata with the function's ABI gives the call's arguments; the caller is topic1 for the
 * LibNote and ds-note styles. Addresses come back lower-case.
 */
import { decodeAbiParameters, decodeFunctionData, toFunctionSelector, type Abi, type AbiFunction, type Hex } from "viem";
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
const STATIC = new Set(["bytes32", "address", "uint256", "int256"]);
const PADDING = "0".repeat(56);
const TWO_256 = 1n << 256n;
const TWO_255 = 1n << 255n;

interface NoteFunction {
  abi: AbiFunction;
  /** Every input one word: decoded by slicing the calldata, without viem's general decoder (the hot path). */
  isStatic: boolean;
}

/** Per source, selector -> function; computed once, since a selector is a hash. */
const FUNCTIONS: Record<NoteSource, Map<Hex, NoteFunction>> = Object.fromEntries(
  (Object.keys(ABIS) as NoteSource[]).map((source) => [
    source,
    new Map(
      ABIS[source]
        .filter((i): i is AbiFunction => i.type === "function")
        .map((abi) => [toFunctionSelector(abi), { abi, isStatic: abi.inputs.every((p) => STATIC.has(p.type)) }]),
    ),
  ]),
) as Record<NoteSource, Map<Hex, NoteFunction>>;

/** Every selector a note source logs, for the log filter. */
export function noteSelectors(source: NoteSource): Hex[] {
  return [...FUNCTIONS[source].keys()];
}

function word(type: string, hex: string): unknown {
  if (type === "bytes32") return `0x${hex}`;
  if (type === "address") return `0x${hex.slice(24).toLowerCase()}`;
  const n = BigInt(`0x${hex}`);
  return type === "int256" && n >= TWO_255 ? n - TWO_256 : n;
}

/** The ABI-encoded `bytes` at the start of `data` (after `skipWords` words), as hex without 0x, or undefined. */
function bytesArg(data: Hex, skipWords: number): string | undefined {
  const at = 2 + skipWords * 64;
  const offset = Number.parseInt(data.slice(at, at + 64), 16);
  const start = 2 + offset * 2;
  const length = Number.parseInt(data.slice(start, start + 64), 16);
  if (!Number.isFinite(length) || data.length < start + 64 + length * 2) return undefined;
  return data.slice(start + 64, start + 64 + length * 2);
}

/** The note a log carries, or undefined when its topic0 is no known selector of that source (an ordinary event). */
export function decodeNote(source: NoteSource, log: { topics: readonly Hex[]; data: Hex }): Note | undefined {
  const topic0 = log.topics[0];
  if (!topic0 || log.topics.length < 3 || topic0.slice(10) !== PADDING) return undefined;
  const selector = topic0.slice(0, 10) as Hex;
  const fn = FUNCTIONS[source].get(selector);
  if (!fn) return undefined;
  const caller = source === "vat" ? undefined : (`0x${log.topics[1].slice(26).toLowerCase()}` as `0x${string}`);
  const base = { source, fn: fn.abi.name, ...(caller ? { caller } : {}) };
  if (fn.isStatic) {
    const calldata = bytesArg(log.data, source === "chief" ? 1 : 0);
    if (calldata === undefined || calldata.slice(0, 8) !== selector.slice(2)) return undefined;
    if (calldata.length < 8 + fn.abi.inputs.length * 64) return undefined;
    return { ...base, args: fn.abi.inputs.map((p, i) => word(p.type, calldata.slice(8 + i * 64, 72 + i * 64))) };
  }
  const calldata =
    source === "chief"
      ? decodeAbiParameters([{ type: "uint256" }, { type: "bytes" }], log.data)[1]
      : decodeAbiParameters([{ type: "bytes" }], log.data)[0];
  if (!calldata.startsWith(selector)) return undefined;
  const { args } = decodeFunctionData({ abi: [fn.abi], data: calldata });
  const lower = (v: unknown): unknown => (Array.isArray(v) ? v.map(lower) : typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : v);
  return { ...base, args: (args ?? []).map(lower) };
}
