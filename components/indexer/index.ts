/**
 * The VulcanizeDB replacement: a chain indexer on Kubernetes over its own PostgreSQL, with a read API.
 *
 * - IndexerDatabase (RDS or Cloud SQL, by the cluster's cloud), a child of this component;
 * - workers reading the estate's own RPC pool (`rpc.headUrl`; `rpc.backfillUrl`, the archive node, for backfills),
 *   blue/green by schema: each entry of `deployments` runs its own worker writing `<indexer>_<id>`, Ready once its
 *   backfill reached the chain head; the read API serves the schema of `live`; promoting is changing `live`;
 *   removing an entry deletes its worker and never its schema (no schema is a Pulumi resource: dropping one is a
 *   manual, documented step);
 * - the read API, an ApiService (HPA, PodDisruptionBudget, ingress) reading the live schema read-only, from the read
 *   replicas when there are any;
 * - least-privilege logins, each with a Kubernetes service account and cloud identity of its own, and no password in
 *   config, state or plan: a role migration Job per deployment as the admin (the only pods that can be it: the RDS
 *   master secret through IRSA, or the `cloudsqlsuperuser` IAM user), the workers as the indexer's writer role and
 *   the read API as its reader role (login roles with RDS IAM authentication, or Cloud SQL IAM users through the Auth
 *   Proxy, each a member of its group role);
 * - the lag exporter publishing INDEXER_METRICS for the live deployment, and the consumers it serves, as data.
 *
 * Held (`worker.replicas: 0`, a worker that cannot start yet): the workers and the read API run no pod, the read API
 * has no autoscaler or disruption budget, and the monitoring target says so: Monitoring plans the alarms on what a
 * running indexer publishes disabled. The database, logins, migrations and the lag exporter stay (its heartbeat too).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiService, ApiServiceEgress } from "../api-service";
import { throwIfAny } from "../cluster/validation";
import type { IndexerTarget } from "../monitoring/targets";
import { CostTags, kubernetesLabels } from "../tagging";
import { DATABASE_LOGINS, DatabaseAccess, DatabaseLogin } from "./credentials";
import { awsDatabaseAccess } from "./credentials-aws";
import { gcpDatabaseAccess } from "./credentials-gcp";
import { indexerRoles } from "./db-roles";
import { IndexerDatabase, IndexerDatabaseArgs } from "./database";
import { buildMigrations } from "./migration";
import { ReadApiArgs, buildReadApi } from "./read-api";
import { deploymentSchema } from "./schema";
import { chainIndexerProblems } from "./validate";
import { WorkerArgs, buildWorkers } from "./workers";

export { IndexerDatabase } from "./database";
export type { IndexerDatabaseArgs, IndexerDatabaseCredentials, IndexerDatabasePlacement } from "./database";
export { deploymentSchema, schemaProblems, snakeCase } from "./schema";
export { chainIndexerProblems, MAX_DEPLOYMENTS } from "./validate";
export { readOnlyOptions } from "./read-api";
export type { ReadApiArgs } from "./read-api";
export { workerDeploymentName, liveServiceName, WORKER_APP, DEPLOYMENT_LABEL } from "./workers";
export { migrationJobName } from "./migration";
export { indexerRoles, roleMigrationSql } from "./db-roles";
export type { DatabaseLogin } from "./credentials";
export type { WorkerArgs } from "./workers";
export { AWS_CLI_IMAGE, PGPASS_FILE, PGPASS_SCRIPT, secretReadPolicy } from "./credentials-aws";
export { CLOUD_SQL_PROXY_IMAGE, workloadIdentityMember } from "./credentials-gcp";

export type ChainIndexerIdentity =
  /** EKS: IAM roles for service accounts, from the cluster's OIDC provider. */
  | { kind: "aws-irsa"; oidcProviderArn: pulumi.Input<string>; oidcIssuerUrl: pulumi.Input<string>; region: string }
  /** GKE: Workload Identity of the cluster's project. */
  | { kind: "gcp-workload-identity"; project: string };

/** Who reads the indexer, and what: documentation and a stack output (e.g. Emergency Shutdown vault listing). */
export interface IndexerConsumer {
  name: string;
  /** The view, query or endpoint it reads, e.g. "GraphQL allVaults (urns by ilk)". */
  reads: string;
  /** How it reaches it, e.g. "https://indexer.example/graphql" or "the public API's /v1/vaults". */
  via: string;
}

export interface ChainIndexerArgs {
  /** The indexer's config name: its labels, its metric dimension and its schemas' prefix. */
  indexer: string;
  /** The chain's name as the indexer's config knows it (e.g. mainnet), and its id. */
  chain: string;
  chainId: number;
  kubernetes: {
    provider: k8s.Provider;
    namespace: pulumi.Input<string>;
    identity: ChainIndexerIdentity;
  };
  rpc: {
    /** The estate's RPC pool (sync-aware Service): the chain head. */
    headUrl: pulumi.Input<string>;
    /** The archive node, for backfills. */
    backfillUrl: pulumi.Input<string>;
    /** Where those are, for the NetworkPolicies (e.g. the node pools' namespace, RPC_CLIENT ports). */
    egress?: ApiServiceEgress[];
  };
  /** The database this indexer creates (its cost tags and protection come from `tags` and `protectData`). */
  database: Omit<IndexerDatabaseArgs, "tags" | "protect">;
  worker: WorkerArgs;
  /** 1 or 2 entries: blue/green. Each writes schema `<indexer>_<id>`; ids are short lowercase names (blue, green, v7). */
  deployments: { id: string; image: string }[];
  /** The id of the deployment whose schema the read API serves. */
  live: string;
  api: ReadApiArgs;
  consumers: IndexerConsumer[];
  tags: CostTags;
  /** Deletion protection, Pulumi protect and retain-on-delete of the database (prod). */
  protectData: boolean;
}

