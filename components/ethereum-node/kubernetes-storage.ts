/**
 * Chain data of a Kubernetes pool: a StorageClass sized to the pool's performance class (EKS: gp3 with the catalog's
 * IOPS and throughput; GKE: pd-ssd, whose performance grows with its size), the pods' claims as resources of their
 * own (so a bigger disk grows them in place), and daily VolumeSnapshots, the newest SNAPSHOTS_KEPT kept, as the
 * VM pools' volumes have.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesLabels } from "../tagging";
import { SNAPSHOTS_KEPT } from "./aws-snapshots";
import { HEALTH_IMAGE } from "./containers";
import { DATA_VOLUME, POD_UID, containerSecurityContext } from "./kubernetes-pod";
import { NodePoolPlan } from "./plan";

export type StorageCluster = "eks" | "gke";

/** The CSI driver of each cluster kind's block storage: it provisions the claims and takes their snapshots. */
export const CSI_DRIVERS: Readonly<Record<StorageCluster, string>> = { eks: "ebs.csi.aws.com", gke: "pd.csi.storage.gke.io" };
/** 03:17 UTC daily: off the hour, when the schedules of other tenants bunch. */
export const SNAPSHOT_SCHEDULE = "17 3 * * *";
export const SNAPSHOT_SCRIPT_KEY = "volume-snapshots.js";
const SNAPSHOT_SCRIPT = path.join(__dirname, "snapshots", SNAPSHOT_SCRIPT_KEY);
const SNAPSHOT_SCRIPT_DIR = "/snapshots";

/** The name a StatefulSet gives the claim of pod `ordinal` from its template: `<template>-<statefulset>-<ordinal>`. */
export const claimName = (statefulSet: string, ordinal: number): string => `${DATA_VOLUME}-${statefulSet}-${ordinal}`;

/** EBS CSI takes volume tags as `tagSpecification_<n>: key=value` parameters. */
function ebsTagParameters(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v], i) => [`tagSpecification_${i + 1}`, `${k}=${v}`]));
}

