/** The ingress rules every GCP network starts with: internal traffic, Google's probes, IAP SSH, then deny the rest. */

/** Where Google Cloud load-balancer health checks come from. */
export const GOOGLE_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;
/** Where Identity-Aware Proxy TCP forwarding connects from. */
export const IAP_TCP_FORWARDING_RANGE = "35.235.240.0/20";

export interface FirewallRule {
  /** The child's name is `${network}-${part}`. */
  readonly part: string;
  readonly description: string;
  readonly priority: number;
  readonly sourceRanges: readonly string[];
  readonly allows?: readonly { protocol: string; ports?: string[] }[];
  readonly denies?: readonly { protocol: string }[];
  readonly logged: boolean;
}

export interface NetworkRanges {
  readonly cidr: string;
  readonly podsCidr: string;
  readonly servicesCidr: string;
}

export function defaultFirewallRules(ranges: NetworkRanges): FirewallRule[] {
  return [
    {
      part: "allow-internal",
      description: "Traffic between nodes, pods and services of this network",
      priority: 1000,
      sourceRanges: [ranges.cidr, ranges.podsCidr, ranges.servicesCidr],
      allows: [{ protocol: "all" }],
      logged: false,
    },
    {
      part: "allow-lb-checks",
      description: "Google Cloud load-balancer health checks",
      priority: 1000,
      sourceRanges: [...GOOGLE_HEALTH_CHECK_RANGES],
      allows: [{ protocol: "tcp" }],
      logged: false,
    },
    {
      part: "allow-iap-ssh",
      description: "SSH through Identity-Aware Proxy only; never from the internet",
      priority: 1000,
      sourceRanges: [IAP_TCP_FORWARDING_RANGE],
      allows: [{ protocol: "tcp", ports: ["22"] }],
      logged: false,
    },
    {
      part: "deny-all-ingress",
      description: "Everything not allowed above, logged",
      priority: 65535,
      sourceRanges: ["0.0.0.0/0"],
      denies: [{ protocol: "all" }],
      logged: true,
    },
  ];
}
