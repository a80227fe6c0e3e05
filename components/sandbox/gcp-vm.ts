/**
 * A sandbox's Compute Engine VM: no external address, OS Login (no project SSH keys), Shielded VM, encrypted disk
 * (Compute Engine encrypts every disk), and an instance schedule policy that stops it outside working hours.
 * The Compute Engine service agent needs compute.instances.start/stop for the schedule: see GcpScheduleAgent.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tagging";
import { WORKING_HOURS, gcpCron } from "./schedule";

export interface GcpSandboxVmArgs {
  project: string;
  region: string;
  network: pulumi.Input<string>;
  subnetwork: pulumi.Input<string>;
  machineType: string;
  diskGiB: number;
  tags: CostTags;
}

export interface GcpSandboxVm {
  readonly instance: gcp.compute.Instance;
  readonly schedule: gcp.compute.ResourcePolicy;
}

const IMAGE = "debian-cloud/debian-12";

export function gcpSandboxVm(name: string, args: GcpSandboxVmArgs, parent: pulumi.Resource): GcpSandboxVm {
  const labels = gcpLabels(args.tags);
  const schedule = new gcp.compute.ResourcePolicy(
    `${name}-schedule`,
    {
      project: args.project,
      region: args.region,
      description: `Runs sandbox VM ${name} on weekdays only`,
      instanceSchedulePolicy: {
        timeZone: WORKING_HOURS.timeZone,
        vmStartSchedule: { schedule: gcpCron(WORKING_HOURS.startHour) },
        vmStopSchedule: { schedule: gcpCron(WORKING_HOURS.stopHour) },
      },
    },
    { parent },
  );
  const instance = new gcp.compute.Instance(
    `${name}-vm`,
    {
      project: args.project,
      zone: `${args.region}-a`,
      machineType: args.machineType,
      description: `Sandbox VM ${name}`,
      bootDisk: { autoDelete: true, initializeParams: { image: IMAGE, size: args.diskGiB, type: "pd-balanced", labels } },
      // No accessConfigs: no external address; egress through the network's Cloud NAT.
      networkInterfaces: [{ network: args.network, subnetwork: args.subnetwork }],
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
      resourcePolicies: schedule.selfLink,
      labels,
      allowStoppingForUpdate: true,
    },
    { parent },
  );
  return { instance, schedule };
}
