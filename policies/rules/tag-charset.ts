/** Every tag or label key and value meets the rules of the platform that holds it (AWS, GCP, Kubernetes). */
import { TAGGABLE, readTags } from "../../components/tagging";
import { charsetOf } from "../catalog/tag-charsets";
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { whenKnown } from "../lib/unknowns";

export const tagCharset = resourcePolicy({
  name: "tag-charset",
  description: "Every tag or label key and value meets its platform's rules: AWS tags, GCP labels, Kubernetes labels.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Rename the key or change the value to the characters and length the platform accepts.",
  validateResource: (args, reportViolation) => {
    const charset = charsetOf(args.type);
    if (!charset || !(args.type in TAGGABLE)) return args.notApplicable("the type takes no tags (components/tagging/taggable.ts)");
    for (const { field, tags } of readTags(args.type, args.props)) {
      for (const key of Object.keys(tags ?? {})) {
        const keyProblem = charset.keyProblem(key);
        if (keyProblem) reportViolation(`${subject(args)} ${field}: key "${key}" is not a valid ${charset.platform} key (${keyProblem}). Fix: rename it`);
        // An unknown value is checked at deployment, once known; an unknown cost tag fails required-cost-tags now.
        const value = whenKnown(() => tags![key]);
        const valueProblem = value.known ? charset.valueProblem(value.value) : undefined;
        if (value.known && valueProblem) {
          reportViolation(`${subject(args)} ${field}: value ${JSON.stringify(value.value)} of "${key}" is not a valid ${charset.platform} value (${valueProblem}). Fix: change the value`);
        }
      }
    }
  },
});
