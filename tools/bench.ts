/**
 * `npm run bench`: how long the offline plan takes against Pulumi's bare mock runtime re-registering the same
 * resources (tools/bench/bare-replay.js), and how it grows with the estate. Figures only; nothing here passes or
 * fails.
 *
 * 1. Per stack: `npm run plan -- --stack <s> --format json` and the bare replay of that plan, run in turn
 *    (A B A B …) after a warm-up; per pair the ratio, then medians. Wall time, CPU (user + sys of every Node process
 *    of the command, npm's included) and peak RSS (its largest process).
 * 2. The prod estate × 0, 1, 3, 10 (tools/bench/scaled-stack.ts, in a temp dir): the same pairs per size, with the
 *    CPU per resource above the 0× estate's (what each resource adds; flat when the plan is linear in the estate).
 *
 * 3. Where one prod plan's time goes: tools/bench/phases.ts's phases, npm's own start (`npm run plan -- --help`
 *    against `node tools/plan.ts --help`) and the preload's (tools/node/register.js against bare `node -e 0`).
 *
 * BENCH_RUNS (default 5) pairs per stack, BENCH_SCALED_RUNS (default 3) per size, BENCH_SIZES (default 1,3,10).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks } from "./plan/stack-file";
import { writeScaledProject } from "./bench/scaled-stack";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCALED_RUNS = Number(process.env.BENCH_SCALED_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? "1,3,10").split(",").map(Number);
/** Sandboxes expire; the scaled stacks are judged as of a fixed date. */
const AS_OF = "2026-12-02";
const PROBE = path.join(__dirname, "bench", "rusage-probe.js");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

interface Sample {
  wallMs: number;
  cpuMs: number;
  peakMiB: number;
}

