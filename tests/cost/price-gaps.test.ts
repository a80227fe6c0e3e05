/**
 * A region without a price table never drops cost silently: the resources it leaves unpriced carry the gap, every
 * format of the report leads with a warning, and no budget line passes as within cap on them.
 */
import * as fs from "fs";
import * as path from "path";
import { rollUpBudgetLines } from "../../cost/budget-lines";
import { parseCsv } from "../../cost/csv";
import { estimateCosts } from "../../cost/estimate";
import { groupUnpriced, regionWarnings } from "../../cost/price-gaps";
import { renderCsv, WARNING_ROW } from "../../cost/report-csv";
import { renderHtml } from "../../cost/report-html";
import { renderMarkdown } from "../../cost/report-markdown";
import { Plan, buildPlan } from "../../tools/plan/plan";
import { renderText } from "../../tools/plan/report-text";
import { planVerdict } from "../../tools/plan/verdict";
import { PLAN_DATE } from "../helpers/plans-cache";
import { projectWithStacks, stagingConfig } from "../helpers/project-dir";
import { ROOT, planOf } from "../helpers/estate";
import { GCP_PROVIDER, res } from "./helpers";

describe("the estimator on a region without a price table", () => {
  const west = res("pulumi:providers:aws", "aws-west", { region: "eu-west-1" }, { custom: true });
  const onWest = { provider: `${west.urn}::west-id` };

  it("marks what it cannot price for want of the table, and only that", () => {
    const vm = res("aws:ec2/instance:Instance", "vm", { instanceType: "m6i.large" }, onWest);
    const volume = res("aws:ebs/volume:Volume", "data", { type: "gp3", size: 100 }, onWest);
    const bucket = res("aws:s3/bucket:Bucket", "exports", {}, onWest);
    const nowhere = res("aws:ec2/natGateway:NatGateway", "nat", {});
    const disk = res("gcp:compute/disk:Disk", "disk", { zone: "europe-west4-a", type: "pd-ssd", size: 10 });
    const costs = estimateCosts([west, GCP_PROVIDER, vm, volume, bucket, nowhere, disk]);
    expect(costs.get(vm.urn)).toEqual({ monthlyUsd: null, costComponents: [], unpricedReason: "no price table for AWS region eu-west-1 (cost/prices/aws-eu-west-1.json)", regionGap: { provider: "aws", region: "eu-west-1" } });
    expect(costs.get(volume.urn)!.regionGap).toEqual({ provider: "aws", region: "eu-west-1" });
    expect(costs.get(nowhere.urn)!.regionGap).toEqual({ provider: "aws", region: null });
    expect(costs.get(disk.urn)!.regionGap).toEqual({ provider: "gcp", region: "europe-west4" });
    // Usage-based: unpriced in every region, a lower bound rather than an unknown.
    expect(costs.get(bucket.urn)).toMatchObject({ monthlyUsd: null });
    expect(costs.get(bucket.urn)!.regionGap).toBeUndefined();
  });

  it("gives a line with such resources an unknown cap check, however far below its cap the priced part is", () => {
    const rows = [
      { type: "aws:ec2/instance:Instance", custom: true, budgetLine: "a", monthlyUsd: 10 },
      { type: "aws:ec2/instance:Instance", custom: true, budgetLine: "a", monthlyUsd: null, regionGap: { provider: "aws" as const, region: "eu-west-1" } },
      { type: "aws:s3/bucket:Bucket", custom: true, budgetLine: "b", monthlyUsd: null },
      { type: "aws:ec2/instance:Instance", custom: true, budgetLine: "c", monthlyUsd: 50, regionGap: { provider: "aws" as const, region: "eu-west-1" } },
    ];
    const lines = rollUpBudgetLines(
      [
        { id: "a", name: "A", monthlyCapDai: 1000 },
        { id: "b", name: "B", monthlyCapDai: 1000 },
        { id: "c", name: "C", monthlyCapDai: 20 },
      ],
      rows,
      1,
    );
    expect(lines.map((l) => [l.id, l.capCheck, l.unpricedByRegion])).toEqual([
      ["a", "unknown", 1],
      ["b", "within", 0],
      ["c", "over", 1],
    ]);
  });

  it("groups unpriced resources by reason, the largest group first, and warns once per region", () => {
    const u = (name: string, reason: string) => ({ urn: `u::${name}`, type: "aws:s3/bucket:Bucket", name, reason });
    expect(groupUnpriced([u("a", "usage"), u("b", "other"), u("c", "usage")])).toEqual([
      { reason: "usage", count: 2, resources: [{ urn: "u::a", type: "aws:s3/bucket:Bucket", name: "a" }, { urn: "u::c", type: "aws:s3/bucket:Bucket", name: "c" }] },
      { reason: "other", count: 1, resources: [{ urn: "u::b", type: "aws:s3/bucket:Bucket", name: "b" }] },
    ]);
    const gap = { provider: "aws" as const, region: "eu-west-1" };
    const warnings = regionWarnings([
      { custom: true, type: "aws:ec2/instance:Instance", regionGap: gap },
      { custom: true, type: "aws:kms/key:Key", regionGap: gap },
      { custom: false, type: "estate:x:Y", regionGap: gap },
      { custom: true, type: "aws:s3/bucket:Bucket", regionGap: null },
    ]);
    expect(warnings).toEqual([
      {
        provider: "aws",
        region: "eu-west-1",
        resourceCount: 2,
        message:
          "2 resources that cost money have no price: no price table for AWS region eu-west-1 (cost/prices/aws-eu-west-1.json). The totals leave them out, and the cap check of their budget lines is unknown, not within cap.",
      },
    ]);
  });
});

