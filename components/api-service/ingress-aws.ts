/**
 * The public path of an ApiService on EKS, through the AWS Load Balancer Controller (which must be installed in the
 * cluster): an ACM certificate validated by a DNS record in Route 53, and an Ingress of class `alb` that makes the
 * controller create an internet-facing ALB of a fixed name, HTTPS only (HTTP answers with a redirect), sending to the
 * pods' IPs and health-checking the readiness path. The ALB is looked up by that name once the Ingress exists, for
 * its DNS alias and the metrics of its ARN suffix.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../cluster/physical-name";
import { CostTags, awsTags } from "../tagging";
import { IngressEndpoint } from "./endpoint";
import type { ApiServiceArgs } from "./index";
import { ingressMetadata, ingressRule } from "./ingress-spec";
import { DRAIN_SECONDS } from "./pod";

/** TLS 1.3 and 1.2 (clients without 1.3 still connect), forward secrecy only; AWS's recommended ALB policy. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Elastic Load Balancing's limit on a load balancer's name. */
export const ALB_NAME_MAX_LENGTH = 32;

/**
 * The ALB's name: fixed for the life of the service (the controller replaces the ALB when it changes), unique per
 * project, stack and component, at most 32 characters; ELB refuses names starting with `internal-`.
 */
export function albName(name: string, scope = `${pulumi.getProject()}/${pulumi.getStack()}`): string {
  const candidate = physicalName(name, scope, ALB_NAME_MAX_LENGTH);
  return candidate.startsWith("internal-") ? physicalName(`alb-${name}`, scope, ALB_NAME_MAX_LENGTH) : candidate;
}

/** The controller's `tags` annotation: `key=value,...`, set on the ALB, its listeners and target groups. */
export function albTagsAnnotation(tags: CostTags): string {
  return Object.entries(awsTags(tags))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

export interface AwsIngressArgs extends ApiServiceArgs {
  ingress: NonNullable<ApiServiceArgs["ingress"]>;
  tls: { kind: "aws-acm"; zoneId: pulumi.Input<string> };
}

export interface AwsIngress {
  readonly ingress: k8s.networking.v1.Ingress;
  readonly certificate: aws.acm.Certificate;
  readonly albName: string;
  readonly endpoint: IngressEndpoint;
  /** `app/<name>/<id>`: the LoadBalancer dimension of the ALB's CloudWatch metrics. */
  readonly arnSuffix: pulumi.Output<string>;
}

export function awsAlbIngress(name: string, args: AwsIngressArgs, service: k8s.core.v1.Service, parent: pulumi.Resource): AwsIngress {
  const { host, path } = args.ingress;
  const certificate = new aws.acm.Certificate(`${name}-cert`, { domainName: host, validationMethod: "DNS", tags: awsTags(args.tags) }, { parent });
  // One domain, one validation record (a CNAME ACM keeps checking, so the certificate renews by itself).
  const option = certificate.domainValidationOptions.apply((options) => options[0]);
  const validationRecord = new aws.route53.Record(
    `${name}-cert-validation`,
    {
      zoneId: args.tls.zoneId,
      name: option.apply((o) => o.resourceRecordName!),
      type: option.apply((o) => o.resourceRecordType!),
      records: [option.apply((o) => o.resourceRecordValue!)],
      ttl: 300,
      // Every certificate for this host name shares the same record: take it over rather than fail.
      allowOverwrite: true,
    },
    { parent },
  );
  // Waits until ACM has issued the certificate: the listener is never configured with a pending one.
  const validated = new aws.acm.CertificateValidation(
    `${name}-cert-validated`,
    { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] },
    { parent },
  );

  const loadBalancerName = albName(name);
  const annotations: Record<string, pulumi.Input<string>> = {
    "alb.ingress.kubernetes.io/load-balancer-name": loadBalancerName,
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    // Pods as targets: no NodePort hop, and the target deregisters with the pod.
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    // HTTP only redirects: nothing is served in clear text.
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/certificate-arn": validated.certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
    "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
    "alb.ingress.kubernetes.io/healthcheck-path": args.probes.readinessPath,
    "alb.ingress.kubernetes.io/healthcheck-port": "traffic-port",
    "alb.ingress.kubernetes.io/success-codes": "200",
    "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
    "alb.ingress.kubernetes.io/target-group-attributes": `deregistration_delay.timeout_seconds=${DRAIN_SECONDS}`,
    // The ALB is billed: it carries the service's cost tags.
    "alb.ingress.kubernetes.io/tags": albTagsAnnotation(args.tags),
  };
  const ingress = new k8s.networking.v1.Ingress(
    `${name}-ingress`,
    { metadata: ingressMetadata(name, name, args.namespace, args.tags, annotations), spec: { ingressClassName: "alb", rules: [ingressRule(host, path, service)] } },
    { parent, provider: args.provider },
  );

  // Pulumi's Ingress await returns once the controller reports the ALB's address, so the ALB exists by then.
  const alb = aws.lb.getLoadBalancerOutput({ name: loadBalancerName }, { parent, dependsOn: [ingress] });
  return {
    ingress,
    certificate,
    albName: loadBalancerName,
    endpoint: { kind: "aws-alias", dnsName: alb.dnsName, zoneId: alb.zoneId },
    arnSuffix: alb.arnSuffix,
  };
}
