/** Pulumi hands a program its config as strings (objects as JSON); this turns our namespace back into values. */
import { Obj } from "./config-reader";

/**
 * The values under `namespace:` with the prefix removed. Objects and arrays are decoded from JSON; scalars
 * stay strings (the schema reads "42" as a number where it wants one, and "007" keeps its zeros).
 */
export function decodeNamespace(all: Readonly<Record<string, string>>, namespace: string): Obj {
  const values: Obj = {};
  const prefix = `${namespace}:`;
  for (const [fullKey, text] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    values[key] = /^\s*[[{]/.test(text) ? parseJson(text) : text;
  }
  return values;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The inverse, for the offline plan: stack-file values rendered as the CLI renders them for the program. */
export function encodeConfigValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
