/** Shared by the IndexerDatabase tests: arguments per cloud and environment, and the checks every variant must pass. */
import type { Policies } from "@pulumi/policy";
import type { IndexerDatabaseArgs } from "../../../components/indexer/database";
import { costTags } from "../../../components/tagging";
import { costTagsPropagate } from "../../../policies/rules/cost-tags-propagate";
import { encryptedDatabases } from "../../../policies/rules/encrypted-databases";
import { noPublicDatabase } from "../../../policies/rules/no-public-database";
import { prodDeletionProtection } from "../../../policies/rules/prod-deletion-protection";
import { requiredCostTags } from "../../../policies/rules/required-cost-tags";
import { RecordedResource, SECRET_PLACEHOLDER } from "../../../tools/plan/record";
import { run } from "../../policies/helpers";

export const tagsFor = (environment: "prod" | "staging") =>
  costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment, workload: "indexer-mainnet", owner: "techops" });

export const AWS_PLACEMENT = {
  kind: "aws" as const,
  vpcId: "vpc-0123",
  privateSubnetIds: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
  clientCidrs: ["10.20.0.0/16", "100.64.0.0/16"],
};

/** A prod-shaped AWS database: Multi-AZ, protected, two replicas. */
export function awsArgs(overrides: Partial<IndexerDatabaseArgs> = {}): IndexerDatabaseArgs {
  return {
    engineVersion: "16",
    instanceClass: "db.r6g.large",
    storageGiB: 100,
    maxStorageGiB: 1000,
    backupRetentionDays: 14,
    highAvailability: true,
    readReplicas: 2,
    databaseName: "mainnet_indexer",
    protect: true,
    tags: tagsFor("prod"),
    placement: AWS_PLACEMENT,
    ...overrides,
  };
}

/** The policies the brief names, each run over every cloud resource given. */
export const DATABASE_POLICIES: Policies = [encryptedDatabases, noPublicDatabase, prodDeletionProtection, costTagsPropagate, requiredCostTags];

export async function policyMessages(resources: readonly RecordedResource[]): Promise<string[]> {
  const targets = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")).map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.inputs }));
  const messages: string[] = [];
  for (const policy of DATABASE_POLICIES) messages.push(...(await run(policy, targets)).messages);
  return messages;
}

/** Input keys that hold a password or another secret value (a boolean switch like manageMasterUserPassword is fine). */
const SECRET_KEY = /pass(word)?|secret(?!Arn)|token|credential/i;

/**
 * Every place a secret could hide in the resources' inputs: a key named like a password or secret holding a value,
 * an input marked secret (the recorder shows it as SECRET_PLACEHOLDER), or a random password generator.
 */
export function secretInputs(resources: readonly RecordedResource[]): string[] {
  const found: string[] = [];
  const walk = (where: string, value: unknown): void => {
    if (value === SECRET_PLACEHOLDER) found.push(`${where}: a secret value`);
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${where}[${i}]`, v));
    else if (value !== null && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (SECRET_KEY.test(key) && v !== undefined && typeof v !== "boolean") found.push(`${where}.${key}`);
        walk(`${where}.${key}`, v);
      }
    }
  };
  for (const r of resources) {
    if (r.type.startsWith("random:")) found.push(`${r.type} ${r.name}`);
    walk(`${r.type} ${r.name}`, r.inputs);
  }
  return found;
}
