import { encryptedDisks } from "../../../policies/rules/encrypted-disks";
import { TAGS, resource, run } from "../helpers";

describe("encrypted-disks", () => {
  it("passes encrypted volumes, block devices (true or \"true\") and EBS CSI storage classes", async () => {
    const resources = [
      resource("aws:ebs/volume:Volume", { size: 100, encrypted: true, tags: TAGS }),
      resource("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50 } }, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }] }),
      resource("aws:ec2/instance:Instance", { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] }),
      // Its root volume is the launch template's, checked there.
      resource("aws:ec2/instance:Instance", { launchTemplate: { id: "lt-123", version: "1" } }),
      resource("kubernetes:storage.k8s.io/v1:StorageClass", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } }),
      resource("kubernetes:storage.k8s.io/v1:StorageClass", { provisioner: "pd.csi.storage.gke.io", parameters: { type: "pd-balanced" } }),
    ];
    expect((await run(encryptedDisks, resources)).messages).toEqual([]);
  });

  it("names each unencrypted disk", async () => {
    const { messages, levels } = await run(encryptedDisks, [
      resource("aws:ebs/volume:Volume", { size: 100, encrypted: false }, "node-0-data"),
      resource("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: [{ ebs: { encrypted: "false" } }] }, "nodes-lt"),
      resource("aws:ec2/instance:Instance", { ebsBlockDevices: [{ encrypted: true }, { encrypted: false }] }, "node-0"),
    ]);
    expect(levels).toEqual(["mandatory", "mandatory", "mandatory", "mandatory"]);
    expect(messages).toEqual([
      'aws:ebs/volume:Volume "node-0-data" encrypted: false, so the disk is not encrypted at rest. Fix: set it to true',
      'aws:ec2/launchTemplate:LaunchTemplate "nodes-lt" blockDeviceMappings[0].ebs.encrypted: "false", so the disk is not encrypted at rest. Fix: set it to true',
      'aws:ec2/instance:Instance "node-0" rootBlockDevice.encrypted: null, so the disk is not encrypted at rest. Fix: set it to true',
      'aws:ec2/instance:Instance "node-0" ebsBlockDevices[1].encrypted: false, so the disk is not encrypted at rest. Fix: set it to true',
    ]);
  });

  it("treats a missing setting as unencrypted and survives malformed block devices", async () => {
    expect((await run(encryptedDisks, resource("aws:ebs/volume:Volume", { size: 10 }))).messages).toHaveLength(1);
    expect((await run(encryptedDisks, resource("kubernetes:storage.k8s.io/v1:StorageClass", { provisioner: "ebs.csi.aws.com" }))).messages[0]).toContain("parameters.encrypted: null");
    expect((await run(encryptedDisks, resource("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: "none" }))).messages).toEqual([]);
  });

  it("does not apply to GCP disks, which are always encrypted", async () => {
    expect((await run(encryptedDisks, resource("gcp:compute/disk:Disk", { size: 100 }))).notApplicable).toEqual([
      "the type creates no disk that can be left unencrypted (GCP disks always are encrypted)",
    ]);
  });
});
