/** Every taggable resource carries the six cost tags, with valid values, in every field where its type bills. */
import { COST_TAG_KEYS, TAGGABLE, readTags, tagProblems } from "../../components/tagging";
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { whenKnown } from "../lib/unknowns";

/** How to fix a field, by where it sits; the tags come from components/tagging's renderers. */
function fixFor(field: string): string {
  if (field.startsWith("tagSpecifications[")) {
    return "render tagSpecifications with awsLaunchTemplateTagSpecifications(tags), so the instances and volumes the template launches are billed to the line";
  }
  if (field === "volumeTags") return "set volumeTags: awsTags(tags), so the instance's volumes are billed to the line";
  if (field.endsWith("[propagateAtLaunch]")) return "render the group's tags with awsAutoScalingTags(tags) (propagateAtLaunch: true), so its instances carry them";
  if (field === "nodeConfig.resourceLabels") return "set nodeConfig.resourceLabels: gcpLabels(tags) (the VMs' labels; nodeConfig.labels are Kubernetes node labels)";
  if (field === "spec.template.metadata.labels") return "label the pod template with kubernetesLabels(tags) too (never the selector): cost tools group pods by them";
  return "pass the workload's cost tags from components/tagging (costTags) to this resource";
}

export const requiredCostTags = resourcePolicy({
  name: "required-cost-tags",
  description: `Every taggable resource carries the cost tags ${COST_TAG_KEYS.join(", ")} with valid values, in each field its type bills by.`,
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Pass the workload's cost tags from components/tagging to the resource, rendered for its platform.",
  validateResource: (args, reportViolation) => {
    if (!(args.type in TAGGABLE)) return args.notApplicable("the type takes no tags (components/tagging/taggable.ts)");
    const found = whenKnown(() => readTags(args.type, args.props));
    if (!found.known) {
      reportViolation(`${subject(args)}: cost tags unknown during preview (${found.reason}); cost tags must be literal strings from config, never Outputs`);
      return;
    }
    for (const { field, tags } of found.value) {
      const problems = whenKnown(() => tagProblems(tags));
      if (!problems.known) {
        reportViolation(`${subject(args)} ${field}: a cost tag is unknown during preview (${problems.reason}); cost tags must be literal strings from config, never Outputs`);
      } else if (problems.value.length > 0) {
        reportViolation(`${subject(args)} ${field}: ${problems.value.join("; ")}. Fix: ${fixFor(field)}`);
      }
    }
  },
});
