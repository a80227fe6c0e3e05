import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DIFF_LIMIT, comparePlans, diffMarker, renderDiffJson, renderDiffMarkdown, renderDiffText } from "../../cost/compare";
import { CostedPlan } from "../../cost/costed-plan";
import { InputFileError } from "../../cost/errors";
import { planProblems, readPlanFile } from "../../cost/plan-file";
import { resource, smallPlan } from "./plans";

/** The base plus: the VM resized (+100), the keeper removed, two new volumes, a free VPC unchanged. */
function headPlan(): CostedPlan {
  const plan = smallPlan();
  plan.generatedAt = "2026-11-23T10:00:00.000Z";
  const vm = plan.resources.find((r) => r.name === "eth-mainnet-0-vm")!;
  vm.monthlyUsd = 412.732;
  plan.resources = plan.resources.filter((r) => r.name !== "keeper-vm");
  plan.resources.push(resource("eth-mainnet-1-data", "aws:ebs/volume:Volume", "infrastructure-tools", "ethereum-node", 240));
  plan.resources.push(resource("eth-mainnet-1-vm", "aws:ec2/instance:Instance", "infrastructure-tools", "ethereum-node", 240));
  plan.budgetLines[0] = { ...plan.budgetLines[0], estimatedMonthlyUsd: 1132.732, estimatedMonthlyDai: 1132.732, utilization: 1.132732 };
  plan.budgetLines[1] = { ...plan.budgetLines[1], estimatedMonthlyUsd: 0, estimatedMonthlyDai: 0, utilization: 0 };
  plan.totalMonthlyUsd = 1132.732;
  return plan;
}

describe("the cost diff of a pull request", () => {
  it("computes the monthly delta per budget line, largest first", () => {
    const diff = comparePlans(smallPlan(), headPlan());
    expect(diff.lines.map((l) => [l.id, Math.round(l.deltaUsd * 100) / 100, l.monthlyCapDai])).toEqual([
      ["infrastructure-tools", 580, 1000],
      ["third-party-integrations", -30.37, 20],
    ]);
    expect(diff.deltaUsd).toBeCloseTo(549.632, 6);
  });

  it("lists resources added, removed and changed by URN, with their cost deltas, by |delta| then URN", () => {
    const diff = comparePlans(smallPlan(), headPlan());
    // the two added resources cost the same: the URN decides (ebs/volume before ec2/instance)
    expect(diff.added.map((r) => [r.name, r.deltaUsd])).toEqual([
      ["eth-mainnet-1-data", 240],
      ["eth-mainnet-1-vm", 240],
    ]);
    expect(diff.removed.map((r) => [r.name, r.baseUsd, r.headUsd, r.deltaUsd])).toEqual([["keeper-vm", 30.368, null, -30.368]]);
    expect(diff.changed.map((r) => [r.name, r.baseUsd, r.headUsd])).toEqual([["eth-mainnet-0-vm", 312.732, 412.732]]);
    expect(diff.changed[0].deltaUsd).toBeCloseTo(100, 9);
  });

  it("gives the same order whatever order the plans list their resources in", () => {
    const head = headPlan();
    const reversed = { ...head, resources: [...head.resources].reverse() };
    expect(comparePlans(smallPlan(), reversed)).toEqual(comparePlans(smallPlan(), head));
  });

  it("counts a move to another budget line and a resource becoming unpriced as changes", () => {
    const head = smallPlan();
    head.resources.find((r) => r.name === "keeper-vm")!.budgetLine = "infrastructure-tools";
    head.resources.find((r) => r.name === "eth-mainnet-0-data")!.monthlyUsd = null;
    const diff = comparePlans(smallPlan(), head);
    expect(diff.changed.map((r) => [r.name, r.deltaUsd])).toEqual([
      ["keeper-vm", 0],
      ["eth-mainnet-0-data", null],
    ]);
    expect(renderDiffText(diff)).toMatch(/keeper-vm +aws:ec2\/instance:Instance +third-party-integrations → infrastructure-tools +30\.37 +30\.37 +0\.00/);
    expect(renderDiffText(diff)).toMatch(/eth-mainnet-0-data .* 240\.00 +unpriced +unpriced/);
  });

  it("says there is no cost change when the plans cost the same", () => {
    const diff = comparePlans(smallPlan(), smallPlan());
    expect([diff.added, diff.removed, diff.changed]).toEqual([[], [], []]);
    expect(renderDiffMarkdown(diff)).toContain("This change: **no change to the monthly estimate (583.10 → 583.10 USD/month); 0 added, 0 removed, 0 changed**.");
  });

  it("refuses to compare plans of two stacks", () => {
    expect(() => comparePlans({ ...smallPlan(), stack: "staging" }, smallPlan())).toThrow(/the base plan is of stack staging, this one of stack prod/);
  });

  it("renders one pull-request comment with a hidden marker CI can update in place", () => {
    const md = renderDiffMarkdown(comparePlans(smallPlan(), headPlan()));
    expect(diffMarker("prod")).toBe("<!-- core-unit-estate:cost-diff:prod -->");
    expect(md.split("\n").slice(0, 4)).toEqual(["<!-- core-unit-estate:cost-diff:prod -->", "## Cost diff · core-unit-estate · stack prod", "", "This change: **+549.63 USD/month (+550 DAI): 583.10 → 1,132.73 USD/month; 2 added, 1 removed, 1 changed**."]);
    expect(md).toContain(
      [
        "| Budget line | Cap (DAI/month) | Before (USD/month) | After (USD/month) | Change (USD/month) | Change (DAI/month) | Utilization after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        "| Infrastructure & Tools (infrastructure-tools) | 1,000 | 552.73 | 1,132.73 | +580.00 | +580 | **113.3% over cap** |",
        "| Third-party integrations (third-party-integrations) | 20 | 30.37 | 0.00 | -30.37 | -30 | 0.0% |",
      ].join("\n"),
    );
    expect(md).toContain("### Added (2)\n\n| Resource | Type | Budget line | Before (USD/month) | After (USD/month) | Change (USD/month) |\n| --- | --- | --- | ---: | ---: | ---: |\n| eth-mainnet-1-data | aws:ebs/volume:Volume | infrastructure-tools | — | 240.00 | +240.00 |");
    expect(md).toContain("### Removed (1)\n\n| Resource | Type | Budget line | Before (USD/month) | After (USD/month) | Change (USD/month) |\n| --- | --- | --- | ---: | ---: | ---: |\n| keeper-vm | aws:ec2/instance:Instance | third-party-integrations | 30.37 | — | -30.37 |");
    expect(md).toContain("| eth-mainnet-0-vm | aws:ec2/instance:Instance | infrastructure-tools | 312.73 | 412.73 | +100.00 |");
  });

  it("lists at most DIFF_LIMIT resources per section in markdown, with a count of the rest", () => {
    const head = smallPlan();
    for (let i = 0; i < DIFF_LIMIT + 150; i++) head.resources.push(resource(`vol-${String(i).padStart(3, "0")}`, "aws:ebs/volume:Volume", "infrastructure-tools", "data", 1 + i / 100));
    const md = renderDiffMarkdown(comparePlans(smallPlan(), head));
    expect(md).toContain(`### Added (${DIFF_LIMIT + 150})`);
    expect(md).toContain("| vol-249 | aws:ebs/volume:Volume | infrastructure-tools | — | 3.49 | +3.49 |"); // the largest first
    expect(md).not.toContain("| vol-000 |");
    expect(md).toContain("_… and 150 more added, smaller changes;");
    expect(md.length).toBeLessThan(65_536);
  });

  it("renders JSON with the marker and every section", () => {
    const json = JSON.parse(renderDiffJson(comparePlans(smallPlan(), headPlan())));
    expect(Object.keys(json)).toEqual(["marker", "project", "stack", "base", "head", "daiPerUsd", "deltaUsd", "deltaDai", "lines", "added", "removed", "changed"]);
    expect(json.marker).toBe("<!-- core-unit-estate:cost-diff:prod -->");
  });

  it("rounds every amount of the JSON diff to the cent", () => {
    const head = headPlan();
    head.resources.find((r) => r.name === "eth-mainnet-1-data")!.monthlyUsd = 863.61 + 1e-13;
    const diff = comparePlans(smallPlan(), head);
    const text = renderDiffJson(diff);
    const amounts = [...text.matchAll(/"(\w+(?:Usd|Dai))": (-?[\d.e+-]+)/g)].map((m) => [m[1], m[2]]);
    expect(amounts.length).toBeGreaterThan(20);
    expect(amounts.filter(([, v]) => !/^-?\d+(?:\.\d{1,2})?$/.test(v))).toEqual([]);
    expect(JSON.parse(text).added.find((r: any) => r.name === "eth-mainnet-1-data")).toMatchObject({ headUsd: 863.61, deltaUsd: 863.61 });
    expect(diff.deltaUsd).not.toBe(Math.round(diff.deltaUsd * 100) / 100);
  });
});

