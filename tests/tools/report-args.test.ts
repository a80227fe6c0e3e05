import { UsageError } from "../../tools/plan/args";
import { parseReportArgs } from "../../tools/report/args";

describe("actuals report arguments", () => {
  it("needs an export and defaults to the staging stack, the latest month, as text", () => {
    expect(parseReportArgs(["--actuals", "cur.csv"])).toEqual({ actuals: ["cur.csv"], stack: "staging", format: "text", help: false });
    expect(parseReportArgs(["--actuals=cur.csv", "-s", "prod", "--month", "2026-10", "--format=html", "--out", "r.html", "--cwd", "/x"])).toEqual({
      actuals: ["cur.csv"],
      stack: "prod",
      month: "2026-10",
      format: "html",
      out: "r.html",
      cwd: "/x",
      help: false,
    });
    expect(parseReportArgs(["--help"]).help).toBe(true);
  });

  it("takes several exports, in order, and any other option once", () => {
    expect(parseReportArgs(["--actuals", "cur.csv", "--actuals=gcp.csv", "--actuals", "focus.csv"]).actuals).toEqual(["cur.csv", "gcp.csv", "focus.csv"]);
    expect(() => parseReportArgs(["--actuals", "cur.csv", "--month", "2026-10", "--month", "2026-11"])).toThrow("--month is given more than once");
    expect(() => parseReportArgs(["--actuals", "cur.csv", "-s", "prod", "--stack", "staging"])).toThrow("--stack is given more than once");
  });

  it("reads the budget statement formats", () => {
    expect(["budget-statement", "budget-statement-csv"].map((f) => parseReportArgs(["--actuals", "c.csv", "--format", f]).format)).toEqual(["budget-statement", "budget-statement-csv"]);
  });

  it.each([
    [[], /--actuals <export.csv> is required/],
    [["--actuals", "c.csv", "--month", "2026-13"], /--month 2026-13: expected a month as YYYY-MM, e.g. 2026-10/],
    [["--actuals", "c.csv", "--month", "10/2026"], /--month 10\/2026: expected a month as YYYY-MM/],
    [["--actuals", "c.csv", "--format", "json"], /--format json: allowed formats are text, markdown, csv, html, budget-statement, budget-statement-csv$/],
    [["--actuals"], /--actuals needs a value/],
    [["--actuals", "c.csv", "--compare", "b.json"], /unknown option --compare/],
  ])("rejects %j with a usage error", (argv, message) => {
    expect(() => parseReportArgs(argv)).toThrow(UsageError);
    expect(() => parseReportArgs(argv)).toThrow(message);
  });
});
