/** Firewall rules for the nodes' network tag: P2P from anywhere, RPC and the rest from internal ranges, Google's probes to the health port. */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GOOGLE_HEALTH_CHECK_RANGES } from "../network/gcp-firewall";
import { PortSpec } from "./clients";
import { HEALTH_PORT } from "./containers";
import { NodePoolPlan } from "./plan";
import { portsByProtocol } from "./vm-ports";

export interface NodeFirewallRule {
  /** The rule's child name is `${pool}-<part>`. */
  readonly part: string;
  readonly description: string;
  readonly sourceRanges: readonly string[];
  readonly allows: readonly { readonly protocol: "tcp" | "udp"; readonly ports: readonly string[] }[];
}

function allows(ports: readonly PortSpec[]): NodeFirewallRule["allows"] {
  const grouped = portsByProtocol(ports);
  return (["TCP", "UDP"] as const)
    .filter((p) => grouped[p].length > 0)
    .map((p) => ({ protocol: p === "TCP" ? "tcp" : "udp", ports: grouped[p].map(String) }));
}

/**
 * The engine port is in no rule: it listens on 127.0.0.1. SSH is not opened here (the network allows IAP only). The
 * RPC ports are open to internal ranges, but on the node their packets reach the sidecar's gates (vm-host-firewall.ts).
 */
export function nodeFirewallRules(ports: NodePoolPlan["ports"], internalCidrs: readonly string[]): NodeFirewallRule[] {
  return [
    { part: "p2p", description: "Ethereum P2P from anywhere", sourceRanges: ["0.0.0.0/0"], allows: allows(ports.public) },
    { part: "private", description: "JSON-RPC, WebSocket, beacon API, metrics and health from internal ranges", sourceRanges: internalCidrs, allows: allows(ports.private) },
    {
      part: "lb-health",
      description: "Google Cloud health-check probes to the sync-aware health port",
      sourceRanges: [...GOOGLE_HEALTH_CHECK_RANGES],
      allows: [{ protocol: "tcp", ports: [String(HEALTH_PORT)] }],
    },
  ];
}

export interface NodeFirewallContext {
  readonly name: string;
  readonly project: string;
  readonly network: pulumi.Input<string>;
  readonly nodeTag: string;
  readonly plan: NodePoolPlan;
  readonly internalCidrs: readonly string[];
  readonly parent: pulumi.Resource;
}

export function nodeFirewall(ctx: NodeFirewallContext): gcp.compute.Firewall[] {
  return nodeFirewallRules(ctx.plan.ports, ctx.internalCidrs).map(
    (rule) =>
      new gcp.compute.Firewall(
        `${ctx.name}-${rule.part}`,
        {
          project: ctx.project,
          network: ctx.network,
          description: rule.description,
          direction: "INGRESS",
          priority: 1000,
          sourceRanges: [...rule.sourceRanges],
          targetTags: [ctx.nodeTag],
          allows: rule.allows.map((a) => ({ protocol: a.protocol, ports: [...a.ports] })),
        },
        { parent: ctx.parent },
      ),
  );
}
