/**
 * A stack's policy pack config (`policies/config.<stack>.json`) as the Pulumi CLI reconciles it before the pack
 * runs: every policy starts from its own level and its schema's defaults, `"all"` sets every level, and each
 * policy's entry (`"advisory"`, or `{ "enforcementLevel": ..., <settings> }`) overrides both.
 * Stricter than the CLI in one way: an entry for a policy or a setting the pack does not have is an error, not a typo
 * silently ignored.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicySettings {
  readonly enforcementLevel: EnforcementLevel;
  /** What `args.getConfig()` returns: the settings without the level. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export type ReconciledConfig = ReadonlyMap<string, PolicySettings>;

export class PackConfigError extends Error {}

const isLevel = (value: unknown): value is EnforcementLevel => (ENFORCEMENT_LEVELS as readonly unknown[]).includes(value);
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Splits one entry into its level and settings, or says what is wrong with it. */
function readEntry(key: string, value: unknown): { level?: EnforcementLevel; properties: Record<string, unknown> } | string {
  const levelProblem = (level: unknown) => `"${key}": enforcement level ${JSON.stringify(level)}; allowed: ${ENFORCEMENT_LEVELS.join(", ")}`;
  if (typeof value === "string") return isLevel(value) ? { level: value, properties: {} } : levelProblem(value);
  if (!isObject(value)) return `"${key}": ${JSON.stringify(value)}; expected an enforcement level or an object`;
  const { enforcementLevel, ...properties } = value;
  if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) return levelProblem(enforcementLevel);
  return { level: enforcementLevel, properties };
}

export function reconcilePackConfig(policies: Policies, raw: unknown, source = "policy pack config", packLevel: EnforcementLevel = "advisory"): ReconciledConfig {
  const result = new Map<string, PolicySettings>();
  for (const p of policies) {
    const defaults = Object.entries(p.configSchema?.properties ?? {}).filter(([, schema]) => schema.default !== undefined);
    result.set(p.name, {
      enforcementLevel: p.enforcementLevel ?? packLevel,
      properties: Object.fromEntries(defaults.map(([key, schema]) => [key, JSON.parse(JSON.stringify(schema.default))])),
    });
  }
  if (raw === undefined || raw === null) return result;
  if (!isObject(raw)) throw new PackConfigError(`${source}: expected a JSON object of policy name -> level or settings`);

  const problems: string[] = [];
  const entries = Object.entries(raw).map(([key, value]) => [key, readEntry(key, value)] as const);
  for (const [key, entry] of entries) {
    if (typeof entry === "string") problems.push(entry);
    else if (key === "all" && Object.keys(entry.properties).length > 0) problems.push(`"all": only an enforcement level applies to all policies`);
    else if (key !== "all" && !result.has(key)) problems.push(`"${key}": no such policy; the pack's policies are ${[...result.keys()].join(", ")}`);
  }
  const all = entries.find(([key]) => key === "all")?.[1];
  if (all && typeof all !== "string" && all.level) {
    for (const [name, settings] of result) result.set(name, { ...settings, enforcementLevel: all.level });
  }
  for (const [key, entry] of entries) {
    const current = result.get(key);
    if (key === "all" || !current || typeof entry === "string") continue;
    const known = Object.keys(policies.find((p) => p.name === key)?.configSchema?.properties ?? {});
    for (const property of Object.keys(entry.properties).filter((k) => !known.includes(k))) {
      problems.push(`"${key}.${property}": no such setting; the policy's settings are ${known.join(", ") || "none"}`);
    }
    result.set(key, { enforcementLevel: entry.level ?? current.enforcementLevel, properties: { ...current.properties, ...entry.properties } });
  }
  if (problems.length > 0) throw new PackConfigError(`${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return result;
}
