/**
 * One plan of a stack in phases, each timed (`node -r ./tools/node/register.js tools/bench/phases.ts <stack>`): the
 * steps of buildPlan (tools/plan/plan.ts) in its order, with the module loads it defers made phases of their own.
 * Prints one JSON object: milliseconds of wall and CPU per phase. For `npm run bench`.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";

const startedAt = performance.now();
const ROOT = path.resolve(__dirname, "..", "..");

type Phase = { wallMs: number; cpuMs: number };
const phases: Record<string, Phase> = { "node start, preload, this script": { wallMs: startedAt, cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 } };

async function timed<T>(name: string, step: () => T | Promise<T>): Promise<T> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = await step();
  const used = process.cpuUsage(cpu);
  phases[name] = { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  return result;
}

/* eslint-disable @typescript-eslint/no-require-imports */
async function main(stack: string): Promise<void> {
  const now = new Date();
  const { buildPlan: _unused, ...planModule } = await timed("plan modules (config, cost, reports)", () => {
    require("../../cost/report-markdown");
    require("../../cost/report-csv");
    require("../../cost/report-html");
    require("../../cost/compare");
    return require("../plan/plan") as typeof import("../plan/plan");
  });
  void _unused;
  const { readStackConfig } = require("../plan/stack-file") as typeof import("../plan/stack-file");
  const stackConfig = await timed("config read + validated", () => readStackConfig(ROOT, stack));
  const config = planModule.validateStack(stackConfig, now);
  const violations = await timed("policy SDK, rules, pack config (ajv)", () => {
    const module = require("../plan/violations") as typeof import("../plan/violations");
    return { ...module, packConfig: module.readPackConfig(ROOT, stack) };
  });
  const { renderEstate } = await timed("cloud SDKs + components loaded", () => require("../plan/render-estate") as typeof import("../plan/render-estate"));
  const { resources } = await timed("program under the mock runtime", () => renderEstate(stackConfig, config.aws?.region, { today: now, allowExpired: true, secretsAreStandIns: true }));
  const { rollUpBudgetLines } = require("../../cost/budget-lines") as typeof import("../../cost/budget-lines");
  const planned = await timed("pricing + budget lines", () => {
    const priced = planModule.plannedResources(resources, { awsRegion: config.aws?.region, gcpRegion: config.gcp?.region });
    rollUpBudgetLines(config.budgetLines, priced, config.daiPerUsd);
    planModule.planSandboxes(config, priced, now);
    return priced;
  });
  const found = await timed("policy rules", () => violations.findViolations(resources, { project: stackConfig.project, stack }, violations.packConfig, now));
  await timed("JSON report written", () => fs.writeFileSync("/dev/null", `${JSON.stringify({ resources: planned, violations: found }, null, 2)}\n`));
  process.stdout.write(`${JSON.stringify({ resources: resources.length, phases })}\n`);
}

main(process.argv[2] ?? "prod").then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`phases failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