/** Runs a command to its end: its wall time, and the CPU and peak RSS its Node processes reported. */
function measure(command: string, args: string[], okCodes: number[] = [0]): Sample {
  const usageFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "estate-bench-")), "rusage.jsonl");
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, BENCH_RUSAGE_FILE: usageFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PROBE}`.trim() },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status === null || !okCodes.includes(run.status)) throw new Error(`${command} ${args.join(" ")} exited ${run.status ?? run.signal}:\n${run.stderr}`);
  const usages = fs
    .readFileSync(usageFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { cpuMs: number; maxRssKiB: number });
  fs.rmSync(path.dirname(usageFile), { recursive: true, force: true });
  return { wallMs, cpuMs: usages.reduce((sum, u) => sum + u.cpuMs, 0), peakMiB: Math.max(...usages.map((u) => u.maxRssKiB)) / 1024 };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface Pairs {
  plan: Sample[];
  bare: Sample[];
  /** plan / bare, pair by pair. */
  wallRatio: number[];
  cpuRatio: number[];
}

/** The plan command and the bare replay of its output, alternated `runs` times after one warm-up of each. */
function pairs(planArgs: string[], planFile: string, runs: number): Pairs {
  const plan = () => measure(NPM, ["run", "-s", "plan", "--", ...planArgs, "--format", "json", "--out", planFile], [0, 1]);
  const bare = () => measure(process.execPath, ["--stack-trace-limit=0", path.join(__dirname, "bench", "bare-replay.js"), planFile]);
  plan();
  bare();
  const out: Pairs = { plan: [], bare: [], wallRatio: [], cpuRatio: [] };
  for (let i = 0; i < runs; i++) {
    const a = plan();
    const b = bare();
    out.plan.push(a);
    out.bare.push(b);
    out.wallRatio.push(a.wallMs / b.wallMs);
    out.cpuRatio.push(a.cpuMs / b.cpuMs);
  }
  return out;
}

const resourcesIn = (planFile: string): number => (JSON.parse(fs.readFileSync(planFile, "utf8")) as { resources: unknown[] }).resources.length;
const col = (value: string | number, width: number) => String(value).padStart(width);
const ms = (v: number) => v.toFixed(0);
const mib = (v: number) => v.toFixed(0);

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "estate-bench-plans-"));
  console.log(`offline plan benchmark · node ${process.version} · ${os.cpus().length} cores · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · ${new Date().toISOString().slice(0, 16)}Z`);
  console.log(`\nplan (npm run plan -- --stack <s> --format json) vs the bare mock runtime replaying its resources; ${RUNS} pairs A B A B after a warm-up, medians`);
  console.log("stack      resources  plan wall ms  bare wall ms  wall ratio (per pair)                 cpu ratio  plan peak MiB  bare peak MiB");
  for (const stack of listStacks(ROOT)) {
    const file = path.join(work, `${stack}.json`);
    const p = pairs(["--stack", stack], file, RUNS);
    const perPair = p.wallRatio.map((r) => r.toFixed(2)).join(" ");
    console.log(
      [
        stack.padEnd(9),
        col(resourcesIn(file), 9),
        col(ms(median(p.plan.map((s) => s.wallMs))), 12),
        col(ms(median(p.bare.map((s) => s.wallMs))), 12),
        `${median(p.wallRatio).toFixed(2)} (${perPair})`.padEnd(36),
        col(median(p.cpuRatio).toFixed(2), 10),
        col(mib(median(p.plan.map((s) => s.peakMiB))), 13),
        col(mib(median(p.bare.map((s) => s.peakMiB))), 13),
      ].join("  "),
    );
  }

  console.log(`\nthe prod estate scaled (node pools, indexers, API services, sandboxes × n; 0×: networks, clusters and estate-wide parts only); ${SCALED_RUNS} pairs per size, medians`);
  console.log("size  resources  plan wall ms  plan cpu ms  cpu ms per resource over 0×  plan peak MiB  bare cpu ms  bare peak MiB  cpu ratio  wall ratio");
  let base: { resources: number; cpuMs: number } | undefined;
  for (const factor of [0, ...SIZES.filter((f) => f !== 0)]) {
    const dir = writeScaledProject(ROOT, factor);
    const file = path.join(dir, "plan.json");
    const p = pairs(["--cwd", dir, "--stack", "prod", `--as-of=${AS_OF}`], file, SCALED_RUNS);
    const resources = resourcesIn(file);
    const cpuMs = median(p.plan.map((s) => s.cpuMs));
    base ??= { resources, cpuMs };
    const perResource = factor === 0 ? "" : ((cpuMs - base.cpuMs) / (resources - base.resources)).toFixed(2);
    console.log(
      [
        `${factor}×`.padEnd(4),
        col(resources, 9),
        col(ms(median(p.plan.map((s) => s.wallMs))), 12),
        col(ms(cpuMs), 11),
        col(perResource, 27),
        col(mib(median(p.plan.map((s) => s.peakMiB))), 13),
        col(ms(median(p.bare.map((s) => s.cpuMs))), 11),
        col(mib(median(p.bare.map((s) => s.peakMiB))), 13),
        col(median(p.cpuRatio).toFixed(2), 9),
        col(median(p.wallRatio).toFixed(2), 10),
      ].join("  "),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.rmSync(work, { recursive: true, force: true });
  printPhases("prod");
}

function printPhases(stack: string): void {
  const register = ["--stack-trace-limit=0", "-r", "./tools/node/register.js"];
  const medianWall = (command: string, args: string[]) => median(Array.from({ length: RUNS }, () => measure(command, args).wallMs));
  const npmStart = medianWall(NPM, ["run", "-s", "plan", "--", "--help"]) - medianWall(process.execPath, [...register, "tools/plan.ts", "--help"]);
  const preload = medianWall(process.execPath, [...register, "-e", "0"]) - medianWall(process.execPath, ["-e", "0"]);
  const runs = Array.from({ length: RUNS }, () => {
    const r = spawnSync(process.execPath, [...register, path.join(__dirname, "bench", "phases.ts"), stack], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`phases of ${stack} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as { phases: Record<string, { wallMs: number; cpuMs: number }> };
  });
  console.log(`\nwhere one ${stack} plan's time goes (medians of ${RUNS} runs; phases in one process, in order)`);
  console.log("phase                                          wall ms  cpu ms");
  console.log(`${"npm's own start (npm run vs node)".padEnd(45)}  ${col(ms(npmStart), 7)}`);
  console.log(`${"preload: transpile cache + deferred loads".padEnd(45)}  ${col(ms(preload), 7)}`);
  for (const name of Object.keys(runs[0].phases)) {
    console.log(`${name.padEnd(45)}  ${col(ms(median(runs.map((r) => r.phases[name].wallMs))), 7)}  ${col(ms(median(runs.map((r) => r.phases[name].cpuMs))), 6)}`);
  }
}

try {
  main();
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
