/** Checks on an AWS placement and the gp3 volume the plan asks for, as `<argument>: <what is wrong>`. */
import { cidrProblems } from "../cluster/validation";
import type { AwsPlacement } from "./aws";
import { awsInstanceArchitecture } from "./aws-machine";
import { NodePoolPlan } from "./plan";
import { DISK_LIMITS } from "./sizing";

/** gp3: at most 500 IOPS per GiB, and 0.25 MiB/s of throughput per provisioned IOPS. */
const GP3_IOPS_PER_GIB = 500;
const GP3_THROUGHPUT_PER_IOPS = 0.25;

export function gp3Problems(size: NodePoolPlan["size"]): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(size.iops) || size.iops < DISK_LIMITS.minIops || size.iops > DISK_LIMITS.maxIops) {
    problems.push(`plan.size.iops: ${size.iops} must be a whole number from ${DISK_LIMITS.minIops} to ${DISK_LIMITS.maxIops}`);
  } else if (size.iops > size.diskGiB * GP3_IOPS_PER_GIB) {
    problems.push(`plan.size.iops: ${size.iops} exceeds gp3's ${GP3_IOPS_PER_GIB} IOPS per GiB of a ${size.diskGiB} GiB volume`);
  }
  const { minThroughputMBps: min, maxThroughputMBps: max } = DISK_LIMITS;
  if (!Number.isInteger(size.throughputMBps) || size.throughputMBps < min || size.throughputMBps > max) {
    problems.push(`plan.size.throughputMBps: ${size.throughputMBps} must be a whole number from ${min} to ${max}`);
  } else if (size.throughputMBps > size.iops * GP3_THROUGHPUT_PER_IOPS) {
    problems.push(`plan.size.throughputMBps: ${size.throughputMBps} exceeds gp3's ${GP3_THROUGHPUT_PER_IOPS} MiB/s per IOPS of ${size.iops} IOPS`);
  }
  return problems;
}

export function awsPlacementProblems(plan: NodePoolPlan, placement: AwsPlacement): string[] {
  const problems: string[] = [];
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(placement.region)) problems.push(`placement.region: "${placement.region}" is not an AWS region`);
  problems.push(...cidrProblems("placement.vpcCidr", [placement.vpcCidr]).map((p) => p.replace("placement.vpcCidr[0]", "placement.vpcCidr")));
  if (placement.publicSubnetIds.length === 0) problems.push("placement.publicSubnetIds: nodes need at least one public subnet");
  if (placement.privateSubnetIds.length === 0) problems.push("placement.privateSubnetIds: the RPC load balancer needs at least one private subnet");
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(placement.instanceType)) {
    problems.push(`placement.instanceType: "${placement.instanceType}" is not an EC2 instance type`);
  } else if (awsInstanceArchitecture(placement.instanceType) === "arm64" && plan.size.arch !== "arm64") {
    problems.push(`placement.instanceType: ${placement.instanceType} is arm64 (Graviton) but the clients' images are published for ${plan.size.arch} only`);
  }
  return [...problems, ...gp3Problems(plan.size)];
}
