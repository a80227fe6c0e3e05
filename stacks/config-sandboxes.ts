/**
 * The `sandboxes` section of the stack config and its companions: `sandboxOwners` (the handles allowed to own a
 * sandbox), `sandboxEmailDomain` (an owner's budget alerts go to `<owner>@<domain>` unless the sandbox sets
 * `ownerEmail`) and `sandboxMaxLifetimeDays` (how far ahead `expiresOn` may be, from today; default 90).
 */
import { EMAIL_PATTERN } from "../components/cost-governance/validate";
// The component's pure modules: the config is read before any cloud SDK loads.
import { SANDBOX_SIZES, SandboxSize } from "../components/sandbox/sizes";
import { OWNER_HANDLE } from "../components/sandbox/validate";
import { daysUntil } from "../policies/lib/dates";
import { ConfigReader, complete } from "./config-reader";

export interface SandboxConfig {
  readonly name: string;
  readonly owner: string;
  readonly ownerEmail: string;
  readonly purpose: string;
  readonly expiresOn: string;
  readonly monthlyBudgetUsd: number;
  readonly size: SandboxSize;
  readonly cluster: string;
  readonly vm?: { readonly cloud: "aws" | "gcp"; readonly network: string };
}

export const SANDBOX_KEYS = ["owner", "ownerEmail", "purpose", "expiresOn", "monthlyBudgetUsd", "size", "cluster", "vm"] as const;
export const DEFAULT_SANDBOX_MAX_LIFETIME_DAYS = 90;

export interface SandboxReferences {
  readonly networks: readonly { name: string; cloud: unknown }[];
  readonly clusters: readonly { name: string; kind: unknown; namespaces: readonly string[] }[];
  /** Whether costGovernance declares the billing account sandbox budgets in GCP are created on (valid or not). */
  readonly gcpBillingAccount: boolean;
}

export interface SandboxOptions {
  /** "Today" for the expiry checks; the real date unless a test or the offline plan sets it. */
  readonly today: Date;
  /** The offline plan still renders an expired sandbox (to list it and let the policy flag it); deploys reject it. */
  readonly allowExpired: boolean;
}

const HANDLE_RULE = "a lowercase handle: letters, digits and '-', 2-32 characters, starting with a letter";
const DATE_RULE = "a date YYYY-MM-DD";

/** The handles allowed to own a sandbox; undefined when the list is malformed (reported once, not at every owner). */
export function readSandboxOwners(r: ConfigReader, value: unknown): string[] | undefined {
  return r.list("sandboxOwners", value, (p, v) => r.string(p, v, { pattern: OWNER_HANDLE, allowed: HANDLE_RULE }), { min: 0, max: 200, fallback: [] });
}

