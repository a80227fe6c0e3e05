/**
 * The indexer's read API (GraphQL/REST over the live schema): an ApiService (HPA, PodDisruptionBudget, ingress)
 * whose pods log in as the indexer's reader role, with a service account and cloud identity of their own, to the read
 * replicas when there are any, else to the primary. Promoting a deployment changes only DATABASE_SCHEMA /
 * search_path here: a rolling update with no capacity lost (maxUnavailable 0).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiService, ApiServiceArgs, selectorLabels } from "../api-service";
import { CostTags, kubernetesLabels } from "../tagging";
import { DatabaseAccess } from "./credentials";
import { indexerRoles, sessionRoleOptions } from "./db-roles";

/** What the caller configures of the read API; the component sets the rest. */
export type ReadApiArgs = Omit<ApiServiceArgs, "provider" | "namespace" | "tags" | "env" | "pod" | "serviceAccountName" | "held"> & { env?: Record<string, string> };

export interface BuildReadApiArgs {
  readonly api: ReadApiArgs;
  readonly provider: k8s.Provider;
  readonly namespace: pulumi.Input<string>;
  /** The reader login's service account. */
  readonly serviceAccountName: pulumi.Input<string>;
  /** The indexer's name: its reader role's. */
  readonly indexer: string;
  /** The live deployment's schema. */
  readonly schema: string;
  readonly access: DatabaseAccess;
  readonly tags: CostTags;
  /** The workers are held: no schema to serve, so no pod either (ApiServiceArgs.held). */
  readonly held: boolean;
}

export const readApiName = (name: string): string => `${name}-api`;

/**
 * Session defaults of every connection the read API opens: it acts as the indexer's SELECT-only reader role (made by
 * the role migration, db-roles.ts), in read-only transactions, with the live schema first on the search path. The
 * login is a member of the reader role alone, `<indexer>_reader_login` (AWS) or an IAM user (GCP): RESET ROLE
 * gains nothing.
 */
export function readOnlyOptions(schema: string, role: string): string {
  return `${sessionRoleOptions(role)} -c default_transaction_read_only=on -c search_path=${schema}`;
}

export function buildReadApi(name: string, args: BuildReadApiArgs, parent: pulumi.Resource): ApiService {
  const parts = args.access.pod("reader");
  const apiName = readApiName(name);
  const api = new ApiService(
    apiName,
    {
      ...args.api,
      provider: args.provider,
      namespace: args.namespace,
      tags: args.tags,
      serviceAccountName: args.serviceAccountName,
      env: { ...(args.api.env ?? {}), DATABASE_SCHEMA: args.schema, ...parts.env, PGOPTIONS: readOnlyOptions(args.schema, indexerRoles(args.indexer).reader) },
      pod: { initContainers: parts.initContainers, volumes: parts.volumes, volumeMounts: parts.volumeMounts },
      egress: [...(args.api.egress ?? []), ...args.access.cloudEgress],
      ...(args.held ? { held: true } : {}),
    },
    { parent },
  );
  // The database's addresses are known only after deploy, which the ApiService's egress list (plain CIDRs) cannot
  // take. NetworkPolicies add up: this one opens the database port to the API's pods, nothing else.
  new k8s.networking.v1.NetworkPolicy(
    `${name}-api-database-netpol`,
    {
      metadata: { name: `${apiName}-database`, namespace: args.namespace, labels: { ...kubernetesLabels(args.tags), "app.kubernetes.io/component": "api" } },
      spec: { podSelector: { matchLabels: selectorLabels(apiName) }, policyTypes: ["Egress"], egress: parts.databaseEgress },
    },
    { parent, provider: args.provider },
  );
  return api;
}
