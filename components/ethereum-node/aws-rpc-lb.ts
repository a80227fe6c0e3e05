/**
 * The pool's RPC endpoint: an internal network load balancer that sends traffic only to synced nodes. An NLB fails
 * open (every target unhealthy: it sends to all of them), so its target groups forward to the health sidecar's gates,
 * not to the clients: a node that is not synced answers "no synced node" there.
 */

/** Elastic Load Balancing names load balancers and target groups in at most 32 characters. */
const ELB_NAME_MAX_LENGTH = 32;
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameWithin } from "../cluster/physical-name";
import { CostTags, awsTags } from "../tagging";
import { READY_CHECK, ServedPort } from "./vm-ports";

export interface RpcPool {
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly targetGroups: readonly { readonly served: ServedPort; readonly group: aws.lb.TargetGroup }[];
}

export interface RpcPoolContext {
  readonly name: string;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly served: readonly ServedPort[];
  readonly tags: CostTags;
  readonly parent: pulumi.Resource;
}

export function rpcPool(ctx: RpcPoolContext): RpcPool {
  const { name, region, parent } = ctx;
  const tags = awsTags(ctx.tags);
  const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;
  const loadBalancer = new aws.lb.LoadBalancer(
    `${name}-lb`,
    {
      region,
      name: nameWithin(`${name}-lb`, scope, ELB_NAME_MAX_LENGTH),
      internal: true,
      loadBalancerType: "network",
      subnets: ctx.subnetIds,
      ipAddressType: "ipv4",
      // Nodes and load balancer subnets need not share zones; every zone's address reaches every node.
      enableCrossZoneLoadBalancing: true,
      tags,
    },
    { parent },
  );
  const targetGroups = ctx.served.map((served) => {
    const group = new aws.lb.TargetGroup(
      `${name}-${served.part}-tg`,
      {
        region,
        // The port and protocol replace a target group: they are in the hash, so the replacement has a name of its own.
        name: nameWithin(`${name}-${served.part}-tg`, `${scope}/${served.gatePort}/TCP`, ELB_NAME_MAX_LENGTH),
        vpcId: ctx.vpcId,
        port: served.gatePort,
        protocol: "TCP",
        targetType: "instance",
        deregistrationDelay: 60,
        // WebSocket subscriptions move to a healthy node instead of lingering on a deregistered one.
        connectionTermination: true,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: String(READY_CHECK.port),
          path: READY_CHECK.path,
          matcher: "200",
          interval: READY_CHECK.intervalSeconds,
          timeout: READY_CHECK.timeoutSeconds,
          healthyThreshold: READY_CHECK.healthyThreshold,
          unhealthyThreshold: READY_CHECK.unhealthyThreshold,
        },
        tags,
      },
      { parent },
    );
    new aws.lb.Listener(
      `${name}-${served.part}-listener`,
      { region, loadBalancerArn: loadBalancer.arn, port: served.port, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: group.arn }], tags },
      { parent },
    );
    return { served, group };
  });
  return { loadBalancer, targetGroups };
}

export function registerNode(ctx: Pick<RpcPoolContext, "name" | "region" | "parent">, pool: RpcPool, instance: aws.ec2.Instance, index: number): aws.lb.TargetGroupAttachment[] {
  return pool.targetGroups.map(
    ({ served, group }) =>
      new aws.lb.TargetGroupAttachment(
        `${ctx.name}-${served.part}-target-${index}`,
        { region: ctx.region, targetGroupArn: group.arn, targetId: instance.id, port: served.gatePort },
        { parent: ctx.parent },
      ),
  );
}
