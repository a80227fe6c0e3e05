import { noPublicPrivatePorts } from "../../../policies/rules/no-public-private-ports";
import { TAGS, resource, run } from "../helpers";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const group = (...ingress: unknown[]) => resource(SG, { ingress, tags: TAGS }, "node-sg");
const firewall = (props: Record<string, unknown>) => resource("gcp:compute/firewall:Firewall", { network: "n", ...props }, "node-fw");

describe("no-public-private-ports", () => {
  it("passes private ports open to the VPC and public HTTPS open to all", async () => {
    const sg = group(
      { protocol: "tcp", fromPort: 8545, toPort: 8546, cidrBlocks: ["10.10.0.0/16"] },
      { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
      { protocol: "udp", fromPort: 30303, toPort: 30303, cidrBlocks: ["0.0.0.0/0"] },
    );
    expect((await run(noPublicPrivatePorts, sg)).messages).toEqual([]);
  });

  it("names the rule, each exposed port and service, and the open range", async () => {
    const { messages, levels } = await run(noPublicPrivatePorts, group({ protocol: "tcp", fromPort: 8545, toPort: 8545, cidrBlocks: ["0.0.0.0/0"] }));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      'aws:ec2/securityGroup:SecurityGroup "node-sg" ingress[0]: opens 8545 (Ethereum JSON-RPC over HTTP) to 0.0.0.0/0. Fix: allow only the networks that need them (the VPC, a VPN, a proxy) — these ports are never public',
    ]);
  });

  it("keeps a VM node's RPC gates off the internet as it does the clients' RPC ports", async () => {
    const { messages } = await run(noPublicPrivatePorts, group({ protocol: "tcp", fromPort: 18545, toPort: 18546, cidrBlocks: ["0.0.0.0/0"] }));
    expect(messages).toEqual([expect.stringContaining("opens 18545 (Ethereum JSON-RPC over HTTP through a VM node's sync gate), 18546 (Ethereum JSON-RPC over WebSocket through a VM node's sync gate) to 0.0.0.0/0")]);
  });

  it("catches ranges, IPv6 and all-protocol rules that cover private ports", async () => {
    const range = await run(noPublicPrivatePorts, group({ protocol: "tcp", fromPort: 8000, toPort: 9000, ipv6CidrBlocks: ["::/0"] }));
    expect(range.messages[0]).toContain("opens 8545 (Ethereum JSON-RPC over HTTP), 8546 (Ethereum JSON-RPC over WebSocket), 8551 (Engine API");
    expect(range.messages[0]).toContain("8008 (client metrics (Teku)), 8080 (client metrics (Prysm)) to ::/0");
    const everything = await run(noPublicPrivatePorts, group({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }));
    expect(everything.messages[0]).toContain("5432 (PostgreSQL), 3306 (MySQL) to 0.0.0.0/0");
  });

  it("checks standalone AWS rules, ingress only", async () => {
    const legacy = resource("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] });
    const egress = resource("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
    const vpcRule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidrIpv4: "0.0.0.0/0", tags: TAGS });
    const { messages } = await run(noPublicPrivatePorts, [legacy, egress, vpcRule]);
    expect(messages).toEqual([expect.stringContaining("the rule: opens 5432 (PostgreSQL) to 0.0.0.0/0"), expect.stringContaining("the rule: opens 3306 (MySQL) to 0.0.0.0/0")]);
  });

  it("checks GCP firewalls: ports, port ranges and rules without ports", async () => {
    const open = firewall({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp", ports: ["30303"] }, { protocol: "tcp", ports: ["5050-5055"] }, { protocol: "all" }] });
    const { messages } = await run(noPublicPrivatePorts, open);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^gcp:compute\/firewall:Firewall "node-fw" allows\[1\]: opens 5051 \(beacon node REST API \(Teku\)\), 5052 .*, 5054 /);
    expect(messages[1]).toMatch(/allows\[2\]: opens 8545 /);
    const fine = [firewall({ direction: "EGRESS", destinationRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] }), firewall({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "udp" }] })];
    expect((await run(noPublicPrivatePorts, fine)).messages).toEqual([]);
  });

  it("keeps the stack's additional ports off the internet too", async () => {
    const sg = group({ protocol: "tcp", fromPort: 9090, toPort: 9090, cidrBlocks: ["0.0.0.0/0"] });
    expect((await run(noPublicPrivatePorts, sg)).messages).toEqual([]);
    expect((await run(noPublicPrivatePorts, sg, { additionalPorts: [9090] })).messages[0]).toContain("opens 9090 (configured as private)");
  });

  it("survives malformed rules and does not apply to other types", async () => {
    expect((await run(noPublicPrivatePorts, [group("x", { protocol: "tcp" }, null), resource(SG, { ingress: "all" })])).messages).toEqual([]);
    expect((await run(noPublicPrivatePorts, resource("aws:ec2/vpc:Vpc", {}))).notApplicable).toEqual(["the type opens no ports"]);
  });
});
