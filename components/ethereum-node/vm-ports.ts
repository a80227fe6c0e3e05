/** The ports a VM node pool exposes: what its load balancer serves, what its firewalls open, and the checks on both. */
import { PortSpec } from "./clients";
import { HEALTH_PORT } from "./containers";
import { NodePoolPlan } from "./plan";

export interface ServedPort {
  /** Part of child names: `rpc`, `ws`. */
  readonly part: string;
  /** The client's port, and the port consumers reach on the load balancer. */
  readonly port: number;
  /**
   * Where the health sidecar's gate for `port` listens on the node: the load balancer's traffic goes there, never to
   * the client itself, so a load balancer that fails open (every node unhealthy) still gets "no synced node".
   */
  readonly gatePort: number;
  readonly scheme: "http" | "ws";
}

/** A gate listens this far above the client port it guards: 18545 for 8545, 18546 for 8546. */
export const GATE_PORT_OFFSET = 10000;

const SERVED: readonly { part: string; purpose: PortSpec["purpose"]; scheme: ServedPort["scheme"] }[] = [
  { part: "rpc", purpose: "rpc-http", scheme: "http" },
  { part: "ws", purpose: "rpc-ws", scheme: "ws" },
];

/** JSON-RPC over HTTP and WebSocket: the ports the pool's internal load balancer forwards. */
export function servedPorts(plan: Pick<NodePoolPlan, "ports">): ServedPort[] {
  return SERVED.flatMap(({ part, purpose, scheme }) => {
    const spec = plan.ports.private.find((p) => p.purpose === purpose && p.protocol === "TCP");
    return spec ? [{ part, port: spec.port, gatePort: spec.port + GATE_PORT_OFFSET, scheme }] : [];
  });
}

/** The health sidecar's GATES setting: `gate:client` per served port. */
export function gatesSetting(served: readonly ServedPort[]): string {
  return served.map((s) => `${s.gatePort}:${s.port}`).join(",");
}

/**
 * The private ports the network reaches on a node: the plan's, with each served client port replaced by its gate.
 * Nothing off the node talks to the clients' RPC directly; the sidecar's readiness check is on loopback.
 */
export function gatedPrivatePorts(plan: Pick<NodePoolPlan, "ports">): PortSpec[] {
  const served = servedPorts(plan);
  const raw = (p: PortSpec) => p.protocol === "TCP" && served.some((s) => s.port === p.port);
  const gates = served.map((s): PortSpec => ({ name: `${s.part}-gate`, port: s.gatePort, protocol: "TCP", purpose: s.scheme === "http" ? "rpc-http" : "rpc-ws" }));
  return [...plan.ports.private.filter((p) => !raw(p)), ...gates];
}

/** Port numbers per protocol, ascending, for firewall rules that take a list. */
export function portsByProtocol(ports: readonly PortSpec[]): { TCP: number[]; UDP: number[] } {
  const of = (protocol: PortSpec["protocol"]) => [...new Set(ports.filter((p) => p.protocol === protocol).map((p) => p.port))].sort((a, b) => a - b);
  return { TCP: of("TCP"), UDP: of("UDP") };
}

export function portProblems(plan: Pick<NodePoolPlan, "ports">): string[] {
  const problems: string[] = [];
  const all = [...plan.ports.public, ...plan.ports.private];
  for (const p of all.filter((p) => p.purpose === "engine")) problems.push(`plan.ports: engine port ${p.port} must not be exposed; it listens on 127.0.0.1`);
  for (const p of plan.ports.public.filter((p) => p.purpose !== "p2p")) problems.push(`plan.ports.public: ${p.name} (${p.port}) is not a P2P port`);
  for (const p of plan.ports.private) {
    if (plan.ports.public.some((q) => q.port === p.port && q.protocol === p.protocol)) {
      problems.push(`plan.ports: ${p.protocol} ${p.port} is both public (P2P) and private (${p.name})`);
    }
  }
  const served = servedPorts(plan);
  for (const { part, purpose } of SERVED) if (!served.some((s) => s.part === part)) problems.push(`plan.ports.private: no ${purpose} port for the RPC load balancer`);
  for (const s of served) {
    const taken = all.find((p) => p.port === s.gatePort && p.protocol === "TCP");
    if (taken || s.gatePort > 65535) problems.push(`plan.ports: ${taken ? `${taken.name} (${s.gatePort})` : s.gatePort} is where the ${s.part} gate listens (client port + ${GATE_PORT_OFFSET})`);
  }
  if (!plan.ports.private.some((p) => p.port === HEALTH_PORT && p.protocol === "TCP")) {
    problems.push(`plan.ports.private: no health port ${HEALTH_PORT} for the load balancer's health check`);
  }
  return problems;
}

/**
 * The load balancers' health check: the sync-aware sidecar, so a node that is behind gets no traffic. The sidecar
 * asks the beacon node and, in turn, two execution endpoints, with a 2 s timeout each: a 10 s timeout leaves room.
 */
export const READY_CHECK = { port: HEALTH_PORT, path: "/ready", intervalSeconds: 15, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 } as const;
