/** The Kubernetes builder of the EthereumNode pool, recorded under Pulumi's mocks: three pools side by side. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { COST_TAG_KEYS, costTags } from "../../../components/tagging";
import { METRICS_PORT_NAME, SCRAPE_LABEL } from "../../../components/monitoring/targets";
import { Chain, SyncMode, findClient } from "../../../components/ethereum-node/clients";
import { HEALTH_PORT, HEALTH_SCRIPT_PATH, nodeContainers, nodePorts, shutdownGraceSeconds } from "../../../components/ethereum-node/containers";
import { KubernetesPlacement, buildKubernetesNodePool, kubernetesPlacementProblems } from "../../../components/ethereum-node/kubernetes";
import {
  JWT_INIT_IMAGE,
  POD_UID,
  cpuQuantity,
  healthScriptChecksum,
  memoryQuantity,
  podPortNames,
} from "../../../components/ethereum-node/kubernetes-pod";
import { DATA_ROOT, JWT_DIR, JWT_PATH, NodePoolEndpoints, NodePoolPlan } from "../../../components/ethereum-node/plan";
import { recommendedSize } from "../../../components/ethereum-node/sizing";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { componentProblems } from "../../helpers/resources";
import { descendantsOf, named, settled } from "../cluster/fixtures";

const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n";
const HEALTH_SCRIPT = fs.readFileSync(path.resolve(__dirname, "../../../components/ethereum-node/health/sync-health.js"), "utf8");
const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "ethereum-node", owner: "techops" });
const TESTNET_TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "rnd-poc", environment: "staging", workload: "ethereum-testnet", owner: "techops" });

const STS = "kubernetes:apps/v1:StatefulSet";
const SERVICE = "kubernetes:core/v1:Service";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

function planFor(execution: string, consensus: string, chain: Chain, mode: SyncMode, count: number, protectData: boolean, tags = TAGS): NodePoolPlan {
  const el = findClient("execution", execution)!;
  const cl = findClient("consensus", consensus)!;
  const containers = nodeContainers({ pool: chain, chain, mode, execution: el, consensus: cl, dataRoot: DATA_ROOT, jwtPath: JWT_PATH, checkpointSyncUrl: "https://checkpoint.example.org" });
  return {
    pool: chain,
    chain,
    mode,
    count,
    containers,
    ports: nodePorts(containers),
    size: recommendedSize(el, cl, chain, mode)!,
    shutdownGraceSeconds: shutdownGraceSeconds(containers),
    healthScript: HEALTH_SCRIPT,
    tags,
    protectData,
  };
}

class Pool extends pulumi.ComponentResource {
  readonly endpoints: NodePoolEndpoints;
  constructor(name: string, plan: NodePoolPlan, placement: Omit<KubernetesPlacement, "kind">) {
    super("estate:ethereum-node:EthereumNode", name, {}, {});
    this.endpoints = buildKubernetesNodePool(this, name, plan, { kind: "kubernetes", ...placement });
    this.registerOutputs({});
  }
}

const MAIN = planFor("geth", "lighthouse", "mainnet", "full", 2, true);
const HOODI = planFor("erigon", "caplin", "hoodi", "archive", 1, false, TESTNET_TAGS);
const SEPOLIA = planFor("nethermind", "teku", "sepolia", "full", 1, false, TESTNET_TAGS);

type Json = any;
const spec = (r: RecordedResource): Json => r.inputs.spec;
const metadata = (r: RecordedResource): Json => r.inputs.metadata;
const podSpec = (sts: RecordedResource): Json => spec(sts).template.spec;
const containerOf = (sts: RecordedResource, name: string): Json => podSpec(sts).containers.find((c: Json) => c.name === name);
const ports = (list: readonly Json[]) => list.map((p: Json) => `${p.port}/${p.protocol}`).sort();

describe("buildKubernetesNodePool", () => {
  let resources: RecordedResource[];
  const endpoints: Record<string, { rpcUrl: string; wsUrl: string }> = {};
  const monitoring: Record<string, NodePoolEndpoints["monitoring"]> = {};

  beforeAll(async () => {
    const pools: Pool[] = [];
    ({ resources } = await recordResources(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: KUBECONFIG });
      pools.push(new Pool("eth-main", MAIN, { provider, namespace: "ethereum", storageClassName: "gp3-iops", p2pService: "LoadBalancer", cluster: "eks" }));
      pools.push(new Pool("eth-hoodi", HOODI, { provider, namespace: "ethereum", p2pService: "NodePort", cluster: "gke" }));
      pools.push(new Pool("eth-sepolia", SEPOLIA, { provider, namespace: pulumi.output("ethereum-testnets"), p2pService: "NodePort" }));
    }));
    for (const [i, name] of ["eth-main", "eth-hoodi", "eth-sepolia"].entries()) {
      endpoints[name] = { rpcUrl: await settled(pools[i].endpoints.rpcUrl), wsUrl: await settled(pools[i].endpoints.wsUrl) };
      monitoring[name] = pools[i].endpoints.monitoring;
    }
  });

  const sts = (pool: string) => named(resources, `${pool}-statefulset`);

  it("creates a ConfigMap, the Services, the StatefulSet, a PodDisruptionBudget and a NetworkPolicy per pool", () => {
    const children = (pool: string) => descendantsOf(resources, pool).map((r) => `${r.type} ${r.name}`).sort();
    expect(children("eth-main")).toEqual(
      [
        `${CONFIG_MAP} eth-main-health`,
        `${SERVICE} eth-main-headless`,
        `${STS} eth-main-statefulset`,
        `${PDB} eth-main-pdb`,
        `${NETPOL} eth-main-netpol`,
        `${SERVICE} eth-main-p2p-0`,
        `${SERVICE} eth-main-p2p-1`,
        `${SERVICE} eth-main-rpc`,
        // Its claims, and the daily snapshots of them (kubernetes-storage.test.ts).
        "kubernetes:core/v1:PersistentVolumeClaim eth-main-data-0",
        "kubernetes:core/v1:PersistentVolumeClaim eth-main-data-1",
        "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass eth-main-snapshot-class",
        "kubernetes:core/v1:ServiceAccount eth-main-snapshots-sa",
        "kubernetes:rbac.authorization.k8s.io/v1:Role eth-main-snapshots-role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding eth-main-snapshots-binding",
        `${CONFIG_MAP} eth-main-snapshots-script`,
        "kubernetes:batch/v1:CronJob eth-main-snapshots",
      ].sort(),
    );
    // GKE: its own storage class too; an unknown cluster: the claim only.
    expect(children("eth-hoodi")).toHaveLength(7 + 8);
    expect(children("eth-sepolia")).toHaveLength(7 + 1);
    const providerUrn = named(resources, "k8s").urn;
    expect(descendantsOf(resources, "eth-main").every((r) => r.provider?.startsWith(`${providerUrn}::`))).toBe(true);
  });

  it("runs plan.count replicas of the client pair and the health sidecar, in parallel, with rolling updates", () => {
    expect(spec(sts("eth-main"))).toMatchObject({
      replicas: 2,
      serviceName: "eth-main-headless",
      podManagementPolicy: "Parallel",
      updateStrategy: { type: "RollingUpdate" },
    });
    expect(metadata(sts("eth-main"))).toMatchObject({ name: "eth-main", namespace: "ethereum" });
    expect(podSpec(sts("eth-main")).containers.map((c: Json) => c.name)).toEqual(["execution", "consensus", "health"]);
    // Caplin runs inside Erigon: no consensus container.
    expect(spec(sts("eth-hoodi")).replicas).toBe(1);
    expect(podSpec(sts("eth-hoodi")).containers.map((c: Json) => c.name)).toEqual(["execution", "health"]);
  });

  it("runs the planned images, pinned to a version, with the planned arguments and environment", () => {
    for (const [pool, plan] of [["eth-main", MAIN], ["eth-hoodi", HOODI], ["eth-sepolia", SEPOLIA]] as const) {
      for (const planned of plan.containers) {
        const c = containerOf(sts(pool), planned.name);
        expect(c.image).toBe(planned.image);
        expect(c.image).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
        expect(c.image).not.toMatch(/:latest$/);
        expect(c.args).toEqual(planned.args);
        expect(c.env).toEqual(expect.arrayContaining(Object.entries(planned.env).map(([name, value]) => ({ name, value }))));
      }
    }
    expect(containerOf(sts("eth-main"), "execution").args).toContain("--mainnet");
    expect(containerOf(sts("eth-main"), "consensus").args).toContain("--network=mainnet");
    expect(containerOf(sts("eth-hoodi"), "execution").args).toEqual(expect.arrayContaining(["--chain=hoodi", "--prune.mode=archive"]));
    expect(containerOf(sts("eth-main"), "consensus").args).toContain(`--execution-jwt=${JWT_PATH}`);
  });

  it("gives the clients the longest flush plus a margin to shut down", () => {
    expect(podSpec(sts("eth-main")).terminationGracePeriodSeconds).toBe(MAIN.shutdownGraceSeconds);
    expect(MAIN.shutdownGraceSeconds).toBeGreaterThanOrEqual(480);
  });

  it("is Ready only when the sidecar says the node is synced, and never restarts a client during initial sync", () => {
    for (const pool of ["eth-main", "eth-hoodi"]) {
      const health = containerOf(sts(pool), "health");
      expect(health.readinessProbe.httpGet).toEqual({ path: "/ready", port: 8590 });
      expect(health.livenessProbe.httpGet).toEqual({ path: "/live", port: HEALTH_PORT });
      for (const client of podSpec(sts(pool)).containers.filter((c: Json) => c.name !== "health")) {
        expect(client.readinessProbe).toBeUndefined();
        expect(client.livenessProbe.tcpSocket.port).toEqual(expect.any(Number));
        expect(client.livenessProbe.periodSeconds * client.livenessProbe.failureThreshold).toBeGreaterThanOrEqual(5 * 60);
        expect(client.startupProbe.periodSeconds * client.startupProbe.failureThreshold).toBeGreaterThanOrEqual(6 * 3600);
      }
    }
    expect(containerOf(sts("eth-main"), "execution").livenessProbe.tcpSocket.port).toBe(8545);
    expect(containerOf(sts("eth-main"), "consensus").livenessProbe.tcpSocket.port).toBe(5052);
  });

  it("mounts the health script read-only from its ConfigMap, and rolls the pods when it changes", () => {
    const configMap = named(resources, "eth-main-health");
    expect(configMap.inputs.data).toEqual({ "sync-health.js": HEALTH_SCRIPT });
    const health = containerOf(sts("eth-main"), "health");
    expect(health.args).toEqual(["node", HEALTH_SCRIPT_PATH]);
    const mount = health.volumeMounts.find((m: Json) => `${m.mountPath}/sync-health.js` === HEALTH_SCRIPT_PATH);
    expect(mount).toMatchObject({ readOnly: true });
    const volume = podSpec(sts("eth-main")).volumes.find((v: Json) => v.name === mount.name);
    expect(volume.configMap.name).toBe(metadata(configMap).name);
    expect(spec(sts("eth-main")).template.metadata.annotations["checksum/health-script"]).toBe(healthScriptChecksum(HEALTH_SCRIPT));
    expect(healthScriptChecksum(`${HEALTH_SCRIPT}\n`)).not.toBe(healthScriptChecksum(HEALTH_SCRIPT));
  });

  it("generates the engine JWT in the pod, into memory, shared by the two clients only", () => {
    const pod = podSpec(sts("eth-main"));
    expect(pod.initContainers).toHaveLength(1);
    const init = pod.initContainers[0];
    expect(init.image).toBe(JWT_INIT_IMAGE);
    expect(init.image).toMatch(/^(busybox|alpine):\d+\.\d+(\.\d+)?$/);
    expect(init.command.join(" ")).toMatch(/head -c 32 \/dev\/urandom/);
    expect(init.command.join(" ")).toContain(`> ${JWT_PATH}`);
    expect(init.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    const jwtMount = init.volumeMounts.find((m: Json) => m.mountPath === JWT_DIR);
    expect(pod.volumes.find((v: Json) => v.name === jwtMount.name)).toEqual({ name: jwtMount.name, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } });
    const mountsJwt = (c: Json) => c.volumeMounts.some((m: Json) => m.name === jwtMount.name && m.mountPath === JWT_DIR && m.readOnly === true);
    expect(pod.containers.filter(mountsJwt).map((c: Json) => c.name)).toEqual(["execution", "consensus"]);
  });

  it("records no 32-byte hex secret anywhere", () => {
    expect(JSON.stringify(resources)).not.toMatch(/[0-9a-f]{64}/i);
    expect(resources.some((r) => r.type === "kubernetes:core/v1:Secret")).toBe(false);
  });

  it("claims a retained volume per pod of the planned size and class, mounted per client via subPath", () => {
    const [claim] = spec(sts("eth-main")).volumeClaimTemplates;
    expect(claim.metadata.name).toBe("data");
    expect(claim.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "gp3-iops", resources: { requests: { storage: `${MAIN.size.diskGiB}Gi` } } });
    expect(MAIN.size.diskGiB).toBeGreaterThan(1000);
    // No class given: on GKE the pool's own; on an unknown cluster, the cluster's default.
    expect(spec(sts("eth-hoodi")).volumeClaimTemplates[0].spec.storageClassName).toBe("eth-hoodi-data");
    expect(spec(sts("eth-sepolia")).volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
    expect(spec(sts("eth-hoodi")).volumeClaimTemplates[0].spec.resources.requests.storage).toBe(`${HOODI.size.diskGiB}Gi`);
    expect(spec(sts("eth-main")).persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    for (const name of ["execution", "consensus"]) {
      expect(containerOf(sts("eth-main"), name).volumeMounts).toContainEqual({ name: "data", mountPath: `${DATA_ROOT}/${name}`, subPath: name });
    }
    // The sidecar reads the whole volume, read-only, for its disk metric (DATA_DIR is where it looks).
    expect(containerOf(sts("eth-main"), "health").volumeMounts.filter((m: Json) => m.name === "data")).toEqual([{ name: "data", mountPath: DATA_ROOT, readOnly: true }]);
    expect(containerOf(sts("eth-main"), "health").env).toContainEqual({ name: "DATA_DIR", value: DATA_ROOT });
  });

  it("keeps the StatefulSet on delete only when the pool's data is protected", () => {
    expect(sts("eth-main").retainOnDelete).toBe(true);
    expect(sts("eth-hoodi").retainOnDelete).toBe(false);
    expect(resources.filter((r) => r.retainOnDelete).map((r) => r.name)).toEqual(["eth-main-data-0", "eth-main-data-1", "eth-main-statefulset"]);
  });

  it("runs non-root clients as an unprivileged user on a read-only root, and drops every capability of the others", () => {
    const pod = podSpec(sts("eth-main"));
    expect(pod.securityContext).toMatchObject({ fsGroup: POD_UID, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of pod.containers) {
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: POD_UID,
        runAsGroup: POD_UID,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      });
    }
    // A read-only root needs a writable /tmp (and $HOME there) for the clients.
    expect(containerOf(sts("eth-main"), "execution").volumeMounts.some((m: Json) => m.mountPath === "/tmp")).toBe(true);
    expect(containerOf(sts("eth-main"), "execution").env).toContainEqual({ name: "HOME", value: "/tmp" });
    // Nethermind runs its chiseled (non-root) image the same way, with its keystore and logs under the data directory.
    expect(containerOf(sts("eth-sepolia"), "execution").image).toMatch(/^nethermind\/nethermind:[\d.]+-chiseled$/);
    expect(containerOf(sts("eth-sepolia"), "execution").securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: POD_UID, readOnlyRootFilesystem: true });
    expect(containerOf(sts("eth-sepolia"), "consensus").securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: POD_UID });
  });

  it("requests each container's planned CPU and memory, with memory limited to the request and no CPU limit", () => {
    for (const planned of MAIN.containers) {
      const { resources: r } = containerOf(sts("eth-main"), planned.name);
      expect(r.requests).toEqual({ cpu: cpuQuantity(planned.vcpu), memory: memoryQuantity(planned.memoryGiB) });
      expect(r.limits).toEqual({ memory: r.requests.memory });
    }
    expect(containerOf(sts("eth-main"), "execution").resources.requests).toEqual({ cpu: "4", memory: "32Gi" });
    expect(containerOf(sts("eth-main"), "health").resources.requests).toEqual({ cpu: "100m", memory: "128Mi" });
  });

  it("spreads replicas across nodes, preferably", () => {
    const terms = podSpec(sts("eth-main")).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(terms[0]).toEqual({
      weight: 100,
      podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: spec(sts("eth-main")).selector.matchLabels } },
    });
    expect(podSpec(sts("eth-main")).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
  });

  it("names every port of a pod uniquely and validly, and never declares the engine port", () => {
    for (const pool of ["eth-main", "eth-hoodi", "eth-sepolia"]) {
      const names = podSpec(sts(pool)).containers.flatMap((c: Json) => c.ports.map((p: Json) => p.name));
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(name).toMatch(/^(?=.*[a-z])(?!.*--)[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?$/);
      const declared = podSpec(sts(pool)).containers.flatMap((c: Json) => c.ports.map((p: Json) => p.containerPort));
      expect(declared).not.toContain(8551);
    }
    expect([...podPortNames(MAIN.containers).entries()]).toEqual(
      expect.arrayContaining([
        ["30303/TCP", "el-p2p-tcp"],
        ["9000/UDP", "cl-p2p-udp"],
        ["8545/TCP", "rpc-http"],
        ["6060/TCP", "el-metrics"],
        ["5054/TCP", "cl-metrics"],
      ]),
    );
    expect(podPortNames(HOODI.containers).get("4000/UDP")).toBe("p2p-4000-udp");
  });

  describe("NetworkPolicy", () => {
    const policy = (pool: string) => spec(named(resources, `${pool}-netpol`));
    const openToAll = (pool: string) => policy(pool).ingress.filter((rule: Json) => !rule.from || rule.from.length === 0);
    const rulesFor = (pool: string, port: number) => policy(pool).ingress.filter((rule: Json) => rule.ports.some((p: Json) => p.port === port));

    it("applies to the pool's pods and lets them dial out", () => {
      expect(policy("eth-main").podSelector).toEqual({ matchLabels: spec(sts("eth-main")).selector.matchLabels });
      expect(policy("eth-main").policyTypes).toEqual(["Ingress", "Egress"]);
      expect(policy("eth-main").egress).toEqual([{}]);
    });

    it.each(["eth-main", "eth-hoodi"])("%s: opens P2P to the world and nothing else", (pool) => {
      const plan = pool === "eth-main" ? MAIN : HOODI;
      expect(openToAll(pool)).toHaveLength(1);
      expect(ports(openToAll(pool)[0].ports)).toEqual(ports(plan.ports.public));
      for (const rule of policy(pool).ingress) expect(rule.ports.length).toBeGreaterThan(0);
    });

    it("admits JSON-RPC, WebSocket and beacon API only from labelled clients and the pool's own pods", () => {
      for (const port of [8545, 8546, 5052]) {
        const rules = rulesFor("eth-main", port);
        expect(rules).toHaveLength(1);
        expect(rules[0].from).toEqual([
          { namespaceSelector: {}, podSelector: { matchLabels: { "ethereum-rpc-client": "true" } } },
          { podSelector: { matchLabels: spec(sts("eth-main")).selector.matchLabels } },
        ]);
      }
      expect(rulesFor("eth-hoodi", 5555)[0].from).toEqual(rulesFor("eth-hoodi", 8545)[0].from);
    });

    it("admits metrics and the health endpoint only from the collectors' namespaces (EKS agent, GKE managed collection)", () => {
      for (const port of [6060, 5054, HEALTH_PORT]) {
        const rules = rulesFor("eth-main", port);
        expect(rules).toHaveLength(1);
        expect(rules[0].from).toEqual([
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gmp-system" } } },
        ]);
      }
    });

    it("never admits the engine port", () => {
      for (const pool of ["eth-main", "eth-hoodi", "eth-sepolia"]) expect(rulesFor(pool, 8551)).toEqual([]);
    });
  });

  it("limits voluntary disruption to one pod at a time, without letting a syncing pod block drains", () => {
    expect(spec(named(resources, "eth-main-pdb"))).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: spec(sts("eth-main")).selector.matchLabels },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    });
  });

  it("gives every pod its own P2P Service with the pod's P2P ports, syncing or not", () => {
    for (const i of [0, 1]) {
      const service = spec(named(resources, `eth-main-p2p-${i}`));
      expect(service).toMatchObject({
        type: "LoadBalancer",
        externalTrafficPolicy: "Local",
        publishNotReadyAddresses: true,
        selector: { "statefulset.kubernetes.io/pod-name": `eth-main-${i}` },
      });
      expect(ports(service.ports)).toEqual(["30303/TCP", "30303/UDP", "9000/TCP", "9000/UDP", "9001/UDP"].sort());
      expect(service.ports.every((p: Json) => p.targetPort === p.port)).toBe(true);
      expect(new Set(service.ports.map((p: Json) => p.name)).size).toBe(service.ports.length);
    }
    const hoodi = spec(named(resources, "eth-hoodi-p2p-0"));
    expect(hoodi.type).toBe("NodePort");
    expect(ports(hoodi.ports)).toEqual(["30303/TCP", "30303/UDP", "42069/TCP", "42069/UDP", "4001/TCP", "4001/UDP", "4000/UDP"].sort());
    expect(resources.filter((r) => r.name.startsWith("eth-hoodi-p2p-"))).toHaveLength(1);
  });

  it("serves JSON-RPC from Ready pods through a ClusterIP Service, and a headless Service names the pods", () => {
    const rpc = spec(named(resources, "eth-main-rpc"));
    expect(rpc.type).toBe("ClusterIP");
    expect(rpc.selector).toEqual(spec(sts("eth-main")).selector.matchLabels);
    expect(rpc.publishNotReadyAddresses).toBeUndefined();
    expect(rpc.ports).toEqual([
      { name: "rpc-http", port: 8545, targetPort: 8545, protocol: "TCP" },
      { name: "rpc-ws", port: 8546, targetPort: 8546, protocol: "TCP" },
    ]);
    const headless = spec(named(resources, "eth-main-headless"));
    expect(headless).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true, selector: rpc.selector });
    expect(ports(headless.ports)).not.toContain("8551/TCP");
  });

  it("does not make `pulumi up` wait hours for the pods to sync, but waits for P2P to be reachable", () => {
    for (const name of ["eth-main-statefulset", "eth-main-headless", "eth-main-rpc"]) {
      expect(metadata(named(resources, name)).annotations).toEqual({ "pulumi.com/skipAwait": "true" });
    }
    for (const name of ["eth-main-p2p-0", "eth-main-p2p-1", "eth-hoodi-p2p-0"]) {
      expect(metadata(named(resources, name)).annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
    }
  });

  it("gives P2P on EKS an internet-facing NLB of the AWS Load Balancer Controller (a Classic ELB refuses UDP)", () => {
    for (const i of [0, 1]) {
      const service = named(resources, `eth-main-p2p-${i}`);
      expect(spec(service).loadBalancerClass).toBe("service.k8s.aws/nlb");
      const annotations = metadata(service).annotations;
      expect(annotations).toMatchObject({
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "tcp",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "30303",
      });
      expect(annotations["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"]).toContain("budget-line=infrastructure-tools");
      expect(spec(service).ports.some((p: Json) => p.protocol === "UDP")).toBe(true);
    }
    // Off EKS, or with NodePort, the Service is the cluster's own.
    expect(spec(named(resources, "eth-hoodi-p2p-0")).loadBalancerClass).toBeUndefined();
    expect(metadata(named(resources, "eth-hoodi-p2p-0")).annotations).toBeUndefined();
  });

  it("returns the in-cluster RPC and WebSocket URLs", () => {
    expect(endpoints["eth-main"]).toEqual({
      rpcUrl: "http://eth-main-rpc.ethereum.svc.cluster.local:8545",
      wsUrl: "ws://eth-main-rpc.ethereum.svc.cluster.local:8546",
    });
    expect(endpoints["eth-sepolia"].rpcUrl).toBe("http://eth-sepolia-rpc.ethereum-testnets.svc.cluster.local:8545");
  });

  it("offers the sidecar's metrics to the cluster's collector: scrape label, pool label, port named metrics", () => {
    for (const [pool, plan] of [["eth-main", MAIN], ["eth-hoodi", HOODI], ["eth-sepolia", SEPOLIA]] as const) {
      const template = spec(sts(pool)).template;
      expect(template.metadata.labels).toMatchObject({ ...SCRAPE_LABEL, "estate-pool": plan.pool });
      const health = containerOf(sts(pool), "health");
      expect(health.ports).toEqual([{ name: METRICS_PORT_NAME, containerPort: HEALTH_PORT, protocol: "TCP" }]);
      expect(health.env).toContainEqual({ name: "POOL", value: plan.pool });
      const others = template.spec.containers.filter((c: Json) => c.name !== "health").flatMap((c: Json) => c.ports.map((p: Json) => p.name));
      expect(others).not.toContain(METRICS_PORT_NAME);
      // Never on a selector: the pool's identity is not the StatefulSet's.
      expect(spec(sts(pool)).selector.matchLabels).not.toHaveProperty(["estate-pool"]);
    }
    // Erigon's own metrics port is the only other "metrics" in a Caplin pod: it gives way.
    expect(podPortNames(HOODI.containers).get("6060/TCP")).toBe("el-metrics");
  });

  it("tells the Monitoring component where the pool's metrics land", () => {
    expect(monitoring["eth-main"]).toEqual({ platform: "eks" });
    expect(monitoring["eth-hoodi"]).toEqual({ platform: "gke" });
    expect(monitoring["eth-sepolia"]).toEqual({ platform: "kubernetes" });
  });

  it("labels every object and the pod template with the cost tags, so two pools coexist", () => {
    expect(componentProblems(resources, ["eth-main", "eth-hoodi", "eth-sepolia"])).toEqual([]);
    const objects = resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects).toHaveLength(16 + 15 + 8);
    for (const r of objects) expect(metadata(r).labels).toMatchObject(r.name.startsWith("eth-main") ? TAGS : TESTNET_TAGS);
    expect(spec(sts("eth-main")).template.metadata.labels).toMatchObject(TAGS);
    expect(spec(sts("eth-hoodi")).template.metadata.labels).toMatchObject(TESTNET_TAGS);
    const ids = objects.map((r) => `${r.type} ${metadata(r).namespace ?? "(output)"}/${metadata(r).name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("selects with stable labels only, never the cost labels", () => {
    const selectors = [
      ...resources.filter((r) => r.type === STS).flatMap((r) => [spec(r).selector.matchLabels, spec(r).volumeClaimTemplates[0].metadata.labels]),
      ...resources.filter((r) => r.type === SERVICE).map((r) => spec(r).selector),
      ...resources.filter((r) => r.type === PDB).map((r) => spec(r).selector.matchLabels),
      ...resources.filter((r) => r.type === NETPOL).map((r) => spec(r).podSelector.matchLabels),
    ];
    // Per pool: StatefulSet selector and claim labels, headless + RPC + one P2P Service per pod, PDB, NetworkPolicy.
    expect(selectors).toHaveLength(3 * 2 + (2 * 3 + 2 + 1 + 1) + 3 + 3);
    for (const selector of selectors) {
      expect(Object.keys(selector).length).toBeGreaterThan(0);
      for (const key of COST_TAG_KEYS) expect(selector).not.toHaveProperty([key]);
    }
    expect(spec(sts("eth-main")).selector.matchLabels).toEqual({ "app.kubernetes.io/name": "ethereum-node", "app.kubernetes.io/instance": "eth-main" });
  });
});

describe("kubernetesPlacementProblems", () => {
  const provider = {} as k8s.Provider;
  const placement: KubernetesPlacement = { kind: "kubernetes", provider, namespace: "ethereum", p2pService: "NodePort" };

  it("accepts a valid pool", () => {
    expect(kubernetesPlacementProblems("eth-main", MAIN, placement)).toEqual([]);
  });

  it.each([
    ["a name that is not a DNS label", "Eth_Main", placement, /name: "Eth_Main" must be/],
    ["a name too long for pod names", `e${"x".repeat(52)}`, placement, /name: "ex+" must be 1-52/],
    ["a namespace that is not a DNS label", "eth", { ...placement, namespace: "Ethereum" }, /platform.namespace: "Ethereum" is not a DNS label/],
    ["an empty storage class", "eth", { ...placement, storageClassName: "" }, /platform.storageClassName: "" is not a StorageClass name/],
    ["an unknown P2P Service type", "eth", { ...placement, p2pService: "ClusterIP" as never }, /platform.p2pService: "ClusterIP" must be one of LoadBalancer, NodePort/],
  ])("rejects %s, naming the argument", (_, name, bad, message) => {
    expect(kubernetesPlacementProblems(name, MAIN, bad).join("; ")).toMatch(message);
    expect(() => buildKubernetesNodePool({} as pulumi.ComponentResource, name, MAIN, bad)).toThrow(new RegExp(`EthereumNode "${name}": `));
  });

  it("rejects an execution client without RPC ports, and two containers on one port", () => {
    const [execution, consensus, health] = MAIN.containers;
    const noRpc = { ...MAIN, containers: [{ ...execution, ports: execution.ports.filter((p) => p.purpose !== "rpc-ws") }, consensus, health] };
    expect(kubernetesPlacementProblems("eth", noRpc, placement)).toEqual(["execution: the execution client declares no rpc-ws port"]);
    const clash = { ...MAIN, containers: [execution, { ...consensus, ports: [...consensus.ports, execution.ports[0]] }, health] };
    expect(kubernetesPlacementProblems("eth", clash, placement)).toEqual(["containers: port 30303/TCP is declared by two containers of one pod"]);
  });
});

describe("quantities", () => {
  it.each([
    [4, "4"],
    [0.1, "100m"],
    [1.5, "1500m"],
  ])("cpu %p -> %p", (vcpu, quantity) => expect(cpuQuantity(vcpu)).toBe(quantity));
  it.each([
    [32, "32Gi"],
    [0.125, "128Mi"],
    [1.5, "1536Mi"],
  ])("memory %p GiB -> %p", (gib, quantity) => expect(memoryQuantity(gib)).toBe(quantity));
});
