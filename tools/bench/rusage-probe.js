/**
 * Preloaded into every Node process of a benchmarked command (NODE_OPTIONS=--require): appends the process's own
 * CPU time and peak RSS to $BENCH_RUSAGE_FILE as it exits, so the benchmark can add up a process tree (npm and
 * the node it starts).
 */
"use strict";
const fs = require("fs");

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    fs.appendFileSync(file, `${JSON.stringify({ pid: process.pid, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS })}\n`);
  });
}
