/** Number, text and table formatting the cost reports share: one way to print money in every format. */

const grouped = (decimals: number): Intl.NumberFormat =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
const USD = grouped(2);
const DAI = grouped(0);

/** 1234.5 -> "1,234.50" (USD to the cent). */
export function usd(n: number): string {
  return USD.format(cents(n));
}

/** 1234.5 -> "1,235" (DAI to the whole DAI, as budgets are voted). */
export function dai(n: number): string {
  return DAI.format(Math.round(n) || 0);
}

/** A change with its sign: "+1,234.50", "-12.00", "0.00". */
export function signedUsd(n: number): string {
  const c = cents(n);
  return c > 0 ? `+${usd(c)}` : usd(c);
}

export function signedDai(n: number): string {
  const r = Math.round(n) || 0;
  return r > 0 ? `+${dai(r)}` : dai(r);
}

/** 0.2745 -> "27.5%". */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Rounds to the cent, without -0. */
export function cents(n: number): number {
  return Math.round(n * 100) / 100 || 0;
}

/** Escapes text for a GitHub-flavoured markdown table cell: no pipes, HTML, emphasis or line breaks leak through. */
export function mdCell(text: string): string {
  return text.replace(/\r?\n|\r/g, " ").replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`);
}

/** A GitHub-flavoured markdown table; `right` marks the columns of numbers. */
export function mdTable(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  const align = headers.map((_, i) => (right.includes(i) ? "---:" : "---"));
  return [`| ${headers.join(" | ")} |`, `| ${align.join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

export function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A plain-text table with aligned columns; `right` marks the columns of numbers. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The first `limit` items, and a line saying how many were left out. */
export function truncated<T>(items: readonly T[], limit: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, limit), more: Math.max(0, items.length - limit) };
}

/** GitHub rejects a comment body above 65,536 characters. */
export const PR_COMMENT_LIMIT = 65_536;

/** Cuts a markdown document at a line boundary so it fits a pull-request comment, saying so. */
export function fitComment(markdown: string, limit: number = PR_COMMENT_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const note = "\n\n_Cut to fit a pull-request comment; run the command locally for the full report._\n";
  const cut = markdown.lastIndexOf("\n", limit - note.length);
  return `${markdown.slice(0, Math.max(cut, 0))}${note}`;
}
