import { CsvSyntaxError, csvCell, csvDocument, guardFormula, parseCsv } from "../../cost/csv";
import { fitComment } from "../../cost/format";

describe("CSV", () => {
  it("quotes per RFC 4180 and ends rows with CRLF", () => {
    expect(csvDocument([["a", 'say "hi", twice', "line\nbreak", 1.5, null]])).toBe('a,"say ""hi"", twice","line\nbreak",1.5,\r\n');
  });

  it.each(["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx", "\rx"])("guards the text cell %j against formula injection", (text) => {
    expect(guardFormula(text)).toBe(`'${text}`);
    expect(csvCell(text).replace(/^"/, "")).toMatch(/^'/);
  });

  it("leaves numbers, even negative ones, as numbers", () => {
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(guardFormula("infrastructure-tools")).toBe("infrastructure-tools");
  });

  it("parses what it writes, a byte-order mark, CRLF or LF, and skips blank lines", () => {
    const rows = [["h1", "h2"], ['x, "y"', "multi\r\nline"], ["", "z"]];
    expect(parseCsv(csvDocument(rows))).toEqual(rows);
    expect(parseCsv("\ufeffa,b\n\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("rejects a stray quote after a quoted field and an unclosed quote, by line", () => {
    expect(() => parseCsv('a\n"b"c\n')).toThrow(new CsvSyntaxError("line 2: a quoted field must end at a comma or line break"));
    expect(() => parseCsv('a\nb\n"c\nd')).toThrow(new CsvSyntaxError("line 3: a quoted field is not closed"));
  });
});

describe("fitting a pull-request comment", () => {
  it("cuts at a line boundary, says so, and leaves a short comment alone", () => {
    const long = Array.from({ length: 100 }, (_, i) => `| row ${i} |`).join("\n");
    const cut = fitComment(long, 400);
    expect(cut.length).toBeLessThanOrEqual(400);
    expect(cut).toMatch(/\| row \d+ \|\n\n_Cut to fit a pull-request comment; run the command locally for the full report._\n$/);
    expect(fitComment("short\n", 400)).toBe("short\n");
  });
});
