/**
 * The indexer's workers on Kubernetes, blue/green by schema:
 *
 * - one Deployment per entry of `deployments` (`<name>-worker-<id>`), one replica, Recreate (never two writers on
 *   one schema), writing its own schema `<indexer>_<id>`; its readiness is the indexer's own "backfill reached the
 *   chain head" endpoint, so `kubectl rollout status` returns when the deployment is ready to be promoted;
 * - nothing in a worker's pod depends on which deployment is live: promoting one restarts no worker;
 * - the workers log in as the indexer's writer role (service account `<name>-db-writer`), never as the admin: their
 *   pod first waits until its deployment's role migration Job (migration.ts) has set its schema up;
 * - the lag exporter (one small Deployment, `<name>-lag`) watches the live worker through `<name>-live`, a Service
 *   selecting the live deployment's pod whether Ready or not, and publishes INDEXER_METRICS for the indexer: one
 *   series per indexer, never a second one from a deployment still backfilling;
 * - a NetworkPolicy per role: workers reach cluster DNS, the RPC pool, the database and the credential endpoints,
 *   and accept only the lag exporter on their HTTP port; the exporter reaches DNS, the RPC pool and the workers, and
 *   accepts only the metrics collectors.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiServiceEgress } from "../api-service";
import { DNS_EGRESS, networkPolicyRules } from "../api-service/network-policy";
import { RPC_CLIENT_LABEL } from "../ethereum-node/kubernetes";
import { INDEXER_POD_LABEL, SCRAPER_NAMESPACES } from "../metrics/scrape";
import { METRICS_PORT_NAME, SCRAPE_LABEL } from "../monitoring/targets";
import { CostTags, kubernetesLabels } from "../tagging";
import { caBundleCopy } from "./ca-bundle";
import { Container, DatabaseAccess, EgressRule, INDEXER_UID, VolumeMount, cidrEgress, envList } from "./credentials";
import { indexerRoles, migrationDoneSql, sessionRoleOptions } from "./db-roles";
import { indexerLagContainer } from "./lag";
import { MIGRATION_IMAGE, migrationJobName } from "./migration";
import { deploymentSchema } from "./schema";

type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;

export const WORKER_CONTAINER = "indexer";
export const WORKER_PORT_NAME = "http";
/** Stable selector values (never cost labels): the workers' and the lag exporter's app names. */
export const WORKER_APP = "chain-indexer-worker";
export const LAG_APP = "chain-indexer-lag";
/** Which deployment (blue/green entry) a worker pod belongs to. */
export const DEPLOYMENT_LABEL = "estate-indexer-deployment";
/**
 * A backfill from genesis takes days: the Deployment must not be marked failed (ProgressDeadlineExceeded) while a
 * healthy worker is still catching up. Crashes are still seen at once (restarts, liveness, the indexer alarms).
 */
export const BACKFILL_DEADLINE_SECONDS = 14 * 24 * 3600;
/** The indexer flushes its last batch on SIGTERM. */
export const WORKER_SHUTDOWN_SECONDS = 60;
/** A new worker may take this long to open its HTTP port (migrations, code generation). */
export const WORKER_STARTUP_WINDOW_SECONDS = 30 * 60;
/** Kubernetes waits for no pod here: a backfill must not fail `pulumi up` (readiness gates the promotion instead). */
const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };
const TMP_VOLUME = "tmp";

/** The worker's contract: its HTTP endpoints and resources. */
export interface WorkerArgs {
  /** The indexer's HTTP port (status, readiness). */
  port: number;
  /** Answers 200 only once the backfill has reached the chain head (Ponder: /ready). */
  readinessPath: string;
  /** JSON with the latest indexed block (Ponder: /status). */
  statusPath: string;
  /** JSON pointer to the indexed block number in the status document, e.g. /mainnet/block/number. */
  statusBlockPointer: string;
  /** Answers 200 while the process is healthy (Ponder: /health); default: a TCP check of the port. */
  livenessPath?: string;
  /** Kubernetes quantities: the CPU request (no CPU limit: backfills burst) and the memory request and limit. */
  cpu: string;
  memory: string;
  /** Plain configuration, after the component's variables: `$(RPC_URL)` and the like expand. No secrets. */
  env?: Record<string, string>;
  /** Arguments to the image's entrypoint. */
  args?: string[];
  /** Default true; /tmp is always writable. */
  readOnlyRootFilesystem?: boolean;
  /** 1 (default), or 0 to plan the workers held: a worker that cannot start yet (its configuration incomplete). */
  replicas?: 0 | 1;
}

