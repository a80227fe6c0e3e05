/** API_CACHE_MB, the read API's response cache in MiB (keys, headers and bodies): the rule the server and the stacks' plan share. */
export const DEFAULT_CACHE_MB = 64;
export const MAX_CACHE_MB = 4096;
export const CACHE_MB_RULE = `a whole number of MiB from 0 (no cache) to ${MAX_CACHE_MB}`;

/** The MiB asked for (the default when unset), or undefined for a value the rule refuses. */
export function cacheMb(raw: string | undefined): number | undefined {
  const value = raw?.trim() || String(DEFAULT_CACHE_MB);
  return /^\d+$/.test(value) && Number(value) <= MAX_CACHE_MB ? Number(value) : undefined;
}
