/** A GCP VPC network with one regional subnetwork (plus GKE pod and service ranges), Cloud NAT and default firewall rules. */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags } from "../tagging";
import { defaultFirewallRules } from "./gcp-firewall";
import { validateGcpNetworkArgs } from "./validate";

export interface GcpNetworkArgs {
  region: string;
  /** The nodes' primary range. */
  cidr: string;
  podsCidr: string;
  servicesCidr: string;
  /** None of the children can carry labels (see UNTAGGABLE); registered as the component's `costTags` output. */
  tags: CostTags;
}

/** Secondary range names are scoped to their subnetwork, so fixed names cannot collide. */
const PODS_RANGE = "pods";
const SERVICES_RANGE = "services";

export class GcpNetwork extends pulumi.ComponentResource {
  readonly cidr: string;
  readonly podsCidr: string;
  readonly servicesCidr: string;
  readonly networkId: pulumi.Output<string>;
  readonly networkSelfLink: pulumi.Output<string>;
  readonly subnetworkSelfLink: pulumi.Output<string>;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;

  constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    validateGcpNetworkArgs(name, args, "deny-all-ingress");
    super("estate:network:GcpNetwork", name, {}, opts);
    const child = { parent: this };

    const network = new gcp.compute.Network(`${name}-network`, { autoCreateSubnetworks: false, routingMode: "REGIONAL" }, child);
    const subnetwork = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        network: network.id,
        region: args.region,
        ipCidrRange: args.cidr,
        secondaryIpRanges: [
          { rangeName: PODS_RANGE, ipCidrRange: args.podsCidr },
          { rangeName: SERVICES_RANGE, ipCidrRange: args.servicesCidr },
        ],
        privateIpGoogleAccess: true,
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
      },
      child,
    );

    const router = new gcp.compute.Router(`${name}-router`, { network: network.id, region: args.region }, child);
    new gcp.compute.RouterNat(
      `${name}-nat`,
      {
        router: router.name,
        region: args.region,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      },
      child,
    );

    for (const rule of defaultFirewallRules(args)) {
      new gcp.compute.Firewall(
        `${name}-${rule.part}`,
        {
          network: network.id,
          description: rule.description,
          direction: "INGRESS",
          priority: rule.priority,
          sourceRanges: [...rule.sourceRanges],
          allows: rule.allows?.map((a) => ({ ...a })),
          denies: rule.denies?.map((d) => ({ ...d })),
          logConfig: rule.logged ? { metadata: "INCLUDE_ALL_METADATA" } : undefined,
        },
        child,
      );
    }

    this.cidr = args.cidr;
    this.podsCidr = args.podsCidr;
    this.servicesCidr = args.servicesCidr;
    this.networkId = network.id;
    this.networkSelfLink = network.selfLink;
    this.subnetworkSelfLink = subnetwork.selfLink;
    this.podsRangeName = PODS_RANGE;
    this.servicesRangeName = SERVICES_RANGE;
    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      subnetworkSelfLink: this.subnetworkSelfLink,
      podsRangeName: this.podsRangeName,
      servicesRangeName: this.servicesRangeName,
      // None of the children can carry labels: the offline plan charges them to the line recorded here.
      costTags: args.tags,
    });
  }
}
