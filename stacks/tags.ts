import { CostTags, costTags } from "../components/tagging";
import { EstateConfig } from "./config";

/** The cost tags of one workload of this stack: Core Unit, environment and owner come from the stack. */
export function workloadTags(config: EstateConfig, workload: { budgetLine: string; workload: string; owner?: string }, extra?: Record<string, string>): CostTags {
  return costTags(
    {
      coreUnit: config.coreUnit,
      environment: config.environment,
      owner: workload.owner ?? config.owner,
      budgetLine: workload.budgetLine,
      workload: workload.workload,
    },
    extra,
  );
}
