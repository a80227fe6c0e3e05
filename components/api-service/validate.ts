/** Argument checks of the ApiService component, each `<argument>: <what is wrong>`. */
import type * as k8s from "@pulumi/kubernetes";
import { integerProblems, tagArgProblems } from "../cluster/validation";
import { parseCidr } from "../network/cidr";
import { COST_TAG_KEYS } from "../tagging";
import { selectorLabels } from "./deployment";
import { imageProblem } from "./image";
import type { ApiServiceArgs } from "./index";
import { API_CONTAINER, TMP_VOLUME } from "./pod";
import { looksLikeCredential } from "./credential-names";

/** A DNS-1035 label short enough for every object named after it (`<name>-frontend`, the pods' names). */
const COMPONENT_NAME = /^[a-z](?:[a-z0-9-]{0,50}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;
/** A fully qualified host name: two labels at least, a letter-led top-level label, no wildcard. */
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** An absolute URL path without a query, fragment or white space. */
const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LABEL_KEY = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_UNITS: Record<string, number> = { "": 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
const TLS_KINDS = ["aws-acm", "gke-managed", "cert-manager"];
const DNS_KINDS = ["route53", "cloud-dns"];
/** ACM puts the first domain in the certificate's common name (64 characters at most); ManagedCertificate domains take 63. */
const MAX_HOST_LENGTH: Record<string, number> = { "aws-acm": 64, "gke-managed": 63, "cert-manager": 64 };

type Container = k8s.types.input.core.v1.Container;

function cores(quantity: unknown): number | undefined {
  const m = typeof quantity === "string" ? CPU.exec(quantity) : null;
  return m ? Number(m[1]) / (m[2] === "m" ? 1000 : 1) : undefined;
}

function bytes(quantity: unknown): number | undefined {
  const m = typeof quantity === "string" ? MEMORY.exec(quantity) : null;
  return m ? Number(m[1]) * MEMORY_UNITS[m[2] ?? ""] : undefined;
}

const plainObject = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) && !("apply" in value) ? (value as Record<string, unknown>) : undefined;

function resourceProblems(args: ApiServiceArgs): string[] {
  const r = args.resources ?? ({} as ApiServiceArgs["resources"]);
  const cpu = cores(r.cpu);
  const memory = bytes(r.memory);
  const problems = [
    ...(cpu !== undefined && cpu > 0 ? [] : [`resources.cpu: "${r.cpu}" is not a positive CPU quantity (e.g. "250m", "1")`]),
    ...(memory !== undefined && memory > 0 ? [] : [`resources.memory: "${r.memory}" is not a positive memory quantity (e.g. "512Mi", "1Gi")`]),
  ];
  if (r.cpuLimit !== undefined) {
    const limit = cores(r.cpuLimit);
    if (limit === undefined) problems.push(`resources.cpuLimit: "${r.cpuLimit}" is not a CPU quantity`);
    else if (cpu !== undefined && limit < cpu) problems.push(`resources.cpuLimit: ${r.cpuLimit} is below the request ${r.cpu}`);
  }
  if (r.memoryLimit !== undefined) {
    const limit = bytes(r.memoryLimit);
    if (limit === undefined) problems.push(`resources.memoryLimit: "${r.memoryLimit}" is not a memory quantity`);
    else if (memory !== undefined && limit < memory) problems.push(`resources.memoryLimit: ${r.memoryLimit} is below the request ${r.memory}`);
  }
  return problems;
}

function replicaProblems(args: ApiServiceArgs): string[] {
  const { min, max, targetCpuPercent } = args.replicas ?? ({} as ApiServiceArgs["replicas"]);
  return [
    ...integerProblems("replicas.min", min, 1, 1000),
    ...integerProblems("replicas.max", max, 1, 1000),
    ...(Number.isInteger(min) && Number.isInteger(max) && min > max ? [`replicas: min ${min} is above max ${max}`] : []),
    ...(targetCpuPercent === undefined ? [] : integerProblems("replicas.targetCpuPercent", targetCpuPercent, 1, 100)),
  ];
}

function envProblems(env: ApiServiceArgs["env"]): string[] {
  return Object.entries(env ?? {}).flatMap(([key, value]) => [
    ...(ENV_NAME.test(key) ? [] : [`env.${key}: not a valid environment variable name`]),
    ...(looksLikeCredential(key) && typeof value === "string" && value !== ""
      ? [`env.${key}: looks like a credential; no secret value may be a resource input (read it from a cloud-managed secret at runtime)`]
      : []),
  ]);
}

function labelProblems(path: string, labels: Record<string, string> | undefined, reserved: readonly string[] = []): string[] {
  return Object.entries(labels ?? {}).flatMap(([key, value]) => [
    ...(LABEL_KEY.test(key) ? [] : [`${path}: "${key}" is not a label key`]),
    ...(typeof value === "string" && LABEL_VALUE.test(value) ? [] : [`${path}.${key}: "${value}" is not a label value`]),
    ...(reserved.includes(key) ? [`${path}.${key}: set by the component (selector or cost label)`] : []),
  ]);
}

const pathProblems = (path: string, value: unknown): string[] =>
  typeof value === "string" && URL_PATH.test(value) ? [] : [`${path}: "${value}" must be a URL path starting with "/"`];

/** The caller's extra containers: pinned, sized, non-root, no escalation; sidecars also probed. */
function containerProblems(path: string, containers: readonly Container[] | undefined, sidecars: boolean): string[] {
  return (containers ?? []).flatMap((c, i) => {
    const at = `${path}[${i}]`;
    const resources = plainObject(c.resources);
    const requests = plainObject(resources?.requests);
    const limits = plainObject(resources?.limits);
    const security = plainObject(c.securityContext) ?? {};
    return [
      ...(typeof c.name === "string" && DNS_LABEL.test(c.name) ? [] : [`${at}.name: "${c.name}" is not a container name`]),
      ...(c.name === API_CONTAINER ? [`${at}.name: "${API_CONTAINER}" is the main container's name`] : []),
      ...(typeof c.image === "string" && imageProblem(c.image) ? [`${at}.image: ${imageProblem(c.image)}`] : []),
      ...(c.image === undefined ? [`${at}.image: no image`] : []),
      ...(resources && (!requests?.cpu || !requests?.memory) ? [`${at}.resources: requests must name cpu and memory`] : []),
      ...(resources && !limits?.memory ? [`${at}.resources: limits must name memory`] : []),
      ...(c.resources === undefined ? [`${at}.resources: requests (cpu, memory) and a memory limit are required`] : []),
      ...(sidecars && (c.readinessProbe === undefined || c.livenessProbe === undefined) ? [`${at}: a sidecar needs a readinessProbe and a livenessProbe`] : []),
      ...(security.privileged === true ? [`${at}.securityContext: privileged containers are not allowed`] : []),
      ...(security.runAsNonRoot === false || security.runAsUser === 0 ? [`${at}.securityContext: containers run as non-root`] : []),
      ...(security.allowPrivilegeEscalation === true ? [`${at}.securityContext: allowPrivilegeEscalation must stay false`] : []),
      ...(plainObject(security.capabilities)?.add ? [`${at}.securityContext: capabilities may not be added`] : []),
    ];
  });
}

function podProblems(pod: ApiServiceArgs["pod"]): string[] {
  if (!pod) return [];
  const names = [...(pod.initContainers ?? []), ...(pod.sidecars ?? [])].map((c) => c.name);
  const volumes = (pod.volumes ?? []).map((v) => v.name);
  return [
    ...containerProblems("pod.initContainers", pod.initContainers, false),
    ...containerProblems("pod.sidecars", pod.sidecars, true),
    ...[...new Set(names.filter((n, i) => names.indexOf(n) !== i))].map((n) => `pod: container "${n}" appears more than once`),
    ...(volumes.includes(TMP_VOLUME) ? [`pod.volumes: "${TMP_VOLUME}" is the component's /tmp volume`] : []),
    ...[...new Set(volumes.filter((n, i) => volumes.indexOf(n) !== i))].map((n) => `pod.volumes: "${n}" appears more than once`),
    ...(pod.volumeMounts ?? []).flatMap((m, i) =>
      typeof m.name === "string" && !volumes.includes(m.name) ? [`pod.volumeMounts[${i}]: no volume "${m.name}" in pod.volumes`] : [],
    ),
  ];
}

const nonEmpty = (path: string, value: unknown): string[] => (typeof value === "string" && value.trim() !== "" ? [] : [`${path}: required`]);
const inputGiven = (path: string, value: unknown): string[] => (value === undefined || value === null || value === "" ? [`${path}: required`] : []);

function ingressProblems(ingress: ApiServiceArgs["ingress"]): string[] {
  if (!ingress) return [];
  const tls = ingress.tls as { kind?: string } & Record<string, unknown>;
  const dns = ingress.dns as ({ kind?: string } & Record<string, unknown>) | undefined;
  const host = ingress.host;
  const maxHost = MAX_HOST_LENGTH[tls?.kind ?? ""] ?? 253;
  const problems = [
    ...(typeof host === "string" && HOST.test(host) ? [] : [`ingress.host: "${host}" is not a fully qualified lowercase host name`]),
    ...(typeof host === "string" && HOST.test(host) && host.length > maxHost ? [`ingress.host: "${host}" is longer than ${maxHost} characters, the most a ${tls.kind} certificate takes`] : []),
    ...(ingress.path === undefined ? [] : pathProblems("ingress.path", ingress.path)),
  ];
  if (!tls || !TLS_KINDS.includes(tls.kind ?? "")) problems.push(`ingress.tls.kind: "${tls?.kind}" must be one of ${TLS_KINDS.join(", ")}`);
  else if (tls.kind === "aws-acm") problems.push(...inputGiven("ingress.tls.zoneId", tls.zoneId));
  else if (tls.kind === "gke-managed") problems.push(...nonEmpty("ingress.tls.project", tls.project));
  else {
    problems.push(...(typeof tls.clusterIssuer === "string" && DNS_SUBDOMAIN.test(tls.clusterIssuer) ? [] : [`ingress.tls.clusterIssuer: "${tls.clusterIssuer}" is not a ClusterIssuer name`]));
    problems.push(...(typeof tls.ingressClassName === "string" && DNS_SUBDOMAIN.test(tls.ingressClassName) ? [] : [`ingress.tls.ingressClassName: "${tls.ingressClassName}" is not an IngressClass name`]));
  }
  if (dns) {
    if (!DNS_KINDS.includes(dns.kind ?? "")) problems.push(`ingress.dns.kind: "${dns.kind}" must be one of ${DNS_KINDS.join(", ")}`);
    else if (dns.kind === "route53") problems.push(...inputGiven("ingress.dns.zoneId", dns.zoneId));
    else problems.push(...nonEmpty("ingress.dns.project", dns.project), ...nonEmpty("ingress.dns.managedZone", dns.managedZone));
    if (tls?.kind === "aws-acm" && dns.kind === "cloud-dns") {
      problems.push("ingress.dns: aws-acm validates its certificate in Route 53 and aliases the ALB there; use dns kind route53 (or leave dns out)");
    }
  }
  return problems;
}

function networkProblems(args: ApiServiceArgs): string[] {
  const ports = (path: string, list: unknown): string[] =>
    Array.isArray(list) && list.length > 0 ? list.flatMap((p, i) => integerProblems(`${path}[${i}]`, p, 1, 65535)) : [`${path}: name at least one port`];
  return [
    ...(args.allowFrom ?? []).flatMap((ns, i) => (DNS_LABEL.test(ns) ? [] : [`allowFrom[${i}]: "${ns}" is not a namespace name`])),
    ...(args.egress ?? []).flatMap((e, i) => {
      const at = `egress[${i}]`;
      if ("cidr" in e) return [...(parseCidr(e.cidr) ? [] : [`${at}.cidr: "${e.cidr}" is not an IPv4 CIDR block`]), ...ports(`${at}.ports`, e.ports)];
      return [
        ...(typeof e.namespace === "string" && DNS_LABEL.test(e.namespace) ? [] : [`${at}.namespace: "${e.namespace}" is not a namespace name`]),
        ...labelProblems(`${at}.podLabels`, e.podLabels),
        ...ports(`${at}.ports`, e.ports),
      ];
    }),
  ];
}

export function apiServiceProblems(name: string, args: ApiServiceArgs): string[] {
  const reservedLabels = [...Object.keys(selectorLabels(name)), "app.kubernetes.io/component", ...COST_TAG_KEYS];
  return [
    ...(COMPONENT_NAME.test(name) ? [] : [`name: "${name}" must be 1-52 lowercase letters, digits or '-', starting with a letter (it names the Kubernetes objects)`]),
    ...(typeof args.namespace === "string" && !DNS_LABEL.test(args.namespace) ? [`namespace: "${args.namespace}" is not a namespace name`] : []),
    ...(args.provider === undefined ? ["provider: required (the cluster's Kubernetes provider)"] : []),
    ...(imageProblem(args.image) ? [`image: ${imageProblem(args.image)}`] : []),
    ...integerProblems("port", args.port, 1, 65535),
    ...envProblems(args.env),
    ...pathProblems("probes.readinessPath", args.probes?.readinessPath),
    ...pathProblems("probes.livenessPath", args.probes?.livenessPath),
    ...resourceProblems(args),
    ...replicaProblems(args),
    ...labelProblems("podLabels", args.podLabels, reservedLabels),
    ...podProblems(args.pod),
    ...ingressProblems(args.ingress),
    ...networkProblems(args),
    ...tagArgProblems("tags", args.tags ?? {}),
    ...(args.latencyP95Ms === undefined || (Number.isFinite(args.latencyP95Ms) && args.latencyP95Ms > 0) ? [] : [`latencyP95Ms: ${args.latencyP95Ms} must be a positive number of milliseconds`]),
  ];
}
