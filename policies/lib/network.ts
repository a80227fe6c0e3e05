/** Ingress ranges and port ranges as security groups and firewalls express them. */
import { INTERNET_RANGES, PrivatePort } from "../catalog/private-ports";
import { asNumber } from "./props";

export function isInternet(range: unknown): boolean {
  return typeof range === "string" && INTERNET_RANGES.includes(range.trim());
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** AWS protocols that carry TCP: tcp, 6, or -1/all (every protocol). UDP and ICMP cannot reach the private ports. */
export function carriesTcp(protocol: unknown): boolean {
  const p = String(protocol ?? "").toLowerCase();
  return p === "tcp" || p === "6" || p === "-1" || p === "all";
}

/** An AWS rule's ports: all of them for protocol -1, else fromPort..toPort; undefined when unreadable. */
export function awsPortRange(protocol: unknown, fromPort: unknown, toPort: unknown): PortRange | undefined {
  const p = String(protocol ?? "").toLowerCase();
  if (p === "-1" || p === "all") return ALL_PORTS;
  const from = asNumber(fromPort);
  const to = asNumber(toPort) ?? from;
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** GCP firewall ports: "8545" or "8000-9000"; no ports at all means every port. */
export function gcpPortRanges(ports: unknown): PortRange[] {
  if (!Array.isArray(ports) || ports.length === 0) return [ALL_PORTS];
  return ports.flatMap((p): PortRange[] => {
    const [from, to = from] = String(p).split("-").map((n) => asNumber(n));
    return from === undefined || to === undefined ? [] : [{ from, to }];
  });
}

export function exposedPorts(range: PortRange, ports: readonly PrivatePort[]): PrivatePort[] {
  return ports.filter((p) => p.port >= range.from && p.port <= range.to);
}

export function describePorts(ports: readonly PrivatePort[]): string {
  return ports.map((p) => `${p.port} (${p.service})`).join(", ");
}
