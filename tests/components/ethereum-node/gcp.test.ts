/** The Compute Engine builder of the EthereumNode pool, recorded under Pulumi's mocks: a prod and a staging pool side by side. */
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_PORT } from "../../../components/ethereum-node/containers";
import { GcpPlacement, buildGcpNodePool } from "../../../components/ethereum-node/gcp";
import { NodePoolEndpoints } from "../../../components/ethereum-node/plan";
import { JWT_GENERATE_COMMAND } from "../../../components/ethereum-node/vm-scripts";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { cloudName, componentProblems, serviceAccountEmail } from "../../helpers/resources";
import { descendantsOf, named, settled } from "../cluster/fixtures";
import { CapturedOptions, HEX_SECRET, buildPool, optionsOf, poolPlan, tagsFor } from "./vm-fixtures";

const NETWORK = "projects/tocu-estate/global/networks/main";
const SUBNETWORK = "projects/tocu-estate/regions/europe-west3/subnetworks/main";
const INTERNAL = ["10.20.0.0/20", "10.24.0.0/14", "10.28.0.0/20"];
const placement = (overrides: Partial<GcpPlacement> = {}): GcpPlacement => ({
  kind: "gcp",
  project: "tocu-estate",
  region: "europe-west3",
  network: NETWORK,
  subnetwork: SUBNETWORK,
  internalCidrs: INTERNAL,
  machineType: "n2-highmem-8",
  ...overrides,
});

const MAIN = poolPlan({ execution: "geth", consensus: "lighthouse", count: 4, protectData: true, environment: "prod" });
const TEST = poolPlan({ execution: "reth", consensus: "prysm", chain: "sepolia", count: 1, protectData: false });

const FIREWALL = "gcp:compute/firewall:Firewall";
const INSTANCE = "gcp:compute/instance:Instance";
const DISK = "gcp:compute/disk:Disk";

interface Allow {
  protocol: string;
  ports: string[];
}
const portKeys = (allows: unknown) => (allows as Allow[]).flatMap((a) => a.ports.map((p) => `${a.protocol}/${p}`)).sort();

