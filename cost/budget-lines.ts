/**
 * Which budget line each resource is charged to, and each line's estimate against its cap. Shared by the offline
 * plan and the budget-cap policy, so both roll the same resources up the same way.
 */
import { COST_TAG_KEYS, readTags } from "../components/tagging";
import { cents } from "./read";
import { RegionGap } from "./types";

export interface AttributionInput {
  readonly urn: string;
  readonly type: string;
  readonly parent?: string | null;
  /** false for components and the stack. */
  readonly custom: boolean;
  /** A custom resource's inputs. */
  readonly inputs: unknown;
  /** A component's registered outputs (its `costTags`). */
  readonly outputs?: unknown;
}

export interface Attribution {
  /** The cost tags the resource itself carries (a component: the tags it gives its children); null where none. */
  readonly costTags: Record<string, string> | null;
  /** Its own budget line, else its nearest tagged ancestor's; for a component, the one its tagged children share. */
  readonly budgetLine: string | null;
  readonly workload: string | null;
}

/** The cost tags a resource carries itself, as strings; null where it carries none (or they cannot be read). */
export function ownCostTags(r: AttributionInput): Record<string, string> | null {
  if (r.type.startsWith("pulumi:")) return null;
  try {
    const outputs = r.outputs !== null && typeof r.outputs === "object" ? (r.outputs as Record<string, unknown>) : {};
    const first = r.custom ? readTags(r.type, r.inputs)[0]?.tags : (outputs.costTags as Record<string, unknown> | undefined);
    if (!first || typeof first !== "object") return null;
    const tags = Object.fromEntries(COST_TAG_KEYS.filter((k) => typeof first[k] === "string").map((k) => [k, first[k] as string]));
    return Object.keys(tags).length > 0 ? tags : null;
  } catch {
    // A tag unknown until deployment (a policy reading through the SDK's proxy): no tags to attribute by.
    return null;
  }
}

/** The attribution of every resource, in the order given. */
export function attributeBudgetLines(resources: readonly AttributionInput[]): Attribution[] {
  const found = resources.map((r) => {
    const costTags = ownCostTags(r);
    return { r, costTags, budgetLine: costTags?.["budget-line"] ?? null, workload: costTags?.workload ?? null };
  });
  const byUrn = new Map(found.map((a) => [a.r.urn, a]));
  const children = new Map<string, (typeof found)[number][]>();
  for (const a of found) if (a.r.parent) children.set(a.r.parent, [...(children.get(a.r.parent) ?? []), a]);

  const shared = (a: (typeof found)[number]): { budgetLine: string | null; workload: string | null } => {
    if (a.costTags) return { budgetLine: a.budgetLine, workload: a.workload };
    const below = (children.get(a.r.urn) ?? []).map(shared).filter((s) => s.budgetLine !== null);
    const lines = new Set(below.map((s) => s.budgetLine));
    const workloads = new Set(below.map((s) => s.workload));
    return { budgetLine: lines.size === 1 ? [...lines][0] : null, workload: workloads.size === 1 ? [...workloads][0] : null };
  };
  for (const a of found) if (!a.r.custom && !a.r.type.startsWith("pulumi:pulumi:")) Object.assign(a, shared(a));
  for (const a of found) {
    if (a.budgetLine !== null || !a.r.custom || a.r.type.startsWith("pulumi:")) continue;
    for (let p = a.r.parent ? byUrn.get(a.r.parent) : undefined; p; p = p.r.parent ? byUrn.get(p.r.parent) : undefined) {
      if (p.budgetLine !== null) {
        a.budgetLine = p.budgetLine;
        a.workload = p.workload;
        break;
      }
    }
  }
  return found.map(({ costTags, budgetLine, workload }) => ({ costTags, budgetLine, workload }));
}

export interface LineCap {
  readonly id: string;
  readonly name: string;
  readonly monthlyCapDai: number;
}

export interface LineEstimate extends LineCap {
  /** Cloud resources (not components, providers or the stack) charged to the line. */
  readonly resourceCount: number;
  /** The sum of its resources' monthlyUsd (unpriced ones count 0: the estimate is then a lower bound). */
  readonly estimatedMonthlyUsd: number;
  /** estimatedMonthlyUsd × daiPerUsd. */
  readonly estimatedMonthlyDai: number;
  /** estimatedMonthlyDai / monthlyCapDai (0.5: half the cap). */
  readonly utilization: number;
  /** Its resources that cost money but have no price because their region has no price table. */
  readonly unpricedByRegion: number;
  /** "over": over for certain; "unknown": within on what is priced, but unpriced-by-region resources may take it over. */
  readonly capCheck: CapCheck;
}

export type CapCheck = "within" | "over" | "unknown";

export interface CostedForRollUp {
  readonly type: string;
  readonly custom: boolean;
  readonly budgetLine: string | null;
  readonly monthlyUsd: number | null;
  readonly regionGap?: RegionGap | null;
}

/** Each line's estimate: the sum of its resources' monthly USD, in DAI, against its cap. */
export function rollUpBudgetLines(lines: readonly LineCap[], resources: readonly CostedForRollUp[], daiPerUsd: number): LineEstimate[] {
  return lines.map((line) => {
    const members = resources.filter((r) => r.budgetLine === line.id);
    const usd = cents(members.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0));
    const dai = cents(usd * daiPerUsd);
    const unpricedByRegion = members.filter((r) => r.custom && r.regionGap).length;
    return {
      id: line.id,
      name: line.name,
      monthlyCapDai: line.monthlyCapDai,
      resourceCount: members.filter((r) => r.custom && !r.type.startsWith("pulumi:")).length,
      estimatedMonthlyUsd: usd,
      estimatedMonthlyDai: dai,
      utilization: line.monthlyCapDai > 0 ? dai / line.monthlyCapDai : 0,
      unpricedByRegion,
      capCheck: dai > line.monthlyCapDai ? "over" : unpricedByRegion > 0 ? "unknown" : "within",
    };
  });
}
