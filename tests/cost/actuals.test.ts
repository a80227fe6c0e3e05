import * as fs from "fs";
import * as path from "path";
import { detectFormat, monthOf, normaliseTagKey, parseBillingExport, readBillingExport } from "../../cost/actuals";
import { mergeExports, readActuals } from "../../cost/actuals-merge";
import { reconcile } from "../../cost/actuals-reconcile";
import { ACTUALS_CSV_HEADER, notes, renderActualsCsv, renderActualsHtml, renderActualsMarkdown, renderActualsText } from "../../cost/actuals-report";
import { parseCsv } from "../../cost/csv";
import { InputFileError } from "../../cost/errors";
import { smallPlan } from "./plans";

const FIXTURES = path.resolve(__dirname, "../fixtures/actuals");
const fixture = (name: string): string => path.join(FIXTURES, name);
/** The fixtures as the report reads them, each named by its file name alone. */
const actualsOf = (...names: string[]): ReturnType<typeof mergeExports> => mergeExports(names.map((file) => ({ file, billing: readBillingExport(fixture(file)) })));

/** Per row of a reconciliation: id, cap, forecast, actual (USD, to the cent), line items. */
function figures(file: string, month?: string): (string | number | null)[][] {
  const r = reconcile(smallPlan(), actualsOf(file), month);
  return [...r.lines, r.total].map((l) => [l.id, l.monthlyCapDai, Math.round(l.forecastUsd * 100) / 100, Math.round(l.actualUsd * 100) / 100, l.lineItems]);
}

