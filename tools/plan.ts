/** The offline plan CLI: `npm run plan -- [--stack <name>] [--format text|json] [--out <file>]`. */
import * as fs from "fs";
import * as path from "path";
import { USAGE, UsageError, parseArgs } from "./plan/args";
import { ConfigError, buildPlan } from "./plan/plan";
import { renderText } from "./plan/report-text";
import { StackFileError } from "./plan/stack-file";

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
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (err instanceof ConfigError || err instanceof StackFileError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n${process.env.PLAN_DEBUG ? (err as Error).stack ?? "" : "(set PLAN_DEBUG=1 for the stack trace)"}\n`);
    process.exit(1);
  },
);
