/** Every problem with EksCluster arguments, each naming its argument. */
import { sharedArchitecture } from "./architecture";
import { clusterAutoscalerProblems } from "./cluster-autoscaler";
import type { EksClusterArgs, EksNodeGroupArgs } from "./eks";
import { namespaceProblems } from "./namespaces";
import { cidrProblems, duplicateProblems, integerProblems, partNameProblems, tagArgProblems } from "./validation";

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const EKS_VERSION = /^1\.\d{2}$/;
/** AL2023 AMIs need a 20 GiB root volume; gp3 volumes end at 16 TiB. */
const MIN_DISK_GIB = 20;
const MAX_DISK_GIB = 16_384;

function nodeGroupProblems(group: EksNodeGroupArgs, i: number): string[] {
  const at = `nodeGroups[${i}]`;
  const problems = [
    ...partNameProblems(`${at}.name`, group.name),
    ...integerProblems(`${at}.minSize`, group.minSize, 0),
    ...integerProblems(`${at}.maxSize`, group.maxSize, 1),
    ...integerProblems(`${at}.desiredSize`, group.desiredSize, 0),
    ...integerProblems(`${at}.diskGiB`, group.diskGiB, MIN_DISK_GIB, MAX_DISK_GIB),
  ];
  if (group.minSize > group.maxSize) problems.push(`${at}: minSize ${group.minSize} > maxSize ${group.maxSize}`);
  if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
    problems.push(`${at}.desiredSize: ${group.desiredSize} is outside minSize..maxSize (${group.minSize}..${group.maxSize})`);
  }
  if (group.capacityType !== "on-demand" && group.capacityType !== "spot") {
    problems.push(`${at}.capacityType: "${group.capacityType}" must be "on-demand" or "spot"`);
  }
  try {
    sharedArchitecture(group.instanceTypes);
  } catch (e) {
    problems.push(`${at}.instanceTypes: ${(e as Error).message}`);
  }
  return problems;
}

export function eksArgProblems(args: EksClusterArgs): string[] {
  return [
    ...(AWS_REGION.test(args.region) ? [] : [`region: "${args.region}" is not an AWS region`]),
    ...(EKS_VERSION.test(args.version) ? [] : [`version: "${args.version}" must be a Kubernetes minor version such as "1.35"`]),
    ...(EKS_VERSION.test(args.version) && (args.addons?.clusterAutoscaler ?? true) ? clusterAutoscalerProblems(args.version) : []),
    ...(args.subnetIds.length >= 2 ? [] : [`subnetIds: EKS needs subnets in at least two availability zones, got ${args.subnetIds.length}`]),
    ...cidrProblems("publicAccessCidrs", args.publicAccessCidrs),
    ...(args.nodeGroups.length > 0 ? [] : ["nodeGroups: at least one node group is required"]),
    ...args.nodeGroups.flatMap(nodeGroupProblems),
    ...duplicateProblems("nodeGroups", args.nodeGroups.map((g) => g.name)),
    ...namespaceProblems(args.namespaces),
    ...tagArgProblems("tags", args.tags),
  ];
}
