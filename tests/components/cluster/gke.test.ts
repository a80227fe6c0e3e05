import * as pulumi from "@pulumi/pulumi";
import { GkeCluster } from "../../../components/cluster";
import { RecordedResource, SECRET_PLACEHOLDER, recordResources } from "../../../tools/plan/record";
import { componentProblems, ofType, serviceAccountEmail } from "../../helpers/resources";
import { NAMESPACES, TAGS, descendantsOf, gkeArgs, named, settled } from "./fixtures";

describe("GkeCluster", () => {
  let resources: RecordedResource[];
  let main: GkeCluster;

  beforeAll(async () => {
    ({ resources } = await recordResources(() => {
      main = new GkeCluster("k8s-main", gkeArgs());
      new GkeCluster(
        "k8s-lab",
        gkeArgs({ regional: false, masterAuthorizedCidrs: [], deletionProtection: false, nodePools: [gkeArgs().nodePools[1]], namespaces: [] }),
      );
    }));
  });

  it("creates 8 resources plus 1 per node pool and 1 per namespace", () => {
    expect(descendantsOf(resources, "k8s-main")).toHaveLength(8 + 2 + 2);
    expect(descendantsOf(resources, "k8s-lab")).toHaveLength(8 + 1 + 0);
  });

  it("runs nodes as a service account of their own, unique per instance, with least-privilege roles", () => {
    const accountIds = ["k8s-main", "k8s-lab"].map((n) => named(resources, `${n}-nodes`).inputs.accountId as string);
    for (const id of accountIds) expect(id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(new Set(accountIds).size).toBe(2);
    const bindings = ofType(resources, "gcp:projects/iAMMember:IAMMember").filter((r) => r.name.startsWith("k8s-main-"));
    expect(bindings.map((b) => b.inputs.role).sort()).toEqual([
      "roles/artifactregistry.reader",
      "roles/logging.logWriter",
      "roles/monitoring.metricWriter",
      "roles/monitoring.viewer",
      "roles/stackdriver.resourceMetadata.writer",
    ]);
    for (const b of bindings) {
      expect(b.inputs).toMatchObject({ project: "tocu-estate-staging", member: `serviceAccount:${serviceAccountEmail(resources, "k8s-main-nodes")}` });
    }
  });

  it("makes a private, VPC-native cluster with Workload Identity, Dataplane V2, cost allocation and cost labels", () => {
    const cluster = named(resources, "k8s-main-cluster").inputs;
    expect(cluster).toMatchObject({
      project: "tocu-estate-staging",
      location: "us-central1",
      network: "projects/tocu-estate-staging/global/networks/main",
      subnetwork: "projects/tocu-estate-staging/regions/us-central1/subnetworks/main",
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: "172.16.0.0/28" },
      masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "203.0.113.0/24" }], gcpPublicCidrsAccessEnabled: false },
      workloadIdentityConfig: { workloadPool: "tocu-estate-staging.svc.id.goog" },
      releaseChannel: { channel: "REGULAR" },
      datapathProvider: "ADVANCED_DATAPATH",
      enableShieldedNodes: true,
      costManagementConfig: { enabled: true },
      monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
      deletionProtection: true,
    });
    expect(cluster.resourceLabels).toEqual({ ...TAGS });
    expect(cluster.name).toMatch(/^k8s-main-[0-9a-f]{6}$/);
  });

  it("puts a zonal cluster in the region's first zone and keeps the endpoint private without authorized CIDRs", () => {
    const lab = named(resources, "k8s-lab-cluster").inputs;
    expect(lab).toMatchObject({ location: "us-central1-a", deletionProtection: false, privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true } });
    expect(named(resources, "k8s-lab-batch-node-pool").inputs).toMatchObject({ location: "us-central1-a", initialNodeCount: 1 });
  });

  it("labels each node pool's VMs and disks and hardens its nodes", () => {
    const general = named(resources, "k8s-main-general-node-pool").inputs;
    expect(general).toMatchObject({
      project: "tocu-estate-staging",
      location: "us-central1",
      cluster: named(resources, "k8s-main-cluster").inputs.name,
      name: "general",
      initialNodeCount: 1,
      autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 9, locationPolicy: "BALANCED" },
      management: { autoRepair: true, autoUpgrade: true },
    });
    expect(general.nodeConfig).toEqual({
      machineType: "n2-standard-8",
      diskSizeGb: 100,
      diskType: "pd-balanced",
      spot: false,
      serviceAccount: serviceAccountEmail(resources, "k8s-main-nodes"),
      oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
      resourceLabels: { ...TAGS },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      metadata: { "disable-legacy-endpoints": "true" },
    });
    const batch = named(resources, "k8s-main-batch-node-pool").inputs;
    expect(batch).toMatchObject({ autoscaling: { totalMinNodeCount: 0, totalMaxNodeCount: 4, locationPolicy: "ANY" }, nodeConfig: { spot: true, diskType: "pd-ssd", diskSizeGb: 50 } });
  });

  it("keeps the kubeconfig secret and authenticates with gke-gcloud-auth-plugin", async () => {
    expect(named(resources, "k8s-main-k8s").inputs.kubeconfig).toBe(SECRET_PLACEHOLDER);
    expect(await pulumi.isSecret(main.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await settled(main.kubeconfig));
    const clusterName = named(resources, "k8s-main-cluster").inputs.name;
    expect(kubeconfig["current-context"]).toBe(`gke_tocu-estate-staging_us-central1_${clusterName}`);
    expect(kubeconfig.clusters[0].cluster).toEqual({ server: "https://10.0.0.16", "certificate-authority-data": "bW9jay1jYQ==" });
    expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "gke-gcloud-auth-plugin", provideClusterInfo: true });
  });

  it("creates the workload namespaces on its own cluster, labelled with their cost tags", () => {
    const providerRef = `${named(resources, "k8s-main-k8s").urn}::k8s-main-k8s-id`;
    for (const ns of NAMESPACES) {
      const recorded = named(resources, `k8s-main-ns-${ns.name}`);
      expect(recorded.provider).toBe(providerRef);
      expect(recorded.inputs.metadata).toEqual({ name: ns.name, labels: { ...ns.tags, "pod-security.kubernetes.io/enforce": "baseline" } });
    }
  });

  it("registers its cost tags, to which the offline plan attributes its untaggable children", () => {
    expect(named(resources, "k8s-main").outputs.costTags).toEqual({ ...TAGS });
  });

  it("names, tags and classifies every child so two instances coexist", () => {
    expect(componentProblems(resources, ["k8s-main", "k8s-lab"])).toEqual([]);
  });
});

