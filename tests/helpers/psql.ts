import { spawn } from "child_process";

/** Runs `sql` with psql as one simple query (`-c`: one implicit transaction); the last result as `a|b` lines. */
export function psql(url: string, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err.trim().replace(/^psql:[^:]*:\d+: /, "")))));
  });
}
