/** Where things live on a node VM, per platform: the chain-data disk, its mount, the in-memory JWT, the node's files. */
import { DATA_ROOT } from "./plan";

export type VmPlatform = "aws" | "gcp";

/** The uid and gid non-root clients run as; it owns their data directories and the JWT. */
export const NODE_UID = 10001;

/** The name the data volume is attached under on AWS; Nitro instances show it as an NVMe device. */
export const AWS_DATA_DEVICE = "/dev/sdf";
/** The data disk's device name on GCP, which the guest sees as /dev/disk/by-id/google-<name>. */
export const GCP_DATA_DEVICE_NAME = "chain-data";

export interface HostLayout {
  /** Where the data disk is mounted on the host; the containers see it at DATA_ROOT. */
  readonly dataMount: string;
  /** On tmpfs, so the JWT never reaches a disk; the containers see it at JWT_DIR. */
  readonly jwtDir: string;
  /** The node's scripts and the health sidecar's source. */
  readonly configDir: string;
}

export const HOST_LAYOUT: Readonly<Record<VmPlatform, HostLayout>> = {
  aws: { dataMount: DATA_ROOT, jwtDir: "/run/ethereum", configDir: "/etc/ethereum" },
  // Container-Optimized OS has a read-only root filesystem; disks are mounted under /mnt/disks.
  gcp: { dataMount: `/mnt/disks${DATA_ROOT}`, jwtDir: "/run/ethereum", configDir: "/etc/ethereum" },
};

/** systemd unit names on the node. */
export const DATA_UNIT = "ethereum-data.service";
export const JWT_UNIT = "ethereum-jwt.service";
export const containerUnit = (container: string): string => `ethereum-${container}.service`;