describe("the staging stack moved to eu-west-1 (a valid region without a price table)", () => {
  let west: Plan;
  let east: Plan;
  beforeAll(async () => {
    const config = stagingConfig();
    (config["core-unit-estate:aws"] as Record<string, unknown>).region = "eu-west-1";
    const dir = projectWithStacks({ staging: { config } });
    fs.mkdirSync(path.join(dir, "policies"));
    fs.copyFileSync(path.join(ROOT, "policies", "config.staging.json"), path.join(dir, "policies", "config.staging.json"));
    [west, east] = await Promise.all([buildPlan(dir, "staging", PLAN_DATE), planOf("staging")]);
  });

  it("prices less, and says which resources are missing and why, in the plan itself", () => {
    expect(west.totalMonthlyUsd).toBeLessThan(east.totalMonthlyUsd);
    const gapped = west.resources.filter((r) => r.custom && r.regionGap);
    expect(gapped.map((r) => r.name)).toEqual(expect.arrayContaining(["net-main-nat-0", "k8s-core-cluster", "k8s-core-general-node-group", "sandbox-mev-research-vm"]));
    // The node group's missing price leaves its workloads' node share unknown for the same reason.
    expect(gapped.map((r) => r.name)).toContain("metrics-core-agent");
    expect(west.warnings).toEqual([expect.objectContaining({ provider: "aws", region: "eu-west-1", resourceCount: gapped.length })]);
    expect(east.warnings).toEqual([]);
    expect(west.budgetLines.map((l) => l.capCheck)).toEqual(["unknown", "unknown"]);
    expect(east.budgetLines.map((l) => l.capCheck)).toEqual(["within", "within"]);
  });

  it("leads every format with the warning", () => {
    const message = west.warnings![0].message;
    expect(renderText(west).split("\n")[2]).toBe(`WARNING: ${message}`);
    expect(JSON.parse(JSON.stringify(west)).warnings[0].message).toBe(message);
    expect(renderMarkdown(west).split("\n").slice(0, 3)).toEqual([expect.stringMatching(/^## Cost estimate/), "", `> **Warning:** ${message}`]);
    expect(renderHtml(west)).toMatch(/<h1>[^<]+<\/h1>\n<p class="warning" role="alert"><strong>Warning:<\/strong> \d+ resources that cost money have no price: no price table for AWS region eu-west-1/);
    expect(parseCsv(renderCsv(west))[1]).toEqual(["", WARNING_ROW, "AWS eu-west-1", "", "", "", "", "", message]);
    expect(planVerdict(west).message).toContain(`stack staging: warning: ${message}\n`);
    for (const text of [renderText(east), renderMarkdown(east), renderHtml(east), renderCsv(east)]) expect(text).not.toMatch(/warning:|\(warning\)/i);
  });

  it("never says within cap: the cap column and the budget-cap policy say unknown", () => {
    expect(renderMarkdown(west)).toMatch(/\| Infrastructure & Tools \(infrastructure-tools\) \| 6,000 \| [\d,.]+ \| [\d,]+ \| \*\*unknown \([\d.]+% priced \+ \d+ unpriced\)\*\* \|/);
    expect(renderHtml(west)).toMatch(/<td class="num unknown">unknown \([\d.]+% priced \+ \d+ unpriced\)<\/td>/);
    expect(renderText(west)).toMatch(/\nBudget line rnd-poc \(TechOps R&D\/POC\) · est\. [\d,]+ USD = [\d,]+ DAI\/month, \d+% of cap 2,500 DAI priced; cap check unknown: 1 resource has no price table for their region/);
    const budgetCap = west.violations.filter((v) => v.policy === "budget-cap");
    expect(budgetCap.map((v) => v.message)).toEqual([
      expect.stringMatching(/^budget line infrastructure-tools \(Infrastructure & Tools\): cap check unknown, not within cap: \d+ of its resources cost money but have no price \(no price table for AWS region eu-west-1/),
      expect.stringMatching(/^budget line rnd-poc \(TechOps R&D\/POC\): cap check unknown, not within cap: 1 of its resources cost money but have no price .*"sandbox-mev-research-vm"/),
    ]);
    expect(east.violations.filter((v) => v.policy === "budget-cap")).toEqual([]);
  });
});
