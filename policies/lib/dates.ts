const DAY_MS = 86_400_000;

/** Days from `today` (UTC) to a YYYY-MM-DD date; undefined when it is not a real date in that form. */
export function daysUntil(date: string, today: Date): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(day).toISOString().slice(0, 10) !== date) return undefined;
  return Math.round((day - Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) / DAY_MS);
}
