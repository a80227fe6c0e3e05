/**
 * The pod of an ApiService, as pure data: the main container with its probes, resources and a hardened security
 * context, the caller's init containers and sidecars held to the same security rules, /tmp as an emptyDir, spread
 * across zones and nodes, and a drain that lets the load balancer deregister the pod before it stops.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { ApiServiceArgs } from "./index";

type Container = k8s.types.input.core.v1.Container;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/** The main container's name. */
export const API_CONTAINER = "api";
/** Its port's name; the Service, the Ingress and the NetworkPolicy refer to it. */
export const PORT_NAME = "http";
/** The Service's port: clients call http://<service>.<namespace>.svc.cluster.local:80. */
export const SERVICE_PORT = 80;
/** The user and group the pod runs as unless a container says otherwise (never root). */
export const API_UID = 10001;
/**
 * On SIGTERM the endpoint is removed from the Service and the load balancer concurrently with the kill: the pod keeps
 * serving this long first (a preStop sleep), so requests routed before the deregistration propagates still land.
 */
export const PRE_STOP_SECONDS = 15;
/** How long the application then has to finish in-flight requests. */
export const SHUTDOWN_SECONDS = 30;
/** A load balancer lets a deregistered pod finish in-flight requests this long (ALB deregistration delay, GCLB draining). */
export const DRAIN_SECONDS = SHUTDOWN_SECONDS;
export const TMP_VOLUME = "tmp";

/** What no container of the pod may relax: no escalation, no capabilities, the runtime's default seccomp profile. */
const ENFORCED: SecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };

export function mainSecurityContext(readOnlyRootFilesystem: boolean): SecurityContext {
  return { runAsNonRoot: true, runAsUser: API_UID, runAsGroup: API_UID, readOnlyRootFilesystem, ...ENFORCED };
}

const isPlain = (value: unknown): boolean => value !== null && typeof value === "object" && !("apply" in value);

/**
 * A caller's container: its own user and filesystem choices kept (validated non-root), the enforced rules on top, and
 * a /tmp of its own (a subdirectory of the pod's emptyDir) unless it mounts one, so a read-only root still works.
 */
export function hardened(container: Container): Container {
  const own = container.securityContext;
  const base = own !== undefined && isPlain(own) ? (own as SecurityContext) : {};
  const mounts = container.volumeMounts;
  const plainMounts = mounts === undefined ? [] : Array.isArray(mounts) ? (mounts as k8s.types.input.core.v1.VolumeMount[]) : undefined;
  const hasTmp = plainMounts?.some((m) => isPlain(m) && (m as { mountPath?: unknown }).mountPath === "/tmp") ?? true;
  return {
    ...container,
    securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, ...base, ...ENFORCED },
    ...(hasTmp ? {} : { volumeMounts: [...plainMounts!, { name: TMP_VOLUME, mountPath: "/tmp", subPath: String(container.name) }] }),
  };
}

/** What the pod is built from. */
export type PodInput = Pick<
  ApiServiceArgs,
  "image" | "port" | "command" | "args" | "env" | "probes" | "resources" | "readOnlyRootFilesystem" | "serviceAccountName" | "pod"
>;

export function mainContainer(args: PodInput): Container {
  const http = (path: string) => ({ httpGet: { path, port: PORT_NAME, scheme: "HTTP" } });
  const { cpu, memory, cpuLimit, memoryLimit } = args.resources;
  return {
    name: API_CONTAINER,
    image: args.image,
    imagePullPolicy: "IfNotPresent",
    ...(args.command ? { command: [...args.command] } : {}),
    ...(args.args ? { args: [...args.args] } : {}),
    ...(args.env && Object.keys(args.env).length > 0 ? { env: Object.entries(args.env).map(([name, value]) => ({ name, value })) } : {}),
    ports: [{ name: PORT_NAME, containerPort: args.port, protocol: "TCP" }],
    // Up to five minutes to start; liveness only counts once the startup probe has passed.
    startupProbe: { ...http(args.probes.livenessPath), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 60 },
    // Out of the Service and the load balancer while not ready.
    readinessProbe: { ...http(args.probes.readinessPath), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
    livenessProbe: { ...http(args.probes.livenessPath), periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
    // Memory limited (an overcommitted node kills the biggest offender, not a neighbour); CPU only when asked.
    resources: { requests: { cpu, memory }, limits: { memory: memoryLimit ?? memory, ...(cpuLimit ? { cpu: cpuLimit } : {}) } },
    // The sleep action needs no shell or sleep binary in the image (Kubernetes 1.30+).
    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
    securityContext: mainSecurityContext(args.readOnlyRootFilesystem ?? true),
    // Each container's /tmp is its own subdirectory of the pod's emptyDir.
    volumeMounts: [{ name: TMP_VOLUME, mountPath: "/tmp", subPath: API_CONTAINER }, ...(args.pod?.volumeMounts ?? [])],
  };
}

export interface PodTemplateInput {
  readonly args: PodInput;
  /** Stable labels the Deployment selects on. */
  readonly selector: Readonly<Record<string, string>>;
  /** Every label of the pod: cost labels, the selector's and the caller's. */
  readonly labels: Readonly<Record<string, string>>;
}

export function podTemplate({ args, selector, labels }: PodTemplateInput): PodTemplateSpec {
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    // Prefer spreading, never block scheduling on it: a zone short of capacity must not stop a rollout.
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: { ...selector } },
    // Spread each revision on its own, so a rollout does not skew against the pods it replaces.
    matchLabelKeys: ["pod-template-hash"],
  });
  return {
    metadata: { labels: { ...labels }, annotations: { "kubectl.kubernetes.io/default-container": API_CONTAINER } },
    spec: {
      // The API server's token only when the service runs under an identity of its own (IRSA, Workload Identity).
      ...(args.serviceAccountName !== undefined ? { serviceAccountName: args.serviceAccountName } : { automountServiceAccountToken: false }),
      enableServiceLinks: false,
      terminationGracePeriodSeconds: PRE_STOP_SECONDS + SHUTDOWN_SECONDS,
      securityContext: { runAsNonRoot: true, runAsUser: API_UID, runAsGroup: API_UID, fsGroup: API_UID, seccompProfile: { type: "RuntimeDefault" } },
      topologySpreadConstraints: [spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")],
      ...(args.pod?.initContainers?.length ? { initContainers: args.pod.initContainers.map(hardened) } : {}),
      containers: [mainContainer(args), ...(args.pod?.sidecars ?? []).map(hardened)],
      volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: "256Mi" } }, ...(args.pod?.volumes ?? [])],
    },
  };
}
