/**
 * A GCP VPC network with one regional subnetwork (plus GKE pod and service ranges), Cloud NAT, default firewall rules
 * and private services access (a peering to Google's service producers, for Cloud SQL's private IPs).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tagging";
import { defaultFirewallRules } from "./gcp-firewall";
import { validateGcpNetworkArgs } from "./validate";

export interface GcpNetworkArgs {
  region: string;
  /** The nodes' primary range. */
  cidr: string;
  podsCidr: string;
  servicesCidr: string;
  /**
   * Only the private services range can carry labels (see UNTAGGABLE); the tags are also registered as the
   * component's `costTags` output, to which the offline plan charges the other children.
   */
  tags: CostTags;
}

/** Secondary range names are scoped to their subnetwork, so fixed names cannot collide. */
const PODS_RANGE = "pods";
const SERVICES_RANGE = "services";
/**
 * The internal range Google's service producers (Cloud SQL) take their private addresses from: a /20 is 4,096
 * addresses, room for many Cloud SQL instances and replicas. GCP picks a free block of the network's address space.
 */
export const PRIVATE_SERVICES_PREFIX_LENGTH = 20;
const SERVICE_NETWORKING = "servicenetworking.googleapis.com";

export class GcpNetwork extends pulumi.ComponentResource {
  readonly cidr: string;
  readonly podsCidr: string;
  readonly servicesCidr: string;
  readonly networkId: pulumi.Output<string>;
  readonly networkSelfLink: pulumi.Output<string>;
  readonly subnetworkSelfLink: pulumi.Output<string>;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  /**
   * The private services access connection: Cloud SQL instances with a private IP on this network depend on it.
   * (The project must have servicenetworking.googleapis.com enabled.)
   */
  readonly privateServices: pulumi.Resource;

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

    // Private services access. Deleting the peering fails while any producer (e.g. a Cloud SQL instance, for days
    // after its deletion) still uses it, so a destroy abandons it instead of failing.
    const servicesRange = new gcp.compute.GlobalAddress(
      `${name}-services-range`,
      {
        network: network.id,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        prefixLength: PRIVATE_SERVICES_PREFIX_LENGTH,
        description: `Private services access range of ${name} (Cloud SQL private IPs)`,
        labels: gcpLabels(args.tags),
      },
      child,
    );
    const privateServices = new gcp.servicenetworking.Connection(
      `${name}-services-peering`,
      { network: network.id, service: SERVICE_NETWORKING, reservedPeeringRanges: [servicesRange.name], deletionPolicy: "ABANDON" },
      child,
    );

    this.cidr = args.cidr;
    this.podsCidr = args.podsCidr;
    this.servicesCidr = args.servicesCidr;
    this.networkId = network.id;
    this.networkSelfLink = network.selfLink;
    this.subnetworkSelfLink = subnetwork.selfLink;
    this.podsRangeName = PODS_RANGE;
    this.servicesRangeName = SERVICES_RANGE;
    this.privateServices = privateServices;
    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      subnetworkSelfLink: this.subnetworkSelfLink,
      podsRangeName: this.podsRangeName,
      servicesRangeName: this.servicesRangeName,
      // Only the services range can carry labels: the offline plan charges the others to the line recorded here.
      costTags: args.tags,
    });
  }
}
