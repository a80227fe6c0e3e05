/** README.md is the front door: short, with contents, a quick start, and links that lead somewhere real. */
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../helpers/estate";
import { anchors, links, readDoc, slug, split } from "./markdown";

const README = readDoc("README.md");
const DOCS = fs
  .readdirSync(path.join(ROOT, "docs"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => `docs/${f}`);

describe("README.md", () => {
  it("stays a front door: at most 250 lines, with a contents line linking every section", () => {
    expect(README.split("\n").length).toBeLessThanOrEqual(250);
    const sections = split(README).prose.filter((l) => l.startsWith("## ")).map((l) => l.slice(3));
    expect(sections).toEqual(expect.arrayContaining(["What it is", "Quick start (no cloud account, no Pulumi CLI)", "Who runs what", "Stacks", "Where to read next"]));
    const contents = README.split("\n\n").find((p) => p.startsWith("Contents: "))!;
    expect(contents.match(/\(#([^)]+)\)/g)!.map((l) => l.slice(2, -1))).toEqual(sections.map(slug));
  });

  it("starts a newcomer with the exact commands: npm ci && npm run plan, then npm test", () => {
    const quick = split(README).fences.filter((f) => f.section.startsWith("Quick start") && f.lang === "sh");
    expect(quick.map((f) => f.lines)).toEqual([["npm ci && npm run plan", "npm test"]]);
    expect(README).toMatch(/install scripts not yet covered by allowScripts/);
  });

  it("links every file of docs/, each from its list of where to read next", () => {
    const next = README.slice(README.indexOf("## Where to read next"));
    for (const doc of DOCS) expect([doc, next.includes(`](${doc})`)]).toEqual([doc, true]);
  });
});

describe("links in README.md and docs/", () => {
  it.each(["README.md", ...DOCS])("every relative link of %s leads to a file, and to a heading of it", (file) => {
    const problems: string[] = [];
    for (const target of links(readDoc(file))) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [relative, anchor] = target.split("#");
      const resolved = relative === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), relative));
      if (resolved.startsWith("..") || !fs.existsSync(path.join(ROOT, resolved))) {
        problems.push(`${target}: no file ${resolved}`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith(".md") && !anchors(readDoc(resolved)).has(anchor)) problems.push(`${target}: no heading #${anchor} in ${resolved}`);
    }
    expect(problems).toEqual([]);
  });
  it("names in its consumers' table only routes and GraphQL fields the indexer's end-to-end test calls", () => {
    const e2e = fs.readFileSync(path.join(ROOT, "tests/indexer/e2e.test.ts"), "utf8");
    const section = README.slice(README.indexOf("## The indexer app"), README.indexOf("## Where to read next"));
    const rows = section.split("\n").filter((l) => /^\| [A-Z]/.test(l) && !l.startsWith("| consumer"));
    expect(rows.length).toBe(5);
    const cells = rows.map((r) => r.split("|")[2]);
    const routes = [...new Set(cells.flatMap((c) => [...c.matchAll(/\/v1\/[a-z/{}]+/g)].map((m) => m[0])))];
    const fields = [...new Set(cells.flatMap((c) => [...c.matchAll(/`([a-z][A-Za-z]+)[`(]/g)].map((m) => m[1])))];
    expect(routes.length).toBeGreaterThanOrEqual(6);
    expect(fields.sort()).toEqual(["auctions", "dailyIlkStats", "protocolStats", "vaults"]);
    const called = (route: string) => new RegExp(`["\`]${route.replace(/\{address\}/, "\\$\\{[^}]+\\}")}["?\`]`).test(e2e);
    expect(routes.filter((r) => !called(r))).toEqual([]);
    expect(fields.filter((f) => !new RegExp(`[{}] *${f}[ ({]`).test(e2e))).toEqual([]);
  });
});
