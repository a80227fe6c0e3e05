/** Small hand-built priced plans for the report, diff and actuals tests. */
import { CostedPlan, CostedResource } from "../../cost/costed-plan";
import { CostComponent } from "../../cost/types";

const URN = "urn:pulumi:prod::core-unit-estate::";

export function component(name: string, quantity: number, unit: string, unitPriceUsd: number): CostComponent {
  return { name, unit, quantity, unitPriceUsd, monthlyUsd: quantity * unitPriceUsd, price: `aws-ec2.json#${name}` };
}

export function resource(name: string, type: string, budgetLine: string | null, workload: string | null, monthlyUsd: number | null, costComponents: CostComponent[] = []): CostedResource {
  return {
    urn: `${URN}${type}::${name}`,
    type,
    name,
    parent: null,
    custom: true,
    protect: false,
    retainOnDelete: false,
    inputs: {},
    costTags: budgetLine ? { "budget-line": budgetLine } : null,
    budgetLine,
    workload,
    monthlyUsd,
    costComponents: costComponents.length > 0 ? costComponents : monthlyUsd ? [component("usage", 1, "months", monthlyUsd)] : [],
  };
}

/** Three priced resources on two lines, one unpriced, one free, one component (never a row). */
export function smallPlan(): CostedPlan {
  const resources: CostedResource[] = [
    { ...resource("k8s-core", "estate:cluster:EksCluster", "infrastructure-tools", "cluster", 0), custom: false, costComponents: [] },
    resource("eth-mainnet-0-vm", "aws:ec2/instance:Instance", "infrastructure-tools", "ethereum-node", 312.732, [component("instance hours", 730, "hours", 0.4284)]),
    resource("eth-mainnet-0-data", "aws:ebs/volume:Volume", "infrastructure-tools", "ethereum-node", 240, [component("gp3 storage", 3000, "GiB-months", 0.08)]),
    resource("keeper-vm", "aws:ec2/instance:Instance", "third-party-integrations", "keeper", 30.368, [component("instance hours", 730, "hours", 0.0416)]),
    resource("net-main-vpc", "aws:ec2/vpc:Vpc", "infrastructure-tools", "network", 0),
    resource("=cmd|' /C calc'!A0", "aws:s3/bucket:Bucket", "infrastructure-tools", "network", null),
  ];
  return {
    project: "core-unit-estate",
    stack: "prod",
    generatedAt: "2026-11-22T10:00:00.000Z",
    environment: "prod",
    substitutedSecrets: [],
    resources,
    violations: [],
    unpriced: [{ urn: resources[5].urn, type: "aws:s3/bucket:Bucket", name: resources[5].name, reason: "S3 storage depends on usage" }],
    daiPerUsd: 1,
    totalMonthlyUsd: 583.1,
    budgetLines: [
      { id: "infrastructure-tools", name: "Infrastructure & Tools", monthlyCapDai: 1000, resourceCount: 4, estimatedMonthlyUsd: 552.732, estimatedMonthlyDai: 552.732, utilization: 0.552732 },
      { id: "third-party-integrations", name: "Third-party integrations", monthlyCapDai: 20, resourceCount: 1, estimatedMonthlyUsd: 30.368, estimatedMonthlyDai: 30.368, utilization: 1.5184 },
    ],
  };
}
