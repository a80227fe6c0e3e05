/**
 * Builds the offline plan of one stack: every resource the real program registers, attributed to budget lines and
 * priced (cost/estimate.ts), with each line's estimate against its cap.
 */
import { findBudgetLine } from "../../components/tagging";
import { CapCheck, attributeBudgetLines, rollUpBudgetLines } from "../../cost/budget-lines";
import { estimateCosts } from "../../cost/estimate";
import { ResourceCounts, countResources } from "../../cost/costed-plan";
import { RegionWarning, UnpricedGroup, groupUnpriced, regionWarnings } from "../../cost/price-gaps";
import { cents } from "../../cost/read";
import { CostComponent, RegionGap, UnpricedResource } from "../../cost/types";
import { EstateConfig, PROJECT, formatProblems, parseEstateConfig } from "../../stacks/config";
import { decodeNamespace } from "../../stacks/raw-config";
import { daysUntil } from "../../policies/lib/dates";
import { ConstraintBreach, checkConstraints } from "./constraints/check";
import type { RecordedInvoke, RecordedResource } from "./record";
import type * as RenderEstate from "./render-estate";
import { StackConfig, readStackConfig } from "./stack-file";
import type * as Violations from "./violations";
import type { Violation } from "./violations";
import type { PolicyTarget } from "../../policies/rules";

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  /**
   * The provider reference (`<provider urn>::<id>`) it was registered with; null: none, so the engine gives it the
   * default provider, configured from the environment. Optional for plans written before it was recorded.
   */
  provider?: string | null;
  protect: boolean;
  retainOnDelete: boolean;
  /** URNs of the resources it waits for, besides its parent (dependsOn and the Outputs it reads); optional for older plans. */
  dependencies?: string[];
  inputs: Record<string, unknown>;
  /** The cost tags the resource itself carries (a component: the tags it gives its children); null where none. */
  costTags: Record<string, string> | null;
  /** Its own budget line, else its nearest tagged ancestor's; for a component, the one its tagged children share. */
  budgetLine: string | null;
  workload: string | null;
  /** USD a month (730 hours); null: it costs money the price tables cannot price (listed in `unpriced`). */
  monthlyUsd: number | null;
  costComponents: CostComponent[];
  /**
   * What the estimate leaves out of this resource and why (usage-based parts, prices not in the tables); null:
   * nothing. Always present in a built plan; optional for plans written before it existed.
   */
  unpricedReason?: string | null;
  /** Set when it, or a part of it, has no price because its region has no price table: its cost is unknown. */
  regionGap?: RegionGap | null;
}

export interface PlanBudgetLine {
  id: string;
  name: string;
  monthlyCapDai: number;
  /** Cloud resources charged to the line. */
  resourceCount: number;
  /** The sum of the line's resources' monthlyUsd (unpriced ones count 0). */
  estimatedMonthlyUsd: number;
  /** estimatedMonthlyUsd × daiPerUsd. */
  estimatedMonthlyDai: number;
  /** estimatedMonthlyDai / monthlyCapDai. */
  utilization: number;
  /** The SES category the budget statement reports the line under (the stack's, else the line's default). */
  canonicalBudgetCategory?: string;
  /** Its resources with no price because their region has no price table; optional for older plans. */
  unpricedByRegion?: number;
  /** within / over the cap, or unknown (within on what is priced, with resources unpriced by region); optional for older plans. */
  capCheck?: CapCheck;
}

/** A sandbox of the stack and how long it has left; `expiring`: 14 days or fewer, `expired`: past its date. */
export interface PlanSandbox {
  name: string;
  owner: string;
  expiresOn: string;
  daysLeft: number;
  status: "active" | "expiring" | "expired";
  /** The estimate of its resources (workload `sandbox-<name>`), idle-stop saving included. */
  monthlyUsd: number;
  monthlyBudgetUsd: number;
}

export interface Plan {
  project: string;
  stack: string;
  generatedAt: string;
  environment: string;
  /**
   * Headline warnings: each region whose missing price table leaves resources that cost money without a price
   * (their cost unknown, their lines' cap check unknown). Optional for plans written before it existed.
   */
  warnings?: RegionWarning[];
  substitutedSecrets: string[];
  /** How many of `resources` are cloud resources, components and providers; optional for plans written before it. */
  counts?: ResourceCounts;
  resources: PlannedResource[];
  /**
   * Every lookup the program made and the provider it went through (null: the default provider, configured from
   * the environment). Optional for plans written before it was recorded.
   */
  invokes?: { token: string; provider: string | null }[];
  violations: Violation[];
  /**
   * What a provider would refuse that the mock runtime accepted (tools/plan/constraints): each fails the plan as a
   * mandatory violation does. Optional for plans written before the check existed.
   */
  constraintBreaches?: ConstraintBreach[];
  /** Resources that cost money the estimate could not price, each with the reason. */
  unpriced: UnpricedResource[];
  /** `unpriced` grouped: one entry per reason with the count and the resources. Optional for older plans. */
  unpricedByReason?: UnpricedGroup[];
  /** DAI per USD (the stack's `daiPerUsd`). */
  daiPerUsd: number;
  /** The sum of every resource's monthlyUsd. */
  totalMonthlyUsd: number;
  budgetLines: PlanBudgetLine[];
  /** Every sandbox with its expiry; optional for plans written before sandboxes existed. */
  sandboxes?: PlanSandbox[];
  /** Set when the plan was made from a `pulumi preview --json` (`--from-preview`) instead of the mock runtime. */
  fromPreview?: PlanPreviewSource;
}

