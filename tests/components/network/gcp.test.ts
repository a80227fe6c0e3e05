import * as gcp from "@pulumi/gcp";
import { GcpNetwork, GcpNetworkArgs, PRIVATE_SERVICES_PREFIX_LENGTH } from "../../../components/network";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { childrenNotNamedFrom, cloudName, costTagProblems, duplicateUrns, ofType, unclassifiedTypes } from "../../helpers/resources";
import { TAGS, below } from "./fixtures";

const ARGS: GcpNetworkArgs = { region: "us-central1", cidr: "10.30.0.0/20", podsCidr: "10.32.0.0/14", servicesCidr: "10.36.0.0/20", tags: TAGS };
const FIREWALL = "gcp:compute/firewall:Firewall";
/** The longest name the component accepts. */
const LONGEST = `net-${"x".repeat(34)}`;

interface Rule {
  protocol: string;
  ports?: string[];
}

async function record(...networks: [string, Partial<GcpNetworkArgs>][]): Promise<{ all: RecordedResource[]; networks: GcpNetwork[] }> {
  const built: GcpNetwork[] = [];
  const { resources } = await recordResources(() => {
    for (const [name, args] of networks) built.push(new GcpNetwork(name, { ...ARGS, ...args }));
  });
  return { all: resources, networks: built };
}

const named = (resources: RecordedResource[], name: string): RecordedResource => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
};

/** Whether a rule's `allows` lets tcp/22 in. */
const allowsSsh = (allows: Rule[] = []): boolean =>
  allows.some((a) => (a.protocol === "all" || a.protocol === "tcp") && (a.ports === undefined || a.ports.some((p) => p === "22" || (p.includes("-") && Number(p.split("-")[0]) <= 22 && Number(p.split("-")[1]) >= 22))));

