/** Checks on a node pool plan that every VM builder relies on, as `<argument>: <what is wrong>`. */
import { integerProblems, tagArgProblems } from "../cluster/validation";
import { cloudInitProblems } from "./cloud-init";
import { NodePoolPlan } from "./plan";
import { DISK_LIMITS } from "./sizing";
import { portProblems } from "./vm-ports";

export function vmPlanProblems(plan: NodePoolPlan): string[] {
  const { size } = plan;
  return [
    ...integerProblems("plan.count", plan.count, 1),
    ...integerProblems("plan.size.diskGiB", size.diskGiB, 1, DISK_LIMITS.maxGiB),
    ...(size.diskGiB < size.minDiskGiB ? [`plan.size.diskGiB: ${size.diskGiB} is below the ${size.minDiskGiB} GiB the chain already needs`] : []),
    ...portProblems(plan),
    ...cloudInitProblems(plan),
    ...tagArgProblems("plan.tags", plan.tags),
  ];
}
