/**
 * The pod of one Ethereum node on Kubernetes, as pure data: both clients and the health sidecar from the
 * container plan, the engine JWT generated in the pod into memory, probes, resources and security contexts.
 * `kubernetes.ts` wraps it in a StatefulSet and adds the Services, NetworkPolicy and PodDisruptionBudget.
 */
import * as crypto from "crypto";
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import { METRICS_PORT_NAME } from "../monitoring/targets";
import { PortPurpose, PortSpec } from "./clients";
import { ContainerPlan, HEALTH_PORT, HEALTH_SCRIPT_PATH } from "./containers";
import { DATA_ROOT, JWT_DIR, JWT_PATH, NodePoolPlan } from "./plan";

type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
type Container = k8s.types.input.core.v1.Container;
type Probe = k8s.types.input.core.v1.Probe;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/** Generates the engine JWT. busybox is enough for head/od/tr; bump the tag here. */
export const JWT_INIT_IMAGE = "busybox:1.37.0";
/** The user and group every non-root container runs as, and the group that owns the data volume. */
export const POD_UID = 10001;
/** The volume claim template of each pod's chain data. */
export const DATA_VOLUME = "data";
/** Where the health script's ConfigMap is mounted; the script is the key of that name inside it. */
export const HEALTH_SCRIPT_DIR = path.posix.dirname(HEALTH_SCRIPT_PATH);
export const HEALTH_SCRIPT_KEY = path.posix.basename(HEALTH_SCRIPT_PATH);
/** How long a client may take to open its API port after starting: a first start can spend hours on snapshots. */
export const STARTUP_WINDOW_SECONDS = 12 * 60 * 60;
/** A client whose API port stops answering for this long is restarted. Generous: a restart costs minutes of flushing. */
export const LIVENESS_WINDOW_SECONDS = 10 * 60;

const JWT_VOLUME = "jwt";
const HEALTH_VOLUME = "health-script";
const tmpVolume = (container: string) => `tmp-${container}`;

/**
 * 32 random bytes as 64 hex characters, readable by the pod's group only (fsGroup is a supplementary group of
 * every container, so a client running as its image's own user reads it too). Written with umask 0227, so the
 * file is never readable by others, not even for a moment.
 */
export const JWT_SCRIPT = [
  "set -eu",
  "umask 0227",
  `head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > ${JWT_PATH}`,
  `chmod 0440 ${JWT_PATH}`,
  `test $(wc -c < ${JWT_PATH}) -eq 64`,
].join("\n");

/** Kubernetes port names: IANA service names (1-15 characters, a letter, no "--"), unique within the pod. */
const IANA_SVC_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?$/;
const CONTAINER_PREFIX: Record<ContainerPlan["name"], string> = { execution: "el", consensus: "cl", health: "hc" };
const PURPOSE_SHORT: Record<PortPurpose, string> = { p2p: "p2p", "rpc-http": "http", "rpc-ws": "ws", engine: "auth", "beacon-api": "api", metrics: "mon" };

export const portKey = (p: Pick<PortSpec, "port" | "protocol">): string => `${p.port}/${p.protocol}`;

/**
 * A pod-wide name for every port (keyed by `port/protocol`): the health sidecar's is METRICS_PORT_NAME, which the
 * cluster's collector scrapes; the others get the catalog's name where it is unique and valid (`rpc-http`,
 * `beacon-api`), else prefixed with the container (`el-p2p-tcp`, `cl-metrics`), else by number (`p2p-4000-udp`).
 * The Services reuse these names.
 */
