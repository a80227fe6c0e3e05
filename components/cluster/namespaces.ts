/** One Kubernetes namespace per workload, labelled with that workload's cost tags. */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CostTags, kubernetesLabels } from "../tagging";
import { tagArgProblems, duplicateProblems } from "./validation";

export interface WorkloadNamespace {
  name: string;
  tags: CostTags;
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export function namespaceProblems(namespaces: readonly WorkloadNamespace[]): string[] {
  const names = namespaces.map((ns) => ns.name);
  return [
    ...namespaces.flatMap((ns, i) => [
      ...(DNS_LABEL.test(ns.name) ? [] : [`namespaces[${i}].name: "${ns.name}" is not a DNS label`]),
      ...(SYSTEM_NAMESPACES.includes(ns.name) ? [`namespaces[${i}].name: "${ns.name}" is a system namespace`] : []),
      ...tagArgProblems(`namespaces[${i}].tags`, ns.tags),
    ]),
    ...duplicateProblems("namespaces", names),
  ];
}

export interface NamespaceOptions {
  /** Labels every namespace gets besides its cost tags (e.g. a controller's opt-in label). */
  readonly extraLabels?: Readonly<Record<string, string>>;
  /** What must be running before anything is created in the namespaces (and must outlive them on delete). */
  readonly dependsOn?: pulumi.Resource[];
}

/** Creates `${clusterName}-ns-${ns.name}` for each namespace on `provider`, keyed by namespace name. */
export function createNamespaces(
  clusterName: string,
  namespaces: readonly WorkloadNamespace[],
  parent: pulumi.Resource,
  provider: k8s.Provider,
  options: NamespaceOptions = {},
): Record<string, k8s.core.v1.Namespace> {
  return Object.fromEntries(
    namespaces.map((ns) => [
      ns.name,
      new k8s.core.v1.Namespace(
        `${clusterName}-ns-${ns.name}`,
        {
          metadata: {
            name: ns.name,
            labels: { ...kubernetesLabels(ns.tags), "pod-security.kubernetes.io/enforce": "baseline", ...options.extraLabels },
          },
        },
        { parent, provider, dependsOn: options.dependsOn },
      ),
    ]),
  );
}
