/**
 * The public path of an ApiService on any cluster with cert-manager and an ingress controller: an Ingress of the
 * class named, annotated for the ClusterIssuer, whose ingress-shim then requests a certificate for the host into
 * the secret `<name>-tls`, which the controller serves. The controller's reported address is the DNS target.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IngressEndpoint } from "./endpoint";
import type { ApiServiceArgs } from "./index";
import { ingressMetadata, ingressRule } from "./ingress-spec";

/** The Secret cert-manager writes the service's certificate and key into. */
export const tlsSecretName = (name: string): string => `${name}-tls`;

export interface CertManagerIngressArgs extends ApiServiceArgs {
  ingress: NonNullable<ApiServiceArgs["ingress"]>;
  tls: { kind: "cert-manager"; clusterIssuer: string; ingressClassName: string };
}

export interface CertManagerIngress {
  readonly ingress: k8s.networking.v1.Ingress;
  readonly endpoint: IngressEndpoint;
}

export function certManagerIngress(name: string, args: CertManagerIngressArgs, service: k8s.core.v1.Service, parent: pulumi.Resource): CertManagerIngress {
  const { host, path } = args.ingress;
  const ingress = new k8s.networking.v1.Ingress(
    `${name}-ingress`,
    {
      metadata: ingressMetadata(name, name, args.namespace, args.tags, { "cert-manager.io/cluster-issuer": args.tls.clusterIssuer }),
      spec: {
        ingressClassName: args.tls.ingressClassName,
        tls: [{ hosts: [host], secretName: tlsSecretName(name) }],
        rules: [ingressRule(host, path, service)],
      },
    },
    { parent, provider: args.provider },
  );
  // Pulumi's Ingress await returns once the controller has reported an address.
  const target = ingress.status.apply((status) => {
    const first = status?.loadBalancer?.ingress?.[0];
    return { ...(first?.hostname ? { hostname: first.hostname } : {}), ...(first?.ip ? { ip: first.ip } : {}) };
  });
  return { ingress, endpoint: { kind: "status", target } };
}
