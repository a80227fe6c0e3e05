/** Reading resource inputs that may be missing, malformed or proxied, without throwing on either. */
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

/** A finite number, also from a numeric string ("100"): launch-template and Kubernetes inputs carry both. */
export function asNumber(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** A count: a finite number ≥ 0. */
export function asCount(value: unknown): number | undefined {
  const n = asNumber(value);
  return n !== undefined && n >= 0 ? n : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes memory or storage quantity ("32Gi", "512Mi", "1G", 1073741824) in GiB; undefined when it is not one. */
export function quantityGiB(quantity: unknown): number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) && quantity >= 0 ? quantity / 2 ** 30 : undefined;
  const match = typeof quantity === "string" ? /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|)$/.exec(quantity.trim()) : null;
  if (!match) return undefined;
  return (Number(match[1]) * (BINARY[match[2]] ?? DECIMAL[match[2]])) / 2 ** 30;
}

/** A Kubernetes CPU quantity ("4", "500m", "0.5", 2) in cores; undefined when it is not one. */
export function quantityCores(quantity: unknown): number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) && quantity >= 0 ? quantity : undefined;
  const match = typeof quantity === "string" ? /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim()) : null;
  if (!match) return undefined;
  return match[2] === "m" ? Number(match[1]) / 1000 : Number(match[1]);
}

/** Rounded to cents, the precision every monthly figure is kept at. */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