export function podPortNames(containers: readonly ContainerPlan[]): Map<string, string> {
  const all = containers.flatMap((c) => c.ports.map((p) => ({ container: c.name, port: p })));
  const uses = (name: string) => all.filter((e) => e.port.name === name).length;
  const names = new Map<string, string>();
  const taken = new Set<string>([METRICS_PORT_NAME]);
  const health = all.find((e) => e.container === "health" && e.port.port === HEALTH_PORT && e.port.protocol === "TCP");
  if (health) names.set(portKey(health.port), METRICS_PORT_NAME);
  for (const { container, port } of all) {
    if (names.has(portKey(port))) continue;
    const candidates = [
      ...(uses(port.name) === 1 ? [port.name] : []),
      `${CONTAINER_PREFIX[container]}-${port.name}`,
      `${PURPOSE_SHORT[port.purpose]}-${port.port}-${port.protocol.toLowerCase()}`,
    ];
    const name = candidates.find((n) => IANA_SVC_NAME.test(n) && !taken.has(n)) ?? `port-${port.port}-${port.protocol.toLowerCase()}`;
    names.set(portKey(port), name);
    taken.add(name);
  }
  return names;
}

/** Ports two containers of one pod both declare: they cannot both bind them. */
export function conflictingPorts(containers: readonly ContainerPlan[]): string[] {
  const keys = containers.flatMap((c) => [...new Set(c.ports.map(portKey))]);
  return [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
}

/** CPU as a Kubernetes quantity: whole cores as "4", fractions in millicores ("100m"). */
export function cpuQuantity(vcpu: number): string {
  return Number.isInteger(vcpu) ? String(vcpu) : `${Math.round(vcpu * 1000)}m`;
}

/** Memory as a Kubernetes quantity: whole GiB as "32Gi", fractions in MiB ("128Mi"). */
export function memoryQuantity(gib: number): string {
  return Number.isInteger(gib) ? `${gib}Gi` : `${Math.round(gib * 1024)}Mi`;
}

/** Short content hash of the health script: a pod-template annotation, so a new script rolls the pods. */
export function healthScriptChecksum(script: string): string {
  // 16 hex characters: enough to notice a change, and not mistakable for a 32-byte secret in the recorded inputs.
  return crypto.createHash("sha256").update(script).digest("hex").slice(0, 16);
}

/**
 * Non-root containers run as POD_UID with a read-only root filesystem (their writes go to the data volume and
 * /tmp); a client whose image must keep its own user keeps it. Nothing escalates, every capability is dropped.
 */
export function containerSecurityContext(nonRoot: boolean): SecurityContext {
  const always = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  return nonRoot ? { ...always, runAsNonRoot: true, runAsUser: POD_UID, runAsGroup: POD_UID, readOnlyRootFilesystem: true } : always;
}

function clientProbes(container: ContainerPlan): Pick<Container, "startupProbe" | "livenessProbe"> {
  // A TCP probe only says the process serves its API; whether the node is synced is the sidecar's readiness.
  const api = container.ports.find((p) => p.purpose === "rpc-http") ?? container.ports.find((p) => p.purpose === "beacon-api");
  if (!api) return {};
  const tcp = (periodSeconds: number, windowSeconds: number): Probe => ({
    tcpSocket: { port: api.port },
    periodSeconds,
    timeoutSeconds: 10,
    failureThreshold: Math.ceil(windowSeconds / periodSeconds),
  });
  return { startupProbe: tcp(60, STARTUP_WINDOW_SECONDS), livenessProbe: tcp(60, LIVENESS_WINDOW_SECONDS) };
}

function healthProbes(): Pick<Container, "readinessProbe" | "livenessProbe"> {
  return {
    // Ready only when the execution client is synced with a recent head and the beacon node is healthy: this
    // is what takes a pod in and out of the RPC Service. At most two sequential 2 s calls per check (the beacon node is asked meanwhile).
    readinessProbe: { httpGet: { path: "/ready", port: HEALTH_PORT }, periodSeconds: 15, timeoutSeconds: 8, failureThreshold: 3, successThreshold: 1 },
    livenessProbe: { httpGet: { path: "/live", port: HEALTH_PORT }, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
  };
}

function container(plan: ContainerPlan, portNames: Map<string, string>): Container {
  const isClient = plan.dataSubdir !== undefined;
  const memory = memoryQuantity(plan.memoryGiB);
  // $HOME of an arbitrary uid is "/", read-only here: clients that keep caches or logs there (reth) get /tmp.
  const env = { ...(isClient && plan.nonRoot ? { HOME: "/tmp" } : {}), ...plan.env };
  return {
    name: plan.name,
    image: plan.image,
    imagePullPolicy: "IfNotPresent",
    args: [...plan.args],
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    // The engine port listens on 127.0.0.1 and is not declared: nothing outside the pod may address it.
    ports: plan.ports
      .filter((p) => p.purpose !== "engine")
      .map((p) => ({ name: portNames.get(portKey(p))!, containerPort: p.port, protocol: p.protocol })),
    // Guaranteed memory (an OOM kill mid-write costs a long recovery); no CPU limit, so sync bursts are not throttled.
    resources: { requests: { cpu: cpuQuantity(plan.vcpu), memory }, limits: { memory } },
    securityContext: containerSecurityContext(plan.nonRoot),
    volumeMounts: [
      ...(isClient
        ? [
            { name: DATA_VOLUME, mountPath: `${DATA_ROOT}/${plan.dataSubdir}`, subPath: plan.dataSubdir },
            { name: JWT_VOLUME, mountPath: JWT_DIR, readOnly: true },
          ]
        : [{ name: HEALTH_VOLUME, mountPath: HEALTH_SCRIPT_DIR, readOnly: true }]),
      // The sidecar's disk metric: statfs of the data volume, which it only reads.
      ...(plan.readsDataRoot ? [{ name: DATA_VOLUME, mountPath: DATA_ROOT, readOnly: true }] : []),
      ...(isClient && plan.nonRoot ? [{ name: tmpVolume(plan.name), mountPath: "/tmp" }] : []),
    ],
    ...(isClient ? clientProbes(plan) : healthProbes()),
  };
}

function jwtInitContainer(): Container {
  return {
    name: "jwt",
    image: JWT_INIT_IMAGE,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", JWT_SCRIPT],
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "16Mi" } },
    securityContext: containerSecurityContext(true),
    volumeMounts: [{ name: JWT_VOLUME, mountPath: JWT_DIR }],
  };
}