describe("GcpNetwork", () => {
  let all: RecordedResource[];
  let resources: RecordedResource[];
  let network: GcpNetwork;
  beforeAll(async () => {
    const recorded = await record(["edge", {}], [LONGEST, { cidr: "10.40.0.0/20" }]);
    all = recorded.all;
    resources = below(all, "edge");
    network = recorded.networks[0];
  });

  it("creates a custom-mode regional network and one subnetwork with pod and service ranges", () => {
    expect(named(resources, "edge-network").inputs).toMatchObject({ autoCreateSubnetworks: false, routingMode: "REGIONAL" });
    expect(named(resources, "edge-network").inputs.name).toBeUndefined();
    const subnets = ofType(resources, "gcp:compute/subnetwork:Subnetwork");
    expect(subnets).toHaveLength(1);
    expect(subnets[0].inputs).toMatchObject({
      network: "edge-network-id",
      region: "us-central1",
      ipCidrRange: "10.30.0.0/20",
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: "pods", ipCidrRange: "10.32.0.0/14" },
        { rangeName: "services", ipCidrRange: "10.36.0.0/20" },
      ],
    });
    expect(subnets[0].inputs.logConfig).toMatchObject({ metadata: "INCLUDE_ALL_METADATA" });
    expect(network.podsRangeName).toBe("pods");
    expect(network.servicesRangeName).toBe("services");
    expect([network.cidr, network.podsCidr, network.servicesCidr]).toEqual([ARGS.cidr, ARGS.podsCidr, ARGS.servicesCidr]);
  });

  it("gives private nodes egress through Cloud NAT with automatic IPs, logging errors only", () => {
    expect(named(resources, "edge-router").inputs).toMatchObject({ network: "edge-network-id", region: "us-central1" });
    expect(ofType(resources, "gcp:compute/routerNat:RouterNat").map((n) => n.inputs)).toEqual([
      expect.objectContaining({
        router: cloudName(resources, "edge-router"),
        region: "us-central1",
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      }),
    ]);
  });

  it("allows internal traffic, Google health checks and IAP SSH, then denies and logs the rest", () => {
    const rules = new Map(ofType(resources, FIREWALL).map((f) => [f.name, f.inputs]));
    expect([...rules.keys()].sort()).toEqual(["edge-allow-iap-ssh", "edge-allow-internal", "edge-allow-lb-checks", "edge-deny-all-ingress"]);
    for (const rule of rules.values()) expect(rule).toMatchObject({ network: "edge-network-id", direction: "INGRESS" });
    expect(rules.get("edge-allow-internal")).toMatchObject({ sourceRanges: [ARGS.cidr, ARGS.podsCidr, ARGS.servicesCidr], allows: [{ protocol: "all" }] });
    expect(rules.get("edge-allow-lb-checks")).toMatchObject({ sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"], allows: [{ protocol: "tcp" }] });
    expect(rules.get("edge-allow-iap-ssh")).toMatchObject({ sourceRanges: ["35.235.240.0/20"], allows: [{ protocol: "tcp", ports: ["22"] }] });
    const deny = rules.get("edge-deny-all-ingress")!;
    expect(deny).toMatchObject({ priority: 65535, sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "all" }], logConfig: { metadata: "INCLUDE_ALL_METADATA" } });
    expect(deny.allows).toBeUndefined();
    const allowPriorities = [...rules.values()].filter((r) => r.allows).map((r) => r.priority as number);
    expect(Math.max(...allowPriorities)).toBeLessThan(65535);
  });

  it("lets no SSH in from the internet", () => {
    const open = ofType(resources, FIREWALL).filter(
      (f) => (f.inputs.sourceRanges as string[]).includes("0.0.0.0/0") && allowsSsh(f.inputs.allows as Rule[] | undefined),
    );
    expect(open.map((f) => f.name)).toEqual([]);
    // Port 22 is reachable only from inside the network, through IAP, and by Google's health-check probers.
    const sshSources = ofType(resources, FIREWALL)
      .filter((f) => allowsSsh(f.inputs.allows as Rule[] | undefined))
      .flatMap((f) => f.inputs.sourceRanges as string[]);
    expect(sshSources.sort()).toEqual([ARGS.cidr, ARGS.podsCidr, ARGS.servicesCidr, "35.235.240.0/20", "35.191.0.0/16", "130.211.0.0/22"].sort());
  });

  it("reserves a /20 for private services access and peers it with Google's service producers, for Cloud SQL's private IPs", () => {
    const range = named(resources, "edge-services-range");
    expect(range.type).toBe("gcp:compute/globalAddress:GlobalAddress");
    expect(range.inputs).toMatchObject({ network: "edge-network-id", purpose: "VPC_PEERING", addressType: "INTERNAL", prefixLength: PRIVATE_SERVICES_PREFIX_LENGTH, labels: TAGS });
    expect(PRIVATE_SERVICES_PREFIX_LENGTH).toBe(20);
    // GCP picks a free block of the network's space, away from the node, pod and service ranges.
    expect(range.inputs.address).toBeUndefined();
    const peering = named(resources, "edge-services-peering");
    expect(peering.type).toBe("gcp:servicenetworking/connection:Connection");
    expect(peering.inputs).toEqual({ network: "edge-network-id", service: "servicenetworking.googleapis.com", reservedPeeringRanges: [cloudName(resources, "edge-services-range")], deletionPolicy: "ABANDON" });
    expect(peering.dependencies).toContain(range.urn);
    expect(network.privateServices).toBeDefined();
  });

  it("lets a Cloud SQL instance wait for the peering through privateServices", async () => {
    const { resources: withDatabase } = await recordResources(() => {
      const net = new GcpNetwork("core", ARGS);
      new gcp.sql.DatabaseInstance("core-db", { region: "us-central1", databaseVersion: "POSTGRES_16", settings: { tier: "db-custom-2-8192" } }, { dependsOn: [net.privateServices] });
    });
    expect(named(withDatabase, "core-db").dependencies).toContain(named(withDatabase, "core-services-peering").urn);
  });

  it("classifies every type, tags what can be tagged, and has 10 children", () => {
    expect(costTagProblems(all)).toEqual([]);
    expect(unclassifiedTypes(all)).toEqual([]);
    expect(resources).toHaveLength(10);
  });

  it("records its cost tags as an output, since none of its children can carry labels", () => {
    const component = all.find((r) => r.name === "edge" && !r.custom)!;
    expect(component.outputs.costTags).toEqual(TAGS);
  });

  it("names every child from the component and leaves physical names to the provider, so two instances coexist", () => {
    expect(duplicateUrns(all)).toEqual([]);
    expect(childrenNotNamedFrom(all, "edge")).toEqual([]);
    expect(childrenNotNamedFrom(all, LONGEST)).toEqual([]);
    expect(all.filter((r) => r.custom && r.inputs.name !== undefined).map((r) => r.name)).toEqual([]);
  });

  it("keeps every physical name within GCP's 63 characters at the longest accepted component name", () => {
    const autoNameSuffix = 8;
    const longest = Math.max(...below(all, LONGEST).map((r) => r.name.length + autoNameSuffix));
    expect(longest).toBe(63);
  });

  it("rejects bad arguments up front with an error naming each of them", () => {
    const build = (args: Partial<GcpNetworkArgs>, name = "edge") => () => new GcpNetwork(name, { ...ARGS, ...args });
    expect(build({ region: "" })).toThrow(/GcpNetwork "edge".*region must be a GCP region/);
    expect(build({ cidr: "10.30.0.0/30" })).toThrow(/cidr must be .*\/8 to \/29, got "10\.30\.0\.0\/30"/);
    expect(build({ podsCidr: "nope" })).toThrow(/podsCidr must be/);
    expect(build({ servicesCidr: "10.30.0.0/24" })).toThrow(/cidr and servicesCidr must not overlap/);
    expect(build({ podsCidr: "10.36.0.0/16" })).toThrow(/podsCidr and servicesCidr must not overlap/);
    expect(build({ tags: { ...TAGS, environment: "" } })).toThrow(/tags are not valid cost tags: tag "environment"/);
    expect(build({}, "a-network-name-that-is-far-too-long-for-gcp")).toThrow(/name must be .* at most 38 characters/);
  });
});