/** The StorageClass parameters of a pool's performance class on each cluster kind. */
export function storageClassParameters(cluster: StorageCluster, plan: NodePoolPlan): Record<string, string> {
  const tags = kubernetesLabels(plan.tags);
  if (cluster === "eks") {
    return {
      type: "gp3",
      iops: String(plan.size.iops),
      throughput: String(plan.size.throughputMBps),
      encrypted: "true",
      "csi.storage.k8s.io/fstype": "ext4",
      ...ebsTagParameters(tags),
    };
  }
  // pd-ssd: 30 IOPS and 0.48 MB/s per GiB, up to the machine's limit; the sizes the catalog gives reach its figures.
  return {
    type: "pd-ssd",
    "csi.storage.k8s.io/fstype": "ext4",
    labels: Object.entries(tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(","),
  };
}

export interface PoolStorageContext {
  readonly name: string;
  readonly plan: NodePoolPlan;
  readonly namespace: pulumi.Input<string>;
  readonly cluster?: StorageCluster;
  /** A class the operator chose instead of the pool's own. */
  readonly storageClassName?: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly labels: (component: string) => Record<string, string>;
  readonly opts: pulumi.CustomResourceOptions;
}

export interface PoolStorage {
  /** The class the claims use; undefined: the cluster's default. */
  readonly storageClassName?: pulumi.Input<string>;
  /** The claims, one per pod; the StatefulSet adopts them by name. */
  readonly claims: k8s.core.v1.PersistentVolumeClaim[];
  readonly dependsOn: pulumi.Resource[];
}

/** The pool's StorageClass (on EKS or GKE, unless one is named) and one claim per pod, sized from the plan. */
export function poolStorage(ctx: PoolStorageContext): PoolStorage {
  const { name, plan, opts } = ctx;
  const storageClass =
    ctx.cluster && !ctx.storageClassName
      ? new k8s.storage.v1.StorageClass(
          `${name}-data`,
          {
            metadata: { name: `${name}-data`, labels: ctx.labels("storage") },
            provisioner: CSI_DRIVERS[ctx.cluster],
            parameters: storageClassParameters(ctx.cluster, plan),
            volumeBindingMode: "WaitForFirstConsumer",
            // A bigger disk grows the claims in place.
            allowVolumeExpansion: true,
            // Deleting a claim must not delete chain data: released volumes stay until someone removes them.
            reclaimPolicy: "Retain",
          },
          // Parameters are immutable: a new performance class replaces the class (same name), not the claims.
          { ...opts, deleteBeforeReplace: true },
        )
      : undefined;
  const storageClassName = storageClass ? storageClass.metadata.name : ctx.storageClassName;
  const claims = Array.from(
    { length: plan.count },
    (_, i) =>
      new k8s.core.v1.PersistentVolumeClaim(
        `${name}-data-${i}`,
        {
          metadata: {
            name: claimName(name, i),
            namespace: ctx.namespace,
            labels: { ...ctx.labels("storage"), ...ctx.selector },
            // A new claim waits for its pod (WaitForFirstConsumer): `pulumi up` must not.
            annotations: { "pulumi.com/skipAwait": "true" },
          },
          spec: {
            accessModes: ["ReadWriteOnce"],
            ...(storageClassName ? { storageClassName } : {}),
            resources: { requests: { storage: `${plan.size.diskGiB}Gi` } },
          },
        },
        { ...opts, protect: plan.protectData, retainOnDelete: plan.protectData },
      ),
  );
  return { storageClassName, claims, dependsOn: [...(storageClass ? [storageClass] : []), ...claims] };
}

/**
 * Daily VolumeSnapshots of the pool's claims: a VolumeSnapshotClass of the cluster's CSI driver, and a CronJob whose
 * service account may only list the claims and create, list and delete snapshots in the pool's namespace.
 */
export function poolSnapshots(ctx: PoolStorageContext & { cluster: StorageCluster }): void {
  const { name, plan, opts, namespace } = ctx;
  const tags = kubernetesLabels(plan.tags);
  const snapshotClass = new k8s.apiextensions.CustomResource(
    `${name}-snapshot-class`,
    {
      apiVersion: "snapshot.storage.k8s.io/v1",
      kind: "VolumeSnapshotClass",
      metadata: { name: `${name}-snapshots`, labels: ctx.labels("snapshots") },
      driver: CSI_DRIVERS[ctx.cluster],
      // Pruning a VolumeSnapshot removes its cloud snapshot: retention is the CronJob's KEEP.
      deletionPolicy: "Delete",
      parameters: ctx.cluster === "eks" ? ebsTagParameters(tags) : { labels: Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(",") },
    },
    opts,
  );
  const meta = (part: string) => ({ name: `${name}-${part}`, namespace, labels: ctx.labels("snapshots") });
  const account = new k8s.core.v1.ServiceAccount(`${name}-snapshots-sa`, { metadata: meta("snapshots") }, opts);
  const role = new k8s.rbac.v1.Role(
    `${name}-snapshots-role`,
    {
      metadata: meta("snapshots"),
      rules: [
        { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["get", "list"] },
        { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["create", "get", "list", "delete"] },
      ],
    },
    opts,
  );
  new k8s.rbac.v1.RoleBinding(
    `${name}-snapshots-binding`,
    {
      metadata: meta("snapshots"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
    },
    opts,
  );
  const script = new k8s.core.v1.ConfigMap(
    `${name}-snapshots-script`,
    { metadata: meta("snapshots-script"), data: { [SNAPSHOT_SCRIPT_KEY]: fs.readFileSync(SNAPSHOT_SCRIPT, "utf8") } },
    opts,
  );
  const selector = Object.entries(ctx.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  new k8s.batch.v1.CronJob(
    `${name}-snapshots`,
    {
      metadata: meta("snapshots"),
      spec: {
        schedule: SNAPSHOT_SCHEDULE,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 6 * 60 * 60,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 60 * 60,
            template: {
              // Not the pool's selector labels: the pool's Services, NetworkPolicy and budget must not select it.
              metadata: { labels: ctx.labels("snapshots") },
              spec: {
                serviceAccountName: account.metadata.name,
                restartPolicy: "Never",
                securityContext: { runAsNonRoot: true, runAsUser: POD_UID, runAsGroup: POD_UID, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                  {
                    name: "snapshots",
                    image: HEALTH_IMAGE,
                    command: ["node", `${SNAPSHOT_SCRIPT_DIR}/${SNAPSHOT_SCRIPT_KEY}`],
                    env: [
                      { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                      { name: "SELECTOR", value: selector },
                      { name: "SNAPSHOT_CLASS", value: snapshotClass.metadata.name },
                      { name: "KEEP", value: String(SNAPSHOTS_KEPT) },
                    ],
                    resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "64Mi" } },
                    securityContext: containerSecurityContext(true),
                    volumeMounts: [{ name: "script", mountPath: SNAPSHOT_SCRIPT_DIR, readOnly: true }],
                  },
                ],
                volumes: [{ name: "script", configMap: { name: script.metadata.name, defaultMode: 0o444 } }],
              },
            },
          },
        },
      },
    },
    { ...opts, dependsOn: [role] },
  );
}