export interface PlanPreviewSource {
  file: string;
  /** before: each step's oldState; after: its newState. */
  side: "before" | "after";
  steps: number;
  /** Steps with op same: a preview lists unchanged resources only with --show-sames. */
  sameSteps: number;
}

export class ConfigError extends Error {}

/** Within this many days of its expiry a sandbox is listed as expiring. */
export const SANDBOX_EXPIRING_DAYS = 14;

/** The plan reports expired sandboxes (and the policy pack flags them) rather than refusing the stack as a deploy does. */
export function validateStack(stackConfig: StackConfig, today: Date = new Date()): EstateConfig {
  const prefix = `${PROJECT}:`;
  const ours = (keys: readonly string[]): string[] => keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  const result = parseEstateConfig(decodeNamespace(stackConfig.config, PROJECT), stackConfig.stack, {
    today,
    allowExpired: true,
    secretKeys: ours(stackConfig.secretKeys),
    secretPaths: ours(stackConfig.substitutedSecrets),
    secretsAreStandIns: true,
  });
  if (!result.ok) throw new ConfigError(formatProblems(result.problems));
  return result.config;
}

export async function buildPlan(projectDir: string, stack: string, now: Date = new Date()): Promise<Plan> {
  const stackConfig = readStackConfig(projectDir, stack);
  const config = validateStack(stackConfig, now);
  // Loaded only now: the policy and cloud SDKs take seconds to load, and a bad stack file should not wait for them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderEstate } = require("./render-estate") as typeof RenderEstate;
  const { resources, invokes } = await renderEstate(stackConfig, config.aws?.region, { today: now, allowExpired: true, secretsAreStandIns: true });
  return assemblePlan(projectDir, stackConfig, config, { priced: resources, judged: resources, invokes }, now);
}

/**
 * The plan of a stack's resources: `priced` attributed to budget lines and priced, `judged` run through the policy
 * pack with the stack's pack config (the same resources as the engine hands them to the pack).
 */
export async function assemblePlan(
  projectDir: string,
  stackConfig: StackConfig,
  config: EstateConfig,
  resources: { priced: readonly RecordedResource[]; judged: readonly PolicyTarget[]; invokes?: readonly RecordedInvoke[] },
  now: Date,
): Promise<Plan> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { findViolations, readPackConfig } = require("./violations") as typeof Violations;
  const packConfig = readPackConfig(projectDir, stackConfig.stack);
  const planned = plannedResources(resources.priced, { awsRegion: config.aws?.region, gcpRegion: config.gcp?.region });
  const unpriced = planned.flatMap((r) => (r.monthlyUsd === null ? [{ urn: r.urn, type: r.type, name: r.name, reason: r.unpricedReason ?? "unpriced", regionGap: r.regionGap ?? null }] : []));
  return {
    project: stackConfig.project,
    stack: stackConfig.stack,
    generatedAt: now.toISOString(),
    environment: config.environment,
    warnings: regionWarnings(planned),
    substitutedSecrets: stackConfig.substitutedSecrets,
    counts: countResources(planned),
    resources: planned,
    ...(resources.invokes ? { invokes: resources.invokes.map((i) => ({ token: i.token, provider: i.provider ?? null })) } : {}),
    violations: await findViolations(resources.judged, { project: stackConfig.project, stack: stackConfig.stack }, packConfig, now),
    constraintBreaches: checkConstraints(resources.priced),
    unpriced,
    unpricedByReason: groupUnpriced(unpriced),
    daiPerUsd: config.daiPerUsd,
    totalMonthlyUsd: cents(planned.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0)),
    budgetLines: rollUpBudgetLines(config.budgetLines, planned, config.daiPerUsd).map((l, i) => ({
      ...l,
      canonicalBudgetCategory: config.budgetLines[i].canonicalBudgetCategory ?? findBudgetLine(l.id)!.canonicalBudgetCategory,
    })),
    sandboxes: planSandboxes(config, planned, now),
  };
}

export function planSandboxes(config: EstateConfig, planned: readonly PlannedResource[], now: Date): PlanSandbox[] {
  return config.sandboxes.map((s) => {
    const daysLeft = daysUntil(s.expiresOn, now)!;
    const workload = `sandbox-${s.name}`;
    const monthlyUsd = cents(planned.filter((r) => r.custom && r.workload === workload).reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0));
    const status = daysLeft < 0 ? "expired" : daysLeft <= SANDBOX_EXPIRING_DAYS ? "expiring" : "active";
    return { name: s.name, owner: s.owner, expiresOn: s.expiresOn, daysLeft, status, monthlyUsd, monthlyBudgetUsd: s.monthlyBudgetUsd };
  });
}

/** Recorded resources attributed to budget lines and priced. */
export function plannedResources(resources: readonly RecordedResource[], regions: { awsRegion?: string; gcpRegion?: string } = {}): PlannedResource[] {
  const attributions = attributeBudgetLines(resources);
  const costs = estimateCosts(resources, regions);
  return resources.map((r, i): PlannedResource => {
    const cost = costs.get(r.urn);
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      custom: r.custom,
      provider: r.provider ?? null,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      dependencies: [...(r.dependencies ?? [])],
      inputs: r.inputs,
      ...attributions[i],
      monthlyUsd: cost ? cost.monthlyUsd : null,
      costComponents: cost ? [...cost.costComponents] : [],
      unpricedReason: cost ? (cost.unpricedReason ?? null) : "not estimated",
      regionGap: cost?.regionGap ?? null,
    };
  });
}
