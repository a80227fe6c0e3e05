/** Builds the offline plan of one stack: every resource the real program registers, attributed to budget lines. */
import { COST_TAG_KEYS, readTags } from "../../components/tagging";
import { EstateConfig, PROJECT, formatProblems, parseEstateConfig } from "../../stacks/config";
import { buildEstate } from "../../stacks/estate";
import { loadEstateConfig } from "../../stacks/load-config";
import { decodeNamespace } from "../../stacks/raw-config";
import { RecordedResource, recordResources } from "./record";
import { StackConfig, readStackConfig } from "./stack-file";
import { Violation, findViolations, readPackConfig } from "./violations";

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  protect: boolean;
  retainOnDelete: boolean;
  inputs: Record<string, unknown>;
  /** The cost tags the resource itself carries (a component: the tags it gives its children); null where none. */
  costTags: Record<string, string> | null;
  /** Its own budget line, else its nearest tagged ancestor's; for a component, the one its tagged children share. */
  budgetLine: string | null;
  workload: string | null;
}

export interface PlanBudgetLine {
  id: string;
  name: string;
  monthlyCapDai: number;
  resourceCount: number;
}

export interface Plan {
  project: string;
  stack: string;
  generatedAt: string;
  environment: string;
  substitutedSecrets: string[];
  resources: PlannedResource[];
  violations: Violation[];
  budgetLines: PlanBudgetLine[];
}

export class ConfigError extends Error {}

export function validateStack(stackConfig: StackConfig): EstateConfig {
  const result = parseEstateConfig(decodeNamespace(stackConfig.config, PROJECT), stackConfig.stack);
  if (!result.ok) throw new ConfigError(formatProblems(result.problems));
  return result.config;
}

export async function buildPlan(projectDir: string, stack: string, now: Date = new Date()): Promise<Plan> {
  const stackConfig = readStackConfig(projectDir, stack);
  const config = validateStack(stackConfig);
  const packConfig = readPackConfig(projectDir, stack);
  // The program index.ts runs, with config read from the runtime exactly as under `pulumi up`.
  const { resources } = await recordResources(() => buildEstate(loadEstateConfig()), {
    project: stackConfig.project,
    stack,
    config: stackConfig.config,
    secretKeys: stackConfig.secretKeys,
    awsRegion: config.aws?.region,
  });
  const planned = attribute(resources);
  return {
    project: stackConfig.project,
    stack,
    generatedAt: now.toISOString(),
    environment: config.environment,
    substitutedSecrets: stackConfig.substitutedSecrets,
    resources: planned,
    violations: await findViolations(resources, { project: stackConfig.project, stack }, packConfig),
    budgetLines: config.budgetLines.map((line) => ({
      ...line,
      resourceCount: planned.filter((r) => r.custom && r.budgetLine === line.id).length,
    })),
  };
}

function ownCostTags(r: RecordedResource): Record<string, string> | null {
  if (r.type.startsWith("pulumi:")) return null;
  const first = r.custom ? readTags(r.type, r.inputs)[0]?.tags : (r.outputs.costTags as Record<string, unknown> | undefined);
  if (!first) return null;
  const tags = Object.fromEntries(COST_TAG_KEYS.filter((k) => typeof first[k] === "string").map((k) => [k, first[k] as string]));
  return Object.keys(tags).length > 0 ? tags : null;
}

function attribute(resources: readonly RecordedResource[]): PlannedResource[] {
  const planned = resources.map((r): PlannedResource => {
    const costTags = ownCostTags(r);
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      custom: r.custom,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      inputs: r.inputs,
      costTags,
      budgetLine: costTags?.["budget-line"] ?? null,
      workload: costTags?.workload ?? null,
    };
  });
  const byUrn = new Map(planned.map((r) => [r.urn, r]));
  const children = new Map<string, PlannedResource[]>();
  for (const r of planned) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);

  const shared = (r: PlannedResource): { budgetLine: string | null; workload: string | null } => {
    if (r.costTags) return { budgetLine: r.budgetLine, workload: r.workload };
    const below = (children.get(r.urn) ?? []).map(shared).filter((a) => a.budgetLine !== null);
    const lines = new Set(below.map((a) => a.budgetLine));
    const workloads = new Set(below.map((a) => a.workload));
    return { budgetLine: lines.size === 1 ? [...lines][0] : null, workload: workloads.size === 1 ? [...workloads][0] : null };
  };
  for (const r of planned) if (!r.custom && !r.type.startsWith("pulumi:pulumi:")) Object.assign(r, shared(r));
  for (const r of planned) {
    if (r.budgetLine !== null || !r.custom || r.type.startsWith("pulumi:")) continue;
    for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
      if (p.budgetLine !== null) {
        r.budgetLine = p.budgetLine;
        r.workload = p.workload;
        break;
      }
    }
  }
  return planned;
}
