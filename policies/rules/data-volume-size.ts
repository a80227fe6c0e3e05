/** Data volumes above a size are for the workloads that need them (archive Ethereum nodes, the indexer). */
import { configNumber, configStrings } from "../lib/config-values";
import { resourcePolicy } from "../lib/define";
import { listed, subject } from "../lib/messages";
import { asArray, asNumber, at } from "../lib/props";
import { quantityGiB } from "../lib/quantity";
import { ownTag } from "../lib/resource-tags";

interface Volume {
  readonly field: string;
  readonly gib: number | undefined;
}

const gib = (path: string) => (props: unknown): Volume[] => [{ field: path, gib: asNumber(at(props, path)) }];
const each = (path: string, size: string, read: (v: unknown) => number | undefined = asNumber) => (props: unknown): Volume[] =>
  asArray(at(props, path)).map((entry, i) => ({ field: `${path}[${i}].${size}`, gib: read(at(entry, size)) }));
const all = (...readers: ((props: unknown) => Volume[])[]) => (props: unknown): Volume[] => readers.flatMap((read) => read(props));

/** Where each type states the size of the disks it creates, in GiB. */
const VOLUMES: Readonly<Record<string, (props: unknown) => Volume[]>> = {
  "aws:ebs/volume:Volume": gib("size"),
  "aws:ec2/instance:Instance": all(gib("rootBlockDevice.volumeSize"), each("ebsBlockDevices", "volumeSize")),
  "aws:ec2/launchTemplate:LaunchTemplate": each("blockDeviceMappings", "ebs.volumeSize"),
  "gcp:compute/disk:Disk": gib("size"),
  "gcp:compute/instance:Instance": gib("bootDisk.initializeParams.size"),
  "gcp:container/nodePool:NodePool": gib("nodeConfig.diskSizeGb"),
  "kubernetes:core/v1:PersistentVolumeClaim": (props) => [{ field: "spec.resources.requests.storage", gib: quantityGiB(at(props, "spec.resources.requests.storage")) }],
  "kubernetes:apps/v1:StatefulSet": each("spec.volumeClaimTemplates", "spec.resources.requests.storage", quantityGiB),
};

const DEFAULTS = { maxGiB: 1000, largeVolumeWorkloads: ["ethereum-node", "indexer"] };

export const dataVolumeSize = resourcePolicy({
  name: "data-volume-size",
  description: `Volumes above a size (default ${DEFAULTS.maxGiB} GiB) belong to the workloads that need them: ${DEFAULTS.largeVolumeWorkloads.join(", ")}.`,
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Shrink the volume, or exempt the resource with a reason in policies/config.<stack>.json.",
  config: {
    maxGiB: { type: "number", minimum: 1, description: "The largest volume any workload may create.", default: DEFAULTS.maxGiB },
    largeVolumeWorkloads: { type: "array", items: { type: "string" }, description: "Workloads that may create larger volumes.", default: DEFAULTS.largeVolumeWorkloads },
  },
  validateResource: (args, reportViolation) => {
    const volumes = VOLUMES[args.type];
    if (!volumes) return args.notApplicable("the type creates no data volume");
    const config = args.getConfig<Record<string, unknown>>();
    const workloads = configStrings(config, "largeVolumeWorkloads", DEFAULTS.largeVolumeWorkloads);
    const workload = ownTag(args.type, args.props, "workload");
    if (workload !== undefined && workloads.includes(workload)) return args.notApplicable(`workload ${workload} may create large volumes`);
    const maxGiB = configNumber(config, "maxGiB", DEFAULTS.maxGiB);
    for (const volume of volumes(args.props)) {
      if (volume.gib === undefined || volume.gib <= maxGiB) continue;
      reportViolation(
        `${subject(args)} ${volume.field}: ${Math.round(volume.gib)} GiB is above ${maxGiB} GiB, which only workloads ${listed(workloads)} may exceed (this one is ${workload ? `workload ${workload}` : "untagged"}). Fix: shrink it, or exempt it with a reason in policies/config.<stack>.json`,
      );
    }
  },
});
