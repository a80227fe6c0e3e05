/** Command-line options of the offline plan. */
import { UsageError, eachOption } from "../options";

export const FORMATS = ["text", "json", "markdown", "csv", "html", "infracost-json"] as const;
/** What `--compare` can print: the cost diff as a pull-request comment, in a terminal, or for a program. */
export const COMPARE_FORMATS = ["text", "json", "markdown", "infracost-json"] as const;
export type Format = (typeof FORMATS)[number];

export interface PlanArgs {
  stack: string;
  format: Format;
  out?: string;
  /** A previous plan JSON to compare this one with: the cost diff of a pull request. */
  compare?: string;
  /** A `pulumi preview --json` output: plan the stack as the preview leaves it instead of rendering it offline. */
  fromPreview?: string;
  /** Judge sandbox expiry as of this day (YYYY-MM-DD) instead of today. */
  asOf?: Date;
  /** The project directory holding Pulumi.yaml and the stack files. */
  cwd?: string;
  help: boolean;
}

export { UsageError } from "../options";

export const USAGE = `Usage: npm run plan -- [--stack <name>] [--format ${FORMATS.join("|")}] [--out <file>] [--compare <base.json>]
       [--from-preview <preview.json>]

Renders a stack of the estate offline (no cloud account, no Pulumi CLI) under Pulumi's mock runtime.
  --stack <name>    the stack file Pulumi.<name>.yaml to render (default: staging)
  --format <f>      text (default): resources by budget line and workload; json: the machine-readable plan;
                    markdown: the cost report as a pull-request comment; csv: one row per resource for a
                    spreadsheet; html: one self-contained page with a chart of estimate against cap;
                    infracost-json: the breakdown (or with --compare, the diff) in Infracost's JSON format
  --out <file>      write the report to <file> instead of standard output
  --compare <file>  a plan JSON of the same stack (e.g. the base branch's): print the cost diff instead,
                    per budget line and per resource (formats ${COMPARE_FORMATS.join(", ")}); a preview
                    JSON here is the stack before its change
  --from-preview <file>  the output of \`pulumi preview --json\` for the stack: plan the stack as the preview
                    leaves it (each step's newState), priced and judged as offline; with --compare <the same
                    file>, the cost of the preview's change
  --as-of <date>    judge sandbox expiry as of this day, YYYY-MM-DD (default: today)
  --cwd <dir>       the project directory with Pulumi.yaml and the stack files (default: this repository)
Exit codes: 0 rendered, 1 a mandatory policy violation (each named on stderr) or any other failure,
2 bad arguments or configuration, of the stack or of its policy pack (the message names each problem).`;

export function parseArgs(argv: readonly string[]): PlanArgs {
  const args: PlanArgs = { stack: "staging", format: "text", help: false };
  eachOption(argv, (flag, value, raw) => {
    switch (flag) {
      case "--stack":
      case "-s":
        args.stack = value();
        break;
      case "--format": {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format ${f}: allowed formats are ${FORMATS.join(", ")}`);
        args.format = f as Format;
        break;
      }
      case "--out":
        args.out = value();
        break;
      case "--compare":
        args.compare = value();
        break;
      case "--from-preview":
        args.fromPreview = value();
        break;
      case "--cwd":
        args.cwd = value();
        break;
      case "--as-of": {
        const day = value();
        const date = new Date(`${day}T00:00:00Z`);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
          throw new UsageError(`--as-of ${day}: expected a day as YYYY-MM-DD, e.g. 2026-12-31`);
        }
        args.asOf = date;
        break;
      }
      case "--help":
      case "-h":
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${raw}; options are --stack, --format, --out, --compare, --from-preview, --as-of, --cwd, --help`);
    }
  });
  if (args.compare !== undefined && !(COMPARE_FORMATS as readonly string[]).includes(args.format)) {
    throw new UsageError(`--compare prints the cost diff as ${COMPARE_FORMATS.join(", ")}, not ${args.format}`);
  }
  return args;
}
