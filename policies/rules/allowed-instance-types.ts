/** Instance, machine and database types come from the allow-list of the resource's environment and budget line. */
import { AllowedTypes, DEFAULT_ALLOWED_TYPES } from "../catalog/instance-types";
import { configObject } from "../lib/config-values";
import { resourcePolicy } from "../lib/define";
import { matchesAny } from "../lib/glob";
import { listed, subject } from "../lib/messages";
import { asArray, asString, at } from "../lib/props";
import { environmentOf, ownTag } from "../lib/resource-tags";

interface SizedField {
  readonly field: string;
  readonly value: unknown;
}

const field = (path: string) => (props: unknown): SizedField[] => [{ field: path, value: at(props, path) }];
const list = (path: string, item: string) => (props: unknown): SizedField[] =>
  asArray(at(props, path)).map((entry, i) => ({ field: `${path}[${i}]${item ? `.${item}` : ""}`, value: item ? at(entry, item) : entry }));

/** Where each type names its size. */
const SIZE_FIELDS: Readonly<Record<string, (props: unknown) => SizedField[]>> = {
  "aws:ec2/instance:Instance": field("instanceType"),
  "aws:ec2/launchTemplate:LaunchTemplate": field("instanceType"),
  "aws:eks/nodeGroup:NodeGroup": list("instanceTypes", ""),
  "aws:autoscaling/group:Group": list("mixedInstancesPolicy.launchTemplate.overrides", "instanceType"),
  "aws:rds/instance:Instance": field("instanceClass"),
  "aws:rds/clusterInstance:ClusterInstance": field("instanceClass"),
  "gcp:compute/instance:Instance": field("machineType"),
  "gcp:compute/instanceTemplate:InstanceTemplate": field("machineType"),
  "gcp:container/nodePool:NodePool": field("nodeConfig.machineType"),
  // The default pool is created and removed at once when removeDefaultNodePool is set.
  "gcp:container/cluster:Cluster": (props) => (at(props, "removeDefaultNodePool") === true ? [] : field("nodeConfig.machineType")(props)),
  "gcp:sql/databaseInstance:DatabaseInstance": field("settings.tier"),
};

const isAllowedTypes = (value: unknown): value is AllowedTypes =>
  value !== null &&
  typeof value === "object" &&
  Object.values(value).every((lines) => lines !== null && typeof lines === "object" && Object.values(lines).every((l) => Array.isArray(l) && l.every((p) => typeof p === "string")));

export const allowedInstanceTypes = resourcePolicy({
  name: "allowed-instance-types",
  description: "Instance, machine and database types come from the allow-list of the resource's environment and budget line.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Pick a type from the allow-list, or extend allowedTypes in policies/config.<stack>.json in a reviewed change.",
  config: {
    environment: { type: "string", description: "The stack's environment, for resources without an environment tag." },
    allowedTypes: {
      type: "object",
      description: 'environment -> budget line (or "*" for any other) -> type patterns (* matches any run).',
      additionalProperties: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
      default: DEFAULT_ALLOWED_TYPES,
    },
  },
  validateResource: (args, reportViolation) => {
    const sizes = SIZE_FIELDS[args.type];
    if (!sizes) return args.notApplicable("the type has no instance or machine type");
    const config = args.getConfig<Record<string, unknown>>();
    const table = configObject(config, "allowedTypes", DEFAULT_ALLOWED_TYPES, isAllowedTypes, "environment -> budget line -> list of patterns");
    const environment = environmentOf(args.type, args.props, config);
    if (environment === undefined) return args.notApplicable("no environment tag and no environment in the policy config");
    const line = ownTag(args.type, args.props, "budget-line") ?? "*";
    const allowed = table[environment]?.[line] ?? table[environment]?.["*"];
    for (const { field: path, value } of sizes(args.props)) {
      const type = asString(value)?.split("/").pop();
      if (!type) continue;
      if (!allowed) {
        reportViolation(`${subject(args)} ${path}: ${type} cannot be checked: allowedTypes has no list for environment "${environment}". Fix: add one in policies/config.<stack>.json`);
      } else if (!matchesAny(type, allowed)) {
        reportViolation(
          `${subject(args)} ${path}: ${type} is not allowed for budget line ${line} in ${environment} (allowed: ${listed(allowed)}). Fix: pick an allowed type, or extend allowedTypes in policies/config.<stack>.json in a reviewed change`,
        );
      }
    }
  },
});