export interface WorkersArgs {
  readonly indexer: string;
  readonly chain: string;
  readonly chainId: number;
  readonly provider: k8s.Provider;
  readonly namespace: pulumi.Input<string>;
  /** The writer login's service account. */
  readonly serviceAccountName: pulumi.Input<string>;
  readonly worker: WorkerArgs;
  readonly deployments: readonly { id: string; image: string }[];
  readonly live: string;
  readonly rpc: { headUrl: pulumi.Input<string>; backfillUrl: pulumi.Input<string>; egress?: ApiServiceEgress[] };
  readonly access: DatabaseAccess;
  readonly tags: CostTags;
}

export interface Workers {
  /** Per deployment id. */
  readonly deployments: Record<string, k8s.apps.v1.Deployment>;
  readonly schemas: Record<string, string>;
  readonly liveService: k8s.core.v1.Service;
  readonly lagExporter: k8s.apps.v1.Deployment;
}

/** The labels a worker Deployment selects on. */
export function workerSelector(name: string, id: string): Record<string, string> {
  return { "app.kubernetes.io/name": WORKER_APP, "app.kubernetes.io/instance": `${name}-${id}` };
}

/** Every worker of the indexer, whichever deployment (NetworkPolicy only: never a Deployment's selector). */
export function allWorkers(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": WORKER_APP, "app.kubernetes.io/part-of": name };
}

export function lagSelector(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": LAG_APP, "app.kubernetes.io/instance": name };
}

export const workerDeploymentName = (name: string, id: string): string => `${name}-worker-${id}`;
export const liveServiceName = (name: string): string => `${name}-live`;

function workerSecurityContext(readOnlyRootFilesystem: boolean) {
  return {
    runAsNonRoot: true,
    readOnlyRootFilesystem,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** The writer login's libpq environment; its sessions act as the writer role (what they create, it owns). */
function writerEnv(args: WorkersArgs): Record<string, pulumi.Input<string>> {
  return { ...args.access.pod("writer").env, PGOPTIONS: sessionRoleOptions(indexerRoles(args.indexer).writer) };
}

function workerContainer(args: WorkersArgs, image: string, schema: string): Container {
  const { worker, access } = args;
  const parts = access.pod("writer");
  const httpGet = (path: string) => ({ httpGet: { path, port: WORKER_PORT_NAME, scheme: "HTTP" } });
  const tcp = { tcpSocket: { port: WORKER_PORT_NAME } };
  return {
    name: WORKER_CONTAINER,
    image,
    imagePullPolicy: "IfNotPresent",
    ...(worker.args ? { args: [...worker.args] } : {}),
    env: envList({
      DATABASE_SCHEMA: schema,
      ...writerEnv(args),
      RPC_URL: args.rpc.headUrl,
      BACKFILL_RPC_URL: args.rpc.backfillUrl,
      CHAIN: args.chain,
      CHAIN_ID: String(args.chainId),
      ...(worker.env ?? {}),
    }),
    ports: [{ name: WORKER_PORT_NAME, containerPort: worker.port, protocol: "TCP" }],
    startupProbe: { ...tcp, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: WORKER_STARTUP_WINDOW_SECONDS / 10 },
    // Ready = the backfill reached the chain head: what a promotion waits for.
    readinessProbe: { ...httpGet(worker.readinessPath), periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
    // Generous: a restart costs a resume, and a busy backfill may answer slowly.
    livenessProbe: { ...(worker.livenessPath ? httpGet(worker.livenessPath) : tcp), periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 10 },
    // Guaranteed memory (an OOM kill mid-batch costs a replay); no CPU limit so backfills are not throttled.
    resources: { requests: { cpu: worker.cpu, memory: worker.memory }, limits: { memory: worker.memory } },
    securityContext: workerSecurityContext(worker.readOnlyRootFilesystem ?? true),
    volumeMounts: [{ name: TMP_VOLUME, mountPath: "/tmp" }, ...parts.volumeMounts],
  };
}

export const WAIT_CONTAINER = "wait-for-roles";
/** No `$(` or `$$`, which Kubernetes would expand in a container command: backquotes substitute. */
export const WAIT_SCRIPT = [
  'until ready=`psql -X -tA -c "$MIGRATION_DONE_SQL"` && [ "$ready" = t ]; do',
  '  echo "wait-for-roles: schema $DATABASE_SCHEMA is not set up for the writer yet (job $MIGRATION_JOB); retrying in 5s" >&2',
  "  sleep 5",
  "done",
].join("\n");

/**
 * Waits, logged in as the writer, until the deployment's role migration Job has made the writer the owner of its
 * schema; only then does the worker start (it would fail to log in, or to create its tables, before).
 */
function waitContainer(name: string, args: WorkersArgs, id: string, schema: string, caMounts: VolumeMount[]): Container {
  return {
    name: WAIT_CONTAINER,
    image: MIGRATION_IMAGE,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", WAIT_SCRIPT],
    env: envList({ ...writerEnv(args), DATABASE_SCHEMA: schema, MIGRATION_JOB: migrationJobName(name, id), MIGRATION_DONE_SQL: migrationDoneSql(args.indexer, schema), HOME: "/tmp" }),
    resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "64Mi" } },
    securityContext: workerSecurityContext(true),
    volumeMounts: [{ name: TMP_VOLUME, mountPath: "/tmp" }, ...args.access.pod("writer").volumeMounts, ...caMounts],
  };
}

function workerPod(name: string, args: WorkersArgs, labels: Record<string, string>, id: string, image: string, schema: string): PodTemplateSpec {
  const parts = args.access.pod("writer");
  // The worker has the CA bundle in its image; the wait (psql) gets a copy of it.
  const ca = parts.caBundle ? caBundleCopy(parts.caBundle, image) : undefined;
  return {
    metadata: { labels, annotations: { "kubectl.kubernetes.io/default-container": WORKER_CONTAINER } },
    spec: {
      serviceAccountName: args.serviceAccountName,
      // No Kubernetes API token: the workers never call the API server (credentials come from the sidecar).
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: WORKER_SHUTDOWN_SECONDS,
      securityContext: { runAsNonRoot: true, runAsUser: INDEXER_UID, runAsGroup: INDEXER_UID, fsGroup: INDEXER_UID, seccompProfile: { type: "RuntimeDefault" } },
      initContainers: [...parts.initContainers, ...(ca ? [ca.initContainer] : []), waitContainer(name, args, id, schema, ca ? [ca.mount] : [])],
      containers: [workerContainer(args, image, schema)],
      volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: "1Gi" } }, ...parts.volumes, ...(ca ? [ca.volume] : [])],
    },
  };
}

