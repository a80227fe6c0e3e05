/** The machine a node runs on in GCP: its architecture, from the machine type, and the Container-Optimized OS image for it. */
import { MachineType } from "./machine-types";

type Architecture = MachineType["arch"];

/** Arm machine families (Ampere Altra, Google Axion). */
const ARM_FAMILIES = ["t2a", "c4a", "n4a"];

export function gcpMachineArchitecture(machineType: string): Architecture {
  return ARM_FAMILIES.includes(machineType.split("-")[0]) ? "arm64" : "x86_64";
}

/** The stable image family: Docker and cloud-init built in, read-only root, automatic updates. */
export function cosImage(arch: Architecture): string {
  return arch === "arm64" ? "cos-cloud/cos-arm64-stable" : "cos-cloud/cos-stable";
}