describe("buildGcpNodePool", () => {
  let resources: RecordedResource[];
  let main: NodePoolEndpoints;
  const captured = new Map<pulumi.Resource, CapturedOptions>();
  const below = (pool: string, type?: string) => descendantsOf(resources, pool).filter((r) => !type || r.type === type);

  beforeAll(async () => {
    ({ resources } = await recordResources(() => {
      main = buildPool(buildGcpNodePool, "eth-main", MAIN, placement(), captured);
      buildPool(buildGcpNodePool, "eth-test", TEST, placement({ machineType: "n2-highmem-4" }), captured);
    }));
  });

  it("creates 10 resources per pool plus an instance group per zone used, and 3 per node", () => {
    expect(below("eth-main")).toHaveLength(10 + 3 + 3 * 4);
    expect(below("eth-test")).toHaveLength(10 + 1 + 3 * 1);
  });

  it("spreads the nodes round-robin over the region's zones a, b and c, each with its own disk in its zone", () => {
    const nodes = below("eth-main", INSTANCE).map((r) => r.inputs);
    expect(nodes.map((n) => n.zone)).toEqual(["europe-west3-a", "europe-west3-b", "europe-west3-c", "europe-west3-a"]);
    expect(below("eth-main", DISK).map((d) => d.inputs.zone)).toEqual(nodes.map((n) => n.zone));
    nodes.forEach((n, i) => {
      expect(n.attachedDisks).toEqual([{ source: expect.stringMatching(new RegExp(`/disks/${cloudName(resources, `eth-main-data-${i}`)}$`)), deviceName: "chain-data", mode: "READ_WRITE" }]);
    });
  });

  it("sizes every pd-ssd data disk from the plan and labels it with the cost tags", () => {
    for (const d of below("eth-main", DISK)) {
      expect(d.inputs).toMatchObject({ type: "pd-ssd", size: MAIN.size.diskGiB, labels: { ...tagsFor("prod") }, project: "tocu-estate" });
      expect(d.inputs.diskEncryptionKey).toBeUndefined();
    }
    expect(named(resources, "eth-test-data-0").inputs.size).toBe(TEST.size.diskGiB);
  });

  it("protects and retains prod chain data, and lets it go in staging", () => {
    for (const d of below("eth-main", DISK)) expect(d).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(resources, "eth-test-data-0")).toMatchObject({ protect: false, retainOnDelete: false });
    // The VM itself stays replaceable (client upgrades replace it); the data lives on the protected disk.
    for (const n of [...below("eth-main", INSTANCE), named(resources, "eth-test-node-0")]) expect(n).toMatchObject({ protect: false, inputs: { deletionProtection: false } });
  });

  it("snapshots every data disk daily and keeps seven, labelled; prod keeps a deleted disk's snapshots", () => {
    const policy = named(resources, "eth-main-snapshots").inputs;
    expect(policy).toMatchObject({
      region: "europe-west3",
      snapshotSchedulePolicy: {
        schedule: { dailySchedule: { daysInCycle: 1 } },
        retentionPolicy: { maxRetentionDays: 7, onSourceDiskDelete: "KEEP_AUTO_SNAPSHOTS" },
        snapshotProperties: { labels: { ...tagsFor("prod") } },
      },
    });
    expect((named(resources, "eth-test-snapshots").inputs.snapshotSchedulePolicy as { retentionPolicy: object }).retentionPolicy).toMatchObject({
      onSourceDiskDelete: "APPLY_RETENTION_POLICY",
    });
    for (let i = 0; i < 4; i++) {
      expect(named(resources, `eth-main-data-snapshots-${i}`).inputs).toEqual({ project: "tocu-estate", zone: named(resources, `eth-main-data-${i}`).inputs.zone, disk: cloudName(resources, `eth-main-data-${i}`), name: cloudName(resources, "eth-main-snapshots") });
    }
  });

  it("runs shielded Container-Optimized OS VMs with OS Login only, their own service account and an external address for P2P", () => {
    const sa = named(resources, "eth-main-node-sa").inputs;
    expect(sa.accountId).toMatch(/^eth-main-[0-9a-f]{6}$/);
    const roles = below("eth-main", "gcp:projects/iAMMember:IAMMember").map((b) => b.inputs);
    expect(roles.map((r) => r.role).sort()).toEqual(["roles/logging.logWriter", "roles/monitoring.metricWriter"]);
    for (const r of roles) expect(r.member).toBe(`serviceAccount:${serviceAccountEmail(resources, "eth-main-node-sa")}`);
    for (const n of below("eth-main", INSTANCE)) {
      expect(n.inputs).toMatchObject({
        machineType: "n2-highmem-8",
        bootDisk: { autoDelete: true, initializeParams: { image: "cos-cloud/cos-stable", type: "pd-balanced", labels: { ...tagsFor("prod") } } },
        shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
        metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
        serviceAccount: { email: serviceAccountEmail(resources, "eth-main-node-sa"), scopes: ["cloud-platform"] },
        networkInterfaces: [{ network: NETWORK, subnetwork: SUBNETWORK, accessConfigs: [{ networkTier: "PREMIUM" }] }],
        labels: { ...tagsFor("prod") },
      });
      expect((n.inputs.metadata as Record<string, string>)["ssh-keys"]).toBeUndefined();
    }
  });

  it("boots each VM with the GCP cloud-init: the by-id data disk, the image's Docker, the JWT generated at boot", () => {
    const userData = (named(resources, "eth-main-node-0").inputs.metadata as Record<string, string>)["user-data"];
    expect(userData).toMatch(/^#cloud-config\n/);
    expect(userData).toContain("/dev/disk/by-id/google-chain-data");
    expect(userData).not.toContain("dnf");
    expect(userData).toContain(JWT_GENERATE_COMMAND);
  });

  it("ships the health sidecar's metrics to Managed Service for Prometheus from each VM, as the node's service account", async () => {
    const userData = (named(resources, "eth-main-node-0").inputs.metadata as Record<string, string>)["user-data"];
    expect(userData).toContain("/etc/systemd/system/ethereum-metrics.service");
    expect(userData).toContain("--export.label.project-id=tocu-estate");
    expect(userData).toContain("--export.label.location=europe-west3");
    // Writing time series is what the collector needs; the role is bound before any VM boots.
    expect(optionsOf(captured, "eth-main-node-0").dependsOn).toContain("eth-main-node-sa-monitoring-metricwriter");
    expect(main.monitoring.platform).toBe("gcp-vm");
    expect(main.monitoring.gcp!.project).toBe("tocu-estate");
    const names = await Promise.all(main.monitoring.gcp!.instanceNames.map((n) => settled(pulumi.output(n))));
    expect(names).toHaveLength(4);
    expect(names).toEqual(below("eth-main", INSTANCE).map((i) => cloudName(resources, i.name)));
  });

  it("replaces a VM when its user data changes, old VM first, one node at a time", () => {
    const first = optionsOf(captured, "eth-main-node-0");
    expect(first.opts).toMatchObject({ replaceOnChanges: ["metadata"], deleteBeforeReplace: true });
    expect(first.dependsOn).toEqual(["eth-main-node-sa-logging-logwriter", "eth-main-node-sa-monitoring-metricwriter"]);
    expect(optionsOf(captured, "eth-main-node-3").dependsOn).toContain("eth-main-node-2");
  });

  it("opens P2P to anyone, every other port to the internal ranges only, the health port to Google's probes, SSH and the engine API nowhere", () => {
    for (const [pool, plan] of [["eth-main", MAIN], ["eth-test", TEST]] as const) {
      const rules = below(pool, FIREWALL).map((r) => r.inputs);
      const tag = (named(resources, `${pool}-node-0`).inputs.tags as string[])[0];
      for (const r of rules) expect(r).toMatchObject({ direction: "INGRESS", targetTags: [tag], network: NETWORK });
      const bySource = (source: string[]) => rules.filter((r) => JSON.stringify(r.sourceRanges) === JSON.stringify(source));
      const key = (p: { protocol: string; port: number }) => `${p.protocol.toLowerCase()}/${p.port}`;
      expect(bySource(["0.0.0.0/0"]).flatMap((r) => portKeys(r.allows))).toEqual(plan.ports.public.map(key).sort());
      expect(bySource(INTERNAL).flatMap((r) => portKeys(r.allows))).toEqual(plan.ports.private.map(key).sort());
      expect(bySource(["35.191.0.0/16", "130.211.0.0/22"]).flatMap((r) => portKeys(r.allows))).toEqual([`tcp/${HEALTH_PORT}`]);
      const everything = rules.flatMap((r) => portKeys(r.allows));
      expect(everything).not.toContain("tcp/8551");
      expect(everything).not.toContain("tcp/22");
    }
    expect(named(resources, "eth-main-node-0").inputs.tags).not.toEqual(named(resources, "eth-test-node-0").inputs.tags);
  });

  it("serves RPC and WebSocket through an internal passthrough load balancer checked on GET /ready of the health port", () => {
    const groups = below("eth-main", "gcp:compute/instanceGroup:InstanceGroup").map((g) => g.inputs);
    const members = groups.map((g) => [g.zone, (g.instances as string[]).map((s) => s.split("/").pop())]);
    expect(members.sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ["europe-west3-a", [cloudName(resources, "eth-main-node-0"), cloudName(resources, "eth-main-node-3")]],
      ["europe-west3-b", [cloudName(resources, "eth-main-node-1")]],
      ["europe-west3-c", [cloudName(resources, "eth-main-node-2")]],
    ]);
    expect(named(resources, "eth-main-ready").inputs).toMatchObject({ region: "europe-west3", httpHealthCheck: { port: 8590, requestPath: "/ready" } });
    expect(named(resources, "eth-main-backend").inputs).toMatchObject({
      loadBalancingScheme: "INTERNAL",
      protocol: "TCP",
      healthChecks: "eth-main-ready-id",
      backends: ["a", "b", "c"].map((z) => ({ group: `eth-main-group-${z}-id`, balancingMode: "CONNECTION" })),
    });
    expect(named(resources, "eth-main-lb").inputs).toMatchObject({
      loadBalancingScheme: "INTERNAL",
      backendService: "eth-main-backend-id",
      ipProtocol: "TCP",
      ports: ["8545", "8546"],
      network: NETWORK,
      subnetwork: SUBNETWORK,
      labels: { ...tagsFor("prod") },
    });
  });

  it("lets the load balancer fail open onto the nodes' gates: each node sends RPC packets to its sidecar's gate, never to the client", () => {
    // No failover policy: with every node unhealthy the balancer still sends to all of them, and their gates answer
    // "no synced node" (dropping the traffic instead would leave the consumers with timeouts).
    expect(named(resources, "eth-main-backend").inputs.failoverPolicy).toBeUndefined();
    const userData = (named(resources, "eth-main-node-0").inputs.metadata as Record<string, string>)["user-data"];
    expect(userData).toContain("--env GATES=18545:8545,18546:8546 ");
    expect(userData).toContain("rule nat PREROUTING -p tcp --dport 8545 -j REDIRECT --to-ports 18545");
    expect(userData).toContain("rule nat PREROUTING -p tcp --dport 8546 -j REDIRECT --to-ports 18546");
  });

  it("returns the forwarding rule's RPC and WebSocket URLs", async () => {
    const ip = `10.0.1.${"eth-main-lb".length}`;
    expect(await settled(main.rpcUrl)).toBe(`http://${ip}:8545`);
    expect(await settled(main.wsUrl)).toBe(`ws://${ip}:8546`);
  });

  it("never puts an engine JWT into any input", () => {
    for (const r of resources) expect(JSON.stringify(r.inputs)).not.toMatch(HEX_SECRET);
  });

  it("names, labels and classifies every child so two pools coexist", () => {
    expect(componentProblems(resources, ["eth-main", "eth-test"])).toEqual([]);
  });
});

