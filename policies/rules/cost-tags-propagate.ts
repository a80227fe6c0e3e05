/**
 * Cost tags reach what a resource makes the cloud create later, where no tag map carries them: RDS snapshots, the
 * instances and volumes of EKS managed node groups, EBS CSI volumes of PersistentVolumeClaims, ECS tasks.
 * The tag maps that do carry them (launch-template tagSpecifications, Auto Scaling propagateAtLaunch, instance
 * volumeTags, GKE node pools' nodeConfig.resourceLabels) are in TAGGABLE, so required-cost-tags checks those.
 */
import { COST_TAG_KEYS, tagProblems } from "../../components/tagging";
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { asObject, at, isTrue } from "../lib/props";

type Check = (props: Record<string, unknown>) => string | undefined;

const copyTagsToSnapshot: Check = (props) =>
  isTrue(props.copyTagsToSnapshot)
    ? undefined
    : "copyTagsToSnapshot is not true, so its snapshots (billed backup storage) carry no cost tags. Fix: set copyTagsToSnapshot: true";

const CHECKS: Readonly<Record<string, Check>> = {
  "aws:rds/instance:Instance": copyTagsToSnapshot,
  "aws:rds/cluster:Cluster": copyTagsToSnapshot,
  "aws:eks/nodeGroup:NodeGroup": (props) =>
    asObject(props.launchTemplate) && (at(props, "launchTemplate.id") || at(props, "launchTemplate.name"))
      ? undefined
      : "launches no launch template, and EKS managed node groups never pass their tags to the instances and volumes they start. Fix: launch through a launch template with tagSpecifications for instance and volume (components/cluster does)",
  "aws:eks/addon:Addon": (props) => {
    if (props.addonName !== "aws-ebs-csi-driver") return undefined;
    let values: unknown;
    try {
      values = typeof props.configurationValues === "string" ? JSON.parse(props.configurationValues) : undefined;
    } catch {
      return "configurationValues is not JSON, so the EBS volumes of PersistentVolumeClaims get no cost tags. Fix: set controller.extraVolumeTags to the cost tags";
    }
    const problems = tagProblems(asObject(at(values, "controller.extraVolumeTags")));
    return problems.length === 0
      ? undefined
      : `controller.extraVolumeTags in configurationValues: ${problems.join("; ")}, so the EBS volumes of PersistentVolumeClaims are billed untagged. Fix: set controller.extraVolumeTags to the cost tags (${COST_TAG_KEYS.join(", ")})`;
  },
  "aws:ecs/service:Service": (props) =>
    props.propagateTags === "SERVICE" || props.propagateTags === "TASK_DEFINITION"
      ? undefined
      : `propagateTags is ${JSON.stringify(props.propagateTags ?? null)}, so its tasks carry no cost tags. Fix: set propagateTags: "SERVICE"`,
};

export const costTagsPropagate = resourcePolicy({
  name: "cost-tags-propagate",
  description: "Cost tags reach what a resource creates later: RDS snapshots, EKS node group instances and volumes, EBS CSI volumes, ECS tasks.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Turn on the resource's tag propagation setting named in the violation.",
  validateResource: (args, reportViolation) => {
    const check = CHECKS[args.type];
    if (!check) return args.notApplicable("the type creates nothing billed that needs its tags copied");
    const problem = check(args.props);
    if (problem) reportViolation(`${subject(args)}: ${problem}`);
  },
});
