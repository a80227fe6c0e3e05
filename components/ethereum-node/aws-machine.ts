/** The machine a node runs on in AWS: its architecture, from the instance type, and the Amazon Linux 2023 image for it. */
import { MachineType } from "./machine-types";

type Architecture = MachineType["arch"];

/** Graviton families carry a `g` right after their generation (m7g, r8g, c6gn, im4gn); a1 was the first. */
export function awsInstanceArchitecture(instanceType: string): Architecture {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "x86_64";
}

/**
 * Resolved by EC2 at each launch from AWS's public parameter, so a replaced node boots the current, patched AL2023
 * and no AMI id sits in the program's state.
 */
export function al2023ImageId(arch: Architecture): string {
  return `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}