describe("buildGcpNodePool arguments", () => {
  const parent = () => new pulumi.ComponentResource("estate:test:Parent", "p");
  it.each([
    ["no internal ranges", {}, { internalCidrs: [] }, /placement\.internalCidrs: RPC must be reachable from at least one internal range/],
    ["the internet as an internal range", {}, { internalCidrs: ["0.0.0.0/0"] }, /placement\.internalCidrs\[0\]: "0\.0\.0\.0\/0" is the whole internet/],
    ["a bad CIDR", {}, { internalCidrs: ["10.0.0.1/8"] }, /placement\.internalCidrs\[0\]: "10\.0\.0\.1\/8" is not an IPv4 CIDR block/],
    ["an Arm machine for x86-only images", { size: { ...MAIN.size, arch: "x86_64" as const } }, { machineType: "c4a-highmem-8" }, /placement\.machineType: c4a-highmem-8 is arm64/],
    ["a bad region", {}, { region: "europe" }, /placement\.region: "europe" is not a GCP region/],
    ["no health sidecar", { containers: MAIN.containers.filter((c) => c.name !== "health") }, {}, /plan\.containers: exactly one container must run the health script/],
  ])("rejects %s, naming the argument", (_, planChange, placementChange, message) => {
    expect(() => buildGcpNodePool(parent(), "eth-bad", { ...MAIN, ...planChange }, placement(placementChange))).toThrow(message);
  });
});
