/**
 * What the estimate cannot price, as every report shows it: the regions without a price table (a headline
 * warning: those resources' cost is unknown and so is their lines' cap check), and the unpriced resources grouped
 * by reason.
 */
import { RegionGap, UnpricedResource } from "./types";

export interface RegionWarning {
  readonly provider: RegionGap["provider"];
  /** null: no region found. */
  readonly region: string | null;
  /** Cloud resources that cost money and have no price (or only part of one) for want of the region's table. */
  readonly resourceCount: number;
  readonly message: string;
}

interface Gapped {
  readonly custom: boolean;
  readonly type: string;
  readonly regionGap?: RegionGap | null;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function regionGapText(gap: RegionGap): string {
  const name = gap.provider.toUpperCase();
  return gap.region === null ? `no ${name} region found` : `no price table for ${name} region ${gap.region} (cost/prices/${gap.provider}-${gap.region}.json)`;
}

/** One warning per provider and region that leaves resources without a price, most resources first. */
export function regionWarnings(resources: readonly Gapped[]): RegionWarning[] {
  const byRegion = new Map<string, { gap: RegionGap; count: number }>();
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:") || !r.regionGap) continue;
    const key = `${r.regionGap.provider}:${r.regionGap.region ?? ""}`;
    const entry = byRegion.get(key) ?? { gap: r.regionGap, count: 0 };
    entry.count++;
    byRegion.set(key, entry);
  }
  return [...byRegion.values()]
    .sort((a, b) => b.count - a.count || `${a.gap.provider}:${a.gap.region}`.localeCompare(`${b.gap.provider}:${b.gap.region}`))
    .map(({ gap, count }) => ({
      provider: gap.provider,
      region: gap.region,
      resourceCount: count,
      message:
        `${plural(count, "resource that costs money has", "resources that cost money have")} no price: ${regionGapText(gap)}. ` +
        `The totals leave ${count === 1 ? "it" : "them"} out, and the cap check of ${count === 1 ? "its budget line" : "their budget lines"} is unknown, not within cap.`,
    }));
}

export interface UnpricedGroup {
  readonly reason: string;
  readonly count: number;
  readonly resources: readonly { readonly urn: string; readonly type: string; readonly name: string }[];
}

/** One group per distinct reason, the largest first (ties by reason); resources in the order given. */
export function groupUnpriced(unpriced: readonly UnpricedResource[]): UnpricedGroup[] {
  const groups = new Map<string, UnpricedResource[]>();
  for (const u of unpriced) groups.set(u.reason, [...(groups.get(u.reason) ?? []), u]);
  return [...groups.entries()]
    .map(([reason, members]) => ({ reason, count: members.length, resources: members.map(({ urn, type, name }) => ({ urn, type, name })) }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/** "3 × gcp:monitoring/alertPolicy:AlertPolicy" or "a, b": the types of a group's resources, for a one-line summary. */
export function groupTypes(group: UnpricedGroup): string {
  const counts = new Map<string, number>();
  for (const r of group.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].map(([type, n]) => (n === 1 ? type : `${n} × ${type}`)).join(", ");
}
