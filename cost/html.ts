/** Self-contained HTML for the cost reports: one page, inline CSS, inline SVG, no scripts, nothing fetched. */
import { html } from "./format";

const CSS = `
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6478; --rule: #d9dee8; --head: #f3f5f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
p { margin: 6px 0; }
.meta { color: var(--muted); font-size: 13px; }
.summary { font-size: 16px; margin: 12px 0 4px; }
figure { margin: 16px 0 0; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 0; font-size: 14px; }
caption { text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--rule); padding: 6px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--head); border-bottom: 2px solid var(--rule); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { overflow-wrap: anywhere; }
td.type { white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid var(--rule); }
.over { color: #b42318; font-weight: 600; }
.unknown { color: #9a5b00; font-weight: 600; }
.warning { background: #fff4e0; border-left: 4px solid #d98a00; padding: 8px 12px; margin: 12px 0; }
.muted { color: var(--muted); }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
`;

/** The page shell; the Content-Security-Policy blocks anything a browser could fetch or run. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface Cell {
  text: string;
  num?: boolean;
  className?: string;
}

/** A table with a caption and column headers; number columns align right. */
export function table(caption: string, headers: readonly Cell[], rows: readonly (readonly Cell[])[], rowClass: (i: number) => string = () => ""): string {
  const cls = (c: Cell): string => {
    const names = [c.num ? "num" : "", c.className ?? ""].filter(Boolean).join(" ");
    return names ? ` class="${names}"` : "";
  };
  const head = headers.map((h) => `<th scope="col"${cls(h)}>${html(h.text)}</th>`).join("");
  const body = rows
    .map((r, i) => {
      const rc = rowClass(i);
      return `<tr${rc ? ` class="${rc}"` : ""}>${r.map((c) => `<td${cls(c)}>${html(c.text)}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<table>\n<caption>${html(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export interface ChartSeries {
  name: string;
  color: string;
}

export interface ChartRow {
  label: string;
  /** null: no cap to draw. */
  cap: number | null;
  /** One value per series, in the series' order. */
  values: number[];
  /** What a screen reader hears for the row, e.g. "Infrastructure & Tools: 12,345 DAI of a 45,000 DAI cap". */
  summary: string;
  /** Shown right of the bars. */
  figures: string;
}

const WIDTH = 1000;
const LEFT = 16;
const BAR_AREA = 580;
const BAR = 16;
const GAP = 4;

/** Of the bar area, the share a row's cap spans: the rest leaves room for a bar that passes it. */
const CAP_SPAN = 0.8;

/**
 * A horizontal bar chart: per row a grey track up to the cap, a bar per series, a red bar where one passes the cap.
 * Each row has its own scale: its cap spans the same width on every row (a 5,000 DAI line beside a 45,000 DAI one
 * is as readable), or, past the cap, its largest bar fills the area; a row without a cap scales to its largest bar.
 */
export function barChart(id: string, title: string, description: string, series: readonly ChartSeries[], rows: readonly ChartRow[]): string {
  const scaleOf = (r: ChartRow): number => {
    const largest = Math.max(0, ...r.values);
    if (r.cap === null || r.cap <= 0) return Math.max(1, largest, r.cap ?? 0);
    return Math.max(r.cap / CAP_SPAN, largest);
  };
  const legendY = 22;
  // Legend entries side by side, each as wide as its swatch and text (about 8px a character at 14px).
  const entries: { width: number; swatch: (x: number) => string; text: string }[] = [
    ...series.map((s) => ({ width: 12, swatch: (x: number) => `<rect x="${x}" y="${legendY - 11}" width="12" height="12" fill="${s.color}"/>`, text: s.name })),
    {
      width: 24,
      swatch: (x: number) => `<rect x="${x}" y="${legendY - 11}" width="24" height="12" fill="#e6e9f0"/><line x1="${x + 24}" y1="${legendY - 14}" x2="${x + 24}" y2="${legendY + 3}" stroke="#1d2433" stroke-width="2"/>`,
      text: "cap",
    },
    { width: 12, swatch: (x: number) => `<rect x="${x}" y="${legendY - 11}" width="12" height="12" fill="#c0392b"/>`, text: "above the cap" },
  ];
  let at = LEFT;
  const legend = entries
    .map((e) => {
      const x = at;
      at += e.width + 6 + e.text.length * 8 + 24;
      return `${e.swatch(x)}<text x="${x + e.width + 6}" y="${legendY}">${html(e.text)}</text>`;
    })
    .join("");
  const rowHeight = 26 + series.length * (BAR + GAP) + 10;
  const top = 44;
  const groups = rows.map((r, i) => {
    const scale = scaleOf(r);
    const x = (v: number): number => Math.round((Math.max(0, v) / scale) * BAR_AREA * 10) / 10;
    const y = top + i * rowHeight;
    const barsTop = y + 24;
    const trackHeight = series.length * (BAR + GAP) - GAP;
    const parts = [`<title>${html(r.summary)}</title>`, `<text x="${LEFT}" y="${y + 14}" font-weight="600">${html(r.label)}</text>`];
    if (r.cap !== null) parts.push(`<rect x="${LEFT}" y="${barsTop}" width="${x(r.cap)}" height="${trackHeight}" fill="#e6e9f0"/>`);
    r.values.forEach((v, k) => {
      const over = r.cap !== null && v > r.cap;
      parts.push(`<rect x="${LEFT}" y="${barsTop + k * (BAR + GAP)}" width="${x(v)}" height="${BAR}" fill="${over ? "#c0392b" : series[k].color}"/>`);
    });
    if (r.cap !== null) parts.push(`<line x1="${LEFT + x(r.cap)}" y1="${barsTop - 4}" x2="${LEFT + x(r.cap)}" y2="${barsTop + trackHeight + 4}" stroke="#1d2433" stroke-width="2"/>`);
    parts.push(`<text x="${LEFT + BAR_AREA + 24}" y="${barsTop + trackHeight / 2 + 5}">${html(r.figures)}</text>`);
    return `<g>${parts.join("")}</g>`;
  });
  const height = top + rows.length * rowHeight + 8;
  return [
    `<svg id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="14" fill="#1d2433">`,
    `<title id="${id}-title">${html(title)}</title>`,
    `<desc id="${id}-desc">${html(description)}</desc>`,
    `<g>${legend}</g>`,
    ...groups,
    `</svg>`,
  ].join("\n");
}
