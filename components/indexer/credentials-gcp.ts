/**
 * GCP: Cloud SQL IAM database authentication, one identity per login. Each pod runs as the Kubernetes service
 * account of its login (`<name>-db-admin` for the role migration, `<name>-db-writer` for the workers,
 * `<name>-db-reader` for the read API), which GKE Workload Identity maps to that login's own Google service account; a
 * Cloud SQL Auth Proxy sidecar with `--auto-iam-authn` logs in as it with short-lived OAuth tokens. There is no
 * password anywhere, and only the migration's account is `cloudsqlsuperuser`: on GKE every container of a pod can ask
 * the metadata server for the pod's token, so the admin identity lives in the migration's pods alone.
 *
 * - `roles/iam.workloadIdentityUser` on each Google service account for
 *   `<project>.svc.id.goog[<namespace>/<its ksa>]` only, and each KSA annotated `iam.gke.io/gcp-service-account`.
 * - The proxy runs as a native sidecar (an init container with restartPolicy Always): it is up (startup probe)
 *   before the application starts and stops after it. It listens on 127.0.0.1 only, one port per instance
 *   (5432, then 5433 for a second replica), and reaches the instances over private IP with TLS 1.3; the application
 *   speaks plain Postgres to the loopback (`sslmode=disable`: the proxy encrypts).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Container, DATABASE_LOGINS, DatabaseAccess, DatabaseLogin, LoginServiceAccount, POSTGRES_PORT, cidrEgress, libpqEnv, sidecarSecurityContext } from "./credentials";

/** Bump the tag here (https://github.com/GoogleCloudPlatform/cloud-sql-proxy/releases). */
export const CLOUD_SQL_PROXY_IMAGE = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.25.3";
export const PROXY_CONTAINER = "cloud-sql-proxy";
/** The proxy's health endpoints (/startup, /readiness, /liveness), on the pod IP for the kubelet's probes. */
export const PROXY_HEALTH_PORT = 9801;
/** The port the proxy dials on the instance's private IP. */
export const CLOUD_SQL_SERVER_PORT = 3307;
/** At most a primary or two replicas are proxied per pod: 5432 and 5433. */
const MAX_PROXIED_INSTANCES = 2;
export const LOCALHOST = "127.0.0.1";
/** The GKE metadata server, which hands out Workload Identity tokens (port 80; 988 on older GKE versions). */
export const GKE_METADATA_EGRESS = [
  { cidr: "169.254.169.254/32", ports: [80] },
  { cidr: "169.254.169.252/32", ports: [988] },
];

/** What this module needs of the database (IndexerDatabase's GCP credentials and addresses). */
export interface GcpDatabase {
  readonly host: pulumi.Input<string>;
  readonly readerHosts: pulumi.Input<string>[];
  readonly databaseName: string;
  /** The project of the database and of its Google service account. */
  readonly project: string;
  readonly credentials: {
    readonly kind: "gcp-iam";
    readonly instanceConnectionName: pulumi.Input<string>;
    readonly replicaConnectionNames: pulumi.Input<string>[];
    /** Each login's Google service account and IAM database user. */
    readonly logins: Record<DatabaseLogin, { readonly serviceAccountEmail: pulumi.Input<string>; readonly username: pulumi.Input<string> }>;
  };
}

export interface GcpDatabaseAccessArgs {
  readonly namespace: pulumi.Input<string>;
  /** The Kubernetes service account of each login. */
  readonly serviceAccounts: Record<DatabaseLogin, string>;
  /** The cluster's project: its workload pool is `<project>.svc.id.goog`. */
  readonly identity: { readonly project: string };
  readonly database: GcpDatabase;
}

export interface GcpDatabaseAccess extends DatabaseAccess {
  /** Per login: its Kubernetes service account may act as its Google service account, and nothing else may. */
  readonly workloadIdentityBindings: Record<DatabaseLogin, gcp.serviceaccount.IAMMember>;
}

export function workloadIdentityMember(clusterProject: string, namespace: string, serviceAccount: string): string {
  return `serviceAccount:${clusterProject}.svc.id.goog[${namespace}/${serviceAccount}]`;
}

