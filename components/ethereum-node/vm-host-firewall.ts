/**
 * The host firewall of a Container-Optimized OS node. COS accepts only SSH by default, and containers on the host
 * network get no rules of their own, so the node opens what its VPC firewall rules let through. A packet that arrives
 * for a served RPC port is redirected to that port's gate: the internal passthrough load balancer cannot translate
 * ports, and the clients' own RPC stays reachable on loopback only (local traffic never passes PREROUTING).
 */
import { NodePoolPlan } from "./plan";
import { gatedPrivatePorts, servedPorts } from "./vm-ports";

/** The unit that applies it at every boot: iptables rules do not survive a reboot. */
export const FIREWALL_UNIT = "ethereum-firewall.service";

export function hostFirewallScript(plan: Pick<NodePoolPlan, "ports">): string {
  const open = [...plan.ports.public, ...gatedPrivatePorts(plan)];
  const unique = [...new Set(open.map((p) => `${p.protocol.toLowerCase()} ${p.port}`))];
  const redirects = servedPorts(plan).map((s) => `rule nat PREROUTING -p tcp --dport ${s.port} -j REDIRECT --to-ports ${s.gatePort}`);
  return `#!/bin/bash
set -euo pipefail
# Appends a rule once, so a restart of the unit adds nothing.
rule() { local table=$1; shift; iptables -w -t "$table" -C "$@" 2>/dev/null || iptables -w -t "$table" -A "$@"; }
${unique.map((u) => `rule filter INPUT -p ${u.replace(" ", " --dport ")} -j ACCEPT`).join("\n")}
${redirects.join("\n")}
`;
}
