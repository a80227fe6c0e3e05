/**
 * How the indexer's pods reach its database, whatever the cloud: the pieces a pod needs (native sidecars, volumes,
 * libpq environment) and the NetworkPolicy egress they imply. `credentials-aws.ts` and `credentials-gcp.ts` build
 * them; no password ever appears in config, state or a plan: the pods fetch short-lived or managed credentials.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { API_UID } from "../api-service/pod";

export type Container = k8s.types.input.core.v1.Container;
export type Volume = k8s.types.input.core.v1.Volume;
export type VolumeMount = k8s.types.input.core.v1.VolumeMount;
export type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Postgres' port on RDS and on the Cloud SQL Auth Proxy's local listener. */
export const POSTGRES_PORT = 5432;
/**
 * Every container of the indexer's pods runs as this user, the ApiService's: a sidecar's files (the pgpass file,
 * mode 0600) are then readable by the container that connects, whichever of the two pods it is.
 */
export const INDEXER_UID = API_UID;

/**
 * Who logs in, each as a Kubernetes service account and cloud identity of its own: the role migration as the
 * database's admin (a Job), the workers as the writer role (primary), the read API as the reader role (the replicas
 * when there are any, else the primary).
 */
export type DatabaseLogin = "admin" | "writer" | "reader";
export const DATABASE_LOGINS: readonly DatabaseLogin[] = ["admin", "writer", "reader"];

/** A Kubernetes service account of the indexer: its name and the annotations its cloud identity needs. */
export interface LoginServiceAccount {
  readonly name: string;
  readonly annotations: Record<string, pulumi.Input<string>>;
}

/** What one pod needs to connect. */
export interface DatabasePodParts {
  /** Native sidecars (init containers with restartPolicy Always): they start, and pass their startup probe, first. */
  readonly initContainers: Container[];
  readonly volumes: Volume[];
  /** Mounted into the container that connects. */
  readonly volumeMounts: VolumeMount[];
  /** libpq's variables and DATABASE_URL, never a password. */
  readonly env: Record<string, pulumi.Input<string>>;
  /**
   * The CA bundle the env's `sslrootcert` names, a file of the indexer image (AWS: RDS's CAs): a container of another
   * image that connects (psql) needs a copy of it at the same path (ca-bundle.ts). None behind the Auth Proxy.
   */
  readonly caBundle?: string;
  /** NetworkPolicy egress to the database itself (addresses may be known only after deploy). */
  readonly databaseEgress: EgressRule[];
}

export interface DatabaseAccess {
  readonly cloud: "aws" | "gcp";
  /** One service account per login: a pod's identity is its service account's, so no two logins share a pod. */
  readonly serviceAccounts: Record<DatabaseLogin, LoginServiceAccount>;
  /**
   * The database users the role migration grants the writer's and the reader's role to: GCP's IAM users. [] on AWS,
   * where the migration makes the login roles itself (db-roles.ts).
   */
  readonly members: { readonly writer: pulumi.Input<string>[]; readonly reader: pulumi.Input<string>[] };
  /** What the credential machinery calls besides the database: cloud APIs, the metadata server. Plain CIDRs. */
  readonly cloudEgress: { cidr: string; ports: number[] }[];
  /** The admin's cloud permissions (its IRSA role's policy, its Workload Identity binding): a migration Job waits for them. */
  readonly adminReady: pulumi.Resource[];
  /** Ports the sidecars bind inside the pod: the application's own port must differ. */
  readonly reservedPorts: number[];
  pod(login: DatabaseLogin): DatabasePodParts;
}

/** The hardened security context of every sidecar the indexer adds (the ApiService re-applies the same rules). */
export function sidecarSecurityContext(): SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: INDEXER_UID,
    runAsGroup: INDEXER_UID,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * `verify-full` to RDS (TLS, as `rds.force_ssl` and IAM authentication demand, with the server's certificate checked
 * against the CA bundle `sslrootcert`, a path inside the container, and its name against the host); `disable` to the
 * Auth Proxy on 127.0.0.1, which encrypts itself.
 */
export type LibpqTls = { readonly sslmode: "verify-full"; readonly sslrootcert: string } | { readonly sslmode: "disable"; readonly sslrootcert?: undefined };

export type LibpqTarget = LibpqTls & {
  /** One or more servers; libpq (16+) picks one at random per connection when several. */
  readonly hosts: pulumi.Input<string>[];
  readonly ports: number[];
  readonly database: string;
  readonly user: pulumi.Input<string>;
  readonly passfile?: string;
};

/**
 * libpq's environment (read by psql, libpq-based drivers and node-postgres) and DATABASE_URL for the first server.
 * Several servers (read replicas) are listed in PGHOST/PGPORT with PGLOADBALANCEHOSTS=random; DATABASE_URL names
 * the first only, since not every driver parses multi-host URLs. `uselibpqcompat=true` makes node-postgres read
 * `sslmode` and `sslrootcert` as libpq does (verify-full: the chain against that bundle alone, and the host name).
 */
export function libpqEnv(target: LibpqTarget): Record<string, pulumi.Input<string>> {
  const [firstHost] = target.hosts;
  const tls = target.sslmode === "verify-full" ? `uselibpqcompat=true&sslmode=verify-full&sslrootcert=${encodeURIComponent(target.sslrootcert).replace(/%2F/g, "/")}` : `sslmode=${target.sslmode}`;
  const url = pulumi
    .all([pulumi.output(firstHost), pulumi.output(target.user)])
    .apply(([host, user]) => `postgresql://${encodeURIComponent(user)}@${host}:${target.ports[0]}/${encodeURIComponent(target.database)}?${tls}`);
  return {
    DATABASE_URL: url,
    PGHOST: pulumi.all(target.hosts.map((h) => pulumi.output(h))).apply((hosts) => hosts.join(",")),
    PGPORT: target.ports.join(","),
    PGDATABASE: target.database,
    PGUSER: target.user,
    PGSSLMODE: target.sslmode,
    ...(target.sslrootcert ? { PGSSLROOTCERT: target.sslrootcert } : {}),
    ...(target.hosts.length > 1 ? { PGLOADBALANCEHOSTS: "random" } : {}),
    ...(target.passfile ? { PGPASSFILE: target.passfile } : {}),
  };
}

/** An egress rule to `cidrs` on TCP `ports`. */
export function cidrEgress(cidrs: pulumi.Input<string>[], ports: number[]): EgressRule {
  return { to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports.map((port) => ({ protocol: "TCP", port })) };
}

/** Container env in order: Kubernetes expands `$(NAME)` only from variables defined before. */
export function envList(env: Record<string, pulumi.Input<string>>): EnvVar[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}
