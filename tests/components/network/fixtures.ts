import { CostTags, costTags } from "../../../components/tagging";
import { RecordedResource } from "../../../tools/plan/record";

export const TAGS: CostTags = costTags({
  coreUnit: "tocu-001",
  budgetLine: "infrastructure-tools",
  environment: "staging",
  workload: "network",
  owner: "techops",
});

/** The resources below the component named `root` (by URN ancestry), so several instances can share one run. */
export function below(resources: readonly RecordedResource[], root: string): RecordedResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const component = resources.find((r) => r.name === root && !r.custom);
  if (!component) throw new Error(`no component named ${root}`);
  return resources.filter((r) => {
    for (let p = r.parent; p; p = byUrn.get(p)?.parent) if (p === component.urn) return true;
    return false;
  });
}
