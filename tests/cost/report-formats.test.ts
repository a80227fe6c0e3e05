import { parseCsv } from "../../cost/csv";
import { CSV_HEADER, renderCsv } from "../../cost/report-csv";
import { renderHtml } from "../../cost/report-html";
import { LIMITS, renderMarkdown } from "../../cost/report-markdown";
import { PR_COMMENT_LIMIT } from "../../cost/format";
import { resource, smallPlan } from "./plans";

describe("the cost report as markdown (a pull-request comment)", () => {
  it("tables the budget lines with cap, estimate in USD and DAI, and utilization, flagging a line over its cap", () => {
    const md = renderMarkdown(smallPlan());
    expect(md).toContain(
      [
        "| Budget line | Cap (DAI/month) | Estimate (USD/month) | Estimate (DAI/month) | Utilization | Resources |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        "| Infrastructure & Tools (infrastructure-tools) | 1,000 | 552.73 | 553 | 55.3% | 4 |",
        "| Third-party integrations (third-party-integrations) | 20 | 30.37 | 30 | **151.8% over cap** | 1 |",
        "| **Total** | 1,020 | 583.10 | 583 | 57.2% |  |",
      ].join("\n"),
    );
    expect(md).toMatch(/^## Cost estimate · core-unit-estate · stack prod \(prod\)\n\nMonthly estimate \*\*583\.10 USD\*\* ≈ \*\*583 DAI\*\*/);
  });

  it("lists the top cost drivers most expensive first, then unpriced resources and violations", () => {
    const md = renderMarkdown(smallPlan());
    expect(md).toContain(
      [
        "| 1 | eth-mainnet-0-vm | aws:ec2/instance:Instance | infrastructure-tools | ethereum-node | 312.73 | 313 |",
        "| 2 | eth-mainnet-0-data | aws:ebs/volume:Volume | infrastructure-tools | ethereum-node | 240.00 | 240 |",
        "| 3 | keeper-vm | aws:ec2/instance:Instance | third-party-integrations | keeper | 30.37 | 30 |",
      ].join("\n"),
    );
    expect(md).not.toContain("net-main-vpc"); // free: not a cost driver
    expect(md).toContain("### Unpriced resources (1)\n\n| Resource | Type | Why |\n| --- | --- | --- |\n| =cmd\\|' /C calc'!A0 | aws:s3/bucket:Bucket | S3 storage depends on usage |");
    expect(md).toContain("### Policy violations (0)\n\nNone: every resource passes the policy pack.");
    const order = ["| Budget line |", "### Top cost drivers", "### Unpriced resources", "### Policy violations"].map((s) => md.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("shows a line no configured budget line covers instead of dropping its cost", () => {
    const plan = smallPlan();
    plan.resources.push(resource("stray-vm", "aws:ec2/instance:Instance", null, null, 10));
    expect(renderMarkdown(plan)).toContain("| (no budget line) | — | 10.00 | 10 | — | 1 |");
  });

  it("truncates long lists with a count and stays under GitHub's 65,536-character comment limit", () => {
    const plan = smallPlan();
    for (let i = 0; i < 3000; i++) {
      const r = resource(`bucket-${String(i).padStart(4, "0")}-${"x".repeat(40)}`, "aws:s3/bucket:Bucket", "infrastructure-tools", "data", null);
      plan.resources.push(r);
      plan.unpriced.push({ urn: r.urn, type: r.type, name: r.name, reason: "S3 storage depends on usage, which the plan cannot know" });
      plan.violations.push({ policy: "encrypted-buckets", enforcementLevel: "advisory", urn: r.urn, message: `aws:s3/bucket:Bucket "${r.name}" has no server-side encryption configuration` });
    }
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThan(PR_COMMENT_LIMIT);
    expect(md).toContain(`### Unpriced resources (3001)`);
    expect(md).toContain(`_… and ${3001 - LIMITS.unpriced} more unpriced resources;`);
    expect(md).toContain(`_… and ${3000 - LIMITS.violations} more violations;`);
  });

  it("escapes what would break a table or inject HTML into the comment", () => {
    const plan = smallPlan();
    plan.violations.push({ policy: "tag-charset", enforcementLevel: "mandatory", urn: "u", message: 'tag "a|b" <img src=x> on\nthe *bucket*' });
    expect(renderMarkdown(plan)).toContain("| mandatory | tag-charset | tag \"a\\|b\" \\<img src=x\\> on the \\*bucket\\* |");
  });
});

describe("the cost report as CSV (a spreadsheet)", () => {
  const rows = (): string[][] => parseCsv(renderCsv(smallPlan()));

  it("has a header row and one row per cloud resource, components left out", () => {
    const [header, ...body] = rows();
    expect(header).toEqual([...CSV_HEADER]);
    expect(body.map((r) => r[2])).toEqual(["eth-mainnet-0-data", "eth-mainnet-0-vm", "net-main-vpc", "'=cmd|' /C calc'!A0", "keeper-vm"]);
    expect(renderCsv(smallPlan())).toMatch(/^urn,type,name,budget_line,workload,cost_components,monthly_usd,monthly_dai,unpriced_reason\r\n/);
  });

  it("parses back to the same numbers, adding up to the plan's total", () => {
    const plan = smallPlan();
    const body = rows().slice(1);
    const vm = body.find((r) => r[2] === "eth-mainnet-0-vm")!;
    expect(vm.slice(3)).toEqual(["infrastructure-tools", "ethereum-node", "instance hours=730 hours@0.4284", "312.73", "312.73", ""]);
    const total = body.reduce((sum, r) => sum + Number(r[6] || 0), 0);
    expect(total).toBeCloseTo(plan.totalMonthlyUsd, 2);
    const priced = plan.resources.filter((r) => r.custom && r.monthlyUsd !== null);
    for (const r of priced) expect(Number(body.find((row) => row[0] === r.urn)![6])).toBeCloseTo(r.monthlyUsd!, 2);
  });

  it("leaves an unpriced resource's amounts empty and says why", () => {
    const bucket = rows().find((r) => r[1] === "aws:s3/bucket:Bucket")!;
    expect(bucket.slice(6)).toEqual(["", "", "S3 storage depends on usage"]);
  });

  it("guards text cells against formula injection and quotes per RFC 4180", () => {
    const csv = renderCsv(smallPlan());
    expect(csv).toContain(`,'=cmd|' /C calc'!A0,`);
    for (const row of rows()) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    const plan = smallPlan();
    plan.resources[1] = { ...plan.resources[1], name: 'vm, "big"\nnode' };
    expect(renderCsv(plan)).toContain(`,"vm, ""big""\nnode",`);
    expect(parseCsv(renderCsv(plan)).find((r) => r[0] === plan.resources[1].urn)![2]).toBe('vm, "big"\nnode');
  });

  it("converts to DAI at the plan's rate", () => {
    const plan = { ...smallPlan(), daiPerUsd: 0.5 };
    const vm = parseCsv(renderCsv(plan)).find((r) => r[2] === "eth-mainnet-0-vm")!;
    expect([vm[6], vm[7]]).toEqual(["312.73", "156.37"]);
  });
});

describe("the cost report as HTML (one page with a chart)", () => {
  const page = renderHtml(smallPlan());

  it("is one self-contained page: inline CSS, no scripts, nothing fetched", () => {
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain("<style>");
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("draws an accessible SVG bar per budget line, against its cap", () => {
    expect(page).toMatch(/<svg id="estimate-vs-cap" role="img" aria-labelledby="estimate-vs-cap-title estimate-vs-cap-desc"/);
    expect(page).toContain('<title id="estimate-vs-cap-title">Monthly estimate against cap per budget line, stack prod, in DAI</title>');
    const groups = page.match(/<g><title>[^<]+<\/title>/g)!;
    expect(groups).toEqual([
      "<g><title>Infrastructure &amp; Tools: estimate 553 DAI of a 1,000 DAI cap (55.3%)</title>",
      "<g><title>Third-party integrations: estimate 30 DAI of a 20 DAI cap (151.8%)</title>",
    ]);
    expect(page).toContain('fill="#c0392b"'); // the line over its cap is red
  });

  it("lists the top 10 cost drivers and escapes names", () => {
    const plan = smallPlan();
    for (let i = 0; i < 15; i++) plan.resources.push(resource(`vm-${i}<b>`, "aws:ec2/instance:Instance", "infrastructure-tools", "x", 1 + i));
    const html = renderHtml(plan);
    expect(html).toContain("The 10 most expensive resources");
    expect(html).toContain("vm-14&lt;b&gt;");
    expect(html).not.toContain("vm-4&lt;b&gt;"); // the 11th most expensive and below are left out
    expect(html).not.toContain("<b>");
  });
});
