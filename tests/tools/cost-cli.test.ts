/** The cost commands as a newcomer runs them: their exit codes and one clear message for a file they cannot use. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../helpers/estate";

function run(script: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--stack-trace-limit=0", "-r", "./tools/node/register.js", script, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const plan = (...args: string[]): ReturnType<typeof run> => run("tools/plan.ts", args);
const report = (...args: string[]): ReturnType<typeof run> => run("tools/report.ts", args);
const noStackTrace = (text: string): void => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
const fixture = (name: string): string => path.join(ROOT, "tests/fixtures/actuals", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cost-cli-"));
const write = (name: string, content: string): string => {
  fs.writeFileSync(path.join(tmp, name), content);
  return path.join(tmp, name);
};

describe("npm run plan -- --compare with a file that is not a plan", () => {
  it.each([
    ["a missing file", () => path.join(tmp, "none.json"), /^--compare \S+none\.json: no such file\n$/],
    ["a file that is not JSON", () => write("bad.json", "{ nope"), /^--compare \S+bad\.json: not JSON \(.+\); expected a plan written by `npm run plan -- --format json`, or the output of `pulumi preview --json`\n$/],
    ["JSON that is not a plan", () => write("other.json", '{"hello": 1}'), /^--compare \S+other\.json: not a priced plan written by `npm run plan -- --format json`:\n {2}- project: expected a string\n/],
  ])("exits 2 on %s, with one message and no stack trace", (_what, file, message) => {
    const { status, stdout, stderr } = plan("--stack", "prod", "--compare", file());
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toMatch(message);
    noStackTrace(stderr);
  });
});

describe("npm run plan -- --from-preview", () => {
  const preview = path.join(ROOT, "tests/fixtures/previews/update-node-group.json");

  it("prices the preview's change with --compare on the same file, exit 0", () => {
    const { status, stdout, stderr } = plan("--from-preview", preview, "--compare", preview, "--as-of", "2026-11-22");
    expect([status, stderr]).toEqual([0, ""]);
    expect(stdout.split("\n")[0]).toBe("Cost diff · core-unit-estate · stack staging: +63.56 USD/month (+64 DAI): 127.14 → 190.70 USD/month; 0 added, 0 removed, 1 changed");
  });

  it("exits 2 on a preview of another stack, naming the file and the step, with no stack trace", () => {
    const { status, stdout, stderr } = plan("--stack", "prod", "--from-preview", preview);
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      `--from-preview ${preview}: not a preview of stack prod written by \`pulumi preview --json\`:\n` +
        "  - steps[0] (urn:pulumi:staging::core-unit-estate::estate:cluster:EksCluster$aws:ec2/launchTemplate:LaunchTemplate::k8s-core-general-launch-template): a resource of stack staging, not prod: run with --stack staging, or preview stack prod\n",
    );
    noStackTrace(stderr);
  });
});

describe("npm run report with an export it cannot use", () => {
  it.each([
    ["a missing file", () => path.join(tmp, "none.csv"), [], /^--actuals \S+none\.csv: no such file\n$/],
    ["a CSV that is no billing export", () => write("sales.csv", "date,amount\n2026-10-01,3\n"), [], /^\S+sales\.csv: not a billing export this command reads; expected a header with line_item_unblended_cost/],
    ["a month the export does not have", () => fixture("aws-cur2.csv"), ["--month", "2026-09"], /^\S+aws-cur2\.csv: no charges in 2026-09; months in the file: 2026-10, 2026-11\n$/],
  ])("exits 2 on %s, with one message and no stack trace", (_what, file, extra, message) => {
    const { status, stdout, stderr } = report("--stack", "prod", "--actuals", file(), ...(extra as string[]));
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toMatch(message);
    noStackTrace(stderr);
  });

  it("exits 2 naming both files when one line item is in two exports, before rendering", () => {
    const { status, stdout, stderr } = report("--stack", "prod", "--actuals", fixture("aws-cur2.csv"), "--actuals", fixture("focus.csv"));
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toMatch(/^\S+aws-cur2\.csv line 2 and \S+focus\.csv line 2 are one line item \(the charge for i-0a1 from 2026-10-01T00:00:00\.000Z, 312\.73 USD\): it would be counted twice/);
    noStackTrace(stderr);
  });

  it("exits 2 with the usage when --actuals is missing", () => {
    const { status, stderr } = report("--stack", "prod");
    expect(status).toBe(2);
    expect(stderr).toMatch(/^error: --actuals <export.csv> is required: the billing export to report\n\nUsage: npm run report -- --actuals/);
  });
});

describe("npm run report:screenshot without a browser", () => {
  it("fails with a clear message when Chromium is missing", () => {
    const { status, stderr } = run("tools/screenshot-report.ts", ["--stack", "prod", "--out", path.join(tmp, "r.png")], { CHROMIUM: path.join(tmp, "no-chromium") });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^CHROMIUM=\S+no-chromium: no such file; point it at a Chromium or Chrome binary, or unset it\n$/);
  });
});
