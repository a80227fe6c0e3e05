/** Up-front checks of the network components' arguments: one Error per component, naming each bad argument. */
import { tagProblems } from "../tagging";
import { LOG_RETENTION_DAYS } from "./log-retention";
import { MAX_ZONES } from "./aws-layout";
import { Cidr, overlaps, parseCidr } from "./cidr";

type Problems = string[];

function cidrArg(problems: Problems, arg: string, value: unknown, minPrefix: number, maxPrefix: number): Cidr | undefined {
  const parsed = typeof value === "string" ? parseCidr(value) : undefined;
  if (parsed && parsed.prefix >= minPrefix && parsed.prefix <= maxPrefix) return parsed;
  problems.push(`${arg} must be an IPv4 CIDR block with no host bits set and a prefix from /${minPrefix} to /${maxPrefix}, got ${JSON.stringify(value)}`);
  return undefined;
}

function tagsArg(problems: Problems, value: unknown): void {
  const found = tagProblems(value as Record<string, unknown> | undefined);
  if (found.length > 0) problems.push(`tags are not valid cost tags: ${found.join(", ")}`);
}

/**
 * Physical names are `${name}-<part>` plus Pulumi's 8-character random suffix; `limit` is the provider's
 * maximum length for the longest of them.
 */
function nameArg(problems: Problems, name: string, longestPart: string, limit: number): void {
  const max = limit - longestPart.length - 2 - 7;
  if (!/^[a-z](?:[a-z0-9-]*[a-z0-9])?$/.test(name) || name.length > max) {
    problems.push(`name must be lowercase letters, digits and '-', starting with a letter, at most ${max} characters, got ${JSON.stringify(name)}`);
  }
}

function fail(component: string, name: string, problems: Problems): void {
  if (problems.length > 0) throw new Error(`${component} "${name}": invalid arguments: ${problems.join("; ")}`);
}

export interface AwsNetworkArgShape {
  cidr: unknown;
  availabilityZones: unknown;
  natGateways: unknown;
  flowLogRetentionDays: unknown;
  tags: unknown;
}

export function validateAwsNetworkArgs(name: string, args: AwsNetworkArgShape, longestPart: string): void {
  const problems: Problems = [];
  // IAM role names are the tightest AWS limit among the children: 64 characters.
  nameArg(problems, name, longestPart, 64);
  cidrArg(problems, "cidr", args.cidr, 16, 20);
  const zones = args.availabilityZones;
  if (typeof zones !== "number" || !Number.isInteger(zones) || zones < 2 || zones > MAX_ZONES) {
    problems.push(`availabilityZones must be an integer from 2 to ${MAX_ZONES}, got ${JSON.stringify(zones)}`);
  }
  if (args.natGateways !== "single" && args.natGateways !== "per-az") {
    problems.push(`natGateways must be "single" or "per-az", got ${JSON.stringify(args.natGateways)}`);
  }
  if (typeof args.flowLogRetentionDays !== "number" || !LOG_RETENTION_DAYS.includes(args.flowLogRetentionDays)) {
    problems.push(`flowLogRetentionDays must be one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")}), got ${JSON.stringify(args.flowLogRetentionDays)}`);
  }
  tagsArg(problems, args.tags);
  fail("AwsNetwork", name, problems);
}

export interface GcpNetworkArgShape {
  region: unknown;
  cidr: unknown;
  podsCidr: unknown;
  servicesCidr: unknown;
  tags: unknown;
}

export function validateGcpNetworkArgs(name: string, args: GcpNetworkArgShape, longestPart: string): void {
  const problems: Problems = [];
  nameArg(problems, name, longestPart, 63);
  if (typeof args.region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(args.region)) {
    problems.push(`region must be a GCP region such as us-central1, got ${JSON.stringify(args.region)}`);
  }
  const ranges: [string, Cidr | undefined][] = [
    ["cidr", cidrArg(problems, "cidr", args.cidr, 8, 29)],
    ["podsCidr", cidrArg(problems, "podsCidr", args.podsCidr, 8, 24)],
    ["servicesCidr", cidrArg(problems, "servicesCidr", args.servicesCidr, 8, 27)],
  ];
  ranges.forEach(([argA, a], i) =>
    ranges.slice(i + 1).forEach(([argB, b]) => {
      if (a && b && overlaps(a, b)) problems.push(`${argA} and ${argB} must not overlap`);
    }),
  );
  tagsArg(problems, args.tags);
  fail("GcpNetwork", name, problems);
}
