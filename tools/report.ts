/** The actuals report: `npm run report -- --actuals <export.csv> [--stack <name>] [--month YYYY-MM] [--format text|markdown|csv|html]`. */
import { DEBUG } from "./stack-traces";
import * as fs from "fs";
import * as path from "path";
import { readActuals } from "../cost/actuals-merge";
import { chooseMonth, reconcile } from "../cost/actuals-reconcile";
import { renderActuals } from "../cost/actuals-report";
import { budgetStatement, isStatementFormat, renderBudgetStatement } from "../cost/budget-statement";
import { InputFileError } from "../cost/errors";
import { UsageError, checkOutFile } from "./options";
import { describeFailure } from "./plan/failure";
import { buildPlan } from "./plan/plan";
import { REPORT_USAGE, parseReportArgs } from "./report/args";

const PROJECT_DIR = path.resolve(__dirname, "..");

async function main(argv: string[]): Promise<number> {
  const args = parseReportArgs(argv);
  if (args.help) {
    process.stdout.write(`${REPORT_USAGE}\n`);
    return 0;
  }
  // The files first: one this command cannot read or write fails in a moment, before the estate renders.
  if (args.out !== undefined) checkOutFile(args.out);
  const actuals = readActuals(args.actuals);
  chooseMonth(actuals, args.month);
  const plan = await buildPlan(path.resolve(args.cwd ?? PROJECT_DIR), args.stack);
  const reconciliation = reconcile(plan, actuals, args.month);
  const report = isStatementFormat(args.format) ? renderBudgetStatement(budgetStatement(reconciliation, plan), args.format) : renderActuals(reconciliation, args.format);
  if (args.out) {
    fs.writeFileSync(args.out, report);
    process.stderr.write(`wrote the ${args.format} actuals report of stack ${plan.stack} to ${args.out}\n`);
  } else {
    // process.exit() follows: wait until a pipe has taken the whole report, or a large one is cut off.
    await new Promise<void>((resolve) => process.stdout.write(report, () => resolve()));
  }
  return 0;
}

export function describeReportFailure(err: unknown, debug: boolean): { code: number; message: string } {
  if (err instanceof UsageError) return { code: 2, message: `error: ${err.message}\n\n${REPORT_USAGE}\n` };
  if (err instanceof InputFileError) return { code: 2, message: `${err.message}\n` };
  return describeFailure(err, debug);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const { code, message } = describeReportFailure(err, DEBUG);
      process.stderr.write(message);
      process.exit(code);
    },
  );
}
