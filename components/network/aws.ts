/** An AWS VPC spread over zones: private and public subnets, NAT egress, an S3 gateway endpoint, flow logs. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, awsTags } from "../tagging";
import { createVpcFlowLogs } from "./aws-flow-logs";
import { awsSubnetLayout } from "./aws-layout";
import { validateAwsNetworkArgs } from "./validate";

export interface AwsNetworkArgs {
  /** e.g. "10.10.0.0/16"; prefix /16 to /20. */
  cidr: string;
  /** 2 to 6. */
  availabilityZones: number;
  natGateways: "single" | "per-az";
  flowLogRetentionDays: number;
  tags: CostTags;
}

const ANYWHERE = "0.0.0.0/0";
/** Subnet tags the AWS Load Balancer Controller discovers subnets by. */
const PUBLIC_ELB_TAGS = { "kubernetes.io/role/elb": "1" };
const INTERNAL_ELB_TAGS = { "kubernetes.io/role/internal-elb": "1" };

export class AwsNetwork extends pulumi.ComponentResource {
  readonly cidr: string;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly publicSubnetIds: pulumi.Output<string>[];

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    validateAwsNetworkArgs(name, args, "flow-logs-role");
    super("estate:network:AwsNetwork", name, {}, opts);
    const child = { parent: this };
    const tags = awsTags(args.tags);
    const layout = awsSubnetLayout(args.cidr, args.availabilityZones);
    const zoneNames = aws.getAvailabilityZonesOutput({ state: "available" }, child).names;
    const zone = (i: number): pulumi.Output<string> =>
      zoneNames.apply((names) => {
        if (i >= names.length) throw new Error(`AwsNetwork "${name}": availabilityZones is ${args.availabilityZones} but the region has ${names.length} available zones`);
        return names[i];
      });

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags }, child);
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags }, child);

    const publicSubnets = layout.map(
      (blocks, i) =>
        new aws.ec2.Subnet(
          `${name}-public-${i}`,
          { vpcId: vpc.id, cidrBlock: blocks.public, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { ...tags, ...PUBLIC_ELB_TAGS } },
          child,
        ),
    );
    const privateSubnets = layout.map(
      (blocks, i) =>
        new aws.ec2.Subnet(
          `${name}-private-${i}`,
          { vpcId: vpc.id, cidrBlock: blocks.private, availabilityZone: zone(i), tags: { ...tags, ...INTERNAL_ELB_TAGS } },
          child,
        ),
    );

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags }, child);
    const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags }, child);
    new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: ANYWHERE, gatewayId: igw.id }, child);
    publicSubnets.forEach(
      (s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-rta-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, child),
    );

    const natCount = args.natGateways === "per-az" ? args.availabilityZones : 1;
    const nats = publicSubnets.slice(0, natCount).map((s, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-eip-${i}`, { domain: "vpc", tags }, child);
      return new aws.ec2.NatGateway(`${name}-nat-${i}`, { allocationId: eip.id, subnetId: s.id, tags }, { ...child, dependsOn: [igw] });
    });

    const privateRoutes = privateSubnets.map((s, i) => {
      const table = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, { vpcId: vpc.id, tags }, child);
      const nat = nats[args.natGateways === "per-az" ? i : 0];
      new aws.ec2.Route(`${name}-private-default-${i}`, { routeTableId: table.id, destinationCidrBlock: ANYWHERE, natGatewayId: nat.id }, child);
      new aws.ec2.RouteTableAssociation(`${name}-private-rta-${i}`, { subnetId: s.id, routeTableId: table.id }, child);
      return table;
    });

    // S3 traffic from private subnets takes the free gateway endpoint instead of the NAT's per-GB charge.
    const region = aws.getRegionOutput({}, child).region;
    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRoutes.map((t) => t.id),
        tags,
      },
      child,
    );

    createVpcFlowLogs(name, { vpcId: vpc.id, retentionDays: args.flowLogRetentionDays, tags: args.tags }, this);

    this.cidr = args.cidr;
    this.vpcId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.registerOutputs({
      cidr: this.cidr,
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      costTags: args.tags,
    });
  }
}
