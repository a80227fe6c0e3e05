/** Checks on a GCP placement, as `<argument>: <what is wrong>`. */
import { parseCidr } from "../network/cidr";
import { cidrProblems } from "../cluster/validation";
import type { GcpPlacement } from "./gcp";
import { gcpMachineArchitecture } from "./gcp-machine";
import { NodePoolPlan } from "./plan";

export function gcpPlacementProblems(plan: NodePoolPlan, placement: GcpPlacement): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(placement.project)) problems.push(`placement.project: "${placement.project}" is not a GCP project id`);
  if (!/^[a-z]+-[a-z]+\d+$/.test(placement.region)) problems.push(`placement.region: "${placement.region}" is not a GCP region`);
  if (placement.internalCidrs.length === 0) problems.push("placement.internalCidrs: RPC must be reachable from at least one internal range");
  problems.push(...cidrProblems("placement.internalCidrs", placement.internalCidrs));
  placement.internalCidrs.forEach((c, i) => {
    if (parseCidr(c)?.prefix === 0) problems.push(`placement.internalCidrs[${i}]: "${c}" is the whole internet, not an internal range`);
  });
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(placement.machineType)) {
    problems.push(`placement.machineType: "${placement.machineType}" is not a Compute Engine machine type`);
  } else if (gcpMachineArchitecture(placement.machineType) === "arm64" && plan.size.arch !== "arm64") {
    problems.push(`placement.machineType: ${placement.machineType} is arm64 but the clients' images are published for ${plan.size.arch} only`);
  }
  return problems;
}
