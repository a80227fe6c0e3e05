/** The offline plan CLI: `npm run plan -- [--stack <name>] [--format text|json|markdown|csv|html] [--out <file>] [--compare <base.json>]`. */
import { DEBUG } from "./stack-traces";
import * as fs from "fs";
import * as path from "path";
import { comparePlans, renderDiffJson, renderDiffMarkdown, renderDiffText } from "../cost/compare";
import { CostedPlan, describeCounts } from "../cost/costed-plan";
import { InputFileError } from "../cost/errors";
import { readPlanFile } from "../cost/plan-file";
import { renderCsv } from "../cost/report-csv";
import { renderHtml } from "../cost/report-html";
import { renderMarkdown } from "../cost/report-markdown";
import { checkOutFile } from "./options";
import { Format, USAGE, parseArgs } from "./plan/args";
import { describeFailure } from "./plan/failure";
import { buildPlan } from "./plan/plan";
import { renderText } from "./plan/report-text";
import { planVerdict } from "./plan/verdict";

const PROJECT_DIR = path.resolve(__dirname, "..");

const RENDER: Record<Format, (plan: CostedPlan) => string> = {
  text: renderText,
  json: (plan) => `${JSON.stringify(plan, null, 2)}\n`,
  markdown: renderMarkdown,
  csv: renderCsv,
  html: renderHtml,
};

function renderDiff(base: CostedPlan, plan: CostedPlan, format: Format): string {
  const diff = comparePlans(base, plan);
  return format === "json" ? renderDiffJson(diff) : format === "markdown" ? renderDiffMarkdown(diff) : renderDiffText(diff);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Check the files first: a bad one fails in a moment, before the estate renders.
  if (args.out !== undefined) checkOutFile(args.out);
  const base = args.compare === undefined ? undefined : readPlanFile(args.compare);
  const plan = await buildPlan(path.resolve(args.cwd ?? PROJECT_DIR), args.stack, args.asOf);
  const report = base ? renderDiff(base, plan, args.format) : RENDER[args.format](plan);
  if (args.out) {
    fs.writeFileSync(args.out, report);
    const what = base ? `${args.format} cost diff against ${args.compare}` : `${args.format} plan`;
    process.stderr.write(`wrote the ${what} of stack ${plan.stack} (${describeCounts(plan.counts!)}) to ${args.out}\n`);
  } else {
    // process.exit() follows: wait until a pipe has taken the whole report, or a large one is cut off.
    await new Promise<void>((resolve) => process.stdout.write(report, () => resolve()));
  }
  const verdict = planVerdict(plan);
  process.stderr.write(verdict.message);
  return verdict.code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const { code, message } = err instanceof InputFileError ? { code: 2, message: `${err.message}\n` } : describeFailure(err, DEBUG);
    process.stderr.write(message);
    process.exit(code);
  },
);
