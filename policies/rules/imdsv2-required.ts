/** Instances and launch templates require IMDSv2 tokens, so a request forged through a workload cannot read the node's role credentials. */
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { at } from "../lib/props";

const TYPES = ["aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"];

export const imdsv2Required = resourcePolicy({
  name: "imdsv2-required",
  description: "EC2 instances and launch templates require IMDSv2 (metadataOptions.httpTokens: required).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: 'Set metadataOptions: { httpTokens: "required" } (and httpPutResponseHopLimit: 2 where containers need the metadata service).',
  validateResource: (args, reportViolation) => {
    if (!TYPES.includes(args.type)) return args.notApplicable("the type has no instance metadata service");
    const tokens = at(args.props, "metadataOptions.httpTokens");
    if (tokens === "required" || at(args.props, "metadataOptions.httpEndpoint") === "disabled") return;
    reportViolation(
      `${subject(args)} metadataOptions.httpTokens: ${JSON.stringify(tokens ?? null)} allows IMDSv1, whose credentials a forged request (SSRF) can read. Fix: set metadataOptions: { httpTokens: "required" }`,
    );
  },
});
