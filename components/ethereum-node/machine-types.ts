/** Machine shapes a node can run on, smallest first within each family. Data, not logic. */
export interface MachineType {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly arch: "arm64" | "x86_64";
}

const shapes = (family: string, arch: MachineType["arch"], memoryPerVcpu: number, sizes: [string, number][]): MachineType[] =>
  sizes.map(([size, vcpu]) => ({ name: `${family}.${size}`, vcpu, memoryGiB: vcpu * memoryPerVcpu, arch }));
const AWS_SIZES: [string, number][] = [
  ["large", 2],
  ["xlarge", 4],
  ["2xlarge", 8],
  ["4xlarge", 16],
  ["8xlarge", 32],
];

/** Graviton (m7g, r7g) where both clients ship arm64 images, else Intel (m7i, r7i). */
export const AWS_MACHINE_TYPES: readonly MachineType[] = [
  ...shapes("m7g", "arm64", 4, AWS_SIZES),
  ...shapes("r7g", "arm64", 8, AWS_SIZES),
  ...shapes("m7i", "x86_64", 4, AWS_SIZES),
  ...shapes("r7i", "x86_64", 8, AWS_SIZES),
];

const gcpShapes = (family: string, memoryPerVcpu: number, vcpus: number[]): MachineType[] =>
  vcpus.map((vcpu) => ({ name: `${family}-${vcpu}`, vcpu, memoryGiB: vcpu * memoryPerVcpu, arch: "x86_64" }));

export const GCP_MACHINE_TYPES: readonly MachineType[] = [...gcpShapes("n2-standard", 4, [2, 4, 8, 16, 32]), ...gcpShapes("n2-highmem", 8, [2, 4, 8, 16, 32])];

/** The smallest shape (fewest vCPUs, then least memory) that fits; undefined when none does. */
export function smallestFitting(types: readonly MachineType[], need: { vcpu: number; memoryGiB: number; arch: MachineType["arch"] }): MachineType | undefined {
  return types
    .filter((t) => t.arch === need.arch && t.vcpu >= need.vcpu && t.memoryGiB >= need.memoryGiB)
    .sort((a, b) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB)[0];
}