describe("reading billing exports", () => {
  it.each([
    ["aws-cur2.csv", "aws-cur", ["2026-10", "2026-11"], 11],
    ["focus.csv", "focus", ["2026-10", "2026-11"], 5],
    ["gcp-billing.csv", "gcp-billing", ["2026-10", "2026-11"], 5],
  ])("detects %s as %s, with its months", (file, format, months, rows) => {
    const billing = readBillingExport(fixture(file));
    expect([billing.format, billing.months, billing.charges.length]).toEqual([format, months, rows]);
  });

  it("reads AWS CUR 2.0 tags from the resource_tags JSON map, normalising user_budget_line to budget-line", () => {
    const { charges } = readBillingExport(fixture("aws-cur2.csv"));
    expect(charges[0]).toEqual({ month: "2026-10", costUsd: 312.73, tags: { "budget-line": "infrastructure-tools", environment: "prod", workload: "ethereum-node" }, line: 2, keys: expect.any(Array) });
    expect(charges[3]).toEqual({ month: "2026-10", costUsd: 12.5, tags: {}, line: 5, keys: expect.any(Array) }); // tax: untagged, with a quoted comma in its description
    expect(charges[9].costUsd).toBe(-5.25); // a credit lowers the line's actual
  });

  it("reads CUR 2.0 tags queried as their own columns, and legacy CUR's resourceTags/user: columns", () => {
    const cur2 = parseBillingExport(
      "bill_billing_period_start_date,line_item_unblended_cost,resource_tags_user_budget_line,resource_tags_user_environment\n2026-11-01T00:00:00Z,10.5,rnd-poc,prod\n2026-11-01T00:00:00Z,2,,\n",
      "flat.csv",
    );
    expect(cur2.charges.map((c) => c.tags)).toEqual([{ "budget-line": "rnd-poc", environment: "prod" }, {}]);
    const legacy = parseBillingExport("bill/BillingPeriodStartDate,lineItem/UnblendedCost,lineItem/CurrencyCode,resourceTags/user:budget-line\n2026-09-01T00:00:00Z,3.25,USD,hardware\n", "legacy.csv");
    expect(legacy).toEqual({ format: "aws-cur", months: ["2026-09"], charges: [{ month: "2026-09", costUsd: 3.25, tags: { "budget-line": "hardware" }, line: 2, keys: expect.any(Array) }] });
  });

  it("reads FOCUS BilledCost and Tags, not EffectiveCost", () => {
    const { charges } = readBillingExport(fixture("focus.csv"));
    expect(charges[0]).toMatchObject({ month: "2026-10", costUsd: 312.73, tags: { "budget-line": "infrastructure-tools", environment: "prod" } });
  });

  it("reads GCP labels as a list of {key, value} or as labels.<key> columns, adds credits, and takes the invoice month", () => {
    const { charges } = readBillingExport(fixture("gcp-billing.csv"));
    expect(charges[0]).toEqual({ month: "2026-10", costUsd: 140, tags: { "budget-line": "infrastructure-tools", environment: "prod" }, line: 2, keys: expect.any(Array) });
    expect(charges[4].month).toBe("2026-11"); // used on 31 October, invoiced in November
    const flat = parseBillingExport("usage_start_time,cost,currency,labels.budget-line\n2026-11-03 10:00:00 UTC,4.5,USD,rnd-poc\n", "flat.csv");
    expect(flat).toMatchObject({ format: "gcp-billing", charges: [{ month: "2026-11", costUsd: 4.5, tags: { "budget-line": "rnd-poc" } }] });
  });

  it("normalises tag keys and months as each cloud writes them", () => {
    expect(["user_budget_line", "user:budget-line", "budget-line", "Budget_Line"].map(normaliseTagKey)).toEqual(Array(4).fill("budget-line"));
    expect(["2026-10-01T00:00:00.000Z", "2026-10-01 00:00:00 UTC", "202610", "2026-10", "2026-13-01", "yesterday", ""].map(monthOf)).toEqual([
      "2026-10",
      "2026-10",
      "2026-10",
      "2026-10",
      null,
      null,
      null,
    ]);
    expect(detectFormat(["date", "amount"])).toBeNull();
  });

  it.each([
    ["", /empty\.csv: empty; expected a billing export with a header row/],
    ["date,amount\n2026-10-01,3\n", /x\.csv: not a billing export this command reads; expected a header with line_item_unblended_cost \(AWS CUR 2\.0\), BilledCost \(FOCUS\) or cost and labels \(GCP billing export\); got: date, amount$/],
    ["BillingPeriodStart,BilledCost,BillingCurrency\n2026-10-01,3,EUR\n", /x\.csv line 2: cost in EUR; this report reads USD exports only/],
    ["BillingPeriodStart,BilledCost\n2026-10-01,three\n", /x\.csv line 2: cost "three" is not a number/],
    ["BillingPeriodStart,BilledCost,Tags\n2026-10-01,3,{oops\n", /x\.csv line 2: the tags are not JSON: \{oops/],
    ["BillingPeriodStart,BilledCost\n2026-10-01,3,4\n", /x\.csv line 2: 3 fields where the header has 2/],
    ['BillingPeriodStart,BilledCost\n2026-10-01,"3\n', /x\.csv: not valid CSV: line 2: a quoted field is not closed/],
    ["BillingPeriodStart,BilledCost\nlast week,3\n", /x\.csv line 2: no billing period or usage start date/],
    ["BilledCost\n3\n", /x\.csv: FOCUS without a date column; expected one of BillingPeriodStart, ChargePeriodStart/],
  ])("rejects %j with a message naming the file and line", (text, message) => {
    const name = text === "" ? "empty.csv" : "x.csv";
    expect(() => parseBillingExport(text, name)).toThrow(InputFileError);
    expect(() => parseBillingExport(text, name)).toThrow(message);
  });

  it("says so when the export file is missing", () => {
    expect(() => readBillingExport(fixture("nope.csv"))).toThrow(/^--actuals .*nope\.csv: no such file$/);
  });
});

describe("reconciling a month against the plan", () => {
  it("groups the latest month by budget line: configured lines, other tagged lines, then untagged cost, never dropped", () => {
    expect(figures("aws-cur2.csv")).toEqual([
      ["infrastructure-tools", 1000, 552.73, 1235, 3],
      ["third-party-integrations", 20, 30.37, 45.1, 1],
      ["rnd-poc", null, 0, 7.3, 1],
      [null, null, 0, 18.4, 1],
      ["total", 1020, 583.1, 1305.8, 6],
    ]);
  });

  it("picks the month asked for", () => {
    expect(figures("aws-cur2.csv", "2026-10")).toEqual([
      ["infrastructure-tools", 1000, 552.73, 552.73, 2],
      ["third-party-integrations", 20, 30.37, 30.37, 1],
      [null, null, 0, 12.5, 1],
      ["total", 1020, 583.1, 595.6, 4],
    ]);
    expect(() => figures("aws-cur2.csv", "2026-09")).toThrow("aws-cur2.csv: no charges in 2026-09; months in the file: 2026-10, 2026-11");
  });

  it("reads FOCUS and GCP exports to the same table", () => {
    expect(figures("focus.csv")).toEqual([
      ["infrastructure-tools", 1000, 552.73, 1000.25, 1],
      ["third-party-integrations", 20, 30.37, 45.1, 1],
      [null, null, 0, 18.4, 1],
      ["total", 1020, 583.1, 1063.75, 3],
    ]);
    expect(figures("gcp-billing.csv")).toEqual([
      ["infrastructure-tools", 1000, 552.73, 75, 2],
      ["third-party-integrations", 20, 30.37, 50, 1],
      [null, null, 0, 8.25, 1],
      ["total", 1020, 583.1, 133.25, 4],
    ]);
    expect(figures("gcp-billing.csv", "2026-10")).toEqual([
      ["infrastructure-tools", 1000, 552.73, 140, 1],
      ["third-party-integrations", 20, 30.37, 0, 0],
      ["total", 1020, 583.1, 140, 1],
    ]);
  });

  it("leaves out cost tagged with another environment, and says how much", () => {
    const r = reconcile(smallPlan(), actualsOf("aws-cur2.csv"));
    expect(r.excluded).toEqual([{ environment: "staging", actualUsd: 99.99, lineItems: 1 }]);
  });

  it("computes cap − actual and actual − forecast in DAI at the stack's rate", () => {
    const plan = { ...smallPlan(), daiPerUsd: 0.5 };
    const r = reconcile(plan, actualsOf("aws-cur2.csv"));
    const infra = r.lines[0];
    expect(infra.actualDai).toBeCloseTo(617.5, 9);
    expect(infra.capMinusActualDai).toBeCloseTo(382.5, 9);
    expect(infra.actualMinusForecastDai).toBeCloseTo((1235 - 552.732) * 0.5, 9);
    expect(r.lines.find((l) => l.id === null)!.capMinusActualDai).toBeNull();
  });
});

describe("the actuals report", () => {
  const r = (): ReturnType<typeof reconcile> => reconcile(smallPlan(), actualsOf("aws-cur2.csv"));

  it("prints the SES-style table as text, with notes on untagged and left-out cost", () => {
    expect(renderActualsText(r())).toBe(
      [
        "Actual cost 2026-11 · core-unit-estate · stack prod (prod)",
        "Source: AWS Cost and Usage Report (CUR 2.0), aws-cur2.csv; forecast: the plan's estimate (on-demand list prices, 730 hours); 1 DAI per USD (the stack's daiPerUsd)",
        "",
        "Budget line                                          Cap (DAI)  Forecast (DAI)  Actual (DAI)  Cap − actual (DAI)  Actual − forecast (DAI)  Actual (USD)      Used of cap",
        "---------------------------------------------------  ---------  --------------  ------------  ------------------  -----------------------  ------------  ---------------",
        "Infrastructure & Tools (infrastructure-tools)            1,000             553         1,235                -235                     +682      1,235.00  123.5% over cap",
        "Third-party integrations (third-party-integrations)         20              30            45                 -25                      +15         45.10  225.5% over cap",
        "TechOps R&D/POC (rnd-poc)                                    —               0             7                   —                       +7          7.30                —",
        "(untagged)                                                   —               0            18                   —                      +18         18.40                —",
        "Total                                                    1,020             583         1,306                -286                     +723      1,305.80  128.0% over cap",
        "",
        "Untagged: 18.40 USD (1 line item) carry no budget-line tag; tag the resources through components/tagging, or activate the cost tags as cost allocation tags (AWS), then re-export.",
        "Charged to budget lines this stack has no cap for: rnd-poc (7.30 USD).",
        "Left out: 99.99 USD (1 line item) tagged environment staging, another stack's.",
        "Months in the export: 2026-10, 2026-11 (--month YYYY-MM picks one; the latest is the default).",
        "",
      ].join("\n"),
    );
  });

  it("renders a markdown table", () => {
    const md = renderActualsMarkdown(r());
    expect(md).toContain("| Budget line | Cap (DAI) | Forecast (DAI) | Actual (DAI) | Cap − actual (DAI) | Actual − forecast (DAI) | Actual (USD) | Used of cap |");
    expect(md).toContain("| (untagged) | — | 0 | 18 | — | +18 | 18.40 | — |");
    expect(md).toContain("| **Total** | 1,020 | 583 | 1,306 | -286 | +723 | 1,305.80 | 128.0% over cap |");
  });

  it("renders CSV that parses back to the reconciliation's numbers", () => {
    const rows = parseCsv(renderActualsCsv(r()));
    expect(rows[0]).toEqual([...ACTUALS_CSV_HEADER]);
    expect(rows.slice(1)).toEqual([
      ["2026-11", "infrastructure-tools", "Infrastructure & Tools", "1000", "552.73", "552.73", "1235", "1235", "-235", "682.27", "3"],
      ["2026-11", "third-party-integrations", "Third-party integrations", "20", "30.37", "30.37", "45.1", "45.1", "-25.1", "14.73", "1"],
      ["2026-11", "rnd-poc", "TechOps R&D/POC", "", "0", "0", "7.3", "7.3", "", "7.3", "1"],
      ["2026-11", "", "(untagged)", "", "0", "0", "18.4", "18.4", "", "18.4", "1"],
      ["2026-11", "total", "Total", "1020", "583.1", "583.1", "1305.8", "1305.8", "-285.8", "722.7", "6"],
    ]);
  });

  it("renders a self-contained HTML page with a bar per budget line", () => {
    const page = renderActualsHtml(r());
    expect(page).not.toMatch(/<script|https?:\/\//i);
    expect(page.match(/<g><title>/g)).toHaveLength(4);
    expect(page).toContain("<g><title>(untagged): cap none, forecast 0 DAI, actual 18 DAI</title>");
  });
});

describe("fixtures", () => {
  it("hold a handful of rows each, untagged rows and two months", () => {
    for (const f of fs.readdirSync(FIXTURES)) {
      const billing = readBillingExport(fixture(f));
      expect(billing.charges.length).toBeLessThanOrEqual(12);
      expect(billing.months.length).toBe(2);
      expect(billing.charges.some((c) => !c.tags["budget-line"])).toBe(true);
    }
  });
});

describe("several exports in one report", () => {
  it("merges an AWS and a GCP export per budget line", () => {
    const merged = reconcile(smallPlan(), actualsOf("aws-cur2.csv", "gcp-billing.csv"));
    const alone = (file: string): ReturnType<typeof reconcile> => reconcile(smallPlan(), actualsOf(file));
    const [aws, gcp] = [alone("aws-cur2.csv"), alone("gcp-billing.csv")];
    const usd = (r: ReturnType<typeof reconcile>, id: string | null): number => Math.round((r.lines.find((l) => l.id === id)?.actualUsd ?? 0) * 100) / 100;
    for (const id of ["infrastructure-tools", "third-party-integrations", "rnd-poc", null]) {
      expect([id, usd(merged, id)]).toEqual([id, Math.round((usd(aws, id) + usd(gcp, id)) * 100) / 100]);
    }
    expect(merged.total.lineItems).toBe(aws.total.lineItems + gcp.total.lineItems);
    expect(merged.sources.map((s) => [s.file, s.format, s.lineItems, Math.round(s.actualUsd * 100) / 100])).toEqual([
      ["aws-cur2.csv", "aws-cur", 6, 1305.8],
      ["gcp-billing.csv", "gcp-billing", 4, 133.25],
    ]);
    const text = renderActualsText(merged);
    expect(text).toContain("Source: AWS Cost and Usage Report (CUR 2.0), aws-cur2.csv + GCP billing export, gcp-billing.csv; forecast");
    expect(text).toContain("Merged per budget line from 2 exports, 2026-11: aws-cur2.csv 1,305.80 USD (6 line items), gcp-billing.csv 133.25 USD (4 line items).");
  });

  it("says when an export has no charges in the month reported", () => {
    const only = (file: string, month: string): { file: string; billing: ReturnType<typeof readBillingExport> } => {
      const billing = readBillingExport(fixture(file));
      return { file, billing: { ...billing, charges: billing.charges.filter((c) => c.month === month), months: [month] } };
    };
    const r = reconcile(smallPlan(), mergeExports([only("aws-cur2.csv", "2026-11"), only("gcp-billing.csv", "2026-10")]));
    expect(notes(r)).toContain("No charges in 2026-11 in gcp-billing.csv (months in it: 2026-10): that cloud's spend is missing from this month.");
  });

  it("refuses a line item found in two exports, naming both files", () => {
    // The same AWS charge in its CUR 2.0 and its FOCUS export: resource i-0a1 from 1 October, 312.73 USD.
    expect(() => actualsOf("aws-cur2.csv", "focus.csv")).toThrow(
      new InputFileError(
        "aws-cur2.csv line 2 and focus.csv line 2 are one line item (the charge for i-0a1 from 2026-10-01T00:00:00.000Z, 312.73 USD): it would be counted twice; give each account's spend in one export only (one of CUR 2.0 or FOCUS for an AWS account)",
      ),
    );
    const cur = readBillingExport(fixture("aws-cur2.csv"));
    const again = { ...cur, charges: cur.charges.slice(6, 7).map((c) => ({ ...c, line: 2, keys: c.keys.filter((k) => k.startsWith("line item")) })) };
    expect(() => mergeExports([{ file: "october.csv", billing: cur }, { file: "november.csv", billing: again }])).toThrow(/^october\.csv line 8 and november\.csv line 2 are one line item \(line item b3\)/);
    const gcp = readBillingExport(fixture("gcp-billing.csv"));
    expect(() => mergeExports([{ file: "gcp-a.csv", billing: gcp }, { file: "gcp-b.csv", billing: gcp }])).toThrow(/^gcp-a\.csv line 2 and gcp-b\.csv line 2 are one line item \(the same row \(11 columns alike\)\)/);
  });

  it("refuses the same file given twice", () => {
    expect(() => readActuals([fixture("gcp-billing.csv"), path.join(FIXTURES, "..", "actuals", "gcp-billing.csv")])).toThrow(/gcp-billing\.csv: given twice \(also as .*gcp-billing\.csv\); give each export once$/);
  });
});
