/** RFC 4180 CSV: writing cells a spreadsheet opens safely, and reading the clouds' billing exports. */

/** A text cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return first) gets a leading '. */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One cell: numbers as they are, text guarded against formula injection, quoted when it holds , " CR or LF. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  const text = typeof value === "number" ? String(value) : guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows joined with CRLF, as RFC 4180 has it, ending with a line break. */
export function csvDocument(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export class CsvSyntaxError extends Error {}

/** Parses RFC 4180 CSV (quoted fields, "" escapes, CRLF or LF, a UTF-8 byte-order mark); drops blank lines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let openedAt = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = (): void => {
    row.push(cell);
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    cell = "";
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        if (i + 1 < src.length && !/[,\r\n]/.test(src[i + 1])) throw new CsvSyntaxError(`line ${line}: a quoted field must end at a comma or line break`);
      } else {
        if (c === "\n") line++;
        cell += c;
      }
    } else if (c === '"' && cell === "") {
      quoted = true;
      openedAt = line;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      endRow();
      line++;
    } else {
      cell += c;
    }
  }
  if (quoted) throw new CsvSyntaxError(`line ${openedAt}: a quoted field is not closed`);
  if (cell !== "" || row.length > 0) endRow();
  return rows;
}