export function readSandboxes(r: ConfigReader, raw: Record<string, unknown>, refs: SandboxReferences, options: SandboxOptions): SandboxConfig[] {
  const owners = readSandboxOwners(r, raw.sandboxOwners);
  const maxDays = r.number("sandboxMaxLifetimeDays", raw.sandboxMaxLifetimeDays, { min: 1, max: 365, integer: true, fallback: DEFAULT_SANDBOX_MAX_LIFETIME_DAYS });
  const domain =
    raw.sandboxEmailDomain === undefined
      ? undefined
      : r.string("sandboxEmailDomain", raw.sandboxEmailDomain, { pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/, allowed: "a mail domain, e.g. techops.example" });
  const sandboxes: SandboxConfig[] = [];
  for (const [name, entry] of r.entries("sandboxes", raw.sandboxes, /^[a-z](?:[a-z0-9-]{0,22}[a-z0-9])?$/, "lowercase letters, digits and '-', 1-24 characters, starting with a letter")) {
    const path = `sandboxes.${name}`;
    const obj = r.object(path, entry, SANDBOX_KEYS, "a sandbox");
    if (!obj) continue;
    let owner = r.string(`${path}.owner`, obj.owner, { pattern: OWNER_HANDLE, allowed: HANDLE_RULE });
    if (owner !== undefined && owners !== undefined && !owners.includes(owner)) {
      owner = r.fail(`${path}.owner`, owner, `an owner declared under sandboxOwners: ${owners.join(", ") || "none declared"}`);
    }
    const sandbox = {
      name,
      owner,
      ownerEmail: ownerEmail(r, path, obj.ownerEmail, owner, { domain, declared: raw.sandboxEmailDomain !== undefined }),
      purpose: r.string(`${path}.purpose`, obj.purpose, { pattern: /^\S.{0,199}$/, allowed: "what the sandbox is for, 1-200 characters" }),
      expiresOn: expiresOn(r, `${path}.expiresOn`, obj.expiresOn, maxDays, options),
      monthlyBudgetUsd: r.number(`${path}.monthlyBudgetUsd`, obj.monthlyBudgetUsd, { min: 1, max: 10_000 }),
      size: r.oneOf(`${path}.size`, obj.size, SANDBOX_SIZES),
      cluster: cluster(r, `${path}.cluster`, obj.cluster, name, refs),
    };
    const vm = obj.vm === undefined ? undefined : readVm(r, `${path}.vm`, obj.vm, refs);
    if (obj.vm !== undefined && vm === undefined) continue;
    if (!refs.gcpBillingAccount && (vm?.cloud === "gcp" || refs.clusters.find((c) => c.name === sandbox.cluster)?.kind === "gke")) {
      r.fail(path, name, "a gcpBillingAccount configured under costGovernance: a sandbox spending in GCP (its VM or a GKE cluster) gets a Cloud Billing budget on it");
      continue;
    }
    if (complete(sandbox)) sandboxes.push(vm ? { ...sandbox, vm } : sandbox);
  }
  return sandboxes;
}

function ownerEmail(r: ConfigReader, path: string, value: unknown, owner: string | undefined, mail: { domain?: string; declared: boolean }): string | undefined {
  if (value !== undefined) return r.string(`${path}.ownerEmail`, value, { pattern: EMAIL_PATTERN, allowed: "the owner's email address for budget alerts" });
  if (!mail.declared) return r.fail(`${path}.ownerEmail`, value, "the owner's email address, or set sandboxEmailDomain to mail <owner>@<domain>");
  return owner === undefined || mail.domain === undefined ? undefined : `${owner}@${mail.domain}`;
}

function expiresOn(r: ConfigReader, path: string, value: unknown, maxDays: number | undefined, options: SandboxOptions): string | undefined {
  const days = typeof value === "string" ? daysUntil(value, options.today) : undefined;
  if (days === undefined) return r.fail(path, value, DATE_RULE);
  const today = options.today.toISOString().slice(0, 10);
  if (days < 0 && !options.allowExpired) {
    return r.fail(path, value, `a date from today (${today}) on: the sandbox has expired; renew it (move expiresOn forward) or remove its entry`);
  }
  if (maxDays !== undefined && days > maxDays) return r.fail(path, value, `a date at most ${maxDays} days (sandboxMaxLifetimeDays) after today (${today})`);
  return value as string;
}

function cluster(r: ConfigReader, path: string, value: unknown, sandbox: string, refs: SandboxReferences): string | undefined {
  const found = refs.clusters.find((c) => c.name === value);
  if (!found) return r.fail(path, value, `the name of a cluster declared under clusters: ${refs.clusters.map((c) => c.name).join(", ") || "none declared"}`);
  if (found.namespaces.includes(`sandbox-${sandbox}`)) return r.fail(path, value, `a cluster without a namespace sandbox-${sandbox} of its own (the sandbox creates it)`);
  return found.name;
}

function readVm(r: ConfigReader, path: string, value: unknown, refs: SandboxReferences): SandboxConfig["vm"] {
  const obj = r.object(path, value, ["cloud", "network"], "a sandbox VM");
  if (!obj) return undefined;
  const cloud = r.oneOf(`${path}.cloud`, obj.cloud, ["aws", "gcp"] as const);
  if (!cloud) return undefined;
  const candidates = refs.networks.filter((n) => n.cloud === cloud).map((n) => n.name);
  if (typeof obj.network !== "string" || !candidates.includes(obj.network)) {
    return r.fail(`${path}.network`, obj.network, `the name of a ${cloud} network declared under networks: ${candidates.join(", ") || "none declared"}`);
  }
  return { cloud, network: obj.network };
}