describe("reading the base plan", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compare-"));
  const write = (name: string, content: string): string => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };

  it("reads back a plan JSON as written", () => {
    expect(readPlanFile(write("ok.json", JSON.stringify(smallPlan())))).toEqual(smallPlan());
  });

  it.each([
    ["missing.json", null, /^--compare .*missing\.json: no such file$/],
    ["text.json", "not json {", /^--compare .*text\.json: not JSON \(.*\); expected a plan written by `npm run plan -- --format json`$/],
    ["array.json", "[]", /not a priced plan written by .*:\n {2}- the top level is an array, not a plan object$/],
    ["other.json", JSON.stringify({ name: "x" }), /:\n {2}- project: expected a string\n {2}- stack: expected a string\n {2}- resources: expected an array\n {2}- budgetLines: expected an array\n {2}- unpriced: expected an array \(a plan priced by the estimator\)\n {2}- … and 2 more$/],
  ])("rejects %s with one clear InputFileError", (name, content, message) => {
    const file = content === null ? path.join(dir, name) : write(name, content);
    expect(() => readPlanFile(file)).toThrow(InputFileError);
    expect(() => readPlanFile(file)).toThrow(message);
  });

  it("names the field of a resource or budget line that is wrong", () => {
    const plan: any = smallPlan();
    plan.resources[2].monthlyUsd = "240";
    delete plan.budgetLines[1].utilization;
    expect(planProblems(plan)).toEqual(["resources[2].monthlyUsd: expected a number or null", "budgetLines[1].utilization: expected a number"]);
  });

  it("rejects a plan written before the estimator priced it", () => {
    const unpricedPlan: any = smallPlan();
    for (const key of ["unpriced", "daiPerUsd", "totalMonthlyUsd"]) delete unpricedPlan[key];
    expect(planProblems(unpricedPlan)).toEqual(["unpriced: expected an array (a plan priced by the estimator)", "daiPerUsd: expected a number", "totalMonthlyUsd: expected a number"]);
  });
});
