/** Disks are encrypted at rest: EBS volumes, launch-template and instance block devices, EBS CSI storage classes. */
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { asArray, asObject, at, isTrue } from "../lib/props";

interface Disk {
  readonly field: string;
  readonly encrypted: unknown;
}

const DISKS: Readonly<Record<string, (props: unknown) => Disk[]>> = {
  "aws:ebs/volume:Volume": (props) => [{ field: "encrypted", encrypted: at(props, "encrypted") }],
  "aws:ec2/launchTemplate:LaunchTemplate": (props) =>
    asArray(at(props, "blockDeviceMappings")).flatMap((m, i) => (asObject(at(m, "ebs")) ? [{ field: `blockDeviceMappings[${i}].ebs.encrypted`, encrypted: at(m, "ebs.encrypted") }] : [])),
  "aws:ec2/instance:Instance": (props) => [
    // Launched from a template and stating no root device of its own, it boots the template's, checked as that type.
    ...(asObject(at(props, "launchTemplate")) && at(props, "rootBlockDevice") === undefined
      ? []
      : [{ field: "rootBlockDevice.encrypted", encrypted: at(props, "rootBlockDevice.encrypted") }]),
    ...asArray(at(props, "ebsBlockDevices")).map((d, i) => ({ field: `ebsBlockDevices[${i}].encrypted`, encrypted: at(d, "encrypted") })),
  ],
  "kubernetes:storage.k8s.io/v1:StorageClass": (props) =>
    at(props, "provisioner") === "ebs.csi.aws.com" ? [{ field: "parameters.encrypted", encrypted: at(props, "parameters.encrypted") }] : [],
};

export const encryptedDisks = resourcePolicy({
  name: "encrypted-disks",
  description: "EBS volumes, launch-template and instance block devices, and EBS CSI storage classes are encrypted at rest.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set encrypted: true on the volume or block device (parameters.encrypted: \"true\" on an EBS CSI StorageClass).",
  validateResource: (args, reportViolation) => {
    const disks = DISKS[args.type];
    if (!disks) return args.notApplicable("the type creates no disk that can be left unencrypted (GCP disks always are encrypted)");
    for (const disk of disks(args.props)) {
      if (!isTrue(disk.encrypted)) {
        reportViolation(`${subject(args)} ${disk.field}: ${JSON.stringify(disk.encrypted ?? null)}, so the disk is not encrypted at rest. Fix: set it to true`);
      }
    }
  },
});
