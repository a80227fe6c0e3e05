/** The offline plan CLI: `npm run plan -- [--stack <name>] [--format text|json] [--out <file>]`. */
import * as fs from "fs";
import * as path from "path";
import { USAGE, parseArgs } from "./plan/args";
import { describeFailure } from "./plan/failure";
import { buildPlan } from "./plan/plan";
import { renderText } from "./plan/report-text";
import { planVerdict } from "./plan/verdict";

const PROJECT_DIR = path.resolve(__dirname, "..");

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const plan = await buildPlan(path.resolve(args.cwd ?? PROJECT_DIR), args.stack);
  const report = args.format === "json" ? `${JSON.stringify(plan, null, 2)}\n` : renderText(plan);
  if (args.out) {
    fs.writeFileSync(args.out, report);
    process.stderr.write(`wrote the ${args.format} plan of stack ${plan.stack} (${plan.resources.length} resources) to ${args.out}\n`);
  } else {
    process.stdout.write(report);
  }
  const verdict = planVerdict(plan);
  process.stderr.write(verdict.message);
  return verdict.code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const { code, message } = describeFailure(err, Boolean(process.env.PLAN_DEBUG));
    process.stderr.write(message);
    process.exit(code);
  },
);
