/** Every problem with GkeCluster arguments, each naming its argument. */
import { parseCidr } from "../network/cidr";
import type { GkeClusterArgs, GkeNodePoolArgs } from "./gke";
import { namespaceProblems } from "./namespaces";
import { cidrProblems, duplicateProblems, integerProblems, partNameProblems, tagArgProblems } from "./validation";

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_REGION = /^[a-z]+-[a-z]+\d+$/;
const RANGE_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z0-9-]+$/;
const RELEASE_CHANNELS = ["RAPID", "REGULAR", "STABLE"];
const DISK_TYPES = ["pd-balanced", "pd-ssd"];
/** GKE's boot-disk floor and Persistent Disk's ceiling. */
const MIN_DISK_GIB = 10;
const MAX_DISK_GIB = 65_536;

function nodePoolProblems(pool: GkeNodePoolArgs, i: number): string[] {
  const at = `nodePools[${i}]`;
  const problems = [
    ...partNameProblems(`${at}.name`, pool.name),
    ...integerProblems(`${at}.minNodes`, pool.minNodes, 0),
    ...integerProblems(`${at}.maxNodes`, pool.maxNodes, 1),
    ...integerProblems(`${at}.diskGiB`, pool.diskGiB, MIN_DISK_GIB, MAX_DISK_GIB),
  ];
  if (pool.minNodes > pool.maxNodes) problems.push(`${at}: minNodes ${pool.minNodes} > maxNodes ${pool.maxNodes}`);
  if (!MACHINE_TYPE.test(pool.machineType)) problems.push(`${at}.machineType: "${pool.machineType}" is not a machine type (e.g. n2-standard-8)`);
  if (!DISK_TYPES.includes(pool.diskType)) problems.push(`${at}.diskType: "${pool.diskType}" must be one of ${DISK_TYPES.join(", ")}`);
  return problems;
}

export function gkeArgProblems(args: GkeClusterArgs): string[] {
  const master = parseCidr(args.masterCidr);
  return [
    ...(PROJECT_ID.test(args.project) ? [] : [`project: "${args.project}" is not a GCP project id`]),
    ...(GCP_REGION.test(args.region) ? [] : [`region: "${args.region}" is not a GCP region (e.g. us-central1)`]),
    ...(RANGE_NAME.test(args.podsRangeName) ? [] : [`podsRangeName: "${args.podsRangeName}" is not a secondary range name`]),
    ...(RANGE_NAME.test(args.servicesRangeName) ? [] : [`servicesRangeName: "${args.servicesRangeName}" is not a secondary range name`]),
    ...(args.podsRangeName === args.servicesRangeName ? ["servicesRangeName: must differ from podsRangeName"] : []),
    ...(RELEASE_CHANNELS.includes(args.releaseChannel) ? [] : [`releaseChannel: "${args.releaseChannel}" must be one of ${RELEASE_CHANNELS.join(", ")}`]),
    ...(master?.prefix === 28 ? [] : [`masterCidr: "${args.masterCidr}" must be a /28 IPv4 block`]),
    ...cidrProblems("masterAuthorizedCidrs", args.masterAuthorizedCidrs),
    ...(args.nodePools.length > 0 ? [] : ["nodePools: at least one node pool is required"]),
    ...args.nodePools.flatMap(nodePoolProblems),
    ...duplicateProblems("nodePools", args.nodePools.map((p) => p.name)),
    ...namespaceProblems(args.namespaces),
    ...tagArgProblems("tags", args.tags),
  ];
}
