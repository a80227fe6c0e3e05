/**
 * The pool's RPC endpoint: an internal passthrough load balancer over per-zone instance groups, healthy only when
 * synced. Without failover it sends to every backend when none is healthy; a passthrough balancer keeps the port, so
 * each node redirects the served ports to its health sidecar's gates (vm-host-firewall.ts), which answer "no synced
 * node" while it is not synced.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tagging";
import { READY_CHECK, ServedPort } from "./vm-ports";

export interface GcpRpcPoolContext {
  readonly name: string;
  readonly project: string;
  readonly region: string;
  readonly network: pulumi.Input<string>;
  readonly subnetwork: pulumi.Input<string>;
  /** The pool's instances by zone. */
  readonly zones: ReadonlyMap<string, readonly gcp.compute.Instance[]>;
  readonly served: readonly ServedPort[];
  readonly tags: CostTags;
  readonly parent: pulumi.Resource;
}

export function gcpRpcPool(ctx: GcpRpcPoolContext): gcp.compute.ForwardingRule {
  const { name, project, region, parent } = ctx;
  const groups = [...ctx.zones].map(
    ([zone, instances]) =>
      new gcp.compute.InstanceGroup(
        `${name}-group-${zone.slice(region.length + 1)}`,
        { project, zone, network: ctx.network, description: `Ethereum nodes of ${name} in ${zone}`, instances: instances.map((i) => i.selfLink) },
        { parent },
      ),
  );
  const check = new gcp.compute.RegionHealthCheck(
    `${name}-ready`,
    {
      project,
      region,
      description: "The sync-aware health sidecar: healthy only while the node is synced",
      httpHealthCheck: { port: READY_CHECK.port, requestPath: READY_CHECK.path },
      checkIntervalSec: READY_CHECK.intervalSeconds,
      timeoutSec: READY_CHECK.timeoutSeconds,
      healthyThreshold: READY_CHECK.healthyThreshold,
      unhealthyThreshold: READY_CHECK.unhealthyThreshold,
    },
    { parent },
  );
  const backend = new gcp.compute.RegionBackendService(
    `${name}-backend`,
    {
      project,
      region,
      loadBalancingScheme: "INTERNAL",
      protocol: "TCP",
      network: ctx.network,
      healthChecks: check.id,
      backends: groups.map((g) => ({ group: g.id, balancingMode: "CONNECTION" })),
      connectionDrainingTimeoutSec: 60,
    },
    { parent },
  );
  return new gcp.compute.ForwardingRule(
    `${name}-lb`,
    {
      project,
      region,
      loadBalancingScheme: "INTERNAL",
      backendService: backend.id,
      ipProtocol: "TCP",
      ports: ctx.served.map((s) => String(s.port)),
      network: ctx.network,
      subnetwork: ctx.subnetwork,
      allowGlobalAccess: false,
      labels: gcpLabels(ctx.tags),
    },
    { parent },
  );
}
