/**
 * The Kubernetes platform of an EthereumNode pool: one StatefulSet whose pods each run a client pair and the
 * sync-health sidecar on their own retained volume, a Service per pod for P2P from the internet, a sync-aware
 * ClusterIP Service for JSON-RPC, a NetworkPolicy that opens only P2P to the world, and a PodDisruptionBudget.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { METRICS_NAMESPACE, POOL_POD_LABEL, SCRAPER_NAMESPACES } from "../metrics/scrape";
import { SCRAPE_LABEL } from "../monitoring/targets";
import { awsTags, kubernetesLabels } from "../tagging";
import { PortPurpose, PortSpec } from "./clients";
import { HEALTH_PORT } from "./containers";
import { DATA_VOLUME, HEALTH_SCRIPT_KEY, conflictingPorts, podPortNames, podTemplate, portKey } from "./kubernetes-pod";
import { NodePoolEndpoints, NodePoolPlan } from "./plan";
import { gp3Problems } from "./aws-validate";
import { poolSnapshots, poolStorage } from "./kubernetes-storage";

export interface KubernetesPlacement {
  kind: "kubernetes";
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
  /**
   * Default: on EKS and GKE, a class of the pool's own sized to its performance class (gp3 with the catalog's IOPS and
   * throughput; pd-ssd); elsewhere, the cluster's default class.
   */
  storageClassName?: string;
  /** How P2P reaches each pod from the internet. */
  p2pService: "LoadBalancer" | "NodePort";
  /**
   * The kind of cluster, which decides where the pool's metrics land (EKS: CloudWatch through the cluster's
   * MetricsCollector; GKE: Managed Service for Prometheus). Omit for any other cluster.
   */
  cluster?: "eks" | "gke";
}

/** Pods with this label (any namespace) may call the pool's JSON-RPC, WebSocket and beacon APIs. */
export const RPC_CLIENT_LABEL = { "ethereum-rpc-client": "true" } as const;
/** The MetricsCollector's namespace on EKS; it and GKE's managed collectors (SCRAPER_NAMESPACES) may scrape metrics and read the health endpoint. */
export const MONITORING_NAMESPACE = METRICS_NAMESPACE;
/** Kubernetes suffix of in-cluster Service DNS names. */
export const CLUSTER_DOMAIN = "cluster.local";

