/** Command-line options of the actuals report. */
import { ACTUALS_FORMATS, ActualsFormat } from "../../cost/actuals-report";
import { STATEMENT_FORMATS, StatementFormat } from "../../cost/budget-statement";
import { UsageError, eachOption } from "../options";

export const REPORT_FORMATS = [...ACTUALS_FORMATS, ...STATEMENT_FORMATS] as const;

export interface ReportArgs {
  /** The billing exports, in the order given (--actuals may be repeated). */
  actuals: string[];
  stack: string;
  /** YYYY-MM; default: the latest month in the export. */
  month?: string;
  format: ActualsFormat | StatementFormat;
  out?: string;
  cwd?: string;
  help: boolean;
}

export const REPORT_USAGE = `Usage: npm run report -- --actuals <export.csv> [--actuals <another.csv> ...] [--stack <name>] [--month YYYY-MM] [--format ${REPORT_FORMATS.join("|")}] [--out <file>]

Sets what the cloud billed in a month against the stack's budget: per budget line the cap (the stack's config),
the forecast (the offline plan's estimate) and the actual (the billing export, grouped by the budget-line tag).
  --actuals <file>  a CSV billing export: AWS CUR 2.0 (line_item_unblended_cost, resource_tags), FOCUS
                    (BilledCost, Tags) or the GCP billing export (cost, labels, credits); the kind is detected.
                    Repeat it to merge exports (e.g. the AWS and the GCP one) per budget line; a line item
                    found in two of them is refused, as it would be counted twice
  --stack <name>    the stack whose caps and forecast to use (default: staging)
  --month YYYY-MM   the billing month to report (default: the latest in the export)
  --format <f>      text (default), markdown, csv or html; budget-statement: the month's line items as the SES
                    ecosystem API takes them (JSON), budget-statement-csv: the same as CSV for a budget template
  --out <file>      write the report to <file> instead of standard output
  --cwd <dir>       the project directory with Pulumi.yaml and the stack files (default: this repository)
Exit codes: 0 reported, 1 any other failure, 2 bad arguments, configuration or export file (the message says which).`;

export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const args: ReportArgs = { actuals: [], stack: "staging", format: "text", help: false };
  eachOption(argv, (flag, value, raw) => {
    switch (flag) {
      case "--actuals":
        args.actuals.push(value());
        break;
      case "--stack":
      case "-s":
        args.stack = value();
        break;
      case "--month": {
        const m = value();
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) throw new UsageError(`--month ${m}: expected a month as YYYY-MM, e.g. 2026-10`);
        args.month = m;
        break;
      }
      case "--format": {
        const f = value();
        if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format ${f}: allowed formats are ${REPORT_FORMATS.join(", ")}`);
        args.format = f as ReportArgs["format"];
        break;
      }
      case "--out":
        args.out = value();
        break;
      case "--cwd":
        args.cwd = value();
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${raw}; options are --actuals, --stack, --month, --format, --out, --cwd, --help`);
    }
  }, ["--actuals"]);
  if (!args.help && args.actuals.length === 0) throw new UsageError("--actuals <export.csv> is required: the billing export to report");
  return args;
}
