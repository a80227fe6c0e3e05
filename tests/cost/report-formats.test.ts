import { parseCsv } from "../../cost/csv";
import { CSV_HEADER, UNPRICED_REASON_ROW, renderCsv } from "../../cost/report-csv";
import { renderHtml } from "../../cost/report-html";
import { LIMITS, renderMarkdown } from "../../cost/report-markdown";
import { PR_COMMENT_LIMIT } from "../../cost/format";
import { renderText } from "../../tools/plan/report-text";
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
    expect(md).toContain("### Unpriced resources (1, 1 reason)\n\n| Resources | Why | Which |\n| ---: | --- | --- |\n| 1 | S3 storage depends on usage | aws:s3/bucket:Bucket: =cmd\\|' /C calc'!A0 |");
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
      plan.unpriced.push({ urn: r.urn, type: r.type, name: r.name, reason: `S3 storage depends on usage, which the plan cannot know (${i % 100})` });
      plan.violations.push({ policy: "encrypted-buckets", enforcementLevel: "advisory", urn: r.urn, message: `aws:s3/bucket:Bucket "${r.name}" has no server-side encryption configuration` });
    }
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThan(PR_COMMENT_LIMIT);
    expect(md).toContain(`### Unpriced resources (3001, 101 reasons)`);
    expect(md).toContain(`_… and ${101 - LIMITS.unpriced} more reasons;`);
    expect(md).toContain("… and 18 more |"); // 30 buckets per reason: 12 named
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
    expect(body.map((r) => r[2])).toEqual(["eth-mainnet-0-data", "eth-mainnet-0-vm", "net-main-vpc", "'=cmd|' /C calc'!A0", "keeper-vm", "'=cmd|' /C calc'!A0"]);
    expect(body[5]).toEqual(["", "(unpriced reason)", "'=cmd|' /C calc'!A0", "", "", "1 resource", "", "", "S3 storage depends on usage"]);
    expect(renderCsv(smallPlan())).toMatch(/^urn,type,name,budget_line,workload,cost_components,monthly_usd,monthly_dai,unpriced_reason,constraint_breaches\r\n/);
  });

  it("parses back to the same numbers, adding up to the plan's total", () => {
    const plan = smallPlan();
    const body = rows().slice(1);
    const vm = body.find((r) => r[2] === "eth-mainnet-0-vm")!;
    expect(vm.slice(3)).toEqual(["infrastructure-tools", "ethereum-node", "instance hours=730 hours@0.4284", "312.73", "312.73", "", ""]);
    const total = body.reduce((sum, r) => sum + Number(r[6] || 0), 0);
    expect(total).toBeCloseTo(plan.totalMonthlyUsd, 2);
    const priced = plan.resources.filter((r) => r.custom && r.monthlyUsd !== null);
    for (const r of priced) expect(Number(body.find((row) => row[0] === r.urn)![6])).toBeCloseTo(r.monthlyUsd!, 2);
  });

  it("leaves an unpriced resource's amounts empty and says why", () => {
    const bucket = rows().find((r) => r[1] === "aws:s3/bucket:Bucket")!;
    expect(bucket.slice(6)).toEqual(["", "", "S3 storage depends on usage", ""]);
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

describe("every format's sandboxes, unpriced reasons and chart scale", () => {
  const withSandboxes = () => ({
    ...smallPlan(),
    sandboxes: [
      { name: "mev-research", owner: "bob", expiresOn: "2027-02-12", daysLeft: 82, status: "active" as const, monthlyUsd: 11.16, monthlyBudgetUsd: 150 },
      { name: "rpc-bench", owner: "alice", expiresOn: "2026-11-30", daysLeft: 8, status: "expiring" as const, monthlyUsd: 0, monthlyBudgetUsd: 50 },
      { name: "old-poc", owner: "carol", expiresOn: "2026-11-19", daysLeft: -3, status: "expired" as const, monthlyUsd: 4.5, monthlyBudgetUsd: 20 },
    ],
  });

  it("markdown and HTML list the sandboxes with owner, expiry, days left and budget, soonest first, as the text does", () => {
    expect(renderMarkdown(withSandboxes())).toContain(
      [
        "### Sandboxes (3, 2 expired or expiring within 14 days)",
        "",
        "| Sandbox | Owner | Expires | Days left | Status | Estimate (USD/month) | Budget (USD/month) |",
        "| --- | --- | --- | --- | --- | ---: | ---: |",
        "| old-poc | carol | 2026-11-19 | expired 3 days ago | **expired** | 4.50 | 20.00 |",
        "| rpc-bench | alice | 2026-11-30 | 8 days left | **expiring** | 0.00 | 50.00 |",
        "| mev-research | bob | 2027-02-12 | 82 days left | active | 11.16 | 150.00 |",
      ].join("\n"),
    );
    const html = renderHtml(withSandboxes());
    expect(html).toContain("<h2>Sandboxes (3, 2 expired or expiring within 14 days)</h2>");
    expect(html).toContain('<tr><td class="name">old-poc</td><td>carol</td><td>2026-11-19</td><td class="num">expired 3 days ago</td><td class="over">expired</td><td class="num">4.50</td><td class="num">20.00</td></tr>');
    expect(html.indexOf("old-poc")).toBeLessThan(html.indexOf("mev-research"));
    expect(renderText(withSandboxes())).toContain("  old-poc (owner carol) · expires 2026-11-19, expired 3 days ago [EXPIRED] · est. 4.50 USD/month of a 20.00 USD budget");
    expect(renderMarkdown(smallPlan())).not.toContain("### Sandboxes");
    expect(renderHtml(smallPlan())).not.toContain("<h2>Sandboxes");
  });

  it("text, markdown, HTML and CSV give one row per unpriced reason, with the count and the resources", () => {
    const plan = smallPlan();
    for (const name of ["logs-a", "logs-b"]) {
      const r = resource(name, "aws:cloudwatch/logGroup:LogGroup", "infrastructure-tools", "network", null);
      plan.resources.push(r);
      plan.unpriced.push({ urn: r.urn, type: r.type, name, reason: "usage-based: log ingestion and storage" });
    }
    expect(renderText(plan)).toContain(
      [
        "Unpriced: 3 resources cost money the estimate cannot price, for 2 reasons; they count 0 in the totals above",
        "  2 · usage-based: log ingestion and storage",
        "      2 × aws:cloudwatch/logGroup:LogGroup: logs-a, logs-b",
        "  1 · S3 storage depends on usage",
        "      aws:s3/bucket:Bucket: =cmd|' /C calc'!A0",
      ].join("\n"),
    );
    expect(renderMarkdown(plan)).toContain("| 2 | usage-based: log ingestion and storage | 2 × aws:cloudwatch/logGroup:LogGroup: logs-a, logs-b |");
    expect(renderHtml(plan)).toContain('<tr><td class="num">2</td><td>usage-based: log ingestion and storage</td><td class="name">2 × aws:cloudwatch/logGroup:LogGroup: logs-a, logs-b</td></tr>');
    const reasons = parseCsv(renderCsv(plan)).filter((r) => r[1] === UNPRICED_REASON_ROW);
    expect(reasons.map((r) => [r[2], r[5], r[8]])).toEqual([
      ["logs-a; logs-b", "2 resources", "usage-based: log ingestion and storage"],
      ["'=cmd|' /C calc'!A0", "1 resource", "S3 storage depends on usage"],
    ]);
  });

  it("scales each budget line's track to its own cap: a small line is no sliver, an empty one still shows its cap", () => {
    const plan = smallPlan();
    plan.budgetLines = [
      { id: "infrastructure-tools", name: "Infrastructure & Tools", monthlyCapDai: 45_000, resourceCount: 4, estimatedMonthlyUsd: 22_500, estimatedMonthlyDai: 22_500, utilization: 0.5 },
      { id: "third-party-integrations", name: "Third-party integrations", monthlyCapDai: 5_000, resourceCount: 1, estimatedMonthlyUsd: 2_500, estimatedMonthlyDai: 2_500, utilization: 0.5 },
      { id: "rnd-poc", name: "TechOps R&D/POC", monthlyCapDai: 2_500, resourceCount: 0, estimatedMonthlyUsd: 0, estimatedMonthlyDai: 0, utilization: 0 },
    ];
    const chart = renderHtml(plan).match(/<svg id="estimate-vs-cap"[\s\S]*?<\/svg>/)![0];
    const rows = chart.split("<g><title>").slice(1);
    const widths = rows.map((g) => [...g.matchAll(/<rect x="16" y="\d+" width="([\d.]+)" height="\d+" fill="([^"]+)"/g)].map((m) => [Number(m[1]), m[2]]));
    // Track (grey), then the estimate: the same widths for 22,500 of 45,000 as for 2,500 of 5,000.
    expect(widths[0]).toEqual(widths[1]);
    expect(widths[0][0][1]).toBe("#e6e9f0");
    expect(widths[0][1][0]).toBeCloseTo(Number(widths[0][0][0]) / 2, 0);
    // The empty line: its full track and its cap marker, a zero-width bar.
    expect(widths[2][0]).toEqual(widths[0][0]);
    expect(widths[2][1][0]).toBe(0);
    expect(rows[2]).toMatch(/<line x1="[\d.]+"/);
    expect(rows[2]).toContain("0 of 2,500 DAI · 0.0%");
  });
});
