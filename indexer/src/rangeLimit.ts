/**
 * Whether an error from a ranged eth_getLogs is the endpoint's limit on a range's width or answer size (a narrower
 * range will do) rather than a passing fault (rate limit, timeout, a node behind, a dropped connection).
 */
const LIMIT = /query returned more than|block range|range (is )?too (large|wide|big)|too many (results|logs|blocks)|limit exceeded|exceeds? (the )?max(imum)?|response size|max(imum)? (results|range)|ranges over|logs? (is|are)? ?limited/i;
const PASSING = /\brate\b|too many requests|per second|timed? ?out|timeout|capacity|throttl|beyond (the )?(current )?head|header not found|unknown block/i;

export function isRangeLimit(error: unknown): boolean {
  let code = false;
  let limit = false;
  for (let e = error as { code?: unknown; status?: unknown; message?: unknown; details?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === "object" && depth < 8; e = e.cause as typeof e, depth++) {
    const text = `${typeof e.message === "string" ? e.message : ""} ${typeof e.details === "string" ? e.details : ""}`;
    if (e.status === 429 || e.code === 429 || PASSING.test(text)) return false;
    if (e.code === -32005) code = true;
    if (LIMIT.test(text)) limit = true;
  }
  return code || limit;
}
