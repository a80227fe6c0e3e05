/**
 * Each budget line's estimated monthly cost stays within its monthly cap. A stack policy: it prices the stack's
 * resources with the offline plan's estimator (cost/estimate.ts), charges each to its budget line as the plan does
 * (own cost tags, else its component's), and compares each line's sum, in DAI, with the cap the pack config gives it
 * (kept equal to the line's `monthlyCapDai` in Pulumi.<stack>.yaml). Unpriced resources count 0, so the estimate is
 * a lower bound: a line over its cap is over for certain. A line within its cap on what is priced, but with resources
 * that have no price because their region has no price table, cannot pass: its check is unknown, and reported so.
 */
import type { PolicyResource } from "@pulumi/policy";
import { findBudgetLine } from "../../components/tagging";
import { attributeBudgetLines, rollUpBudgetLines } from "../../cost/budget-lines";
import { CostInput, estimateCosts } from "../../cost/estimate";
import { stackPolicy } from "../lib/define";
import { listed } from "../lib/messages";
import { regionGapText } from "../../cost/price-gaps";

interface BudgetCapConfig {
  caps?: Record<string, number>;
  daiPerUsd?: number;
}

/** Components of this project (`estate:`) and the stack register no cloud resource of their own. */
const isComponent = (type: string): boolean => type.startsWith("estate:") || type.startsWith("pulumi:pulumi:");

const usd = (n: number): string => Math.round(n).toLocaleString("en-US");

function costInput(r: PolicyResource): CostInput {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    inputs: r.props,
    parent: r.parent?.urn ?? null,
    custom: !isComponent(r.type),
    provider: r.provider?.urn ?? null,
    dependencies: r.dependencies.map((d) => d.urn),
  };
}

/**
 * The region of the stack's providers of a cloud that state one, when they all agree: what a resource on the default
 * provider runs in as the offline plan sees it (the plan takes it from the stack's config, which those providers are
 * built from).
 */
function sharedRegion(resources: readonly CostInput[], cloud: "aws" | "gcp"): string | undefined {
  const regions = new Set(resources.flatMap((r) => (r.type === `pulumi:providers:${cloud}` && typeof r.inputs.region === "string" ? [r.inputs.region] : [])));
  return regions.size === 1 ? [...regions][0] : undefined;
}

export const budgetCap = stackPolicy({
  name: "budget-cap",
  description: "Each budget line's estimated monthly cost (the offline plan's estimator, in DAI) stays within the line's monthly cap.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Shrink or remove resources charged to the line (smaller instance types, fewer nodes, smaller volumes), move a workload to the line that pays for it, or raise the line's monthlyCapDai in Pulumi.<stack>.yaml and its cap in policies/config.<stack>.json once the Core Unit's budget allows it.",
  config: {
    caps: {
      type: "object",
      description: "Budget line id → monthly cap in DAI; equal to the line's monthlyCapDai in Pulumi.<stack>.yaml. Lines not listed are not checked.",
      additionalProperties: { type: "number", minimum: 0 },
      default: {},
    },
    daiPerUsd: { type: "number", minimum: 0.5, maximum: 2, default: 1, description: "DAI per USD; equal to daiPerUsd in Pulumi.<stack>.yaml." },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<BudgetCapConfig>();
    const caps = config.caps !== null && typeof config.caps === "object" ? config.caps : {};
    const daiPerUsd = typeof config.daiPerUsd === "number" && config.daiPerUsd > 0 ? config.daiPerUsd : 1;
    // The Pulumi CLI validates the config against the schema first; a malformed cap is skipped here, never a crash.
    const lines = Object.entries(caps)
      .filter((entry): entry is [string, number] => typeof entry[1] === "number" && Number.isFinite(entry[1]) && entry[1] >= 0)
      .map(([id, monthlyCapDai]) => ({ id, name: findBudgetLine(id)?.name ?? id, monthlyCapDai }));
    if (lines.length === 0) return args.notApplicable("no budget line has a cap in this stack's pack config (caps)");

    const inputs = args.resources.map(costInput);
    // Providers carry the region of resources that state none; the engine may hand them only as `provider`.
    const known = new Set(inputs.map((r) => r.urn));
    const providers = new Map(args.resources.flatMap((r) => (r.provider && !known.has(r.provider.urn) ? [[r.provider.urn, r.provider] as const] : [])));
    const extra = [...providers.values()].map((p): CostInput => ({ urn: p.urn, type: p.type, name: p.name, inputs: p.props, custom: true }));
    const attributions = attributeBudgetLines(inputs.map((r) => ({ ...r, custom: r.custom !== false, outputs: r.custom === false ? r.inputs : undefined })));
    const costs = estimateCosts([...inputs, ...extra], { awsRegion: sharedRegion([...inputs, ...extra], "aws"), gcpRegion: sharedRegion([...inputs, ...extra], "gcp") });
    const rows = inputs.map((r, i) => {
      const cost = costs.get(r.urn);
      return { r, type: r.type, custom: r.custom !== false, budgetLine: attributions[i].budgetLine, monthlyUsd: cost?.monthlyUsd ?? null, regionGap: cost?.regionGap ?? null };
    });

    for (const line of rollUpBudgetLines(lines, rows, daiPerUsd)) {
      if (line.capCheck === "within") continue;
      const members = rows.filter((row) => row.budgetLine === line.id);
      if (line.capCheck === "unknown") {
        const gapped = members.filter((row) => row.custom && row.regionGap);
        const regions = [...new Set(gapped.map((row) => regionGapText(row.regionGap!)))];
        const names = gapped.map((row) => `${row.type} "${row.r.name}"`);
        reportViolation(
          `budget line ${line.id} (${line.name}): cap check unknown, not within cap: ${gapped.length} of its resources cost money but have no price (${listed(regions, 3)}): ${listed(names, 3)}. ` +
            `What is priced comes to ${usd(line.estimatedMonthlyUsd)} USD = ${usd(line.estimatedMonthlyDai)} DAI/month, ${Math.round(line.utilization * 100)}% of its cap of ${usd(line.monthlyCapDai)} DAI. ` +
            `Fix: add the region's price table (cost/prices/README.md) or deploy to a region that has one`,
        );
        continue;
      }
      const largest = members
        .filter((row) => (row.monthlyUsd ?? 0) > 0)
        .sort((a, b) => (b.monthlyUsd ?? 0) - (a.monthlyUsd ?? 0))
        .slice(0, 3)
        .map((row) => `${row.type} "${row.r.name}" ${usd(row.monthlyUsd ?? 0)} USD`);
      const unpricedCount = members.filter((row) => row.custom && row.monthlyUsd === null).length;
      const lowerBound = unpricedCount > 0 ? `; ${unpricedCount} of its resources ${unpricedCount === 1 ? "is" : "are"} unpriced, so this is a lower bound` : "";
      reportViolation(
        `budget line ${line.id} (${line.name}): estimated ${usd(line.estimatedMonthlyUsd)} USD = ${usd(line.estimatedMonthlyDai)} DAI/month, ` +
          `${Math.round(line.utilization * 100)}% of its cap of ${usd(line.monthlyCapDai)} DAI (over by ${usd(line.estimatedMonthlyDai - line.monthlyCapDai)} DAI)` +
          `${largest.length > 0 ? `; largest: ${listed(largest, 3)}` : ""}${lowerBound}. ` +
          `Fix: shrink the line's resources or raise its monthlyCapDai in Pulumi.<stack>.yaml and caps in policies/config.<stack>.json`,
      );
    }
  },
});
