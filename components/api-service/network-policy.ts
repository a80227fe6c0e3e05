/**
 * The NetworkPolicy of an ApiService: its pods accept connections on the http port only from the namespaces in
 * `allowFrom` and, with an ingress, from where the load balancer or ingress controller connects; they connect only
 * to cluster DNS and the destinations in `egress`. Everything else is denied in both directions. (Kubelet probes come
 * from the node and are not subject to NetworkPolicy.)
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../tagging";
import { selectorLabels } from "./deployment";
import type { ApiServiceArgs, ApiServiceTls } from "./index";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Rule = { from?: Peer[]; to?: Peer[]; ports: { protocol: string; port: number }[] };

/**
 * Google Front Ends and their health checkers: where an external Application Load Balancer connects to pods
 * through NEGs (https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges).
 */
export const GOOGLE_LB_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;
/**
 * An ALB connects to IP targets from its own addresses in the VPC's subnets, which the component is not told: any
 * private (RFC 1918) or carrier-grade NAT (secondary VPC CIDRs) address. The security group the controller manages
 * on the nodes admits only the ALB's own security group.
 */
export const VPC_PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] as const;

const namespaceNamed = (namespace: string): Peer => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } });
const tcp = (ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port }));

/** Where the public path's connections to the pods come from, per kind of TLS. */
export function ingressSources(tls: ApiServiceTls): Peer[] {
  switch (tls.kind) {
    case "aws-acm":
      return VPC_PRIVATE_RANGES.map((cidr) => ({ ipBlock: { cidr } }));
    case "gke-managed":
      return GOOGLE_LB_RANGES.map((cidr) => ({ ipBlock: { cidr } }));
    case "cert-manager":
      // The ingress controller's pods, in a namespace the component is not told: any namespace.
      return [{ namespaceSelector: {} }];
  }
}

/** Cluster DNS: kube-dns (CoreDNS keeps the label) in kube-system, UDP and TCP 53. */
export const DNS_EGRESS: Rule = {
  to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

export function networkPolicyRules(args: Pick<ApiServiceArgs, "port" | "allowFrom" | "ingress" | "egress">): { ingress: Rule[]; egress: Rule[] } {
  const http = tcp([args.port]);
  const allowFrom = args.allowFrom ?? [];
  const ingress: Rule[] = [
    ...(allowFrom.length > 0 ? [{ from: allowFrom.map(namespaceNamed), ports: http }] : []),
    ...(args.ingress ? [{ from: ingressSources(args.ingress.tls), ports: http }] : []),
  ];
  const egress: Rule[] = [
    DNS_EGRESS,
    ...(args.egress ?? []).map((e): Rule => {
      if ("cidr" in e) return { to: [{ ipBlock: { cidr: e.cidr } }], ports: tcp(e.ports) };
      return {
        to: [{ ...namespaceNamed(e.namespace), ...(e.podLabels ? { podSelector: { matchLabels: { ...e.podLabels } } } : {}) }],
        ports: tcp(e.ports),
      };
    }),
  ];
  return { ingress, egress };
}

export function apiServiceNetworkPolicy(name: string, args: ApiServiceArgs, parent: pulumi.Resource): k8s.networking.v1.NetworkPolicy {
  const selector = selectorLabels(name);
  return new k8s.networking.v1.NetworkPolicy(
    `${name}-netpol`,
    {
      metadata: { name, namespace: args.namespace, labels: { ...kubernetesLabels(args.tags), ...selector, "app.kubernetes.io/component": "api" } },
      spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress", "Egress"], ...networkPolicyRules(args) },
    },
    { parent, provider: args.provider },
  );
}
