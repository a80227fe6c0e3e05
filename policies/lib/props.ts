/** Reading resource props that may be missing or malformed, without throwing on either. */
export type Props = Readonly<Record<string, unknown>>;

export function asObject(value: unknown): Props | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value at a dotted path, or undefined where any step is missing or not an object. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    const obj = asObject(current);
    if (!obj) return undefined;
    current = obj[part];
  }
  return current;
}

/** Booleans arrive as `true` or, in some provider schemas (launch-template EBS settings), as the string "true". */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function asNumber(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
