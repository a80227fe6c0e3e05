/**
 * The plan's cost in Infracost's JSON output format (version 0.2, infracost/infracost schema/infracost.schema.json),
 * so dashboards and tools that read `infracost breakdown --format json` or `infracost diff --format json` read ours.
 * One Infracost project per budget line of the stack (`<project>/<stack>/<line>`), so a tool that lists projects
 * lists the budget lines; each resource carries its own cost tags as `tags` and its budget line, workload and URN in
 * `metadata`. With a base plan, `pastBreakdown` is the base, `diff` what the change adds, removes and changes.
 * Amounts are decimal strings in USD, as Infracost writes them; hourly = monthly / 730.
 */
import { CostedPlan, CostedResource, cloudResources, compareText } from "./costed-plan";
import { pricingOf } from "./estimate";
import { cents } from "./format";
import { lineSummaries } from "./report-data";
import { CostComponent, HOURS_PER_MONTH } from "./types";

export const INFRACOST_OUTPUT_VERSION = "0.2";
const NO_LINE_ID = "no-budget-line";

export interface InfracostCostComponent {
  name: string;
  unit: string;
  hourlyQuantity: string | null;
  monthlyQuantity: string | null;
  price: string | null;
  hourlyCost: string | null;
  monthlyCost: string | null;
  priceNotFound: boolean;
}

export interface InfracostResource {
  name: string;
  resourceType: string;
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  hourlyCost: string | null;
  monthlyCost: string | null;
  costComponents: InfracostCostComponent[];
  subresources: InfracostResource[];
}

export interface InfracostBreakdown {
  resources: InfracostResource[];
  freeResources: InfracostResource[];
  totalHourlyCost: string;
  totalMonthlyCost: string;
  totalMonthlyUsageCost: null;
}

export interface InfracostSummary {
  totalDetectedResources: number;
  totalSupportedResources: number;
  totalUnsupportedResources: number;
  totalUsageBasedResources: number;
  totalNoPriceResources: number;
  supportedResourceCounts: Record<string, number>;
  unsupportedResourceCounts: Record<string, number>;
  noPriceResourceCounts: Record<string, number>;
}

export interface InfracostProject {
  name: string;
  displayName: string;
  metadata: { path: string; type: string };
  pastBreakdown: InfracostBreakdown;
  breakdown: InfracostBreakdown;
  diff: InfracostBreakdown;
  summary: InfracostSummary;
}

export interface InfracostOutput {
  version: string;
  metadata: Record<string, string>;
  currency: "USD";
  projects: InfracostProject[];
  totalHourlyCost: string;
  totalMonthlyCost: string;
  totalMonthlyUsageCost: null;
  pastTotalHourlyCost: string;
  pastTotalMonthlyCost: string;
  pastTotalMonthlyUsageCost: null;
  diffTotalHourlyCost: string;
  diffTotalMonthlyCost: string;
  diffTotalMonthlyUsageCost: null;
  timeGenerated: string;
  summary: InfracostSummary;
}

/** A decimal string as Infracost writes amounts: at most 10 decimals, no trailing zeros, never "-0". */
export function decimal(n: number): string {
  const fixed = (Math.round(n * 1e10) / 1e10 || 0).toFixed(10);
  return fixed.replace(/\.?0+$/, "") || "0";
}

const hourly = (monthly: number): string => decimal(monthly / HOURS_PER_MONTH);

function component(c: CostComponent): InfracostCostComponent {
  return {
    name: c.name,
    unit: c.unit,
    hourlyQuantity: decimal(c.quantity / HOURS_PER_MONTH),
    monthlyQuantity: decimal(c.quantity),
    price: decimal(c.unitPriceUsd),
    hourlyCost: hourly(c.monthlyUsd),
    monthlyCost: decimal(c.monthlyUsd),
    priceNotFound: false,
  };
}

/** `type::name`, the URN's tail; the full URN where two resources share it. */
function resourceNames(resources: readonly CostedResource[]): Map<string, string> {
  const short = (r: CostedResource): string => `${r.type}::${r.name}`;
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(short(r), (counts.get(short(r)) ?? 0) + 1);
  return new Map(resources.map((r) => [r.urn, counts.get(short(r))! > 1 ? r.urn : short(r)]));
}

const isFree = (r: CostedResource): boolean => r.monthlyUsd === 0 && r.costComponents.length === 0 && !r.unpricedReason;

