/** Right-sizing a node from the catalog: the pair's resources, the disk that holds both, the machine that fits. */
import { Chain, ClientSpec, Resources, SyncMode } from "./clients";
import { AWS_MACHINE_TYPES, GCP_MACHINE_TYPES, MachineType, smallestFitting } from "./machine-types";

/** The pair's resources on one machine. */
export interface NodeSize extends Resources {
  /** arm64 when both images are published for it (Graviton on AWS). */
  readonly arch: MachineType["arch"];
}

export interface SizeOverrides {
  readonly diskGiB?: number;
  readonly iops?: number;
  readonly throughputMBps?: number;
  readonly vcpu?: number;
  readonly memoryGiB?: number;
}

/** gp3 and pd-ssd provisioning limits the estate stays within. */
export const DISK_LIMITS = { maxGiB: 16384, minIops: 3000, maxIops: 16000, minThroughputMBps: 125, maxThroughputMBps: 1000 } as const;

/** The sidecar and the OS need a little on top of the clients. */
const OVERHEAD = { vcpu: 0, memoryGiB: 1 };

export function recommendedSize(execution: ClientSpec, consensus: ClientSpec, chain: Chain, mode: SyncMode): NodeSize | undefined {
  const el = execution.resources[chain]?.[mode];
  const cl = consensus.resources[chain]?.[mode];
  if (!el || !cl) return undefined;
  return {
    vcpu: el.vcpu + cl.vcpu + OVERHEAD.vcpu,
    memoryGiB: el.memoryGiB + cl.memoryGiB + OVERHEAD.memoryGiB,
    minDiskGiB: el.minDiskGiB + cl.minDiskGiB,
    diskGiB: Math.min(el.diskGiB + cl.diskGiB, DISK_LIMITS.maxGiB),
    iops: Math.min(Math.max(el.iops, cl.iops), DISK_LIMITS.maxIops),
    throughputMBps: Math.min(Math.max(el.throughputMBps, cl.throughputMBps), DISK_LIMITS.maxThroughputMBps),
    arch: execution.arm64 && consensus.arm64 ? "arm64" : "x86_64",
  };
}

export function withOverrides(size: NodeSize, overrides: SizeOverrides): NodeSize {
  return { ...size, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

export function awsInstanceTypeFor(size: NodeSize): string | undefined {
  return smallestFitting(AWS_MACHINE_TYPES, size)?.name;
}

export function gcpMachineTypeFor(size: NodeSize): string | undefined {
  return smallestFitting(GCP_MACHINE_TYPES, { ...size, arch: "x86_64" })?.name;
}
