/**
 * Every command the README's quick start and docs/finance.md show is run: by .ci/run on every pull request (which
 * has npm, a clean checkout and time to render each report), or, for one that needs more than Node, by a test.
 */
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../helpers/estate";
import { readDoc, split } from "./markdown";

/** A command as written, without comment, redirections or the files it writes or compares with. */
export function normalize(command: string): string {
  return command
    .replace(/\s#\s.*$/, "")
    .replace(/\s\d?>\s*\S+/g, "")
    .replace(/(--out|--compare)\s+("[^"]*"|\S+)/g, "$1 <file>")
    .replace(/\s+/g, " ")
    .trim();
}

/** The `npm ...` commands of a document's shell blocks (in `section` only, when given); `a && b` is two. */
export function shownCommands(file: string, section?: string): string[] {
  return split(readDoc(file))
    .fences.filter((f) => f.lang === "sh" && (section === undefined || f.section.startsWith(section)))
    .flatMap((f) => f.lines)
    .filter((l) => l.startsWith("npm "))
    .flatMap((l) => l.split("&&"))
    .map(normalize);
}

const CI_RUN = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");
const ciCommands = new Set(CI_RUN.split("\n").filter((l) => l.startsWith("npm ")).map(normalize));

/** Commands .ci/run cannot run (they need more than Node), each with the test that runs it and what it passes. */
const RUN_BY_A_TEST: Readonly<Record<string, { test: string; runs: string }>> = {
  // Needs a Chromium: the test runs it with none and checks the one-line error that says how to get one.
  "npm run report:screenshot -- --stack prod --out <file>": { test: "tests/tools/cost-cli.test.ts", runs: `"tools/screenshot-report.ts", ["--stack", "prod", "--out"` },
};

describe("the commands the docs show", () => {
  const quickStart = shownCommands("README.md", "Quick start");
  const finance = shownCommands("docs/finance.md");

  it("finds them: the quick start's three and finance's estimate, diff and actuals", () => {
    expect(quickStart).toEqual(["npm ci", "npm run plan", "npm test"]);
    expect(finance.filter((c) => c.startsWith("npm run plan")).length).toBeGreaterThanOrEqual(5);
    expect(finance.filter((c) => c.startsWith("npm run report --")).length).toBeGreaterThanOrEqual(3);
    expect(finance).toContain("npm run report -- --stack prod --actuals tests/fixtures/actuals/aws-cur2.csv");
  });

  it.each([...new Set([...quickStart, ...finance])])("%s is run by .ci/run or by a test", (command) => {
    if (ciCommands.has(command)) return;
    const byTest = RUN_BY_A_TEST[command];
    expect([command, byTest ? "run by a test" : "run by neither .ci/run nor a test"]).toEqual([command, "run by a test"]);
    expect(fs.readFileSync(path.join(ROOT, byTest.test), "utf8")).toContain(byTest.runs);
  });

  it("reads the sample exports the finance doc points at from the repository", () => {
    for (const file of finance.flatMap((c) => [...c.matchAll(/--actuals (\S+)/g)].map((m) => m[1]))) {
      expect([file, fs.existsSync(path.join(ROOT, file))]).toEqual([file, true]);
    }
  });

  it("normalizes only what does not change the command: comments, redirections, output files", () => {
    expect(normalize('npm run plan -- --stack prod --compare "$out/base.json" --format markdown --out /tmp/x.md   # the PR comment')).toBe("npm run plan -- --stack prod --compare <file> --format markdown --out <file>");
    expect(normalize("npm run plan >/dev/null")).toBe("npm run plan");
    expect(normalize("npm run plan -- --stack staging")).not.toBe(normalize("npm run plan"));
  });
});
