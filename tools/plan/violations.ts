/**
 * The policy pack's verdict on a plan: its rules run on every recorded resource with the stack's pack config
 * (policies/config.<stack>.json, validated against each policy's config schema as the Pulumi CLI does).
 */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { PackConfigError } from "../../policies/lib/pack-config";
import { POLICIES, PolicyTarget, PolicyViolation, policiesAsOf, runPolicies } from "../../policies/rules";

export type Violation = PolicyViolation;

/** Where a stack's pack config lives, relative to the project directory. */
export function packConfigPath(projectDir: string, stack: string): string {
  return path.join(projectDir, "policies", `config.${stack}.json`);
}

/** The stack's pack config, or undefined (every policy at its default) when the stack has none. */
export function readPackConfig(projectDir: string, stack: string): unknown {
  const file = packConfigPath(projectDir, stack);
  if (!fs.existsSync(file)) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new PackConfigError(`${path.relative(projectDir, file)} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const problems = schemaProblems(config);
  if (problems.length > 0) {
    throw new PackConfigError(`${path.relative(projectDir, file)} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return config;
}

/** Each policy's settings checked against its config schema; `{policy}{/path}: problem` for each mismatch. */
export function schemaProblems(config: unknown): string[] {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return [];
  const ajv = new Ajv({ allErrors: true, strict: false });
  return POLICIES.flatMap((policy) => {
    const entry = (config as Record<string, unknown>)[policy.name];
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return [];
    const settings = Object.fromEntries(Object.entries(entry).filter(([key]) => key !== "enforcementLevel"));
    const validate = ajv.compile({ type: "object", properties: policy.configSchema?.properties ?? {}, required: policy.configSchema?.required ?? [] });
    return validate(settings) ? [] : (validate.errors ?? []).map((e) => `${policy.name}${e.instancePath.replace(/\//g, ".")}: ${e.message}`);
  });
}

export function findViolations(resources: readonly PolicyTarget[], stack: { project: string; stack: string }, packConfig: unknown, now: Date = new Date()): Promise<Violation[]> {
  return runPolicies(resources, { stackTags: { "pulumi:project": stack.project, "pulumi:runtime": "nodejs" } }, packConfig, policiesAsOf(now));
}
