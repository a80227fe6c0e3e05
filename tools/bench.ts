/**
 * Prints how long the offline plan takes per stack and how many resources it renders: one cold run of the CLI
 * as a newcomer runs it, then warm in-process runs. Figures only; nothing here passes or fails.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { buildPlan } from "./plan/plan";
import { listStacks } from "./plan/stack-file";

const ROOT = path.resolve(__dirname, "..");
const WARM_RUNS = Number(process.env.BENCH_RUNS ?? 5);

function coldCliMs(stack: string): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["--stack-trace-limit=0", "-r", "@swc-node/register", "tools/plan.ts", "--stack", stack, "--format", "json", "--out", "/dev/null"], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`plan of ${stack} failed: ${run.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  console.log(`offline plan benchmark · node ${process.version} · ${WARM_RUNS} warm runs per stack`);
  console.log("stack      resources  cloud  cold CLI (ms)  warm min (ms)  warm median (ms)  heap after (MiB)");
  for (const stack of listStacks(ROOT)) {
    const cold = coldCliMs(stack);
    const times: number[] = [];
    let resources = 0;
    let cloud = 0;
    for (let i = 0; i < WARM_RUNS; i++) {
      const start = process.hrtime.bigint();
      const plan = await buildPlan(ROOT, stack);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      resources = plan.resources.length;
      cloud = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")).length;
    }
    times.sort((a, b) => a - b);
    const heap = process.memoryUsage().heapUsed / 2 ** 20;
    console.log(
      [stack.padEnd(9), String(resources).padStart(9), String(cloud).padStart(6), cold.toFixed(0).padStart(14), times[0].toFixed(0).padStart(14), times[Math.floor(times.length / 2)].toFixed(0).padStart(17), heap.toFixed(0).padStart(17)].join("  "),
    );
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
