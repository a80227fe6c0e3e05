/**
 * The nodes' security group: P2P from anywhere; the RPC gates, beacon API, metrics and health from the VPC only; the
 * clients' own RPC ports and the engine API from nowhere.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsTags } from "../tagging";
import { PortSpec } from "./clients";
import { NodePoolPlan } from "./plan";
import { gatedPrivatePorts } from "./vm-ports";

export const ANYWHERE_IPV4 = "0.0.0.0/0";
export const ANYWHERE_IPV6 = "::/0";

export interface IngressRule {
  /** The rule's child name is `${pool}-sg-<part>`. */
  readonly part: string;
  readonly description: string;
  readonly ipProtocol: "tcp" | "udp";
  readonly port: number;
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
}

/** Public ports over IPv4 and IPv6, private ports (RPC through its gates) from `vpcCidr`; no other ingress. */
export function ingressRules(ports: NodePoolPlan["ports"], vpcCidr: string): IngressRule[] {
  const rule = (p: PortSpec, from: string, source: Pick<IngressRule, "cidrIpv4" | "cidrIpv6">, suffix: string): IngressRule => ({
    part: `${p.purpose === "p2p" ? "p2p" : "private"}-${p.protocol.toLowerCase()}-${p.port}${suffix}`,
    description: `${p.name} (${p.purpose}) from ${from}`,
    ipProtocol: p.protocol === "TCP" ? "tcp" : "udp",
    port: p.port,
    ...source,
  });
  return [
    ...ports.public.flatMap((p) => [
      rule(p, "the internet", { cidrIpv4: ANYWHERE_IPV4 }, ""),
      rule(p, "the internet over IPv6", { cidrIpv6: ANYWHERE_IPV6 }, "-ipv6"),
    ]),
    ...gatedPrivatePorts({ ports }).map((p) => rule(p, "the VPC", { cidrIpv4: vpcCidr }, "")),
  ];
}

export interface SecurityGroupContext {
  readonly name: string;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  readonly plan: NodePoolPlan;
  readonly parent: pulumi.Resource;
}

export function nodeSecurityGroup(ctx: SecurityGroupContext): aws.ec2.SecurityGroup {
  const { name, region, parent } = ctx;
  const tags = awsTags(ctx.plan.tags);
  const group = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    { region, vpcId: ctx.vpcId, description: `Ethereum nodes of ${name}: P2P public, RPC from the VPC`, tags },
    { parent },
  );
  for (const r of ingressRules(ctx.plan.ports, ctx.vpcCidr)) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-sg-${r.part}`,
      { region, securityGroupId: group.id, description: r.description, ipProtocol: r.ipProtocol, fromPort: r.port, toPort: r.port, cidrIpv4: r.cidrIpv4, cidrIpv6: r.cidrIpv6, tags },
      { parent },
    );
  }
  // Clients reach peers, checkpoint sync, image registries and package mirrors anywhere.
  new aws.vpc.SecurityGroupEgressRule(`${name}-sg-egress`, { region, securityGroupId: group.id, description: "all egress", ipProtocol: "-1", cidrIpv4: ANYWHERE_IPV4, tags }, { parent });
  new aws.vpc.SecurityGroupEgressRule(`${name}-sg-egress-ipv6`, { region, securityGroupId: group.id, description: "all egress over IPv6", ipProtocol: "-1", cidrIpv6: ANYWHERE_IPV6, tags }, { parent });
  return group;
}
