/**
 * Sandbox size classes as data: the namespace's quota and container limits, and the VM an optional cloud VM runs
 * on. VM types are small burstable ones (t4g on AWS, e2 on GCP), all priced in cost/prices and allowed for rnd-poc.
 */
export const SANDBOX_SIZES = ["small", "medium", "large"] as const;
export type SandboxSize = (typeof SANDBOX_SIZES)[number];

export interface SandboxSizeClass {
  /** ResourceQuota `hard`, for the whole namespace. */
  readonly quota: {
    readonly requestsCpu: string;
    readonly requestsMemory: string;
    readonly limitsCpu: string;
    readonly limitsMemory: string;
    readonly pods: number;
    readonly persistentVolumeClaims: number;
    readonly requestsStorage: string;
  };
  /** LimitRange for each container: what it gets when it states nothing, and the most it may ask. */
  readonly container: {
    readonly defaultRequest: { readonly cpu: string; readonly memory: string };
    readonly default: { readonly cpu: string; readonly memory: string };
    readonly max: { readonly cpu: string; readonly memory: string };
  };
  readonly vm: { readonly awsInstanceType: string; readonly gcpMachineType: string; readonly diskGiB: number };
}

export const SANDBOX_SIZE_CLASSES: Readonly<Record<SandboxSize, SandboxSizeClass>> = {
  small: {
    quota: { requestsCpu: "1", requestsMemory: "2Gi", limitsCpu: "2", limitsMemory: "4Gi", pods: 10, persistentVolumeClaims: 2, requestsStorage: "20Gi" },
    container: { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" }, max: { cpu: "1", memory: "2Gi" } },
    vm: { awsInstanceType: "t4g.small", gcpMachineType: "e2-medium", diskGiB: 20 },
  },
  medium: {
    quota: { requestsCpu: "2", requestsMemory: "4Gi", limitsCpu: "4", limitsMemory: "8Gi", pods: 20, persistentVolumeClaims: 4, requestsStorage: "50Gi" },
    container: { defaultRequest: { cpu: "100m", memory: "256Mi" }, default: { cpu: "1", memory: "1Gi" }, max: { cpu: "2", memory: "4Gi" } },
    vm: { awsInstanceType: "t4g.medium", gcpMachineType: "e2-standard-2", diskGiB: 30 },
  },
  large: {
    quota: { requestsCpu: "4", requestsMemory: "8Gi", limitsCpu: "8", limitsMemory: "16Gi", pods: 40, persistentVolumeClaims: 8, requestsStorage: "100Gi" },
    container: { defaultRequest: { cpu: "250m", memory: "512Mi" }, default: { cpu: "1", memory: "2Gi" }, max: { cpu: "4", memory: "8Gi" } },
    vm: { awsInstanceType: "t4g.large", gcpMachineType: "e2-standard-4", diskGiB: 50 },
  },
};
