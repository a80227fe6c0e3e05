/** A private, VPC-native GKE Standard cluster with Workload Identity, Dataplane V2, cost allocation and labelled node pools. */
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { CostTags, gcpLabels } from "../tagging";
import { gkeArgProblems } from "./gke-validate";
import { gkeNodePool } from "./gke-node-pool";
import { gkeKubeconfig } from "./kubeconfig";
import { WorkloadNamespace, createNamespaces } from "./namespaces";
import { physicalName } from "./physical-name";
import { throwIfAny } from "./validation";

export interface GkeNodePoolArgs {
  name: string;
  machineType: string;
  spot: boolean;
  /** Nodes across all the pool's zones. */
  minNodes: number;
  maxNodes: number;
  diskGiB: number;
  diskType: "pd-balanced" | "pd-ssd";
}

export interface GkeClusterArgs {
  project: string;
  region: string;
  /** Regional control plane and nodes across the region's zones; zonal clusters live in `${region}-a`. */
  regional: boolean;
  network: pulumi.Input<string>;
  subnetwork: pulumi.Input<string>;
  podsRangeName: string;
  servicesRangeName: string;
  releaseChannel: "RAPID" | "REGULAR" | "STABLE";
  /** The control plane's /28 inside the VPC peering. */
  masterCidr: string;
  /** CIDRs allowed to reach the public endpoint; empty = private endpoint only. */
  masterAuthorizedCidrs: string[];
  nodePools: GkeNodePoolArgs[];
  namespaces: WorkloadNamespace[];
  tags: CostTags;
  deletionProtection: boolean;
}

/** What nodes need and no more: write logs and metrics, read monitoring config, report metadata, pull images. */
const NODE_ROLES = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
  "roles/artifactregistry.reader",
];

export class GkeCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly nodeServiceAccountEmail: pulumi.Output<string>;
  readonly namespaces: Record<string, k8s.core.v1.Namespace>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("GkeCluster", name, gkeArgProblems(args));
    super("estate:cluster:GkeCluster", name, {}, opts);
    const { project } = args;
    const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;
    const location = args.regional ? args.region : `${args.region}-a`;

    const serviceAccount = new gcp.serviceaccount.Account(
      `${name}-nodes`,
      { project, accountId: physicalName(name, scope, 30), displayName: `GKE nodes of ${name}` },
      { parent: this },
    );
    const member = pulumi.interpolate`serviceAccount:${serviceAccount.email}`;
    const bindings = NODE_ROLES.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-nodes-${role.replace(/^roles\//, "").replace(/\./g, "-").toLowerCase()}`,
          { project, role, member },
          { parent: this },
        ),
    );

    const publicEndpoint = args.masterAuthorizedCidrs.length > 0;
    const cluster = new gcp.container.Cluster(
      `${name}-cluster`,
      {
        project,
        location,
        name: physicalName(name, scope, 40),
        network: args.network,
        subnetwork: args.subnetwork,
        // Node pools are managed separately; the default pool only exists while the cluster is created.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: { clusterSecondaryRangeName: args.podsRangeName, servicesSecondaryRangeName: args.servicesRangeName },
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: !publicEndpoint, masterIpv4CidrBlock: args.masterCidr },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: args.masterAuthorizedCidrs.map((cidrBlock) => ({ cidrBlock, displayName: cidrBlock })),
          gcpPublicCidrsAccessEnabled: false,
        },
        workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
        releaseChannel: { channel: args.releaseChannel },
        // Dataplane V2 enforces NetworkPolicy without a separate add-on.
        datapathProvider: "ADVANCED_DATAPATH",
        enableShieldedNodes: true,
        costManagementConfig: { enabled: true },
        // Managed collection of Managed Service for Prometheus: the estate's MetricsCollector configures it with a
        // ClusterPodMonitoring (its CRDs exist only when this is on). System components: GKE's default.
        monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
        addonsConfig: { gcePersistentDiskCsiDriverConfig: { enabled: true } },
        resourceLabels: gcpLabels(args.tags),
        deletionProtection: args.deletionProtection,
      },
      { parent: this },
    );

    for (const pool of args.nodePools) {
      gkeNodePool(pool, {
        componentName: name,
        project,
        location,
        regional: args.regional,
        cluster,
        serviceAccountEmail: serviceAccount.email,
        tags: args.tags,
        dependsOn: bindings,
        parent: this,
      });
    }

    this.clusterName = cluster.name;
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.endpoint, cluster.masterAuth]).apply(([clusterId, endpoint, auth]) =>
        gkeKubeconfig({
          name: `gke_${project}_${location}_${clusterId}`,
          server: `https://${endpoint}`,
          certificateAuthorityData: auth.clusterCaCertificate ?? "",
        }),
      ),
    );
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });
    this.namespaces = createNamespaces(name, args.namespaces, this, this.provider);
    this.nodeServiceAccountEmail = serviceAccount.email;
    this.registerOutputs({
      // Untaggable children (policy attachments, aliases, IAM bindings) are attributed to these in the offline plan.
      costTags: args.tags,
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      nodeServiceAccountEmail: this.nodeServiceAccountEmail,
    });
  }
}
