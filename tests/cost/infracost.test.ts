/** The plan and its diff in Infracost's JSON output format, checked against the format's required shape. */
import * as path from "path";
import Ajv from "ajv";
import { comparePlans } from "../../cost/compare";
import { InfracostOutput, decimal, infracostOutput } from "../../cost/infracost";
import { buildPreviewPlan } from "../../tools/plan/preview-plan";
import { ROOT, planOf } from "../helpers/estate";
import { PLAN_DATE } from "../helpers/plans-cache";
import { INFRACOST_OUTPUT_SCHEMA } from "./infracost-schema";
import { component, resource, smallPlan } from "./plans";

const validate = new Ajv({ allErrors: true, strict: true }).compile(INFRACOST_OUTPUT_SCHEMA);
const problems = (output: InfracostOutput): string[] => (validate(output) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
const fixture = (name: string): string => path.join(ROOT, "tests/fixtures/previews", name);

describe("Infracost's JSON output", () => {
  it("writes amounts as Infracost does: decimal strings, at most 10 decimals, no trailing zeros", () => {
    expect([decimal(190.7), decimal(190.7 / 730), decimal(0), decimal(-0.001), decimal(-28), decimal(1e-12)]).toEqual(["190.7", "0.2612328767", "0", "-0.001", "-28", "0"]);
  });

  it("is one project per budget line, each resource with its cost components, tags and budget line", () => {
    const plan = smallPlan();
    const output = infracostOutput(plan);
    expect(problems(output)).toEqual([]);
    // The line's resources to the cent, free ones (the VPC) apart; the unpriced bucket is a resource with a null cost.
    expect(output.projects.map((p) => [p.name, p.displayName, p.breakdown.totalMonthlyCost, p.breakdown.resources.map((r) => r.name), p.breakdown.freeResources.map((r) => r.name)])).toEqual([
      [
        "core-unit-estate/prod/infrastructure-tools",
        "prod · Infrastructure & Tools (infrastructure-tools)",
        "552.73",
        ["aws:ec2/instance:Instance::eth-mainnet-0-vm", "aws:ebs/volume:Volume::eth-mainnet-0-data", "aws:s3/bucket:Bucket::=cmd|' /C calc'!A0"],
        ["aws:ec2/vpc:Vpc::net-main-vpc"],
      ],
      ["core-unit-estate/prod/third-party-integrations", "prod · Third-party integrations (third-party-integrations)", "30.37", ["aws:ec2/instance:Instance::keeper-vm"], []],
    ]);
    expect(output.projects[0].breakdown.resources[0].tags).toEqual({ "budget-line": "infrastructure-tools" });
    expect([output.currency, output.version, output.totalMonthlyCost, output.pastTotalMonthlyCost, output.diffTotalMonthlyCost]).toEqual(["USD", "0.2", decimal(plan.totalMonthlyUsd), "0", decimal(plan.totalMonthlyUsd)]);
  });

  it("prices a cost component per hour and per month, from its monthly quantity", () => {
    const plan = smallPlan();
    plan.resources.push(resource("vm", "aws:ec2/instance:Instance", "infrastructure-tools", "ethereum-node", 312.73, [component("instance hours: r7g.2xlarge", 730, "hours", 0.4284)]));
    const vm = infracostOutput(plan).projects[0].breakdown.resources.find((r) => r.name === "aws:ec2/instance:Instance::vm")!;
    expect(vm).toMatchObject({ resourceType: "aws:ec2/instance:Instance", hourlyCost: "0.4283972603", monthlyCost: "312.73", metadata: { budgetLine: "infrastructure-tools", workload: "ethereum-node" } });
    expect(vm.costComponents).toEqual([
      { name: "instance hours: r7g.2xlarge", unit: "hours", hourlyQuantity: "1", monthlyQuantity: "730", price: "0.4284", hourlyCost: "0.4284", monthlyCost: "312.732", priceNotFound: false },
    ]);
  });

  it("keeps unpriced resources visible: null cost, the reason in metadata, counted as unsupported", () => {
    const plan = smallPlan();
    plan.resources.push({ ...resource("logs", "aws:fsx/lustreFileSystem:LustreFileSystem", "infrastructure-tools", "indexer", null), unpricedReason: "no price rule" });
    const output = infracostOutput(plan);
    const logs = output.projects[0].breakdown.resources.find((r) => r.name.endsWith("::logs"))!;
    expect([logs.monthlyCost, logs.hourlyCost, logs.metadata.unpricedReason]).toEqual([null, null, "no price rule"]);
    expect(output.summary.unsupportedResourceCounts).toEqual({ "aws:fsx/lustreFileSystem:LustreFileSystem": 1 });
    expect(problems(output)).toEqual([]);
  });

  it("with a base: the past breakdown, the new one and the diff of a preview resizing a node group, to the cent", async () => {
    const file = fixture("update-node-group.json");
    const [base, head] = [await buildPreviewPlan(ROOT, "staging", file, "before", PLAN_DATE), await buildPreviewPlan(ROOT, "staging", file, "after", PLAN_DATE)];
    comparePlans(base, head);
    const output = infracostOutput(head, base, file);
    expect(problems(output)).toEqual([]);
    expect([output.metadata.infracostCommand, output.pastTotalMonthlyCost, output.totalMonthlyCost, output.diffTotalMonthlyCost, output.diffTotalHourlyCost]).toEqual([
      "diff",
      "127.14",
      "190.7",
      "63.56",
      "0.0870684932",
    ]);
    const infra = output.projects.find((p) => p.name === "core-unit-estate/staging/infrastructure-tools")!;
    expect(infra.metadata).toEqual({ path: file, type: "pulumi_preview_json" });
    expect(infra.diff.resources.map((r) => [r.name, r.monthlyCost, r.metadata.change])).toEqual([["aws:eks/nodeGroup:NodeGroup::k8s-core-general-node-group", "63.56", "changed"]]);
    expect(infra.diff.resources[0].costComponents.map((c) => [c.name, c.monthlyQuantity, c.monthlyCost])).toEqual([
      ["instance hours: 2 × m7g.large (on-demand)", "-1460", "-119.14"],
      ["volume /dev/xvda (launch template): 2 × 50 GiB gp3", "-100", "-8"],
      ["instance hours: 3 × m7g.large (on-demand)", "2190", "178.7"],
      ["volume /dev/xvda (launch template): 3 × 50 GiB gp3", "150", "12"],
    ]);
    expect(infra.diff.totalMonthlyCost).toBe("63.56");
    expect(infra.summary).toMatchObject({ totalDetectedResources: 2, totalSupportedResources: 1, totalNoPriceResources: 1, noPriceResourceCounts: { "aws:ec2/launchTemplate:LaunchTemplate": 1 } });
  });

  it("renders each stack's whole plan in the required shape, the projects adding up to the total", async () => {
    for (const stack of ["staging", "prod"]) {
      const plan = await planOf(stack);
      const output = infracostOutput(plan);
      expect(problems(output)).toEqual([]);
      const sum = output.projects.reduce((s, p) => s + Number(p.breakdown.totalMonthlyCost), 0);
      expect(Math.round(sum * 100) / 100).toBe(plan.totalMonthlyUsd);
      expect(output.summary.totalDetectedResources).toBe(output.projects.reduce((s, p) => s + p.summary.totalDetectedResources, 0));
    }
  });

  it("the required shape refuses what Infracost's readers would: a missing total, a number for an amount", () => {
    const output = infracostOutput(smallPlan()) as unknown as Record<string, unknown>;
    expect(problems({ ...output, totalMonthlyCost: 12 } as unknown as InfracostOutput)).toEqual(["/totalMonthlyCost must be string,null"]);
    const rest = { ...output };
    delete rest.summary;
    expect(problems(rest as unknown as InfracostOutput)).toEqual([" must have required property 'summary'"]);
  });
});