function metadata(r: CostedResource, stack: string): Record<string, unknown> {
  return {
    urn: r.urn,
    stack,
    budgetLine: r.budgetLine,
    workload: r.workload,
    ...(r.unpricedReason ? { [r.monthlyUsd === null ? "unpricedReason" : "leftOut"]: r.unpricedReason } : {}),
  };
}

function resource(r: CostedResource, name: string, stack: string): InfracostResource {
  return {
    name,
    resourceType: r.type,
    tags: { ...(r.costTags ?? {}) },
    metadata: metadata(r, stack),
    hourlyCost: r.monthlyUsd === null ? null : hourly(r.monthlyUsd),
    monthlyCost: r.monthlyUsd === null ? null : decimal(r.monthlyUsd),
    costComponents: r.costComponents.map(component),
    subresources: [],
  };
}

function breakdown(resources: readonly CostedResource[], names: Map<string, string>, stack: string): InfracostBreakdown {
  const total = cents(resources.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0));
  return {
    resources: resources.filter((r) => !isFree(r)).map((r) => resource(r, names.get(r.urn)!, stack)),
    freeResources: resources.filter(isFree).map((r) => resource(r, names.get(r.urn)!, stack)),
    totalHourlyCost: hourly(total),
    totalMonthlyCost: decimal(total),
    totalMonthlyUsageCost: null,
  };
}

/** Per component name, after minus before; a resource only on one side counts the other as nothing. */
function diffComponents(base: CostedResource | undefined, head: CostedResource | undefined): InfracostCostComponent[] {
  const names = [...new Set([...(base?.costComponents ?? []), ...(head?.costComponents ?? [])].map((c) => c.name))];
  return names.flatMap((name) => {
    const b = base?.costComponents.filter((c) => c.name === name) ?? [];
    const h = head?.costComponents.filter((c) => c.name === name) ?? [];
    const sum = (cs: CostComponent[], f: (c: CostComponent) => number): number => cs.reduce((s, c) => s + f(c), 0);
    const monthly = cents(sum(h, (c) => c.monthlyUsd) - sum(b, (c) => c.monthlyUsd));
    if (monthly === 0) return [];
    const quantity = sum(h, (c) => c.quantity) - sum(b, (c) => c.quantity);
    const unitPrice = (h[0] ?? b[0]).unitPriceUsd;
    return [{ ...component({ name, unit: (h[0] ?? b[0]).unit, quantity, unitPriceUsd: unitPrice, monthlyUsd: monthly, price: "" }) }];
  });
}

function diffBreakdown(base: readonly CostedResource[], head: readonly CostedResource[], names: Map<string, string>, stack: string): InfracostBreakdown {
  const before = new Map(base.map((r) => [r.urn, r]));
  const after = new Map(head.map((r) => [r.urn, r]));
  const urns = [...new Set([...after.keys(), ...before.keys()])];
  const resources = urns.flatMap((urn): InfracostResource[] => {
    const b = before.get(urn);
    const h = after.get(urn);
    const r = (h ?? b)!;
    const bUsd = b ? b.monthlyUsd : 0;
    const hUsd = h ? h.monthlyUsd : 0;
    const delta = bUsd === null || hUsd === null ? null : cents(hUsd - bUsd);
    const lineMoved = b !== undefined && h !== undefined && b.budgetLine !== h.budgetLine;
    if (delta === 0 && !lineMoved && (bUsd === null) === (hUsd === null)) return [];
    const change = !b ? "added" : !h ? "removed" : "changed";
    return [
      {
        ...resource(r, names.get(urn)!, stack),
        metadata: { ...metadata(r, stack), change, ...(lineMoved ? { budgetLineBefore: b.budgetLine } : {}) },
        hourlyCost: delta === null ? null : hourly(delta),
        monthlyCost: delta === null ? null : decimal(delta),
        costComponents: diffComponents(b, h),
      },
    ];
  });
  const total = cents(head.reduce((s, r) => s + (r.monthlyUsd ?? 0), 0) - base.reduce((s, r) => s + (r.monthlyUsd ?? 0), 0));
  return { resources, freeResources: [], totalHourlyCost: hourly(total), totalMonthlyCost: decimal(total), totalMonthlyUsageCost: null };
}

function count(resources: readonly CostedResource[], keep: (r: CostedResource) => boolean): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of [...resources].filter(keep).sort((a, b) => compareText(a.type, b.type))) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

