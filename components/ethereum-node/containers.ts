/**
 * What runs on a node, whatever the platform: the execution client, the consensus client (unless Caplin runs
 * inside Erigon) and the sync-aware health sidecar, with their arguments, ports and shutdown grace. The VM
 * builders turn this into systemd units, the Kubernetes builder into a pod.
 */
import { CAPLIN_EXECUTION_ARGS, Chain, ClientSpec, PortSpec, SyncMode, imageRef } from "./clients";

export const HEALTH_PORT = 8590;
export const HEALTH_IMAGE = "node:22.21.1-alpine3.22";
/** Where the health script is mounted in its container. */
export const HEALTH_SCRIPT_PATH = "/health/sync-health.js";
/** A head older than this means the execution client is behind, whatever eth_syncing says. */
export const MAX_HEAD_AGE_SECONDS = 60;

export interface ContainerPlan {
  readonly name: "execution" | "consensus" | "health";
  readonly image: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  readonly nonRoot: boolean;
  readonly shutdownGraceSeconds: number;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** Subdirectory of the node's data volume it owns; undefined for the sidecar. */
  readonly dataSubdir?: string;
  /** Mounts the whole data volume read-only at the data root: the sidecar, for its disk metric. */
  readonly readsDataRoot?: boolean;
}

export interface NodePlanInput {
  /** The pool's config name: the `pool` label of the sidecar's metrics. */
  readonly pool: string;
  readonly chain: Chain;
  readonly mode: SyncMode;
  readonly execution: ClientSpec;
  readonly consensus: ClientSpec;
  readonly checkpointSyncUrl?: string;
  /** Where the data volume is mounted in the containers, and where the engine JWT lives (in memory, never in state). */
  readonly dataRoot: string;
  readonly jwtPath: string;
}

/** Fills {placeholders}; an argument whose placeholder has no value is dropped. */
export function renderArgs(args: readonly string[], values: Readonly<Record<string, string | undefined>>): string[] {
  return args.flatMap((arg) => {
    let missing = false;
    const rendered = arg.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) missing = true;
      return value ?? "";
    });
    return missing ? [] : [rendered];
  });
}

function beaconPort(consensus: ClientSpec): number {
  const port = consensus.ports.find((p) => p.purpose === "beacon-api");
  if (!port) throw new Error(`${consensus.id} has no beacon API port in the catalog`);
  return port.port;
}

export function nodeContainers(input: NodePlanInput): ContainerPlan[] {
  const { execution: el, consensus: cl } = input;
  const caplin = cl.pairsWith !== undefined;
  const values = (subdir: string) => ({
    dataDir: `${input.dataRoot}/${subdir}`,
    jwtPath: input.jwtPath,
    engineUrl: "http://127.0.0.1:8551",
    checkpointSyncUrl: input.checkpointSyncUrl,
  });
  const elArgs = [
    ...(caplin ? el.args.filter((a) => a !== "--externalcl") : el.args),
    ...(el.networkArgs[input.chain] ?? []),
    ...el.modeArgs[input.mode],
    ...(caplin ? CAPLIN_EXECUTION_ARGS : []),
  ];
  const elResources = el.resources[input.chain]?.[input.mode];
  const clResources = cl.resources[input.chain]?.[input.mode];
  if (!elResources || !clResources) throw new Error(`${el.id}/${cl.id} are not offered for ${input.chain} ${input.mode}`);
  const containers: ContainerPlan[] = [
    {
      name: "execution",
      image: imageRef(el),
      args: renderArgs(elArgs, values("execution")),
      env: {},
      ports: caplin ? [...el.ports, ...cl.ports] : el.ports,
      nonRoot: el.nonRoot,
      shutdownGraceSeconds: el.shutdownGraceSeconds,
      vcpu: elResources.vcpu + (caplin ? clResources.vcpu : 0),
      memoryGiB: elResources.memoryGiB + (caplin ? clResources.memoryGiB : 0),
      dataSubdir: "execution",
    },
  ];
  if (!caplin) {
    containers.push({
      name: "consensus",
      image: imageRef(cl),
      args: renderArgs([...cl.args, ...(cl.networkArgs[input.chain] ?? []), ...cl.modeArgs[input.mode]], values("consensus")),
      env: {},
      ports: cl.ports,
      nonRoot: cl.nonRoot,
      shutdownGraceSeconds: cl.shutdownGraceSeconds,
      vcpu: clResources.vcpu,
      memoryGiB: clResources.memoryGiB,
      dataSubdir: "consensus",
    });
  }
  containers.push({
    name: "health",
    image: HEALTH_IMAGE,
    args: ["node", HEALTH_SCRIPT_PATH],
    env: {
      EXECUTION_RPC_URL: "http://127.0.0.1:8545",
      BEACON_API_URL: `http://127.0.0.1:${beaconPort(cl)}`,
      MAX_HEAD_AGE_SECONDS: String(MAX_HEAD_AGE_SECONDS),
      PORT: String(HEALTH_PORT),
      POOL: input.pool,
      DATA_DIR: input.dataRoot,
    },
    ports: [{ name: "health", port: HEALTH_PORT, protocol: "TCP", purpose: "metrics" }],
    nonRoot: true,
    shutdownGraceSeconds: 5,
    vcpu: 0.1,
    memoryGiB: 0.125,
    readsDataRoot: true,
  });
  return containers;
}

export interface NodePorts {
  /** Reachable from the internet: P2P only. */
  readonly public: readonly PortSpec[];
  /** Reachable from inside the network only: JSON-RPC, WebSocket, beacon API, metrics, health. */
  readonly private: readonly PortSpec[];
}

/** The engine API is in neither list: it listens on localhost only. */
export function nodePorts(containers: readonly ContainerPlan[]): NodePorts {
  const all = containers.flatMap((c) => c.ports);
  const unique = (ports: PortSpec[]) => ports.filter((p, i) => ports.findIndex((q) => q.port === p.port && q.protocol === p.protocol) === i);
  return {
    public: unique(all.filter((p) => p.purpose === "p2p")),
    private: unique(all.filter((p) => p.purpose !== "p2p" && p.purpose !== "engine")),
  };
}

/** Long enough for every container to flush. */
export function shutdownGraceSeconds(containers: readonly ContainerPlan[]): number {
  return Math.max(...containers.map((c) => c.shutdownGraceSeconds)) + 30;
}
