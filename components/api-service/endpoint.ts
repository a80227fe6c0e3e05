/** Where an Ingress's load balancer answers, as the DNS record that points the host at it needs it. */
import type * as pulumi from "@pulumi/pulumi";

export type IngressEndpoint =
  /** An AWS load balancer: a Route 53 alias to its DNS name in its canonical hosted zone. */
  | { readonly kind: "aws-alias"; readonly dnsName: pulumi.Output<string>; readonly zoneId: pulumi.Output<string> }
  /** A fixed IPv4 address reserved for the load balancer. */
  | { readonly kind: "address"; readonly ip: pulumi.Output<string> }
  /** What the ingress controller reports in the Ingress's status: a host name (CNAME) or an address (A). */
  | { readonly kind: "status"; readonly target: pulumi.Output<{ hostname?: string; ip?: string }> };
