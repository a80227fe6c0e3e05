/**
 * `npm ci` / `npm install` run this (the `prepare` script): transpiles the project's TypeScript into the cache of
 * tools/node/ts-cache.js, so the first `npm run plan` starts as fast as the next, and removes what no current
 * source uses. Tests are left to jest's own transform.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { CACHE_DIR, ROOT, compiled, outputsOf } = require("./ts-cache");

const SOURCES = ["index.ts", "stacks", "components", "policies", "cost", "tools"];
const SKIP = new Set(["node_modules", "bin", "tests"]);

function* tsFiles(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    if (entry.endsWith(".ts") && !entry.endsWith(".d.ts")) yield entry;
    return;
  }
  for (const name of fs.readdirSync(entry)) if (!SKIP.has(name)) yield* tsFiles(path.join(entry, name));
}

const keep = new Set();
let transpiled = 0;
let files = 0;
for (const file of SOURCES.flatMap((s) => [...tsFiles(path.join(ROOT, s))])) {
  const { hit, cacheFile } = compiled(file);
  files++;
  if (!hit) transpiled++;
  for (const output of outputsOf(cacheFile)) keep.add(output);
}
let removed = 0;
for (const name of fs.readdirSync(CACHE_DIR)) {
  if (!keep.has(path.join(CACHE_DIR, name))) {
    fs.rmSync(path.join(CACHE_DIR, name), { force: true });
    removed++;
  }
}
console.log(`transpile cache: ${files} TypeScript files, ${transpiled} transpiled, ${removed} stale entries removed (${path.relative(ROOT, CACHE_DIR)})`);
