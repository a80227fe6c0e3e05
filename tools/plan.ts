/** The offline plan CLI: `npm run plan -- [--stack <name>] [--format <f>] [--out <file>] [--compare <base.json>] [--from-preview <preview.json>]`. */
import { DEBUG } from "./stack-traces";
import * as fs from "fs";
import * as path from "path";
import { comparePlans, renderDiffJson, renderDiffMarkdown, renderDiffText } from "../cost/compare";
import { CostedPlan, describeCounts } from "../cost/costed-plan";
import { InputFileError } from "../cost/errors";
import { renderInfracostJson } from "../cost/infracost";
import { renderCsv } from "../cost/report-csv";
import { renderHtml } from "../cost/report-html";
import { renderMarkdown } from "../cost/report-markdown";
import { checkOutFile } from "./options";
import { Format, USAGE, parseArgs } from "./plan/args";
import { describeFailure } from "./plan/failure";
import { buildPlan } from "./plan/plan";
import { buildPreviewPlan, readBasePlan } from "./plan/preview-plan";
import { renderText } from "./plan/report-text";
import { planVerdict } from "./plan/verdict";

const PROJECT_DIR = path.resolve(__dirname, "..");

const RENDER: Record<Format, (plan: CostedPlan, source: string) => string> = {
  text: renderText,
  json: (plan) => `${JSON.stringify(plan, null, 2)}\n`,
  markdown: renderMarkdown,
  csv: renderCsv,
  html: renderHtml,
  "infracost-json": (plan, source) => renderInfracostJson(plan, undefined, source),
};

function renderDiff(base: CostedPlan, plan: CostedPlan, format: Format, source: string): string {
  const diff = comparePlans(base, plan);
  if (format === "infracost-json") return renderInfracostJson(plan, base, source);
  return format === "json" ? renderDiffJson(diff) : format === "markdown" ? renderDiffMarkdown(diff) : renderDiffText(diff);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const projectDir = path.resolve(args.cwd ?? PROJECT_DIR);
  // Check the files first: a bad one fails in a moment, before the estate renders.
  if (args.out !== undefined) checkOutFile(args.out);
  const base = args.compare === undefined ? undefined : await readBasePlan(args.compare, projectDir, args.stack, args.asOf);
  const plan = args.fromPreview === undefined ? await buildPlan(projectDir, args.stack, args.asOf) : await buildPreviewPlan(projectDir, args.stack, args.fromPreview, "after", args.asOf);
  const source = args.fromPreview ?? `Pulumi.${plan.stack}.yaml`;
  const report = base ? renderDiff(base, plan, args.format, source) : RENDER[args.format](plan, source);
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
