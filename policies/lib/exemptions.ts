/**
 * Exemptions: a policy's config may list resources it does not apply to, each with the reason a reviewer accepted.
 * `{ "urn": "<exact URN>", "reason": "..." }` or `{ "name": "<name, * matches any run>", "reason": "..." }`.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { globToRegExp } from "./glob";

export interface Exemption {
  readonly urn?: string;
  readonly name?: string;
  readonly reason: string;
}

export const MIN_REASON_LENGTH = 10;

export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  description: "Resources this policy does not apply to, by exact URN or by name pattern (* matches any run), each with the reason it was accepted.",
  default: [],
  items: {
    type: "object",
    properties: {
      urn: { type: "string", minLength: 1 },
      name: { type: "string", minLength: 1 },
      reason: { type: "string", minLength: MIN_REASON_LENGTH },
    },
    required: ["reason"],
    additionalProperties: false,
  },
};

function isExemption(value: unknown): value is Exemption {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { urn, name, reason } = value as Record<string, unknown>;
  const target = (typeof urn === "string" && urn.length > 0) !== (typeof name === "string" && name.length > 0);
  return target && typeof reason === "string" && reason.trim().length >= MIN_REASON_LENGTH;
}

/** The exemptions in a policy's config; throws naming the first malformed entry. */
export function readExemptions(config: Readonly<Record<string, unknown>>): readonly Exemption[] {
  const value = config.exemptions;
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`policy config "exemptions" is ${JSON.stringify(value)}; expected a list`);
  value.forEach((entry, i) => {
    if (!isExemption(entry)) {
      throw new Error(
        `policy config "exemptions[${i}]" is ${JSON.stringify(entry)}; expected { urn } or { name } (one of them) and a reason of at least ${MIN_REASON_LENGTH} characters`,
      );
    }
  });
  return value as Exemption[];
}

export function exemptionFor(exemptions: readonly Exemption[], resource: { readonly urn: string; readonly name: string }): Exemption | undefined {
  return exemptions.find((e) => (e.urn !== undefined ? e.urn === resource.urn : globToRegExp(e.name!).test(resource.name)));
}

/** A resource's name is the last `::` segment of its URN. */
export function nameFromUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
