/**
 * Argument checks of the ChainIndexer component, each `<argument>: <what is wrong>`, all reported at once before
 * anything is created: the blue/green rules (1 or 2 deployments, unique ids, `live` among them, pinned images,
 * valid schema names), the worker's endpoints and resources, no secret in any value, and the database's and the
 * read API's own checks under `database.` and `api.`.
 */
import { ApiServiceArgs, apiServiceProblems, imageProblem } from "../api-service";
import { duplicateProblems, integerProblems, tagArgProblems } from "../cluster/validation";
import { parseCidr } from "../network/cidr";
import { databaseLoginProblems, databaseSafetyProblems } from "./database-validate";
import type { ChainIndexerArgs } from "./index";
import { PROXY_HEALTH_PORT } from "./credentials-gcp";
import { POSTGRES_PORT } from "./credentials";
import { deploymentSchema, schemaProblems } from "./schema";
import { looksLikeCredential } from "../api-service/credential-names";

/** Blue/green: the live deployment and at most one candidate (or the old one until it is removed). */
export const MAX_DEPLOYMENTS = 2;
/** The component's name prefixes every child (`<name>-worker-<id>`, `<name>-db-...`): short enough for all of them. */
const COMPONENT_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$/;
/** A label value and a schema prefix. */
const INDEXER_NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
/** Short: it ends Deployment, pod and label names, and schemas. */
const DEPLOYMENT_ID = /^[a-z](?:[a-z0-9-]{0,13}[a-z0-9])?$/;
const CHAIN_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
/** RFC 6901, at least one reference token: the block number is never the whole document. */
const JSON_POINTER = /^(?:\/(?:[^~/]|~[01])*)+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A URL carrying a password (`scheme://user:password@host`). */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]*@/i;
const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
/** Set by the component in the workers' and the read API's environment. */
export const RESERVED_ENV = ["DATABASE_SCHEMA", "DATABASE_URL", "RPC_URL", "BACKFILL_RPC_URL", "CHAIN", "CHAIN_ID"];
const LIBPQ_ENV = /^PG[A-Z]/;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function quantityProblems(path: string, value: unknown, kind: "cpu" | "memory"): string[] {
  const m = typeof value === "string" ? (kind === "cpu" ? CPU : MEMORY).exec(value) : null;
  if (m && Number(m[1]) > 0) return [];
  return [`${path}: ${show(value)} is not a positive ${kind === "cpu" ? 'CPU quantity (e.g. "500m", "2")' : 'memory quantity (e.g. "2Gi")'}`];
}

const pathProblems = (path: string, value: unknown): string[] =>
  typeof value === "string" && URL_PATH.test(value) ? [] : [`${path}: ${show(value)} must be a URL path starting with "/" (no query, no spaces)`];

/** A plain string value that is a password-bearing URL. */
const secretValueProblems = (path: string, value: unknown): string[] =>
  typeof value === "string" && URL_WITH_PASSWORD.test(value) ? [`${path}: carries a password in its URL; no secret value may be a resource input`] : [];

export function envProblems(path: string, env: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.entries(env ?? {}).flatMap(([key, value]) => [
    ...(ENV_NAME.test(key) ? [] : [`${path}.${key}: not an environment variable name`]),
    ...(RESERVED_ENV.includes(key) || LIBPQ_ENV.test(key) ? [`${path}.${key}: set by the component (database, schema, RPC and chain variables)`] : []),
    ...(looksLikeCredential(key) ? [`${path}.${key}: looks like a credential; no secret value may be a resource input (read it at runtime from a cloud-managed secret)`] : []),
    ...(typeof value === "string" ? secretValueProblems(`${path}.${key}`, value) : [`${path}.${key}: must be a string`]),
  ]);
}

function urlProblems(path: string, value: unknown): string[] {
  if (typeof value !== "string") return value === undefined || value === null ? [`${path}: required`] : [];
  return [...(/^(?:https?|wss?):\/\/[^\s]+$/.test(value) ? [] : [`${path}: ${show(value)} is not an http(s) or ws(s) URL`]), ...secretValueProblems(path, value)];
}

