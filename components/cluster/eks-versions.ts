/**
 * Amazon EKS's Kubernetes version calendar: when each minor version's standard support ends (14 months after its EKS
 * release) and its extended support (12 more months, six times the control-plane fee) ends. The stack config accepts
 * only a version in standard support; add each new minor here when EKS releases it.
 */

export interface EksVersionSupport {
  /** Kubernetes minor version, e.g. "1.35". */
  readonly version: string;
  /** The day it became available on EKS (YYYY-MM-DD). */
  readonly released: string;
  /** From this day on the cluster is in extended support (and is auto-upgraded under support type STANDARD). */
  readonly standardSupportEnds: string;
  readonly extendedSupportEnds: string;
}

export const EKS_VERSION_CALENDAR = {
  source: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (Amazon EKS Kubernetes release calendar), as mirrored by https://endoflife.date/amazon-eks",
  checked: "2026-12-02",
  versions: [
    { version: "1.35", released: "2026-01-27", standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
    { version: "1.34", released: "2025-10-02", standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
    { version: "1.33", released: "2025-05-29", standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
    { version: "1.32", released: "2025-01-23", standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23" },
  ] as readonly EksVersionSupport[],
} as const;

const day = (date: Date): string => date.toISOString().slice(0, 10);

/** The calendar's entry for `version` when it is in standard support on `today`, else undefined. */
export function eksStandardSupport(version: string, today: Date): EksVersionSupport | undefined {
  const entry = EKS_VERSION_CALENDAR.versions.find((v) => v.version === version);
  return entry && entry.released <= day(today) && day(today) < entry.standardSupportEnds ? entry : undefined;
}

/** What the config allows on `today`, said with the dates and the calendar's source. */
export function eksVersionRule(today: Date): string {
  const supported = EKS_VERSION_CALENDAR.versions.filter((v) => eksStandardSupport(v.version, today));
  const ended = EKS_VERSION_CALENDAR.versions.filter((v) => v.standardSupportEnds <= day(today));
  const list = supported.map((v) => `${v.version} (standard support until ${v.standardSupportEnds})`).join(", ") || "none in the calendar";
  const past = ended.length > 0 ? `; past standard support: ${ended.map((v) => `${v.version} (ended ${v.standardSupportEnds})`).join(", ")}` : "";
  return `an EKS version in standard support on ${day(today)}: ${list}${past} (calendar checked ${EKS_VERSION_CALENDAR.checked}: ${EKS_VERSION_CALENDAR.source})`;
}
