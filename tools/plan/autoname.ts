/**
 * The names the providers give a resource whose name is left out (Pulumi's autonaming), made deterministic: the random
 * suffix is derived from the resource's URN, so the same program plans the same names and plans diff cleanly.
 * AWS and GCP: `<name>-<7 hex>` in the type's name field; Kubernetes: `metadata.name` = `<name>-<8 lowercase alnum>`.
 */
import { createHash } from "node:crypto";

/** The field the AWS and GCP providers autoname, per resource type; types not listed have no autonamed field. */
export const AUTONAMED_FIELD: Readonly<Record<string, string>> = {
  "aws:budgets/budget:Budget": "name",
  "aws:cloudwatch/logGroup:LogGroup": "name",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
  "aws:ec2/launchTemplate:LaunchTemplate": "name",
  "aws:ec2/securityGroup:SecurityGroup": "name",
  "aws:eks/cluster:Cluster": "name",
  "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
  "aws:iam/instanceProfile:InstanceProfile": "name",
  "aws:iam/policy:Policy": "name",
  "aws:iam/role:Role": "name",
  "aws:iam/rolePolicy:RolePolicy": "name",
  "aws:lb/loadBalancer:LoadBalancer": "name",
  "aws:lb/targetGroup:TargetGroup": "name",
  "aws:rds/instance:Instance": "identifier",
  "aws:rds/parameterGroup:ParameterGroup": "name",
  "aws:rds/subnetGroup:SubnetGroup": "name",
  "aws:s3/bucket:Bucket": "bucket",
  "aws:scheduler/schedule:Schedule": "name",
  "aws:sns/topic:Topic": "name",
  "aws:ssm/parameter:Parameter": "name",
  "gcp:cloudscheduler/job:Job": "name",
  "gcp:compute/disk:Disk": "name",
  "gcp:compute/firewall:Firewall": "name",
  "gcp:compute/forwardingRule:ForwardingRule": "name",
  "gcp:compute/globalAddress:GlobalAddress": "name",
  "gcp:compute/instance:Instance": "name",
  "gcp:compute/instanceGroup:InstanceGroup": "name",
  "gcp:compute/network:Network": "name",
  "gcp:compute/regionBackendService:RegionBackendService": "name",
  "gcp:compute/regionHealthCheck:RegionHealthCheck": "name",
  "gcp:compute/resourcePolicy:ResourcePolicy": "name",
  "gcp:compute/router:Router": "name",
  "gcp:compute/routerNat:RouterNat": "name",
  "gcp:compute/sSLPolicy:SSLPolicy": "name",
  "gcp:compute/subnetwork:Subnetwork": "name",
  "gcp:container/cluster:Cluster": "name",
  "gcp:container/nodePool:NodePool": "name",
  "gcp:pubsub/topic:Topic": "name",
  "gcp:sql/databaseInstance:DatabaseInstance": "name",
  "kubernetes:helm.sh/v3:Release": "name",
};

/** Lowercase physical names: S3 and the RDS identifiers fold case, so the provider lowercases the autoname. */
const LOWERCASED = new Set(["aws:s3/bucket:Bucket", "aws:rds/instance:Instance", "aws:rds/parameterGroup:ParameterGroup", "aws:rds/subnetGroup:SubnetGroup"]);
const K8S_SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** The dotted path of the field a provider fills with an autoname, or undefined where nothing is autonamed. */
export function autonamedField(type: string): string | undefined {
  if (type in AUTONAMED_FIELD) return AUTONAMED_FIELD[type];
  if (type.startsWith("kubernetes:") && !type.startsWith("kubernetes:yaml")) return "metadata.name";
  return undefined;
}

function suffix(urn: string, length: number, alphabet: string): string {
  const digest = createHash("sha256").update(urn).digest();
  return [...digest.subarray(0, length)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** The name the provider would pick for the resource `name` (URN `urn`) of `type`, in its autonamed field. */
export function autoname(type: string, name: string, urn: string): string {
  if (type.startsWith("kubernetes:")) return `${name}-${suffix(urn, 8, K8S_SUFFIX_ALPHABET)}`;
  const value = `${name}-${suffix(urn, 7, "0123456789abcdef")}`;
  return LOWERCASED.has(type) ? value.toLowerCase() : value;
}

/** The URN the engine gives a resource, as the SDK's mock monitor builds it (parent type, type, name). */
export function resourceUrn(stack: string, project: string, type: string, name: string, parentUrn?: string): string {
  const parentType = parentUrn ? parentUrn.split("::")[2]?.split("$").pop() : undefined;
  return `urn:pulumi:${stack}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

/** The name a resource has in its cloud: the autonamed field as given, else the autoname; undefined where none is autonamed. */
export function effectiveName(r: { type: string; name: string; urn: string; inputs: Record<string, unknown> }): string | undefined {
  const field = autonamedField(r.type);
  if (!field) return undefined;
  const given = field.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), r.inputs);
  return typeof given === "string" ? given : autoname(r.type, r.name, r.urn);
}