describe("GkeCluster arguments", () => {
  const pool = gkeArgs().nodePools[0];
  it.each([
    ["no node pools", { nodePools: [] }, /nodePools: at least one node pool/],
    ["minNodes > maxNodes", { nodePools: [{ ...pool, minNodes: 5, maxNodes: 2 }] }, /nodePools\[0\]: minNodes 5 > maxNodes 2/],
    ["a tiny disk", { nodePools: [{ ...pool, diskGiB: 5 }] }, /nodePools\[0\]\.diskGiB: 5 must be an integer from 10/],
    ["an unknown disk type", { nodePools: [{ ...pool, diskType: "pd-standard" }] }, /nodePools\[0\]\.diskType: "pd-standard"/],
    ["a bad machine type", { nodePools: [{ ...pool, machineType: "large" }] }, /nodePools\[0\]\.machineType: "large"/],
    ["duplicate pools", { nodePools: [pool, pool] }, /nodePools: "general" appears more than once/],
    ["a master block other than /28", { masterCidr: "172.16.0.0/24" }, /masterCidr: "172.16.0.0\/24" must be a \/28/],
    ["a bad authorized CIDR", { masterAuthorizedCidrs: ["everyone"] }, /masterAuthorizedCidrs\[0\]: "everyone"/],
    ["a bad project", { project: "My Project" }, /project: "My Project"/],
    ["a zone for a region", { region: "us-central1-a" }, /region: "us-central1-a"/],
    ["the same range twice", { servicesRangeName: "pods" }, /servicesRangeName: must differ/],
    ["an unknown release channel", { releaseChannel: "NIGHTLY" }, /releaseChannel: "NIGHTLY"/],
    ["duplicate namespaces", { namespaces: [NAMESPACES[0], NAMESPACES[0]] }, /namespaces: "ethereum" appears more than once/],
  ])("rejects %s, naming the argument", (_, overrides, message) => {
    expect(() => new GkeCluster("k8s-bad", gkeArgs(overrides as never))).toThrow(message);
  });
});
