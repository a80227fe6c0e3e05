// One PGlite database for a test, outside jest's module sandbox (PGlite loads itself with import(), which the
// sandbox refuses). Reads {"id", "sql"} lines on stdin, runs each as one simple query, in order, and answers
// {"id", "rows"} (the last result, every value as psql -tA prints it) or {"id", "error"} on stdout. The session's
// authorization and role are reset after each query, as if each ran in a session of its own.
import process from "node:process";
import { createInterface } from "node:readline";
import { PGlite } from "@electric-sql/pglite";

const db = await PGlite.create();
const text = (v) => (v === null ? "" : typeof v === "boolean" ? (v ? "t" : "f") : typeof v === "object" ? JSON.stringify(v) : String(v));
let chain = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { id, sql } = JSON.parse(line);
  chain = chain.then(async () => {
    let reply;
    try {
      const results = await db.exec(sql);
      const last = results[results.length - 1];
      reply = { id, rows: (last?.rows ?? []).map((row) => Object.values(row).map(text)) };
    } catch (error) {
      reply = { id, error: error.message };
    }
    await db.exec("RESET SESSION AUTHORIZATION; RESET ROLE;");
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  });
});
lines.on("close", () => chain.then(() => db.close()));
