/**
 * Renders each stack's plan once per test run, for every test file that only reads it (the files run in
 * separate workers and would otherwise each render the same estate again).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPlan } from "../tools/plan/plan";
import { listStacks } from "../tools/plan/stack-file";
import { PLAN_DATE, PLANS_DIR_ENV } from "./helpers/plans-cache";

export default async function renderPlansOnce(): Promise<void> {
  const root = path.resolve(__dirname, "..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "estate-plans-"));
  for (const stack of listStacks(root)) {
    fs.writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(await buildPlan(root, stack, PLAN_DATE)));
  }
  process.env[PLANS_DIR_ENV] = dir;
}