export interface PodTemplateInput {
  readonly plan: NodePoolPlan;
  /** Stable labels the StatefulSet selects on. */
  readonly selector: Readonly<Record<string, string>>;
  /** Every label of the pod: the cost labels and the selector's. */
  readonly labels: Readonly<Record<string, string>>;
  /** The ConfigMap holding the health script. */
  readonly healthConfigMap: string;
}

export function podTemplate({ plan, selector, labels, healthConfigMap }: PodTemplateInput): PodTemplateSpec {
  const portNames = podPortNames(plan.containers);
  const clients = plan.containers.filter((c) => c.dataSubdir !== undefined);
  const spread = (weight: number, topologyKey: string) => ({ weight, podAffinityTerm: { topologyKey, labelSelector: { matchLabels: { ...selector } } } });
  return {
    metadata: {
      labels: { ...labels },
      annotations: {
        "checksum/health-script": healthScriptChecksum(plan.healthScript),
        "kubectl.kubernetes.io/default-container": "execution",
      },
    },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: plan.shutdownGraceSeconds,
      securityContext: {
        fsGroup: POD_UID,
        // Chown a multi-terabyte volume only when its root is not ours yet, not on every start.
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
      },
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [spread(100, "kubernetes.io/hostname"), spread(50, "topology.kubernetes.io/zone")],
        },
      },
      initContainers: [jwtInitContainer()],
      containers: plan.containers.map((c) => container(c, portNames)),
      volumes: [
        // In memory, per pod, gone with the pod: the JWT is never in config, state, a Secret or on disk.
        { name: JWT_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
        { name: HEALTH_VOLUME, configMap: { name: healthConfigMap, defaultMode: 0o444 } },
        ...clients.filter((c) => c.nonRoot).map((c) => ({ name: tmpVolume(c.name), emptyDir: { sizeLimit: "2Gi" } })),
      ],
    },
  };
}