const P2P_SERVICE_TYPES = ["LoadBalancer", "NodePort"] as const;
const RPC_PURPOSES: readonly PortPurpose[] = ["rpc-http", "rpc-ws", "beacon-api"];
/** A DNS-1035 label short enough for pod names and the StatefulSet's `controller-revision-hash` label (name + 11). */
const POOL_NAME = /^[a-z](?:[a-z0-9-]{0,50}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;
/**
 * Pulumi waits for a StatefulSet's pods, and a Service's endpoints, to be Ready. Here Ready means synced, which
 * takes hours on a new pool: `pulumi up` must not wait for it (the sidecar's readiness gates traffic instead). Set on
 * the StatefulSet and the Services whose endpoints follow it; the P2P Services, which list unready pods, are awaited.
 */
const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

/** The AWS Load Balancer Controller's class: an NLB, which carries UDP (EKS's built-in provider makes a Classic ELB, which cannot). */
export const EKS_NLB_CLASS = "service.k8s.aws/nlb";

/**
 * How a pod's P2P Service reaches the internet on EKS: an internet-facing NLB straight to the pod's IP (no NodePort
 * hop), keeping the peer's address, tagged with the pool's cost tags, health-checked on a TCP P2P port (a UDP-only
 * listener has nothing to check on its own port).
 */
export function eksP2pAnnotations(tags: Readonly<Record<string, string>>, healthCheckPort: number): Record<string, string> {
  const prefix = "service.beta.kubernetes.io/aws-load-balancer";
  return {
    [`${prefix}-scheme`]: "internet-facing",
    [`${prefix}-nlb-target-type`]: "ip",
    [`${prefix}-target-group-attributes`]: "preserve_client_ip.enabled=true",
    [`${prefix}-healthcheck-protocol`]: "tcp",
    [`${prefix}-healthcheck-port`]: String(healthCheckPort),
    [`${prefix}-additional-resource-tags`]: Object.entries(awsTags(tags))
      .map(([k, v]) => `${k}=${v}`)
      .join(","),
  };
}

/** Every reason the pool cannot be placed on Kubernetes, as `<argument>: <what is wrong>`. */
export function kubernetesPlacementProblems(name: string, plan: NodePoolPlan, placement: KubernetesPlacement): string[] {
  const execution = plan.containers.find((c) => c.name === "execution");
  return [
    ...(POOL_NAME.test(name) ? [] : [`name: "${name}" must be 1-52 lowercase letters, digits or '-', starting with a letter (it names the pods)`]),
    ...(typeof placement.namespace === "string" && !DNS_LABEL.test(placement.namespace) ? [`platform.namespace: "${placement.namespace}" is not a DNS label`] : []),
    ...(placement.storageClassName !== undefined && !DNS_SUBDOMAIN.test(placement.storageClassName)
      ? [`platform.storageClassName: "${placement.storageClassName}" is not a StorageClass name; omit it for the cluster's default`]
      : []),
    ...(P2P_SERVICE_TYPES.includes(placement.p2pService) ? [] : [`platform.p2pService: "${placement.p2pService}" must be one of ${P2P_SERVICE_TYPES.join(", ")}`]),
    ...(placement.cluster === undefined || ["eks", "gke"].includes(placement.cluster) ? [] : [`platform.cluster: "${placement.cluster}" must be eks or gke, or omitted`]),
    ...(DNS_LABEL.test(plan.pool ?? "") ? [] : [`pool: ${JSON.stringify(plan.pool)} is not a label value`]),
    ...(["rpc-http", "rpc-ws"] as const)
      .filter((purpose) => !execution?.ports.some((p) => p.purpose === purpose))
      .map((purpose) => `execution: the execution client declares no ${purpose} port`),
    ...conflictingPorts(plan.containers).map((port) => `containers: port ${port} is declared by two containers of one pod`),
    ...(Number.isInteger(plan.size.diskGiB) && plan.size.diskGiB > 0 ? [] : [`size.diskGiB: ${plan.size.diskGiB} must be a positive whole number`]),
    ...(placement.cluster === "eks" && placement.storageClassName === undefined ? gp3Problems(plan.size) : []),
  ];
}

export function buildKubernetesNodePool(parent: pulumi.ComponentResource, name: string, plan: NodePoolPlan, placement: KubernetesPlacement): NodePoolEndpoints {
  const problems = kubernetesPlacementProblems(name, plan, placement);
  if (problems.length > 0) throw new Error(`EthereumNode "${name}": ${problems.join("; ")}`);
  const opts = { parent, provider: placement.provider };
  const { namespace } = placement;
  // Selectors are immutable: only these stable labels, never the cost labels (a budget line may be renamed).
  const selector = { "app.kubernetes.io/name": "ethereum-node", "app.kubernetes.io/instance": name };
  const costLabels = kubernetesLabels(plan.tags);
  const labels = (component: string) => ({ ...costLabels, ...selector, "app.kubernetes.io/component": component });
  const meta = (objectName: string, component: string, annotations?: Record<string, string>) => ({
    name: objectName,
    namespace,
    labels: labels(component),
    ...(annotations ? { annotations } : {}),
  });
  const portNames = podPortNames(plan.containers);
  const servicePort = (p: PortSpec, name = portNames.get(portKey(p))!) => ({ name, port: p.port, targetPort: p.port, protocol: p.protocol });
  const privatePorts = (purposes: readonly PortPurpose[]) => plan.ports.private.filter((p) => purposes.includes(p.purpose));

  const healthScript = new k8s.core.v1.ConfigMap(
    `${name}-health`,
    { metadata: meta(`${name}-health`, "health"), data: { [HEALTH_SCRIPT_KEY]: plan.healthScript } },
    opts,
  );

  // Governs the pods' DNS names (<pod>.<name>-headless); lists them before they are synced, for scraping.
  const headless = new k8s.core.v1.Service(
    `${name}-headless`,
    {
      metadata: meta(`${name}-headless`, "node", SKIP_AWAIT),
      spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: plan.ports.private.map((p) => servicePort(p)) },
    },
    opts,
  );

  const cluster = placement.cluster === "eks" || placement.cluster === "gke" ? placement.cluster : undefined;
  const storageContext = { name, plan, namespace, cluster, storageClassName: placement.storageClassName, selector, labels, opts };
  const storage = poolStorage(storageContext);
  if (cluster) poolSnapshots({ ...storageContext, cluster });

  new k8s.apps.v1.StatefulSet(
    `${name}-statefulset`,
    {
      metadata: meta(name, "node", SKIP_AWAIT),
      spec: {
        replicas: plan.count,
        serviceName: headless.metadata.name,
        selector: { matchLabels: selector },
        // Nodes are independent: create and scale them together. Updates still roll one Ready pod at a time.
        podManagementPolicy: "Parallel",
        updateStrategy: { type: "RollingUpdate" },
        // Chain data outlives the StatefulSet and a scale-down: a resync costs days.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        // The cluster's collector scrapes the sidecar's port named METRICS_PORT_NAME on pods carrying SCRAPE_LABEL.
        template: podTemplate({ plan, selector, labels: { ...labels("node"), ...SCRAPE_LABEL, [POOL_POD_LABEL]: plan.pool }, healthConfigMap: `${name}-health` }),
        volumeClaimTemplates: [
          {
            // Claim templates are immutable: stable labels only, so a change of cost tags never replaces the
            // StatefulSet. The pods' claims exist before it (poolStorage), so the template only names them; it is
            // what a scale-up beyond them would use.
            metadata: { name: DATA_VOLUME, labels: { ...selector } },
            spec: {
              accessModes: ["ReadWriteOnce"],
              ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
              resources: { requests: { storage: `${plan.size.diskGiB}Gi` } },
            },
          },
        ],
      },
    },
    {
      ...opts,
      dependsOn: [healthScript, ...storage.dependsOn],
      retainOnDelete: plan.protectData,
      // A new disk size or class grows the claims in place (poolStorage); the template as created stays, since any
      // change to it would replace the StatefulSet.
      ignoreChanges: ["spec.volumeClaimTemplates"],
    },
  );

  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    {
      metadata: meta(`${name}-pdb`, "node"),
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: selector },
        // A pod still syncing is not Ready; without this, one syncing pod would block every node drain.
        unhealthyPodEvictionPolicy: "AlwaysAllow",
      },
    },
    opts,
  );

  const portRule = (ports: readonly PortSpec[]) => ports.map((p) => ({ port: p.port, protocol: p.protocol }));
  new k8s.networking.v1.NetworkPolicy(
    `${name}-netpol`,
    {
      metadata: meta(`${name}-netpol`, "node"),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        // Kubelet probes come from the node and are not subject to NetworkPolicy. The engine port is in no
        // rule: it listens on 127.0.0.1 only.
        // A rule without ports would open every port: rules are kept only when they name some.
        ingress: [
          // P2P from anywhere.
          { ports: portRule(plan.ports.public) },
          // JSON-RPC, WebSocket and beacon API from labelled clients in any namespace, and the pool's own pods.
          {
            ports: portRule(privatePorts(RPC_PURPOSES)),
            from: [{ namespaceSelector: {}, podSelector: { matchLabels: { ...RPC_CLIENT_LABEL } } }, { podSelector: { matchLabels: selector } }],
          },
          // Metrics and the health endpoint from the collectors' namespaces only.
          {
            ports: portRule(plan.ports.private.filter((p) => p.purpose === "metrics" || p.port === HEALTH_PORT)),
            from: SCRAPER_NAMESPACES.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })),
          },
        ].filter((rule) => rule.ports.length > 0),
        // Clients dial peers, checkpoint-sync endpoints and DNS.
        egress: [{}],
      },
    },
    opts,
  );

  // One Service per pod: a peer must reach the same node at the same address every time. `pulumi up` waits for it:
  // its endpoint is the pod, ready or not, and on EKS its NLB, so a pool whose P2P cannot be reached fails the update.
  const nlb = placement.cluster === "eks" && placement.p2pService === "LoadBalancer";
  const p2pTcp = plan.ports.public.find((p) => p.protocol === "TCP");
  for (let i = 0; i < plan.count; i++) {
    new k8s.core.v1.Service(
      `${name}-p2p-${i}`,
      {
        metadata: meta(`${name}-p2p-${i}`, "p2p", nlb && p2pTcp ? eksP2pAnnotations(costLabels, p2pTcp.port) : undefined),
        spec: {
          type: placement.p2pService,
          ...(nlb ? { loadBalancerClass: EKS_NLB_CLASS } : {}),
          // Keep the peer's source address and skip the extra hop; only the pod's node answers.
          externalTrafficPolicy: "Local",
          // A syncing pod is not Ready but needs its peers most: P2P must not wait for readiness.
          publishNotReadyAddresses: true,
          selector: { "statefulset.kubernetes.io/pod-name": `${name}-${i}` },
          ports: plan.ports.public.map((p) => servicePort(p)),
        },
      },
      // A new pod first waits for a node and its volume, an NLB for its targets: minutes, not the default ten.
      { ...opts, customTimeouts: { create: "30m", update: "30m" } },
    );
  }

  const [rpcHttp, rpcWs] = (["rpc-http", "rpc-ws"] as const).map((purpose) => privatePorts([purpose])[0]);
  // Sync-aware by readiness: only pods whose sidecar answers /ready with 200 are endpoints.
  const rpc = new k8s.core.v1.Service(
    `${name}-rpc`,
    {
      metadata: meta(`${name}-rpc`, "rpc", SKIP_AWAIT),
      spec: { type: "ClusterIP", selector, ports: [servicePort(rpcHttp, "rpc-http"), servicePort(rpcWs, "rpc-ws")] },
    },
    opts,
  );

  const host = pulumi.interpolate`${rpc.metadata.name}.${rpc.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
  return {
    rpcUrl: pulumi.interpolate`http://${host}:${rpcHttp.port}`,
    wsUrl: pulumi.interpolate`ws://${host}:${rpcWs.port}`,
    monitoring: { platform: placement.cluster ?? "kubernetes" },
  };
}
