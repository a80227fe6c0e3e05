/**
 * Runs the project's TypeScript in Node without transpiling it on every start: each .ts file is transpiled once
 * (by swc, with the options jest uses) into node_modules/.cache, under the hash of its source, the options and
 * the compiler's version. A file whose source changed has another hash, so a stale output is never run; a miss
 * transpiles and stores, so a fresh clone works before any warm-up. Files load from their own path, so
 * `__dirname` (prices, the health and lag scripts) stays the source folder.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const CACHE_DIR = process.env.ESTATE_TS_CACHE_DIR ?? path.join(ROOT, "node_modules", ".cache", "core-unit-estate-ts");
// The transform of jest.config.js, so the CLI runs the code the tests ran.
const OPTIONS = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022", keepClassNames: true },
  module: { type: "commonjs" },
  sourceMaps: true,
  swcrc: false,
  configFile: false,
};

let compilerVersion;
let salt;
function saltOf() {
  if (salt === undefined) {
    compilerVersion = JSON.parse(fs.readFileSync(require.resolve("@swc/core/package.json"), "utf8")).version;
    salt = `${compilerVersion}\0${JSON.stringify(OPTIONS)}\0`;
  }
  return salt;
}

/** The cache file of one source: its name is the hash of everything the output depends on. */
function cachePath(filename, source) {
  const key = crypto.createHash("sha256").update(saltOf()).update(filename).update("\0").update(source).digest("hex").slice(0, 40);
  return path.join(CACHE_DIR, `${key}.js`);
}

function writeAtomically(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Transpiles `source` and stores the output (and its source map, read only when source maps are enabled). */
function transpile(filename, source, file) {
  const { code, map } = require("@swc/core").transformSync(source, { ...OPTIONS, filename });
  // Relative to the source (the module's own path); Node reads it only when source maps are enabled.
  const mapUrl = path.relative(path.dirname(filename), `${file}.map`).split(path.sep).join("/");
  const output = `${code}\n//# sourceMappingURL=${mapUrl}`;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    if (map) writeAtomically(`${file}.map`, map);
    writeAtomically(file, output);
  } catch {
    // A read-only checkout still runs; it transpiles each time.
  }
  return output;
}

/** The JavaScript of a .ts file: from the cache when its source is unchanged, else transpiled now. */
function compiled(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const file = cachePath(filename, source);
  try {
    return { code: fs.readFileSync(file, "utf8"), hit: true, cacheFile: file };
  } catch {
    return { code: transpile(filename, source, file), hit: false, cacheFile: file };
  }
}

/** The files a cache entry consists of. */
const outputsOf = (cacheFile) => [cacheFile, `${cacheFile}.map`];

function register() {
  Module._extensions[".ts"] = (module, filename) => module._compile(compiled(filename).code, filename);
}

module.exports = { CACHE_DIR, ROOT, compiled, outputsOf, register };
