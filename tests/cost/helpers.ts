/** Hand-written resources for estimator tests, shaped as the offline plan records them. */
import type { CostInput } from "../../cost/estimate";

export const STACK = "urn:pulumi:test::core-unit-estate";

export function urnOf(type: string, name: string, parentType?: string): string {
  return `${STACK}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

export function res(type: string, name: string, inputs: Record<string, unknown>, more: Partial<CostInput> = {}): CostInput {
  return { urn: urnOf(type, name), type, name, inputs, custom: !type.startsWith("estate:"), ...more };
}

/** An AWS provider in us-east-1 and a GCP provider in us-central1, as stacks/providers.ts creates them. */
export const AWS_PROVIDER = res("pulumi:providers:aws", "aws", { region: "us-east-1" }, { custom: true });
export const GCP_PROVIDER = res("pulumi:providers:gcp", "gcp", { project: "p", region: "us-central1" }, { custom: true });
export const onAws = { provider: `${AWS_PROVIDER.urn}::aws-id` };
export const onGcp = { provider: `${GCP_PROVIDER.urn}::gcp-id` };
