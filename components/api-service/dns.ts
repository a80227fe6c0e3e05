/**
 * The DNS record pointing an ApiService's host at its load balancer, in Route 53 or Cloud DNS: an alias A record to
 * an AWS load balancer, an A record to a reserved address, or, for what an ingress controller reports, a CNAME to
 * its host name (an A record when it reports an address).
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { IngressEndpoint } from "./endpoint";
import type { ApiServiceDns } from "./index";

/** Seconds resolvers keep the record: short enough to move the service within minutes. */
export const DNS_TTL_SECONDS = 300;

export interface DnsRecordArgs {
  readonly host: string;
  readonly dns: ApiServiceDns;
  readonly endpoint: IngressEndpoint;
}

interface Target {
  readonly type: pulumi.Output<string>;
  /** Without the trailing dot. */
  readonly value: pulumi.Output<string>;
}

function targetOf(endpoint: IngressEndpoint): Target {
  switch (endpoint.kind) {
    case "aws-alias":
      return { type: pulumi.output("CNAME"), value: endpoint.dnsName };
    case "address":
      return { type: pulumi.output("A"), value: endpoint.ip };
    case "status":
      return {
        type: endpoint.target.apply((t) => (t.hostname ? "CNAME" : "A")),
        value: endpoint.target.apply((t) => t.hostname ?? t.ip ?? ""),
      };
  }
}

export function dnsRecord(name: string, { host, dns, endpoint }: DnsRecordArgs, parent: pulumi.Resource): aws.route53.Record | gcp.dns.RecordSet {
  if (dns.kind === "route53") {
    if (endpoint.kind === "aws-alias") {
      // An alias answers with the load balancer's current addresses, costs no queries and works at a zone apex.
      return new aws.route53.Record(
        `${name}-dns`,
        { zoneId: dns.zoneId, name: host, type: "A", aliases: [{ name: endpoint.dnsName, zoneId: endpoint.zoneId, evaluateTargetHealth: true }] },
        { parent },
      );
    }
    const target = targetOf(endpoint);
    return new aws.route53.Record(`${name}-dns`, { zoneId: dns.zoneId, name: host, type: target.type, ttl: DNS_TTL_SECONDS, records: [target.value] }, { parent });
  }
  const target = targetOf(endpoint);
  return new gcp.dns.RecordSet(
    `${name}-dns`,
    {
      project: dns.project,
      managedZone: dns.managedZone,
      name: `${host}.`,
      type: target.type,
      ttl: DNS_TTL_SECONDS,
      // Cloud DNS wants fully qualified names in CNAME data.
      rrdatas: [pulumi.all([target.type, target.value]).apply(([type, value]) => (type === "CNAME" ? `${value}.` : value))],
    },
    { parent },
  );
}
