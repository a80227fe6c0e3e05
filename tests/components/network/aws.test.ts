import { AwsNetwork, AwsNetworkArgs } from "../../../components/network";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { arnOf, childrenNotNamedFrom, cloudName, costTagProblems, duplicateUrns, ofType, unclassifiedTypes } from "../../helpers/resources";
import { TAGS, below } from "./fixtures";

/** The longest name the component accepts. */
const LONGEST = `net-${"x".repeat(37)}`;
const ARGS: AwsNetworkArgs = { cidr: "10.10.0.0/16", availabilityZones: 3, natGateways: "single", flowLogRetentionDays: 30, tags: TAGS };

async function record(...networks: [string, Partial<AwsNetworkArgs>][]): Promise<RecordedResource[]> {
  const { resources } = await recordResources(() => {
    for (const [name, args] of networks) new AwsNetwork(name, { ...ARGS, ...args });
  });
  return resources;
}

const named = (resources: RecordedResource[], name: string): RecordedResource => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
};
const idOf = (name: string): string => `${name}-id`;

describe("AwsNetwork", () => {
  let all: RecordedResource[];
  let single: RecordedResource[];
  let perAz: RecordedResource[];
  beforeAll(async () => {
    all = await record(["main", {}], ["prod", { natGateways: "per-az", cidr: "10.20.0.0/20", flowLogRetentionDays: 365 }], [LONGEST, { cidr: "10.30.0.0/16" }]);
    single = below(all, "main");
    perAz = below(all, "prod");
  });

  it("creates one VPC with DNS and a private and a public subnet per zone, carved from the network's block", () => {
    expect(ofType(single, "aws:ec2/vpc:Vpc").map((v) => v.inputs)).toEqual([
      expect.objectContaining({ cidrBlock: "10.10.0.0/16", enableDnsSupport: true, enableDnsHostnames: true }),
    ]);
    const subnets = ofType(single, "aws:ec2/subnet:Subnet").map((s) => ({ name: s.name, ...s.inputs }));
    expect(subnets).toHaveLength(6);
    const expected = [
      ["main-private-0", "10.10.0.0/19", "us-east-1a"],
      ["main-private-1", "10.10.32.0/19", "us-east-1b"],
      ["main-private-2", "10.10.64.0/19", "us-east-1c"],
      ["main-public-0", "10.10.224.0/22", "us-east-1a"],
      ["main-public-1", "10.10.228.0/22", "us-east-1b"],
      ["main-public-2", "10.10.232.0/22", "us-east-1c"],
    ];
    for (const [name, cidrBlock, availabilityZone] of expected) {
      expect(subnets.find((s) => s.name === name)).toMatchObject({ cidrBlock, availabilityZone, vpcId: idOf("main-vpc") });
    }
  });

  it("never maps public IPs on launch and tags subnets for load-balancer discovery", () => {
    for (const s of ofType(single, "aws:ec2/subnet:Subnet")) {
      expect(s.inputs.mapPublicIpOnLaunch ?? false).toBe(false);
      const tags = s.inputs.tags as Record<string, string>;
      expect(tags).toMatchObject(TAGS);
      if (s.name.includes("-public-")) expect(tags).toMatchObject({ "kubernetes.io/role/elb": "1" });
      else expect(tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1" });
      expect(Object.keys(tags).filter((k) => k.startsWith("kubernetes.io/"))).toHaveLength(1);
    }
  });

  it("routes public subnets to the internet gateway", () => {
    const [igw] = ofType(single, "aws:ec2/internetGateway:InternetGateway");
    expect(igw.inputs.vpcId).toBe(idOf("main-vpc"));
    expect(named(single, "main-public-default").inputs).toEqual({
      routeTableId: idOf("main-public-rt"),
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: idOf(igw.name),
    });
    const associations = ofType(single, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter((a) => a.inputs.routeTableId === idOf("main-public-rt"));
    expect(associations.map((a) => a.inputs.subnetId).sort()).toEqual([0, 1, 2].map((i) => idOf(`main-public-${i}`)));
  });

  it("runs one NAT gateway in the first public subnet when single, and every zone's private route uses it", () => {
    const nats = ofType(single, "aws:ec2/natGateway:NatGateway");
    expect(nats.map((n) => n.inputs)).toEqual([expect.objectContaining({ subnetId: idOf("main-public-0"), allocationId: idOf("main-nat-eip-0") })]);
    expect(ofType(single, "aws:ec2/eip:Eip").map((e) => e.inputs.domain)).toEqual(["vpc"]);
    for (const i of [0, 1, 2]) {
      expect(named(single, `main-private-default-${i}`).inputs).toEqual({
        routeTableId: idOf(`main-private-rt-${i}`),
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: idOf("main-nat-0"),
      });
      expect(named(single, `main-private-rta-${i}`).inputs).toEqual({ subnetId: idOf(`main-private-${i}`), routeTableId: idOf(`main-private-rt-${i}`) });
    }
  });

  it("runs one NAT gateway per zone when per-az, each zone routing through its own", () => {
    const nats = ofType(perAz, "aws:ec2/natGateway:NatGateway");
    expect(nats.map((n) => n.inputs.subnetId).sort()).toEqual([0, 1, 2].map((i) => idOf(`prod-public-${i}`)));
    expect(ofType(perAz, "aws:ec2/eip:Eip")).toHaveLength(3);
    for (const i of [0, 1, 2]) {
      expect(named(perAz, `prod-nat-${i}`).inputs.subnetId).toBe(idOf(`prod-public-${i}`));
      expect(named(perAz, `prod-private-default-${i}`).inputs.natGatewayId).toBe(idOf(`prod-nat-${i}`));
    }
  });

  it("attaches an S3 gateway endpoint to every private route table", () => {
    const [endpoint] = ofType(single, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint.inputs).toMatchObject({ vpcId: idOf("main-vpc"), serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" });
    expect(endpoint.inputs.routeTableIds).toEqual([0, 1, 2].map((i) => idOf(`main-private-rt-${i}`)));
  });

  it("strips every rule from the VPC's default security group", () => {
    const [sg] = ofType(single, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(sg.inputs.vpcId).toBe(idOf("main-vpc"));
    expect(sg.inputs.ingress ?? []).toEqual([]);
    expect(sg.inputs.egress ?? []).toEqual([]);
  });

  it("logs all VPC traffic to a log group with the requested retention, through a least-privilege role", () => {
    const [logGroup] = ofType(perAz, "aws:cloudwatch/logGroup:LogGroup");
    expect(logGroup.inputs.retentionInDays).toBe(365);
    expect(logGroup.inputs.name).toBeUndefined();
    const logGroupArn = arnOf(perAz, logGroup.name);
    expect(logGroupArn).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:${cloudName(perAz, logGroup.name)}`);
    const [role] = ofType(perAz, "aws:iam/role:Role");
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      }),
    ]);
    const [policy] = ofType(perAz, "aws:iam/rolePolicy:RolePolicy");
    expect(policy.inputs.role).toBe(idOf(role.name));
    const statements = JSON.parse(policy.inputs.policy as string).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Resource).toEqual([logGroupArn, `${logGroupArn}:*`]);
    expect(statements[0].Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"]);
    expect(ofType(perAz, "aws:ec2/flowLog:FlowLog").map((f) => f.inputs)).toEqual([
      expect.objectContaining({
        vpcId: idOf("prod-vpc"),
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroupArn,
        iamRoleArn: `arn:aws:iam::123456789012:role/${cloudName(perAz, role.name)}`,
      }),
    ]);
  });

  it("tags every taggable child with the cost tags and classifies every type", () => {
    expect(costTagProblems(all)).toEqual([]);
    expect(unclassifiedTypes(all)).toEqual([]);
    expect(all.find((r) => r.name === "main" && !r.custom)!.outputs.costTags).toEqual(TAGS);
  });

  it("counts its resources: 30 children for 3 zones with one NAT, 34 with one per zone", () => {
    expect(single).toHaveLength(30);
    expect(perAz).toHaveLength(34);
  });

  it("names every child from the component, so two instances coexist", () => {
    expect(duplicateUrns(all)).toEqual([]);
    expect(childrenNotNamedFrom(all, "main")).toEqual([]);
    expect(childrenNotNamedFrom(all, "prod")).toEqual([]);
    expect(childrenNotNamedFrom(all, LONGEST)).toEqual([]);
    expect(ofType(all, "aws:ec2/vpc:Vpc")).toHaveLength(3);
  });

  it("keeps the IAM role's generated name within 64 characters at the longest accepted component name", () => {
    const [role] = ofType(below(all, LONGEST), "aws:iam/role:Role");
    expect(role.inputs.name).toBeUndefined();
    expect(role.name.length + 8).toBe(64);
  });

  it("rejects bad arguments up front with an error naming each of them", () => {
    const build = (args: Partial<AwsNetworkArgs>, name = "main") => () => new AwsNetwork(name, { ...ARGS, ...args });
    expect(build({ cidr: "10.10.0.0/12" })).toThrow(/AwsNetwork "main".*cidr must be .*\/16 to \/20.*"10\.10\.0\.0\/12"/);
    expect(build({ cidr: "10.10.1.0/16" })).toThrow(/cidr must be/);
    expect(build({ availabilityZones: 7 })).toThrow(/availabilityZones must be an integer from 2 to 6, got 7/);
    expect(build({ availabilityZones: 1 })).toThrow(/availabilityZones/);
    expect(build({ natGateways: "none" as "single" })).toThrow(/natGateways must be "single" or "per-az", got "none"/);
    expect(build({ flowLogRetentionDays: 45 })).toThrow(/flowLogRetentionDays must be one of .* got 45/);
    expect(build({ tags: { ...TAGS, owner: "Tech Ops" } })).toThrow(/tags are not valid cost tags: tag "owner"/);
    expect(build({}, "Main Network")).toThrow(/name must be lowercase/);
    expect(build({}, `${LONGEST}x`)).toThrow(/name must be .* at most 41 characters/);
    expect(build({ cidr: "x", availabilityZones: 0 })).toThrow(/cidr must be .*; availabilityZones must be/);
  });
});
