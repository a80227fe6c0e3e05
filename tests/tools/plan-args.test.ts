import { UsageError, parseArgs } from "../../tools/plan/args";

describe("plan arguments", () => {
  it("defaults to the staging stack as text on standard output", () => {
    expect(parseArgs([])).toEqual({ stack: "staging", format: "text", help: false });
  });

  it("reads every option, spaced or with =", () => {
    expect(parseArgs(["--stack", "prod", "--format=json", "--out", "p.json", "--cwd=/x"])).toEqual({ stack: "prod", format: "json", out: "p.json", cwd: "/x", help: false });
    expect(parseArgs(["-s", "prod", "-h"])).toMatchObject({ stack: "prod", help: true });
  });

  it("reads the finance formats and a base plan to compare with", () => {
    expect(["markdown", "csv", "html"].map((f) => parseArgs(["--format", f]).format)).toEqual(["markdown", "csv", "html"]);
    expect(parseArgs(["--stack", "prod", "--compare", "base.json", "--format", "markdown"])).toEqual({ stack: "prod", format: "markdown", compare: "base.json", help: false });
  });

  it("reads a preview to plan from, and Infracost's JSON format, with or without --compare", () => {
    expect(parseArgs(["--from-preview", "p.json", "--compare=p.json", "--format", "infracost-json"])).toEqual({ stack: "staging", format: "infracost-json", fromPreview: "p.json", compare: "p.json", help: false });
    expect(() => parseArgs(["--from-preview"])).toThrow("--from-preview needs a value");
  });

  it("judges sandbox expiry as of a given day", () => {
    expect(parseArgs(["--as-of", "2027-02-01"]).asOf).toEqual(new Date("2027-02-01T00:00:00Z"));
    expect(() => parseArgs(["--as-of", "2027-02-30"])).toThrow("--as-of 2027-02-30: expected a day as YYYY-MM-DD, e.g. 2026-12-31");
  });

  it.each([
    [["--format", "yaml"], /--format yaml: allowed formats are text, json, markdown, csv, html/],
    [["--compare", "base.json", "--format", "csv"], /--compare prints the cost diff as text, json, markdown, infracost-json, not csv/],
    [["--compare"], /--compare needs a value/],
    [["--stack"], /--stack needs a value/],
    [["--stak", "prod"], /unknown option --stak/],
    [["prod"], /unknown option prod/],
    [["--stack", "prod", "--stack", "staging"], /^--stack is given more than once; it takes one value/],
    [["-s", "prod", "--stack=staging"], /^--stack is given more than once/],
    [["--format", "json", "--format=csv"], /^--format is given more than once/],
    [["--out", "a.txt", "--out", "b.txt"], /^--out is given more than once/],
  ])("rejects %j with a usage error", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
