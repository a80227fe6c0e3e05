/**
 * The plan with its cost estimate, as the finance reports, the pull-request diff and the actuals read it: the Plan
 * of tools/plan/plan.ts, which the estimator prices (monthlyUsd and costComponents per resource, unpriced, daiPerUsd,
 * totalMonthlyUsd, and per budget line estimatedMonthlyUsd, estimatedMonthlyDai and utilization).
 */
import type { Plan, PlanBudgetLine, PlannedResource } from "../tools/plan/plan";

export type CostedPlan = Plan;
export type CostedResource = PlannedResource;
export type CostedBudgetLine = PlanBudgetLine;

/**
 * What a plan holds, counted one way everywhere (the text report, the JSON plan, the CLI's stderr line): cloud
 * resources (what the providers create and bill), the components grouping them, and the providers.
 */
export interface ResourceCounts {
  cloudResources: number;
  components: number;
  providers: number;
}

export function countResources(resources: readonly { type: string; custom: boolean }[]): ResourceCounts {
  return {
    cloudResources: cloudResources(resources).length,
    components: resources.filter((r) => !r.custom && !r.type.startsWith("pulumi:")).length,
    providers: resources.filter((r) => r.type.startsWith("pulumi:providers:")).length,
  };
}

/** `194 cloud resources in 21 components, 3 providers` */
export function describeCounts(c: ResourceCounts): string {
  return `${c.cloudResources} cloud resources in ${c.components} components, ${c.providers} providers`;
}

/** The resources that cost money by themselves: cloud resources, not components, providers or the stack. */
export function cloudResources<R extends Pick<PlannedResource, "type" | "custom">>(resources: readonly R[]): R[] {
  return resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
}

/** What a resource adds up to per month, by ordering: |monthly USD| descending, then URN. */
export function byCostThenUrn(a: { urn: string; monthlyUsd: number | null }, b: { urn: string; monthlyUsd: number | null }): number {
  return Math.abs(b.monthlyUsd ?? 0) - Math.abs(a.monthlyUsd ?? 0) || compareText(a.urn, b.urn);
}

/** Locale-independent string order, so reports read the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
