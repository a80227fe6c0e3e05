/**
 * The role migration (db-roles.ts), run for each deployment by a Job of its own, `<name>-db-roles-<id>`, before its
 * worker starts (the worker waits for it): the only pods with the admin login. They run as the admin's service
 * account, whose cloud identity alone may read the master secret (AWS) or is `cloudsqlsuperuser` (GCP); a worker or
 * the read API cannot become it. `pulumi up` waits for the Job, so a failed migration fails the update, and the next
 * `up` runs it again. Idempotent: a Job replaced (new image, new members) just runs it again.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DNS_EGRESS } from "../api-service/network-policy";
import { CostTags, kubernetesLabels } from "../tagging";
import { caBundleCopy } from "./ca-bundle";
import { Container, DatabaseAccess, INDEXER_UID, VolumeMount, cidrEgress, envList, sidecarSecurityContext } from "./credentials";
import { roleMigrationSql } from "./db-roles";
import { deploymentSchema } from "./schema";

/** psql for the role migration and the workers' wait for it; bump the tag here. */
export const MIGRATION_IMAGE = "postgres:17.7-alpine3.22";
export const MIGRATION_CONTAINER = "db-roles";
export const MIGRATION_APP = "chain-indexer-db-roles";
/** Retries of a failed run (a new pod each, with backoff; the failed pods stay for their logs) before the Job fails. */
export const MIGRATION_BACKOFF_LIMIT = 6;
/** How long `pulumi up` waits for a Job: its retries' backoff alone adds up to ten minutes. */
export const MIGRATION_TIMEOUT = "20m";
/** A Job that failed is replaced (run again) by the next `pulumi up`, instead of being waited for again. */
const REPLACE_UNREADY = { "pulumi.com/replaceUnready": "true" };
const TMP_VOLUME = "tmp";

export const migrationJobName = (name: string, id: string): string => `${name}-db-roles-${id}`;

export function migrationSelector(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": MIGRATION_APP, "app.kubernetes.io/part-of": name };
}

export interface MigrationArgs {
  readonly indexer: string;
  readonly provider: k8s.Provider;
  readonly namespace: pulumi.Input<string>;
  /** The admin login's service account. */
  readonly serviceAccountName: pulumi.Input<string>;
  /** The deployments and their indexer images (the CA bundle is copied from the image, ca-bundle.ts). */
  readonly deployments: readonly { id: string; image: string }[];
  readonly access: DatabaseAccess;
  readonly tags: CostTags;
}

function migrationContainer(args: MigrationArgs, schema: string, caMounts: VolumeMount[]): Container {
  const parts = args.access.pod("admin");
  const members = args.access.members;
  const sql = pulumi
    .all([pulumi.all(members.writer.map((m) => pulumi.output(m))), pulumi.all(members.reader.map((m) => pulumi.output(m)))])
    .apply(([writer, reader]) => roleMigrationSql({ indexer: args.indexer, schemas: [schema], cloud: args.access.cloud, members: { writer, reader } }));
  return {
    name: MIGRATION_CONTAINER,
    image: MIGRATION_IMAGE,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", 'exec psql -v ON_ERROR_STOP=1 -X -q -c "$MIGRATION_SQL"'],
    env: envList({ ...parts.env, MIGRATION_SQL: sql, HOME: "/tmp" }),
    resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "64Mi" } },
    securityContext: sidecarSecurityContext(),
    volumeMounts: [{ name: TMP_VOLUME, mountPath: "/tmp" }, ...parts.volumeMounts, ...caMounts],
  };
}

/** One Job per deployment, for its schema: adding or retiring a deployment never reruns another's. */
export function buildMigrations(name: string, args: MigrationArgs, parent: pulumi.Resource): Record<string, k8s.batch.v1.Job> {
  const opts = { parent, provider: args.provider };
  const parts = args.access.pod("admin");
  const labels = { ...kubernetesLabels(args.tags), ...migrationSelector(name), "app.kubernetes.io/component": "db-roles" };
  const jobs: Record<string, k8s.batch.v1.Job> = {};
  for (const { id, image } of args.deployments) {
    const ca = parts.caBundle ? caBundleCopy(parts.caBundle, image) : undefined;
    jobs[id] = new k8s.batch.v1.Job(
      `${name}-db-roles-${id}`,
      {
        metadata: { name: migrationJobName(name, id), namespace: args.namespace, labels, annotations: REPLACE_UNREADY },
        spec: {
          backoffLimit: MIGRATION_BACKOFF_LIMIT,
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: args.serviceAccountName,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              // A pod per try: a failed one is kept, with its logs (OnFailure would delete it at backoffLimit). The
              // credentials sidecar is a native sidecar, stopped once psql is done.
              restartPolicy: "Never",
              securityContext: { runAsNonRoot: true, runAsUser: INDEXER_UID, runAsGroup: INDEXER_UID, fsGroup: INDEXER_UID, seccompProfile: { type: "RuntimeDefault" } },
              initContainers: [...parts.initContainers, ...(ca ? [ca.initContainer] : [])],
              containers: [migrationContainer(args, deploymentSchema(args.indexer, id), ca ? [ca.mount] : [])],
              volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: "16Mi" } }, ...parts.volumes, ...(ca ? [ca.volume] : [])],
            },
          },
        },
      },
      // A Job's template cannot change: a new one replaces it, under the same name, so the old one goes first.
      // It logs in only once the admin's cloud identity may read the secret or act as its service account.
      { ...opts, dependsOn: args.access.adminReady, deleteBeforeReplace: true, customTimeouts: { create: MIGRATION_TIMEOUT, update: MIGRATION_TIMEOUT } },
    );
  }
  new k8s.networking.v1.NetworkPolicy(
    `${name}-db-roles-netpol`,
    {
      metadata: { name: `${name}-db-roles`, namespace: args.namespace, labels: { ...kubernetesLabels(args.tags), "app.kubernetes.io/component": "db-roles" } },
      spec: {
        podSelector: { matchLabels: migrationSelector(name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [DNS_EGRESS, ...parts.databaseEgress, ...args.access.cloudEgress.map((e) => cidrEgress([e.cidr], e.ports))],
      },
    },
    opts,
  );
  return jobs;
}