const isUsage = (r: CostedResource): boolean => r.monthlyUsd === null && pricingOf(r.type) === "usage";
const isUnsupported = (r: CostedResource): boolean => r.monthlyUsd === null && !isUsage(r);
const isSupported = (r: CostedResource): boolean => r.monthlyUsd !== null && !isFree(r);

export function summary(resources: readonly CostedResource[]): InfracostSummary {
  return {
    totalDetectedResources: resources.length,
    totalSupportedResources: resources.filter(isSupported).length,
    totalUnsupportedResources: resources.filter(isUnsupported).length,
    totalUsageBasedResources: resources.filter(isUsage).length,
    totalNoPriceResources: resources.filter(isFree).length,
    supportedResourceCounts: count(resources, isSupported),
    unsupportedResourceCounts: count(resources, isUnsupported),
    noPriceResourceCounts: count(resources, isFree),
  };
}

/** A plan's cloud resources grouped by the budget line id the plan configures; the rest under null. */
function byLine(plan: CostedPlan): Map<string | null, CostedResource[]> {
  const configured = new Set(plan.budgetLines.map((l) => l.id));
  const groups = new Map<string | null, CostedResource[]>();
  for (const r of cloudResources(plan.resources)) {
    const id = r.budgetLine !== null && configured.has(r.budgetLine) ? r.budgetLine : null;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  return groups;
}

/** The plan (and, with `base`, the change from it) as Infracost's JSON; `source`: the file the plan was made from. */
export function infracostOutput(plan: CostedPlan, base?: CostedPlan, source = `Pulumi.${plan.stack}.yaml`): InfracostOutput {
  const head = byLine(plan);
  const past = base ? byLine(base) : new Map<string | null, CostedResource[]>();
  const lines = [...lineSummaries(plan), ...(base ? lineSummaries(base) : [])];
  const ids = [...new Set(lines.map((l) => l.id))];
  const names = resourceNames([...cloudResources(plan.resources), ...(base ? cloudResources(base.resources).filter((r) => !plan.resources.some((h) => h.urn === r.urn)) : [])]);
  const projects = ids.map((id): InfracostProject => {
    const line = lines.find((l) => l.id === id)!;
    const now = head.get(id) ?? [];
    const before = past.get(id) ?? [];
    return {
      name: `${plan.project}/${plan.stack}/${id ?? NO_LINE_ID}`,
      displayName: `${plan.stack} · ${line.name}${id === null ? "" : ` (${id})`}`,
      metadata: { path: source, type: source.endsWith(".json") ? "pulumi_preview_json" : "pulumi_offline_plan" },
      pastBreakdown: breakdown(before, names, plan.stack),
      breakdown: breakdown(now, names, plan.stack),
      diff: diffBreakdown(before, now, names, plan.stack),
      summary: summary(now),
    };
  });
  const total = plan.totalMonthlyUsd;
  const pastTotal = base ? base.totalMonthlyUsd : 0;
  return {
    version: INFRACOST_OUTPUT_VERSION,
    // Infracost's VCS fields; the plan reads no git metadata, so they stay empty (Go's zero time for the timestamp).
    metadata: {
      infracostCommand: base ? "diff" : "breakdown",
      vcsBranch: "",
      vcsCommitSha: "",
      vcsCommitAuthorName: "",
      vcsCommitAuthorEmail: "",
      vcsCommitTimestamp: "0001-01-01T00:00:00Z",
      vcsCommitMessage: "",
    },
    currency: "USD",
    projects,
    totalHourlyCost: hourly(total),
    totalMonthlyCost: decimal(total),
    totalMonthlyUsageCost: null,
    pastTotalHourlyCost: hourly(pastTotal),
    pastTotalMonthlyCost: decimal(pastTotal),
    pastTotalMonthlyUsageCost: null,
    diffTotalHourlyCost: hourly(total - pastTotal),
    diffTotalMonthlyCost: decimal(cents(total - pastTotal)),
    diffTotalMonthlyUsageCost: null,
    timeGenerated: plan.generatedAt,
    summary: summary(cloudResources(plan.resources)),
  };
}

export function renderInfracostJson(plan: CostedPlan, base?: CostedPlan, source?: string): string {
  return `${JSON.stringify(infracostOutput(plan, base, source), null, 2)}\n`;
}
