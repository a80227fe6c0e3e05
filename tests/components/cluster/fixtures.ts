/** Arguments and lookups shared by the cluster component tests. */
import * as pulumi from "@pulumi/pulumi";
import { costTags } from "../../../components/tagging";
import type { RecordedResource } from "../../../tools/plan/record";
import type { EksClusterArgs, GkeClusterArgs, WorkloadNamespace } from "../../../components/cluster";

export const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "staging", workload: "kubernetes", owner: "techops" });

export const NAMESPACES: WorkloadNamespace[] = [
  { name: "ethereum", tags: costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "staging", workload: "ethereum-node", owner: "techops" }) },
  { name: "sandbox-ana", tags: costTags({ coreUnit: "tocu-001", budgetLine: "rnd-poc", environment: "staging", workload: "sandbox-ana", owner: "ana" }) },
];

export function eksArgs(overrides: Partial<EksClusterArgs> = {}): EksClusterArgs {
  return {
    region: "eu-west-1",
    version: "1.35",
    vpcId: "vpc-123",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    publicAccessCidrs: [],
    nodeGroups: [
      { name: "system", instanceTypes: ["m7i.large", "m6i.large"], capacityType: "on-demand", minSize: 2, desiredSize: 2, maxSize: 4, diskGiB: 50 },
      { name: "nodes", instanceTypes: ["r7g.2xlarge"], capacityType: "spot", minSize: 0, desiredSize: 1, maxSize: 6, diskGiB: 200 },
    ],
    namespaces: NAMESPACES,
    tags: TAGS,
    deletionProtection: false,
    ...overrides,
  };
}

export function gkeArgs(overrides: Partial<GkeClusterArgs> = {}): GkeClusterArgs {
  return {
    project: "tocu-estate-staging",
    region: "us-central1",
    regional: true,
    network: "projects/tocu-estate-staging/global/networks/main",
    subnetwork: "projects/tocu-estate-staging/regions/us-central1/subnetworks/main",
    podsRangeName: "pods",
    servicesRangeName: "services",
    releaseChannel: "REGULAR",
    masterCidr: "172.16.0.0/28",
    masterAuthorizedCidrs: ["203.0.113.0/24"],
    nodePools: [
      { name: "general", machineType: "n2-standard-8", spot: false, minNodes: 3, maxNodes: 9, diskGiB: 100, diskType: "pd-balanced" },
      { name: "batch", machineType: "e2-medium", spot: true, minNodes: 0, maxNodes: 4, diskGiB: 50, diskType: "pd-ssd" },
    ],
    namespaces: NAMESPACES,
    tags: TAGS,
    deletionProtection: true,
    ...overrides,
  };
}

/** Every resource below the component named `root`, by URN ancestry. */
export function descendantsOf(resources: readonly RecordedResource[], root: string): RecordedResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const rootUrn = resources.find((r) => r.name === root && !r.custom)?.urn;
  const below = (r: RecordedResource): boolean => {
    for (let p = r.parent; p; p = byUrn.get(p)?.parent) if (p === rootUrn) return true;
    return false;
  };
  return resources.filter(below);
}

export function named(resources: readonly RecordedResource[], name: string): RecordedResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
}

/** The value an Output resolves to once the mock run has finished. */
export function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}
