/**
 * Builds the offline plan of one stack: every resource the real program registers, attributed to budget lines and
 * priced (cost/estimate.ts), with each line's estimate against its cap.
 */
import { attributeBudgetLines, rollUpBudgetLines } from "../../cost/budget-lines";
import { estimateCosts } from "../../cost/estimate";
import { cents } from "../../cost/read";
import { CostComponent, UnpricedResource } from "../../cost/types";
import { EstateConfig, PROJECT, formatProblems, parseEstateConfig } from "../../stacks/config";
import { decodeNamespace } from "../../stacks/raw-config";
import { daysUntil } from "../../policies/lib/dates";
import type { RecordedResource } from "./record";
import type * as RenderEstate from "./render-estate";
import { StackConfig, readStackConfig } from "./stack-file";
import type * as Violations from "./violations";
import type { Violation } from "./violations";

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
  substitutedSecrets: string[];
  resources: PlannedResource[];
  /**
   * Every lookup the program made and the provider it went through (null: the default provider, configured from
   * the environment). Optional for plans written before it was recorded.
   */
  invokes?: { token: string; provider: string | null }[];
  violations: Violation[];
  /** Resources that cost money the estimate could not price, each with the reason. */
  unpriced: UnpricedResource[];
  /** DAI per USD (the stack's `daiPerUsd`). */
  daiPerUsd: number;
  /** The sum of every resource's monthlyUsd. */
  totalMonthlyUsd: number;
  budgetLines: PlanBudgetLine[];
  /** Every sandbox with its expiry; optional for plans written before sandboxes existed. */
  sandboxes?: PlanSandbox[];
}

export class ConfigError extends Error {}

/** Within this many days of its expiry a sandbox is listed as expiring. */
export const SANDBOX_EXPIRING_DAYS = 14;

/** The plan reports expired sandboxes (and the policy pack flags them) rather than refusing the stack as a deploy does. */
export function validateStack(stackConfig: StackConfig, today: Date = new Date()): EstateConfig {
  const prefix = `${PROJECT}:`;
  const secretKeys = stackConfig.secretKeys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  const result = parseEstateConfig(decodeNamespace(stackConfig.config, PROJECT), stackConfig.stack, { today, allowExpired: true, secretKeys, secretsAreStandIns: true });
  if (!result.ok) throw new ConfigError(formatProblems(result.problems));
  return result.config;
}

export async function buildPlan(projectDir: string, stack: string, now: Date = new Date()): Promise<Plan> {
  const stackConfig = readStackConfig(projectDir, stack);
  const config = validateStack(stackConfig, now);
  // Loaded only now: the policy and cloud SDKs take seconds to load, and a bad stack file should not wait for them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { findViolations, readPackConfig } = require("./violations") as typeof Violations;
  const packConfig = readPackConfig(projectDir, stack);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderEstate } = require("./render-estate") as typeof RenderEstate;
  const { resources, invokes } = await renderEstate(stackConfig, config.aws?.region, { today: now, allowExpired: true, secretsAreStandIns: true });
  const planned = plannedResources(resources, { awsRegion: config.aws?.region, gcpRegion: config.gcp?.region });
  return {
    project: stackConfig.project,
    stack,
    generatedAt: now.toISOString(),
    environment: config.environment,
    substitutedSecrets: stackConfig.substitutedSecrets,
    resources: planned,
    invokes: invokes.map((i) => ({ token: i.token, provider: i.provider ?? null })),
    violations: await findViolations(resources, { project: stackConfig.project, stack }, packConfig, now),
    unpriced: planned.flatMap((r) => (r.monthlyUsd === null ? [{ urn: r.urn, type: r.type, name: r.name, reason: r.unpricedReason ?? "unpriced" }] : [])),
    daiPerUsd: config.daiPerUsd,
    totalMonthlyUsd: cents(planned.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0)),
    budgetLines: rollUpBudgetLines(config.budgetLines, planned, config.daiPerUsd),
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
      inputs: r.inputs,
      ...attributions[i],
      monthlyUsd: cost ? cost.monthlyUsd : null,
      costComponents: cost ? [...cost.costComponents] : [],
      unpricedReason: cost ? (cost.unpricedReason ?? null) : "not estimated",
    };
  });
}
