/**
 * No private port (node APIs, metrics, databases) is open to the internet, on AWS security groups and their rules
 * or on GCP firewalls.
 */
import { PRIVATE_PORTS, PrivatePort } from "../catalog/private-ports";
import { configNumbers } from "../lib/config-values";
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { PortRange, awsPortRange, carriesTcp, describePorts, exposedPorts, gcpPortRanges, isInternet } from "../lib/network";
import { asArray, at } from "../lib/props";

/** One ingress permission: where it is written, who it lets in, on which ports. */
interface Ingress {
  readonly where: string;
  readonly sources: readonly unknown[];
  readonly ports: readonly PortRange[];
}

const awsIngress = (where: string, rule: unknown, sources: readonly unknown[]): Ingress[] => {
  const protocol = at(rule, "protocol") ?? at(rule, "ipProtocol");
  const range = carriesTcp(protocol) ? awsPortRange(protocol, at(rule, "fromPort"), at(rule, "toPort")) : undefined;
  return range ? [{ where, sources, ports: [range] }] : [];
};

const inlineRules = (props: unknown): Ingress[] =>
  asArray(at(props, "ingress")).flatMap((rule, i) => awsIngress(`ingress[${i}]`, rule, [...asArray(at(rule, "cidrBlocks")), ...asArray(at(rule, "ipv6CidrBlocks"))]));

const INGRESS: Readonly<Record<string, (props: unknown) => Ingress[]>> = {
  "aws:ec2/securityGroup:SecurityGroup": inlineRules,
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": inlineRules,
  "aws:ec2/securityGroupRule:SecurityGroupRule": (props) =>
    at(props, "type") === "ingress" ? awsIngress("the rule", props, [...asArray(at(props, "cidrBlocks")), ...asArray(at(props, "ipv6CidrBlocks"))]) : [],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (props) => awsIngress("the rule", props, [at(props, "cidrIpv4"), at(props, "cidrIpv6")]),
  "gcp:compute/firewall:Firewall": (props) => {
    if ((at(props, "direction") ?? "INGRESS") !== "INGRESS" || at(props, "disabled") === true) return [];
    return asArray(at(props, "allows")).flatMap((allow, i): Ingress[] => {
      const protocol = String(at(allow, "protocol") ?? "").toLowerCase();
      if (protocol !== "tcp" && protocol !== "all" && protocol !== "6") return [];
      return [{ where: `allows[${i}]`, sources: asArray(at(props, "sourceRanges")), ports: gcpPortRanges(at(allow, "ports")) }];
    });
  },
};

export const noPublicPrivatePorts = resourcePolicy({
  name: "no-public-private-ports",
  description: "No node API, metrics or database port is open to the internet (0.0.0.0/0 or ::/0).",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Narrow the source ranges to the networks that need the port (VPC, VPN, a proxy), or serve it through an authenticated endpoint.",
  config: {
    additionalPorts: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, description: "More ports to keep off the internet.", default: [] },
  },
  validateResource: (args, reportViolation) => {
    const ingress = INGRESS[args.type];
    if (!ingress) return args.notApplicable("the type opens no ports");
    const extra = configNumbers(args.getConfig(), "additionalPorts", []);
    const ports: PrivatePort[] = [...PRIVATE_PORTS, ...extra.map((port) => ({ port, service: "configured as private" }))];
    for (const rule of ingress(args.props)) {
      const open = rule.sources.filter(isInternet);
      const exposed = rule.ports.flatMap((range) => exposedPorts(range, ports));
      if (open.length === 0 || exposed.length === 0) continue;
      reportViolation(
        `${subject(args)} ${rule.where}: opens ${describePorts(exposed)} to ${open.join(" and ")}. Fix: allow only the networks that need them (the VPC, a VPN, a proxy) — these ports are never public`,
      );
    }
  },
});
