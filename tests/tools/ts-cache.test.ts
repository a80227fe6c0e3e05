/**
 * The project's commands run TypeScript through tools/node/register.js: transpiled once into a content-hashed cache,
 * an edited source never served from a stale entry, files loaded from their own folder.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const REGISTER = path.join(ROOT, "tools", "node", "register.js");

/** Runs `main.ts` of `dir` as the project's commands run TypeScript, with its own cache; its stdout. */
function run(dir: string, cacheDir: string): string {
  const r = spawnSync(process.execPath, ["-r", REGISTER, path.join(dir, "main.ts")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ESTATE_TS_CACHE_DIR: cacheDir } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe("the transpile cache", () => {
  let dir: string;
  let cacheDir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ts-cache-src-"));
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ts-cache-out-"));
    fs.writeFileSync(path.join(dir, "lib.ts"), 'export const greeting: string = "one";\n');
    const main = [
      'import * as path from "path";',
      'import { greeting } from "./lib";',
      "const transpiled = Object.keys(require.cache).some((f) => f.includes(`${path.sep}@swc${path.sep}core${path.sep}`));",
      "console.log(JSON.stringify({ greeting, dir: __dirname, transpiled }));",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "main.ts"), main);
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("transpiles on the first run, then runs from the cache without loading the compiler", () => {
    expect(JSON.parse(run(dir, cacheDir))).toEqual({ greeting: "one", dir, transpiled: true });
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith(".js"))).toHaveLength(2);
    expect(JSON.parse(run(dir, cacheDir))).toEqual({ greeting: "one", dir, transpiled: false });
  });

  it("never runs the output of a source that has changed since", () => {
    run(dir, cacheDir);
    fs.writeFileSync(path.join(dir, "lib.ts"), 'export const greeting: string = "two";\n');
    expect(JSON.parse(run(dir, cacheDir))).toMatchObject({ greeting: "two", transpiled: true });
  });

  it("still runs where the cache cannot be written", () => {
    const blocked = path.join(cacheDir, "not-a-dir");
    fs.writeFileSync(blocked, "");
    expect(JSON.parse(run(dir, blocked))).toMatchObject({ greeting: "one", transpiled: true });
  });

  it("names the .ts line of an error under PLAN_DEBUG (source maps)", () => {
    fs.writeFileSync(path.join(dir, "main.ts"), ["type T = { a: number };", "const t: T = { a: 1 };", "", "throw new Error(`boom ${t.a}`);"].join("\n"));
    const r = spawnSync(process.execPath, ["-r", REGISTER, path.join(dir, "main.ts")], { encoding: "utf8", env: { ...process.env, ESTATE_TS_CACHE_DIR: cacheDir, PLAN_DEBUG: "1" } });
    expect(r.stderr).toContain(`${path.join(dir, "main.ts")}:4:`);
  });
});
