/**
 * Renders each stack's plan once per test run, for every test file that only reads it (the files run in
 * separate workers and would otherwise each render the same estate again). The stacks render in parallel, one
 * `npm run plan` process each, as a user runs it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks } from "../tools/plan/stack-file";
import { PLAN_DATE, PLANS_DIR_ENV } from "./helpers/plans-cache";

function renderPlan(root: string, stack: string, out: string): Promise<void> {
  const args = ["--stack-trace-limit=0", "-r", "./tools/node/register.js", "tools/plan.ts", "--stack", stack, "--format", "json", "--out", out, `--as-of=${PLAN_DATE.toISOString().slice(0, 10)}`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      // What the CLI said, for the CLI's own tests; exit 1 is a plan with mandatory violations, still a plan.
      fs.writeFileSync(`${out}.run.json`, JSON.stringify({ args: args.slice(3), status: code, stderr }));
      if (code === 0 || code === 1) resolve();
      else reject(new Error(`npm run plan -- --stack ${stack} exited ${code}:\n${stderr}`));
    });
  });
}

export default async function renderPlansOnce(): Promise<void> {
  const root = path.resolve(__dirname, "..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "estate-plans-"));
  await Promise.all(listStacks(root).map((stack) => renderPlan(root, stack, path.join(dir, `${stack}.json`))));
  process.env[PLANS_DIR_ENV] = dir;
}
