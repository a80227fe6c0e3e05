/**
 * Builds the pack's policies: each takes an `exemptions` list in its config (see exemptions.ts) on top of its own
 * settings, and skips exempted resources as not applicable, with the reason.
 */
import type {
  EnforcementLevel,
  ResourceValidation,
  ResourceValidationPolicy,
  Severity,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { EXEMPTIONS_SCHEMA, exemptionFor, nameFromUrn, readExemptions } from "./exemptions";

interface RuleSpec {
  readonly name: string;
  readonly description: string;
  /** The level when the stack's pack config does not set one. */
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity;
  readonly remediationSteps: string;
  /** The policy's own config properties (JSON Schema, with defaults). */
  readonly config?: Readonly<Record<string, PolicyConfigJSONSchema>>;
}

function metadata(spec: RuleSpec) {
  const { name, description, enforcementLevel, severity, remediationSteps } = spec;
  return { name, description, enforcementLevel, severity, remediationSteps, configSchema: { properties: { ...spec.config, exemptions: EXEMPTIONS_SCHEMA } } };
}

export function resourcePolicy(spec: RuleSpec & { readonly validateResource: ResourceValidation }): ResourceValidationPolicy {
  return {
    ...metadata(spec),
    validateResource: (args, reportViolation) => {
      const exemption = exemptionFor(readExemptions(args.getConfig()), args);
      if (exemption) args.notApplicable(`exempted: ${exemption.reason}`);
      return spec.validateResource(args, reportViolation);
    },
  };
}

export function stackPolicy(spec: RuleSpec & { readonly validateStack: StackValidation }): StackValidationPolicy {
  return {
    ...metadata(spec),
    validateStack: (args, reportViolation) => {
      const exemptions = readExemptions(args.getConfig());
      return spec.validateStack(args, (message, urn) => {
        if (urn === undefined || !exemptionFor(exemptions, { urn, name: nameFromUrn(urn) })) reportViolation(message, urn);
      });
    },
  };
}
