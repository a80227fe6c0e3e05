/** The finance formats, the pull-request diff and the actuals report on the real prod stack. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cloudResources } from "../../cost/costed-plan";
import { parseCsv } from "../../cost/csv";
import { UNPRICED_REASON_ROW, renderCsv } from "../../cost/report-csv";
import { renderHtml } from "../../cost/report-html";
import { renderMarkdown } from "../../cost/report-markdown";
import { Plan } from "../../tools/plan/plan";
import { ROOT, planOf } from "../helpers/estate";

function run(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--stack-trace-limit=0", "-r", "./tools/node/register.js", script, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let prod: Plan;
beforeAll(async () => {
  prod = await planOf("prod");
});

describe("the prod plan in the finance formats", () => {
  it("markdown: a row per configured budget line and a total, under the comment limit", () => {
    const md = renderMarkdown(prod);
    for (const line of prod.budgetLines) expect(md).toContain(`| ${line.name.replace("&", "&")} (${line.id}) | ${line.monthlyCapDai.toLocaleString("en-US")} |`);
    expect(md).toMatch(/\| \*\*Total\*\* \| 50,000 \| [\d,]+\.\d\d \|/);
    expect(md.length).toBeLessThan(65_536);
  });

  it("CSV: one row per cloud resource, adding up to the plan's total, then one row per reason resources are unpriced", () => {
    const [header, ...all] = parseCsv(renderCsv(prod));
    expect(header[0]).toBe("urn");
    const rows = all.filter((r) => r[1] !== UNPRICED_REASON_ROW);
    const reasons = all.filter((r) => r[1] === UNPRICED_REASON_ROW);
    expect(reasons.map((r) => r[8])).toEqual(prod.unpricedByReason!.map((g) => g.reason));
    expect(reasons.reduce((n, r) => n + r[2].split("; ").length, 0)).toBe(prod.unpriced.length);
    expect(rows).toHaveLength(cloudResources(prod.resources).length);
    expect(rows.reduce((sum, r) => sum + Number(r[6] || 0), 0)).toBeCloseTo(prod.totalMonthlyUsd, 1);
    expect(rows.filter((r) => r[6] === "").length).toBe(prod.unpriced.length);
  });

  it("HTML: a bar per budget line, nothing fetched", () => {
    const page = renderHtml(prod);
    expect(page.match(/<g><title>/g)).toHaveLength(prod.budgetLines.length);
    expect(page).not.toMatch(/<script|https?:\/\//i);
  });
});

describe("npm run plan -- --compare and npm run report", () => {
  it("compares the prod plan with itself: no change, one comment with its marker, exit 0", () => {
    const base = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "diff-")), "base.json");
    fs.writeFileSync(base, JSON.stringify(prod));
    const { status, stdout, stderr } = run("tools/plan.ts", "--stack", "prod", "--compare", base, "--format", "markdown");
    expect([status, stderr]).toEqual([0, ""]);
    expect(stdout).toMatch(/^<!-- core-unit-estate:cost-diff:prod -->\n## Cost diff · core-unit-estate · stack prod\n\nThis change: \*\*no change to the monthly estimate \([\d,.]+ → [\d,.]+ USD\/month\); 0 added, 0 removed, 0 changed\*\*\./);
  });

  it("reconciles the prod stack with its AWS (CUR 2.0) and GCP exports merged: caps from the stack, forecast from the plan", () => {
    const exports = ["--actuals", "tests/fixtures/actuals/aws-cur2.csv", "--actuals", "tests/fixtures/actuals/gcp-billing.csv"];
    const { status, stdout, stderr } = run("tools/report.ts", "--stack", "prod", ...exports, "--format", "csv");
    expect([status, stderr]).toEqual([0, ""]);
    const rows = parseCsv(stdout);
    const infra = rows.find((r) => r[1] === "infrastructure-tools")!;
    expect(infra.slice(0, 4)).toEqual(["2026-11", "infrastructure-tools", "Infrastructure & Tools", "45000"]);
    expect(Number(infra[4])).toBeCloseTo(prod.budgetLines[0].estimatedMonthlyUsd, 1);
    expect(infra[6]).toBe(String(1235 + 75)); // CUR 2.0 + GCP, November
    expect(rows.find((r) => r[1] === "total")![10]).toBe(String(6 + 4)); // the staging line item left out
    expect(rows.map((r) => r[1])).toEqual(["budget_line", "infrastructure-tools", "third-party-integrations", "rnd-poc", "", "total"]);
  });
});