function egressProblems(egress: ChainIndexerArgs["rpc"]["egress"]): string[] {
  if (!Array.isArray(egress) || egress.length === 0) {
    return ["rpc.egress: name where the RPC pool runs (a namespace with pod labels and ports, or a CIDR and ports): the workers may connect nowhere else"];
  }
  const ports = (path: string, list: unknown): string[] =>
    Array.isArray(list) && list.length > 0 ? list.flatMap((p, i) => integerProblems(`${path}[${i}]`, p, 1, 65535)) : [`${path}: name at least one port`];
  return egress.flatMap((e, i) => {
    const at = `rpc.egress[${i}]`;
    if ("cidr" in e) return [...(parseCidr(e.cidr) ? [] : [`${at}.cidr: ${show(e.cidr)} is not an IPv4 CIDR block`]), ...ports(`${at}.ports`, e.ports)];
    return [...(typeof e.namespace === "string" && DNS_LABEL.test(e.namespace) ? [] : [`${at}.namespace: ${show(e.namespace)} is not a namespace name`]), ...ports(`${at}.ports`, e.ports)];
  });
}

function identityProblems(args: ChainIndexerArgs): string[] {
  const identity = args.kubernetes?.identity as ChainIndexerArgs["kubernetes"]["identity"] | undefined;
  const cloud = args.database?.placement?.kind;
  if (identity?.kind === "aws-irsa") {
    return [
      ...(typeof identity.region === "string" && /^[a-z]{2}(?:-[a-z]+)+-\d$/.test(identity.region) ? [] : [`kubernetes.identity.region: ${show(identity.region)} is not an AWS region`]),
      ...(identity.oidcProviderArn ? [] : ["kubernetes.identity.oidcProviderArn: required (the EKS cluster's oidcProviderArn)"]),
      ...(identity.oidcIssuerUrl ? [] : ["kubernetes.identity.oidcIssuerUrl: required (the EKS cluster's oidcIssuerUrl)"]),
      ...(cloud === "aws" ? [] : [`kubernetes.identity: aws-irsa reaches an RDS database only; database.placement.kind is ${show(cloud)}`]),
    ];
  }
  if (identity?.kind === "gcp-workload-identity") {
    return [
      ...(typeof identity.project === "string" && GCP_PROJECT.test(identity.project) ? [] : [`kubernetes.identity.project: ${show(identity.project)} is not a GCP project id`]),
      ...(cloud === "gcp" ? [] : [`kubernetes.identity: gcp-workload-identity reaches a Cloud SQL database only; database.placement.kind is ${show(cloud)}`]),
    ];
  }
  return [`kubernetes.identity.kind: ${show((identity as { kind?: unknown } | undefined)?.kind)} must be aws-irsa or gcp-workload-identity`];
}

/** Ports the credential sidecars bind in the pod: the worker's and the API's own port must differ. */
function reservedPorts(args: ChainIndexerArgs): number[] {
  return args.database?.placement?.kind === "gcp" ? [POSTGRES_PORT, POSTGRES_PORT + 1, PROXY_HEALTH_PORT] : [];
}

function workerProblems(args: ChainIndexerArgs): string[] {
  const w = args.worker ?? ({} as ChainIndexerArgs["worker"]);
  const reserved = reservedPorts(args);
  return [
    ...integerProblems("worker.port", w.port, 1, 65535),
    ...(reserved.includes(w.port) ? [`worker.port: ${w.port} is taken by the Cloud SQL Auth Proxy in the pod (${reserved.join(", ")})`] : []),
    ...pathProblems("worker.readinessPath", w.readinessPath),
    ...pathProblems("worker.statusPath", w.statusPath),
    ...(w.livenessPath === undefined ? [] : pathProblems("worker.livenessPath", w.livenessPath)),
    ...(typeof w.statusBlockPointer === "string" && JSON_POINTER.test(w.statusBlockPointer)
      ? []
      : [`worker.statusBlockPointer: ${show(w.statusBlockPointer)} is not a JSON pointer to the indexed block number (e.g. /mainnet/block/number)`]),
    ...quantityProblems("worker.cpu", w.cpu, "cpu"),
    ...quantityProblems("worker.memory", w.memory, "memory"),
    ...envProblems("worker.env", w.env),
    ...(w.args ?? []).flatMap((a, i) => secretValueProblems(`worker.args[${i}]`, a)),
  ];
}

