/**
 * The pack's policies, in the order they run, and `runPolicies` to apply them outside the policy server (the
 * offline plan, tests). policies/index.ts serves the same list with `new PolicyPack`.
 */
import type { Policies } from "@pulumi/policy";
import { PolicyTarget, PolicyViolation, StackContext, applyPolicies } from "../lib/runner";
import { allowedInstanceTypes } from "./allowed-instance-types";
import { budgetCap } from "./budget-cap";
import { budgetLineAllowed } from "./budget-line-allowed";
import { costTagsPropagate } from "./cost-tags-propagate";
import { dataVolumeSize } from "./data-volume-size";
import { encryptedBuckets } from "./encrypted-buckets";
import { encryptedDatabases } from "./encrypted-databases";
import { encryptedDisks } from "./encrypted-disks";
import { imdsv2Required } from "./imdsv2-required";
import { noPublicDatabase } from "./no-public-database";
import { noPublicPrivatePorts } from "./no-public-private-ports";
import { prodDeletionProtection } from "./prod-deletion-protection";
import { requiredCostTags } from "./required-cost-tags";
import { sandboxExpiry, sandboxExpiryAt } from "./sandbox-expiry";
import { tagCharset } from "./tag-charset";

export type { PolicyTarget, PolicyViolation, StackContext };

export const POLICIES: Policies = [
  // Cost tags per budget line
  requiredCostTags,
  budgetLineAllowed,
  tagCharset,
  costTagsPropagate,
  // Cost guardrails
  allowedInstanceTypes,
  sandboxExpiry,
  dataVolumeSize,
  budgetCap,
  // Security
  noPublicPrivatePorts,
  imdsv2Required,
  encryptedDisks,
  encryptedDatabases,
  encryptedBuckets,
  noPublicDatabase,
  prodDeletionProtection,
];

/** The pack's policies judging time (sandbox expiry) as of `now`: the offline plan's date, not the machine's. */
export function policiesAsOf(now: Date): Policies {
  return POLICIES.map((policy) => (policy === sandboxExpiry ? sandboxExpiryAt(() => now) : policy));
}

/** Applies the pack's policies to `resources` with a stack's pack config (the JSON of policies/config.<stack>.json). */
export function runPolicies(resources: readonly PolicyTarget[], context: StackContext, config: unknown, policies: Policies = POLICIES): Promise<PolicyViolation[]> {
  return applyPolicies(policies, resources, context, config);
}
