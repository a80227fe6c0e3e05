/** Kubernetes clusters the workloads run on: EKS, GKE, or one that already exists. */
import type * as k8s from "@pulumi/kubernetes";

export { EksCluster } from "./eks";
export type { EksClusterArgs, EksNodeGroupArgs } from "./eks";
export { GkeCluster } from "./gke";
export type { GkeClusterArgs, GkeNodePoolArgs } from "./gke";
export { ExistingCluster } from "./existing";
export type { ExistingClusterArgs } from "./existing";
export type { WorkloadNamespace } from "./namespaces";
export { architectureOf } from "./architecture";
export type { Architecture } from "./architecture";

/** What workloads need from any cluster: where to deploy and their namespaces there. */
export interface KubernetesCluster {
  readonly provider: k8s.Provider;
  readonly namespaces: Record<string, k8s.core.v1.Namespace>;
}