function deploymentProblems(args: ChainIndexerArgs): string[] {
  const deployments = Array.isArray(args.deployments) ? args.deployments : [];
  const ids = deployments.map((d) => d?.id);
  const problems: string[] = [];
  if (deployments.length === 0) problems.push("deployments: at least one deployment { id, image } is required");
  if (deployments.length > MAX_DEPLOYMENTS) {
    problems.push(`deployments: ${deployments.length} given; at most ${MAX_DEPLOYMENTS} (the live one and one candidate): remove the old one after promoting`);
  }
  deployments.forEach((d, i) => {
    const at = `deployments[${i}]`;
    if (typeof d?.id !== "string" || !DEPLOYMENT_ID.test(d.id)) {
      problems.push(`${at}.id: ${show(d?.id)} must be 1-15 lowercase letters, digits or '-', starting with a letter (e.g. blue, green, v7)`);
    } else if (typeof args.indexer === "string" && INDEXER_NAME.test(args.indexer)) {
      problems.push(...schemaProblems(`${at}.id`, deploymentSchema(args.indexer, d.id)));
    }
    const image = imageProblem(d?.image);
    if (image) problems.push(`${at}.image: ${image}`);
  });
  problems.push(...duplicateProblems("deployments.id", ids.filter((id): id is string => typeof id === "string")));
  if (!ids.includes(args.live)) problems.push(`live: ${show(args.live)} is not the id of one of the deployments (${ids.map(show).join(", ")})`);
  return problems;
}

function apiProblems(name: string, args: ChainIndexerArgs): string[] {
  if (!args.api) return ["api: required (the read API's image, port, probes, resources and replicas)"];
  const apiArgs = { ...args.api, provider: args.kubernetes?.provider, namespace: args.kubernetes?.namespace, tags: args.tags } as ApiServiceArgs;
  // Its name, namespace, provider and tags are this component's, checked above; its env is checked below, stricter.
  const own = apiServiceProblems(`${name}-api`, apiArgs).filter((p) => !/^(?:name|namespace|provider|tags|env\.[^:]*):/.test(p));
  const reserved = reservedPorts(args);
  return [
    ...own.map((p) => `api.${p}`),
    ...envProblems("api.env", args.api.env),
    ...(reserved.includes(args.api.port) ? [`api.port: ${args.api.port} is taken by the Cloud SQL Auth Proxy in the pod (${reserved.join(", ")})`] : []),
  ];
}

function consumerProblems(consumers: ChainIndexerArgs["consumers"]): string[] {
  if (!Array.isArray(consumers) || consumers.length === 0) return ["consumers: name who reads the indexer, what and how ({ name, reads, via })"];
  const text = (path: string, value: unknown) => (typeof value === "string" && value.trim() !== "" ? [] : [`${path}: required`]);
  return [
    ...consumers.flatMap((c, i) => [...text(`consumers[${i}].name`, c?.name), ...text(`consumers[${i}].reads`, c?.reads), ...text(`consumers[${i}].via`, c?.via)]),
    ...duplicateProblems("consumers.name", consumers.map((c) => c?.name).filter((n): n is string => typeof n === "string")),
  ];
}

export function chainIndexerProblems(name: string, args: ChainIndexerArgs): string[] {
  const namespace = args.kubernetes?.namespace;
  return [
    ...(COMPONENT_NAME.test(name) ? [] : [`name: ${show(name)} must be 1-40 lowercase letters, digits or single '-', starting with a letter (it prefixes every child)`]),
    ...(typeof args.indexer === "string" && INDEXER_NAME.test(args.indexer) ? [] : [`indexer: ${show(args.indexer)} must be 1-32 lowercase letters, digits or '-', starting with a letter`]),
    ...(typeof args.chain === "string" && CHAIN_NAME.test(args.chain) ? [] : [`chain: ${show(args.chain)} is not a chain name (e.g. mainnet)`]),
    ...integerProblems("chainId", args.chainId, 1),
    ...(args.kubernetes?.provider === undefined ? ["kubernetes.provider: required (the cluster's Kubernetes provider)"] : []),
    ...(typeof namespace === "string" && !DNS_LABEL.test(namespace) ? [`kubernetes.namespace: ${show(namespace)} is not a namespace name`] : []),
    ...identityProblems(args),
    ...urlProblems("rpc.headUrl", args.rpc?.headUrl),
    ...urlProblems("rpc.backfillUrl", args.rpc?.backfillUrl),
    ...egressProblems(args.rpc?.egress),
    ...(args.database
      ? [
          ...databaseSafetyProblems({ ...args.database, tags: args.tags, protect: args.protectData }).filter((p) => !p.startsWith("tags:")),
          // The component names its database `<name>-db` (index.ts).
          ...databaseLoginProblems(`${name}-db`, { ...args.database, tags: args.tags, protect: args.protectData }),
        ]
      : ["database: required"]
    ).map(
      (p) => (p.startsWith("protect:") ? `protectData:${p.slice("protect:".length)}` : p.startsWith("database:") ? p : `database.${p}`),
    ),
    ...workerProblems(args),
    ...deploymentProblems(args),
    ...apiProblems(name, args),
    ...consumerProblems(args.consumers),
    ...tagArgProblems("tags", args.tags ?? {}),
  ];
}