function proxySidecar(instances: pulumi.Input<string>[]): Container {
  const probe = (path: string) => ({ httpGet: { path, port: PROXY_HEALTH_PORT, scheme: "HTTP" } });
  return {
    name: PROXY_CONTAINER,
    image: CLOUD_SQL_PROXY_IMAGE,
    imagePullPolicy: "IfNotPresent",
    restartPolicy: "Always",
    args: [
      "--auto-iam-authn",
      "--private-ip",
      "--structured-logs",
      "--health-check",
      "--http-address=0.0.0.0",
      `--http-port=${PROXY_HEALTH_PORT}`,
      // Stop cleanly after the application: let its connections close first.
      "--exit-zero-on-sigterm",
      "--max-sigterm-delay=30s",
      ...instances.map((instance, i) => pulumi.interpolate`${instance}?port=${POSTGRES_PORT + i}`),
    ],
    ports: [{ name: "proxy-health", containerPort: PROXY_HEALTH_PORT, protocol: "TCP" }],
    // Memory grows with open connections; the proxy is not on the hot path for CPU.
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    startupProbe: { ...probe("/startup"), periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60 },
    readinessProbe: { ...probe("/readiness"), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
    livenessProbe: { ...probe("/liveness"), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    securityContext: sidecarSecurityContext(),
  };
}

export function gcpDatabaseAccess(name: string, args: GcpDatabaseAccessArgs, parent: pulumi.Resource): GcpDatabaseAccess {
  const { database } = args;
  const { credentials } = database;
  const workloadIdentityBindings = {} as Record<DatabaseLogin, gcp.serviceaccount.IAMMember>;
  const serviceAccounts = {} as Record<DatabaseLogin, LoginServiceAccount>;
  for (const login of DATABASE_LOGINS) {
    const { serviceAccountEmail } = credentials.logins[login];
    workloadIdentityBindings[login] = new gcp.serviceaccount.IAMMember(
      `${name}-workload-identity-${login}`,
      {
        serviceAccountId: pulumi.interpolate`projects/${database.project}/serviceAccounts/${serviceAccountEmail}`,
        role: "roles/iam.workloadIdentityUser",
        member: pulumi.output(args.namespace).apply((ns) => workloadIdentityMember(args.identity.project, ns, args.serviceAccounts[login])),
      },
      { parent },
    );
    serviceAccounts[login] = { name: args.serviceAccounts[login], annotations: { "iam.gke.io/gcp-service-account": serviceAccountEmail } };
  }

  const useReplicas = (login: DatabaseLogin) => login === "reader" && credentials.replicaConnectionNames.length > 0;
  return {
    cloud: "gcp",
    workloadIdentityBindings,
    serviceAccounts,
    members: { writer: [credentials.logins.writer.username], reader: [credentials.logins.reader.username] },
    adminReady: [workloadIdentityBindings.admin],
    // The Cloud SQL Admin API (ephemeral certificates, instance metadata) and IAM tokens over HTTPS, and the
    // GKE metadata server for the Workload Identity token.
    cloudEgress: [{ cidr: "0.0.0.0/0", ports: [443] }, ...GKE_METADATA_EGRESS],
    reservedPorts: [...Array.from({ length: MAX_PROXIED_INSTANCES }, (_, i) => POSTGRES_PORT + i), PROXY_HEALTH_PORT],
    pod: (login: DatabaseLogin) => {
      const instances = useReplicas(login) ? credentials.replicaConnectionNames.slice(0, MAX_PROXIED_INSTANCES) : [credentials.instanceConnectionName];
      const addresses = useReplicas(login) ? database.readerHosts.slice(0, MAX_PROXIED_INSTANCES) : [database.host];
      return {
        initContainers: [proxySidecar(instances)],
        volumes: [],
        volumeMounts: [],
        env: libpqEnv({
          hosts: instances.map(() => LOCALHOST),
          ports: instances.map((_, i) => POSTGRES_PORT + i),
          database: database.databaseName,
          user: credentials.logins[login].username,
          sslmode: "disable",
        }),
        databaseEgress: [cidrEgress(addresses.map((a) => pulumi.interpolate`${a}/32`), [CLOUD_SQL_SERVER_PORT])],
      };
    },
  };
}
