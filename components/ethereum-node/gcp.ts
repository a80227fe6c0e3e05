/**
 * A node pool on Compute Engine: per node a shielded Container-Optimized OS VM and its own pd-ssd chain-data disk
 * with daily snapshots; per pool a service account, firewall rules for the nodes' tag and an internal passthrough
 * load balancer that serves RPC from synced nodes only. The chain lives on the disk, which a replacement VM mounts again.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../cluster/physical-name";
import { throwIfAny } from "../cluster/validation";
import { gcpLabels } from "../tagging";
import { renderCloudInit } from "./cloud-init";
import { cosImage, gcpMachineArchitecture } from "./gcp-machine";
import { nodeFirewall } from "./gcp-node-firewall";
import { gcpRpcPool } from "./gcp-rpc-lb";
import { snapshotSchedule } from "./gcp-snapshots";
import { gcpPlacementProblems } from "./gcp-validate";
import { NodePoolEndpoints, NodePoolPlan } from "./plan";
import { GCP_DATA_DEVICE_NAME } from "./vm-layout";
import { servedPorts } from "./vm-ports";
import { vmPlanProblems } from "./vm-validate";

export interface GcpPlacement {
  kind: "gcp";
  project: string;
  region: string;
  /** Self link. */
  network: pulumi.Input<string>;
  /** Self link. */
  subnetwork: pulumi.Input<string>;
  /** Ranges allowed to reach RPC/beacon/metrics/health: the network's node, pod and service ranges. */
  internalCidrs: string[];
  machineType: string;
}

const ZONE_SUFFIXES = ["a", "b", "c"];
const BOOT_DISK_GIB = 20;
/** Writes logs and metrics (the Prometheus collector on each node writes the pool's series), nothing else. */
const NODE_ROLES = ["roles/logging.logWriter", "roles/monitoring.metricWriter"];

export function buildGcpNodePool(parent: pulumi.ComponentResource, name: string, plan: NodePoolPlan, placement: GcpPlacement): NodePoolEndpoints {
  throwIfAny("EthereumNode", name, [...vmPlanProblems(plan), ...gcpPlacementProblems(plan, placement)]);
  const { project, region } = placement;
  const labels = gcpLabels(plan.tags);
  const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;
  const nodeTag = physicalName(name, scope, 63);

  const serviceAccount = new gcp.serviceaccount.Account(
    `${name}-node-sa`,
    { project, accountId: physicalName(name, scope, 30), displayName: `Ethereum nodes of ${name}` },
    { parent },
  );
  const bindings = NODE_ROLES.map(
    (role) =>
      new gcp.projects.IAMMember(
        `${name}-node-sa-${role.replace(/^roles\//, "").replace(/\./g, "-").toLowerCase()}`,
        { project, role, member: pulumi.interpolate`serviceAccount:${serviceAccount.email}` },
        { parent },
      ),
  );
  nodeFirewall({ name, project, network: placement.network, nodeTag, plan, internalCidrs: placement.internalCidrs, parent });
  const schedule = snapshotSchedule({ name, project, region, tags: plan.tags, protectData: plan.protectData, parent });
  const userData = renderCloudInit("gcp", plan, { kind: "managed-prometheus", project, location: region });
  const image = cosImage(gcpMachineArchitecture(placement.machineType));

  const zones = new Map<string, gcp.compute.Instance[]>();
  const instanceNames: pulumi.Output<string>[] = [];
  let previous: gcp.compute.Instance | undefined;
  for (let i = 0; i < plan.count; i++) {
    const zone = `${region}-${ZONE_SUFFIXES[i % ZONE_SUFFIXES.length]}`;
    const disk = new gcp.compute.Disk(
      `${name}-data-${i}`,
      { project, zone, type: "pd-ssd", size: plan.size.diskGiB, description: `Chain data of ${name} node ${i}`, labels },
      { parent, ...(plan.protectData ? { protect: true, retainOnDelete: true } : {}) },
    );
    new gcp.compute.DiskResourcePolicyAttachment(`${name}-data-snapshots-${i}`, { project, zone, disk: disk.name, name: schedule.name }, { parent });
    const instance = new gcp.compute.Instance(
      `${name}-node-${i}`,
      {
        project,
        zone,
        machineType: placement.machineType,
        description: `Ethereum ${plan.chain} ${plan.mode} node ${i} of ${name}`,
        bootDisk: { autoDelete: true, initializeParams: { image, size: BOOT_DISK_GIB, type: "pd-balanced", labels } },
        attachedDisks: [{ source: disk.selfLink, deviceName: GCP_DATA_DEVICE_NAME, mode: "READ_WRITE" }],
        // An ephemeral external address, for inbound P2P.
        networkInterfaces: [{ network: placement.network, subnetwork: placement.subnetwork, accessConfigs: [{ networkTier: "PREMIUM" }] }],
        serviceAccount: { email: serviceAccount.email, scopes: ["cloud-platform"] },
        shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
        metadata: {
          "enable-oslogin": "TRUE",
          "block-project-ssh-keys": "TRUE",
          "google-logging-enabled": "true",
          "google-monitoring-enabled": "true",
          "user-data": userData,
        },
        tags: [nodeTag],
        labels,
        // The chain data is protected on its own disk; the VM stays replaceable so client upgrades go through.
        deletionProtection: false,
        allowStoppingForUpdate: true,
        scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE" },
      },
      {
        parent,
        // New user data takes effect by replacing the VM (Container-Optimized OS applies it at boot). The data disk
        // attaches read-write to one VM only, so the old VM goes first, and the nodes go one at a time.
        replaceOnChanges: ["metadata"],
        deleteBeforeReplace: true,
        dependsOn: [...bindings, ...(previous ? [previous] : [])],
      },
    );
    zones.set(zone, [...(zones.get(zone) ?? []), instance]);
    instanceNames.push(instance.name);
    previous = instance;
  }

  const served = servedPorts(plan);
  const lb = gcpRpcPool({ name, project, region, network: placement.network, subnetwork: placement.subnetwork, zones, served, tags: plan.tags, parent });
  const [rpc, ws] = served;
  return {
    rpcUrl: pulumi.interpolate`${rpc.scheme}://${lb.ipAddress}:${rpc.port}`,
    wsUrl: pulumi.interpolate`${ws.scheme}://${lb.ipAddress}:${ws.port}`,
    monitoring: { platform: "gcp-vm", gcp: { project, instanceNames } },
  };
}