export class ChainIndexer extends pulumi.ComponentResource {
  readonly database: IndexerDatabase;
  readonly readApi: ApiService;
  /** The schema the read API serves. */
  readonly liveSchema: string;
  /** Every deployment's schema, by id. */
  readonly schemas: Record<string, string>;
  /** The Kubernetes service account of each login: admin (the role migration), writer (workers), reader (read API). */
  readonly serviceAccountNames: Record<DatabaseLogin, string>;
  readonly consumers: IndexerConsumer[];
  readonly monitoringTarget: IndexerTarget;
  /** Its workers, hence its read API, run no pod (worker.replicas 0). */
  readonly held: boolean;

  constructor(name: string, args: ChainIndexerArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("ChainIndexer", name, chainIndexerProblems(name, args));
    super("estate:indexer:ChainIndexer", name, {}, opts);
    const { provider, namespace, identity } = args.kubernetes;
    this.held = args.worker.replicas === 0;

    this.database = new IndexerDatabase(`${name}-db`, { ...args.database, tags: args.tags, protect: args.protectData }, { parent: this });
    const db = this.database;
    this.serviceAccountNames = { admin: `${name}-db-admin`, writer: `${name}-db-writer`, reader: `${name}-db-reader` };
    const roles = indexerRoles(args.indexer);

    let access: DatabaseAccess;
    const credentials = db.credentials;
    const placement = args.database.placement;
    if (identity.kind === "aws-irsa" && credentials.kind === "aws-secrets-manager" && placement.kind === "aws") {
      access = awsDatabaseAccess(
        name,
        {
          namespace,
          serviceAccounts: this.serviceAccountNames,
          users: { writer: roles.writerLogin, reader: roles.readerLogin },
          identity,
          database: { host: db.host, readerHosts: db.readerHosts, port: db.port, databaseName: db.databaseName, credentials, subnetIds: placement.privateSubnetIds },
          tags: args.tags,
        },
        this,
      );
    } else if (identity.kind === "gcp-workload-identity" && credentials.kind === "gcp-iam" && placement.kind === "gcp") {
      access = gcpDatabaseAccess(
        name,
        {
          namespace,
          serviceAccounts: this.serviceAccountNames,
          identity,
          database: { host: db.host, readerHosts: db.readerHosts, databaseName: db.databaseName, project: placement.project, credentials },
        },
        this,
      );
    } else {
      // Validation refuses a cluster identity of another cloud than the database; the database decides its credentials.
      throw new Error(`ChainIndexer "${name}": kubernetes.identity ${identity.kind} cannot use ${credentials.kind} database credentials`);
    }

    // No pod of the indexer calls the Kubernetes API: no service account token is mounted.
    const serviceAccounts = {} as Record<DatabaseLogin, k8s.core.v1.ServiceAccount>;
    for (const login of DATABASE_LOGINS) {
      const account = access.serviceAccounts[login];
      serviceAccounts[login] = new k8s.core.v1.ServiceAccount(
        `${name}-${login}-sa`,
        {
          metadata: { name: account.name, namespace, labels: { ...kubernetesLabels(args.tags), "app.kubernetes.io/part-of": name }, annotations: account.annotations },
          automountServiceAccountToken: false,
        },
        { parent: this, provider },
      );
    }

    buildMigrations(
      name,
      { indexer: args.indexer, provider, namespace, serviceAccountName: serviceAccounts.admin.metadata.name, deployments: args.deployments, access, tags: args.tags },
      this,
    );
    const workers = buildWorkers(
      name,
      {
        indexer: args.indexer,
        chain: args.chain,
        chainId: args.chainId,
        provider,
        namespace,
        serviceAccountName: serviceAccounts.writer.metadata.name,
        worker: args.worker,
        deployments: args.deployments,
        live: args.live,
        rpc: args.rpc,
        access,
        tags: args.tags,
      },
      this,
    );
    this.schemas = workers.schemas;
    this.liveSchema = deploymentSchema(args.indexer, args.live);

    this.readApi = buildReadApi(
      name,
      { api: args.api, provider, namespace, serviceAccountName: serviceAccounts.reader.metadata.name, indexer: args.indexer, schema: this.liveSchema, access, tags: args.tags, held: this.held },
      this,
    );

    this.consumers = args.consumers.map((c) => ({ ...c }));
    this.monitoringTarget = {
      kind: "indexer",
      indexer: args.indexer,
      metricsCloud: identity.kind === "aws-irsa" ? "aws" : "gcp",
      database: db.monitoringTarget,
      ...(this.held ? { held: true } : {}),
    };
    this.registerOutputs({
      costTags: args.tags,
      indexer: args.indexer,
      live: args.live,
      held: this.held,
      liveSchema: this.liveSchema,
      schemas: this.schemas,
      consumers: this.consumers,
      readApiInternalUrl: this.readApi.internalUrl,
      readApiUrl: this.readApi.url,
    });
  }
}