/** NetworkPolicy egress rules for `egress` (the RPC pool), in the ApiService's shape. */
export function egressRules(egress: readonly ApiServiceEgress[]): EgressRule[] {
  return networkPolicyRules({ port: 0, egress: [...egress] }).egress.filter((rule) => rule !== DNS_EGRESS);
}

export function buildWorkers(name: string, args: WorkersArgs, parent: pulumi.Resource): Workers {
  const opts = { parent, provider: args.provider };
  const costLabels = kubernetesLabels(args.tags);
  const { namespace } = args;
  const common = { ...costLabels, [INDEXER_POD_LABEL]: args.indexer };
  const rpcEgress = egressRules(args.rpc.egress ?? []);

  const deployments: Record<string, k8s.apps.v1.Deployment> = {};
  const schemas: Record<string, string> = {};
  for (const { id, image } of args.deployments) {
    const schema = deploymentSchema(args.indexer, id);
    schemas[id] = schema;
    const selector = workerSelector(name, id);
    const labels = {
      ...common,
      ...allWorkers(name),
      ...selector,
      "app.kubernetes.io/component": "worker",
      [DEPLOYMENT_LABEL]: id,
      // The estate's node pools on Kubernetes accept JSON-RPC from pods with this label.
      ...RPC_CLIENT_LABEL,
    };
    deployments[id] = new k8s.apps.v1.Deployment(
      `${name}-worker-${id}`,
      {
        metadata: { name: workerDeploymentName(name, id), namespace, labels, annotations: SKIP_AWAIT },
        spec: {
          replicas: args.worker.replicas ?? 1,
          // One writer per schema: the old pod is gone before the new one starts.
          strategy: { type: "Recreate" },
          selector: { matchLabels: selector },
          progressDeadlineSeconds: BACKFILL_DEADLINE_SECONDS,
          revisionHistoryLimit: 5,
          template: workerPod(name, args, labels, id, image, schema),
        },
      },
      opts,
    );
  }

  const liveDeployment = args.deployments.find((d) => d.id === args.live) ?? args.deployments[0];
  const liveService = new k8s.core.v1.Service(
    `${name}-live`,
    {
      metadata: { name: liveServiceName(name), namespace, labels: { ...common, ...allWorkers(name), "app.kubernetes.io/component": "live-worker" }, annotations: SKIP_AWAIT },
      spec: {
        type: "ClusterIP",
        // The exporter must see a worker that is not Ready (behind, or still backfilling) to report by how much.
        publishNotReadyAddresses: true,
        selector: workerSelector(name, liveDeployment.id),
        ports: [{ name: WORKER_PORT_NAME, port: args.worker.port, targetPort: WORKER_PORT_NAME, protocol: "TCP" }],
      },
    },
    opts,
  );

  const liveBase = pulumi.interpolate`http://${liveService.metadata.name}.${liveService.metadata.namespace}.svc.cluster.local:${args.worker.port}`;
  const lag = indexerLagContainer({
    indexer: args.indexer,
    rpcUrl: args.rpc.headUrl,
    statusUrl: pulumi.interpolate`${liveBase}${args.worker.statusPath}`,
    statusBlockPointer: args.worker.statusBlockPointer,
    readyUrl: pulumi.interpolate`${liveBase}${args.worker.readinessPath}`,
  });
  const lagScript = new k8s.core.v1.ConfigMap(
    `${name}-lag`,
    { metadata: { name: `${name}-lag`, namespace, labels: { ...common, ...lagSelector(name), "app.kubernetes.io/component": "lag-exporter" } }, data: lag.configMapData },
    opts,
  );
  const lagLabels = { ...common, ...lagSelector(name), "app.kubernetes.io/component": "lag-exporter", ...SCRAPE_LABEL, ...RPC_CLIENT_LABEL };
  const lagExporter = new k8s.apps.v1.Deployment(
    `${name}-lag-exporter`,
    {
      metadata: { name: `${name}-lag`, namespace, labels: lagLabels },
      spec: {
        replicas: 1,
        // One series per indexer: never two exporters at once.
        strategy: { type: "Recreate" },
        selector: { matchLabels: lagSelector(name) },
        template: {
          metadata: { labels: lagLabels, annotations: { "checksum/script": lag.checksum } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: INDEXER_UID, runAsGroup: INDEXER_UID, seccompProfile: { type: "RuntimeDefault" } },
            containers: [lag.container],
            volumes: [{ name: lag.volumeName, configMap: { name: lagScript.metadata.name, defaultMode: 0o444 } }],
          },
        },
      },
    },
    { ...opts, dependsOn: [lagScript] },
  );

  const tcp = (port: number | string) => ({ protocol: "TCP", port });
  new k8s.networking.v1.NetworkPolicy(
    `${name}-workers-netpol`,
    {
      metadata: { name: `${name}-workers`, namespace, labels: { ...common, "app.kubernetes.io/component": "worker" } },
      spec: {
        podSelector: { matchLabels: allWorkers(name) },
        policyTypes: ["Ingress", "Egress"],
        // Kubelet probes come from the node and are not subject to NetworkPolicy.
        ingress: [{ from: [{ podSelector: { matchLabels: lagSelector(name) } }], ports: [tcp(WORKER_PORT_NAME)] }],
        egress: [
          DNS_EGRESS,
          ...rpcEgress,
          ...args.access.pod("writer").databaseEgress,
          ...args.access.cloudEgress.map((e) => cidrEgress([e.cidr], e.ports)),
        ],
      },
    },
    opts,
  );
  new k8s.networking.v1.NetworkPolicy(
    `${name}-lag-netpol`,
    {
      metadata: { name: `${name}-lag`, namespace, labels: { ...common, "app.kubernetes.io/component": "lag-exporter" } },
      spec: {
        podSelector: { matchLabels: lagSelector(name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: SCRAPER_NAMESPACES.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })),
            ports: [tcp(METRICS_PORT_NAME)],
          },
        ],
        egress: [DNS_EGRESS, ...rpcEgress, { to: [{ podSelector: { matchLabels: allWorkers(name) } }], ports: [tcp(args.worker.port)] }],
      },
    },
    opts,
  );

  return { deployments, schemas, liveService, lagExporter };
}
