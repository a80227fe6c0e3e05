/** Query and path parameters of the REST routes: each parser returns a value or a message for a 400. */
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

export function parseLimit(raw: string | undefined): Parsed<number> {
  if (raw === undefined) return ok(DEFAULT_LIMIT);
  if (!/^\d+$/.test(raw)) return bad(`limit=${raw}: must be a whole number from 1 to ${MAX_LIMIT}`);
  const n = Number(raw);
  if (n < 1 || n > MAX_LIMIT) return bad(`limit=${raw}: must be from 1 to ${MAX_LIMIT}`);
  return ok(n);
}

export function parseAddress(raw: string): Parsed<`0x${string}`> {
  if (!/^0x[0-9a-fA-F]{40}$/.test(raw)) return bad(`address ${JSON.stringify(raw)}: must be 0x followed by 40 hex digits`);
  return ok(raw.toLowerCase() as `0x${string}`);
}

export function parseDay(name: string, raw: string | undefined): Parsed<string | undefined> {
  if (raw === undefined) return ok(undefined);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) return bad(`${name}=${raw}: must be a UTC day, YYYY-MM-DD`);
  return ok(raw);
}

export function parseIlk(raw: string | undefined): Parsed<string | undefined> {
  if (raw === undefined) return ok(undefined);
  if (!/^[\x21-\x7e]{1,32}$/.test(raw)) return bad(`ilk=${raw}: must be a collateral type name such as ETH-A`);
  return ok(raw);
}

export const AUCTION_STATUSES = ["active", "done", "yanked"] as const;

export function parseStatus(raw: string | undefined): Parsed<string | undefined> {
  if (raw === undefined) return ok(undefined);
  if (!(AUCTION_STATUSES as readonly string[]).includes(raw)) return bad(`status=${raw}: must be one of ${AUCTION_STATUSES.join(", ")}`);
  return ok(raw);
}
