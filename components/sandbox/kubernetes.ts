/**
 * A sandbox's Kubernetes side: its namespace, quota and container limits from the size class, a default-deny
 * network policy, and the owner's group bound to the built-in `edit` ClusterRole in that namespace only.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CostTags, kubernetesLabels } from "../tagging";
import { RPC_PORTS } from "../ethereum-node/clients";
import { SandboxSizeClass } from "./sizes";

/** Sandbox pods reach the estate's RPC pools: pods in namespaces labelled with this workload, on these ports. */
export const RPC_NAMESPACE_WORKLOAD = "ethereum-node";
export { RPC_PORTS } from "../ethereum-node/clients";

export function ownerGroup(owner: string): string {
  return `sandbox:${owner}`;
}

export interface SandboxNamespaceArgs {
  namespace: string;
  owner: string;
  size: SandboxSizeClass;
  tags: CostTags;
  provider: k8s.Provider;
}

export interface SandboxNamespace {
  readonly namespace: k8s.core.v1.Namespace;
  readonly quota: k8s.core.v1.ResourceQuota;
  readonly limits: k8s.core.v1.LimitRange;
  readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
  readonly roleBinding: k8s.rbac.v1.RoleBinding;
}

export function sandboxNamespace(name: string, args: SandboxNamespaceArgs, parent: pulumi.Resource): SandboxNamespace {
  const labels = kubernetesLabels(args.tags);
  const opts = { parent, provider: args.provider };
  const namespace = new k8s.core.v1.Namespace(
    `${name}-ns`,
    { metadata: { name: args.namespace, labels: { ...labels, "pod-security.kubernetes.io/enforce": "baseline" } } },
    opts,
  );
  const ns = namespace.metadata.name;
  const meta = (part: string) => ({ name: part, namespace: ns, labels });
  const { quota: q, container: c } = args.size;
  const quota = new k8s.core.v1.ResourceQuota(
    `${name}-quota`,
    {
      metadata: meta("sandbox-quota"),
      spec: {
        hard: {
          "requests.cpu": q.requestsCpu,
          "requests.memory": q.requestsMemory,
          "limits.cpu": q.limitsCpu,
          "limits.memory": q.limitsMemory,
          pods: String(q.pods),
          persistentvolumeclaims: String(q.persistentVolumeClaims),
          "requests.storage": q.requestsStorage,
          // Nothing reachable from outside the cluster, and nothing billed outside the quota.
          "services.loadbalancers": "0",
          "services.nodeports": "0",
        },
      },
    },
    opts,
  );
  const limits = new k8s.core.v1.LimitRange(
    `${name}-limits`,
    { metadata: meta("sandbox-limits"), spec: { limits: [{ type: "Container", defaultRequest: { ...c.defaultRequest }, default: { ...c.default }, max: { ...c.max } }] } },
    opts,
  );
  const sameNamespace = { podSelector: {} };
  const networkPolicy = new k8s.networking.v1.NetworkPolicy(
    `${name}-isolation`,
    {
      metadata: meta("sandbox-isolation"),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        // Only the sandbox's own pods talk to each other; nothing from other namespaces or outside the cluster.
        ingress: [{ from: [sameNamespace] }],
        egress: [
          { to: [sameNamespace] },
          {
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
          },
          {
            to: [{ namespaceSelector: { matchLabels: { workload: RPC_NAMESPACE_WORKLOAD } } }],
            ports: RPC_PORTS.map((port) => ({ protocol: "TCP", port })),
          },
        ],
      },
    },
    opts,
  );
  const roleBinding = new k8s.rbac.v1.RoleBinding(
    `${name}-owner`,
    {
      metadata: meta("sandbox-owner"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: ownerGroup(args.owner) }],
    },
    opts,
  );
  return { namespace, quota, limits, networkPolicy, roleBinding };
}
