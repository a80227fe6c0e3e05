/**
 * The Ethereum client catalog: pinned images, ports, flags per network and mode, and recommended sizes.
 *
 * Versions: each client's `pin` says when its release was published, where that was read and the day of the release
 * list it was checked against; a pin not checked for PIN_REVIEW_INTERVAL_DAYS is overdue (a test fails). Bump them
 * here, one entry per client, and check each client's flags against the new release's notes.
 * Sizes: per-client maintainers' guidance and EIP-7870 (full node: 4 cores, 32 GB, NVMe-class disk), the
 * aws-blockchain-node-runners Ethereum blueprint (r7g.2xlarge, 2.5-3 TiB gp3, 8,000-16,000 IOPS), growth of
 * ~50 GB/month (full) and ~100 GB/month (archive). `minDiskGiB` is what the chain needs today; `diskGiB` adds a
 * year of growth. Consensus sizes include blob data.
 */
export const CHAINS = ["mainnet", "sepolia", "hoodi", "holesky"] as const;
export type Chain = (typeof CHAINS)[number];
/** Chains whose public networks still run. Holesky was shut down in 2025 (replaced by hoodi). */
export const SERVED_CHAINS: readonly Chain[] = ["mainnet", "sepolia", "hoodi"];
/** EIP-155 chain ids. */
export const CHAIN_IDS: Readonly<Record<Chain, number>> = { mainnet: 1, sepolia: 11155111, hoodi: 560048, holesky: 17000 };

export const SYNC_MODES = ["full", "archive"] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export type PortPurpose = "p2p" | "rpc-http" | "rpc-ws" | "engine" | "beacon-api" | "metrics";
export interface PortSpec {
  readonly name: string;
  readonly port: number;
  readonly protocol: "TCP" | "UDP";
  readonly purpose: PortPurpose;
}

export interface Resources {
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly minDiskGiB: number;
  readonly diskGiB: number;
  /** Provisioned IOPS and throughput the disk should sustain. */
  readonly iops: number;
  readonly throughputMBps: number;
}

/** How often the pins must be checked against upstream releases: a quarter, about one Ethereum hard-fork cycle's notice. */
export const PIN_REVIEW_INTERVAL_DAYS = 90;

export interface ReleasePin {
  /** The release was published on or before this day (YYYY-MM-DD). */
  readonly releasedOn: string;
  /** Where the release and its date were read. */
  readonly source: string;
  /** The day of the upstream release list the pin was checked against: the newest release then (YYYY-MM-DD). */
  readonly reviewedOn: string;
}

/** What a pool's `wsUrl` promises its consumers: `eth_subscribe` to these (the indexer follows heads and logs). */
export const WS_SUBSCRIPTIONS = ["newHeads", "logs"] as const;

/** The flag listing the modules the client serves on its WebSocket, and the modules `eth_subscribe` needs there. */
export interface WsSubscriptionModules {
  readonly flag: string;
  readonly required: readonly string[];
}

export interface ClientSpec {
  readonly id: string;
  readonly kind: "execution" | "consensus";
  readonly image: string;
  readonly version: string;
  /** Appended to the version in the image tag: an image variant (e.g. one that runs as a non-root user). */
  readonly tagSuffix?: string;
  readonly pin: ReleasePin;
  /** Execution clients: how their WebSocket serves WS_SUBSCRIPTIONS. */
  readonly wsSubscriptions?: WsSubscriptionModules;
  /** The image is published for linux/arm64 too, so the node can run on Graviton. */
  readonly arm64: boolean;
  /** The image runs correctly as an arbitrary non-root user owning its data directory. */
  readonly nonRoot: boolean;
  readonly ports: readonly PortSpec[];
  readonly modes: readonly SyncMode[];
  /**
   * Arguments, before the per-network and per-mode ones. Placeholders: {dataDir}, {jwtPath}, {engineUrl},
   * {checkpointSyncUrl}. An argument whose placeholder has no value is dropped.
   */
  readonly args: readonly string[];
  readonly networkArgs: Readonly<Partial<Record<Chain, readonly string[]>>>;
  readonly modeArgs: Readonly<Record<SyncMode, readonly string[]>>;
  /** Seconds the client needs to flush its database on SIGTERM. */
  readonly shutdownGraceSeconds: number;
  /** Recommended resources per chain and mode (consensus clients: per chain, `full` and `archive`). */
  readonly resources: Readonly<Partial<Record<Chain, Readonly<Partial<Record<SyncMode, Resources>>>>>>;
  /** Only these execution clients can drive it (Caplin lives inside Erigon). */
  readonly pairsWith?: readonly string[];
}

/** The image reference of a client: repository, version and variant. */
export const imageRef = (c: Pick<ClientSpec, "image" | "version" | "tagSuffix">): string => `${c.image}:${c.version}${c.tagSuffix ?? ""}`;

/** The day a pin's review falls due (YYYY-MM-DD). */
export function pinReviewDue(pin: Pick<ReleasePin, "reviewedOn">, intervalDays = PIN_REVIEW_INTERVAL_DAYS): string {
  const due = new Date(`${pin.reviewedOn}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() + intervalDays);
  return due.toISOString().slice(0, 10);
}

/** Clients whose pin was not checked within the interval as of `today`, each as `<id> <version>: review was due <date>`. */
export function overduePins(clients: readonly ClientSpec[], today: Date, intervalDays = PIN_REVIEW_INTERVAL_DAYS): string[] {
  const day = today.toISOString().slice(0, 10);
  return clients.filter((c) => pinReviewDue(c.pin, intervalDays) < day).map((c) => `${c.id} ${c.version}: review was due ${pinReviewDue(c.pin, intervalDays)}`);
}

/**
 * Each client's newest stable GitHub release (pre-releases skipped), with its publication day, as the GitHub release
 * lists copied into ehsanhajian/chaindiff (src/chaindiff/data/releases/<client>.json, fetched 2026-10-08) showed them:
 * the newest list of releases that could be read when the pins were last reviewed.
 */
const RELEASES_LISTED_ON = "2026-10-08";
const release = (repo: string, tag: string, releasedOn: string): ReleasePin => ({
  releasedOn,
  source: `github.com/${repo}/releases/tag/${tag}, per the release list of ${RELEASES_LISTED_ON}`,
  reviewedOn: RELEASES_LISTED_ON,
});

const p2p = (port: number, protocols: ("TCP" | "UDP")[] = ["TCP", "UDP"], name = "p2p"): PortSpec[] =>
  protocols.map((protocol) => ({ name: `${name}-${protocol.toLowerCase()}`, port, protocol, purpose: "p2p" }));
const tcp = (name: string, port: number, purpose: PortPurpose): PortSpec => ({ name, port, protocol: "TCP", purpose });
const r = (vcpu: number, memoryGiB: number, minDiskGiB: number, diskGiB: number, iops: number, throughputMBps: number): Resources => ({
  vcpu,
  memoryGiB,
  minDiskGiB,
  diskGiB,
  iops,
  throughputMBps,
});

/** JSON-RPC over HTTP and WebSocket: what a pool serves its clients (indexers, sandboxes). */
export const RPC_PORTS = [8545, 8546] as const;
const EXECUTION_RPC_PORTS = [tcp("rpc-http", RPC_PORTS[0], "rpc-http"), tcp("rpc-ws", RPC_PORTS[1], "rpc-ws"), tcp("engine", 8551, "engine")];
/** Never admin, debug or personal: the RPC is load-balanced. */
const RPC_APIS = "eth,net,web3,txpool";
/** Nethermind names its modules; Subscribe is eth_subscribe, which its WebSocket serves only when enabled. */
const NETHERMIND_RPC_MODULES = "Eth,Net,Web3,TxPool,Subscribe";

export const EXECUTION_CLIENTS: readonly ClientSpec[] = [
  {
    id: "geth",
    kind: "execution",
    image: "ethereum/client-go",
    version: "v1.17.7",
    wsSubscriptions: { flag: "--ws.api", required: ["eth"] },
    pin: release("ethereum/go-ethereum", "v1.17.7", "2026-09-30"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(30303), ...EXECUTION_RPC_PORTS, tcp("metrics", 6060, "metrics")],
    modes: ["full", "archive"],
    args: [
      "--datadir={dataDir}",
      "--port=30303",
      "--http",
      "--http.addr=0.0.0.0",
      "--http.port=8545",
      "--http.vhosts=*",
      `--http.api=${RPC_APIS}`,
      "--ws",
      "--ws.addr=0.0.0.0",
      "--ws.port=8546",
      `--ws.api=${RPC_APIS}`,
      "--authrpc.addr=127.0.0.1",
      "--authrpc.port=8551",
      "--authrpc.jwtsecret={jwtPath}",
      "--metrics",
      "--metrics.addr=0.0.0.0",
      "--metrics.port=6060",
    ],
    networkArgs: { mainnet: ["--mainnet"], sepolia: ["--sepolia"], hoodi: ["--hoodi"] },
    modeArgs: { full: ["--syncmode=snap", "--gcmode=full"], archive: ["--syncmode=full", "--gcmode=archive", "--state.scheme=path"] },
    shutdownGraceSeconds: 480,
    resources: {
      mainnet: { full: r(4, 32, 1400, 2000, 8000, 500), archive: r(8, 64, 2400, 3600, 12000, 700) },
      sepolia: { full: r(2, 16, 400, 600, 3000, 250), archive: r(4, 32, 1200, 1800, 6000, 400) },
      hoodi: { full: r(2, 16, 150, 300, 3000, 250), archive: r(4, 16, 400, 700, 3000, 250) },
    },
  },
  {
    id: "nethermind",
    kind: "execution",
    image: "nethermind/nethermind",
    version: "2.1.0",
    // The chiseled variant runs as a non-root user with nothing but the runtime: no shell, no package manager.
    tagSuffix: "-chiseled",
    wsSubscriptions: { flag: "--JsonRpc.EnabledModules", required: ["Eth", "Subscribe"] },
    pin: release("NethermindEth/nethermind", "2.1.0", "2026-10-01"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(30303), ...EXECUTION_RPC_PORTS, tcp("metrics", 9545, "metrics")],
    modes: ["full"],
    args: [
      "--data-dir={dataDir}",
      // On the data volume: the root filesystem is read-only, and the image would keep them in its working directory.
      "--Init.LogDirectory={dataDir}/logs",
      "--KeyStore.KeyStoreDirectory={dataDir}/keystore",
      "--Network.P2PPort=30303",
      "--Network.DiscoveryPort=30303",
      "--JsonRpc.Enabled=true",
      "--JsonRpc.Host=0.0.0.0",
      "--JsonRpc.Port=8545",
      "--JsonRpc.WebSocketsPort=8546",
      `--JsonRpc.EnabledModules=${NETHERMIND_RPC_MODULES}`,
      "--JsonRpc.EngineHost=127.0.0.1",
      "--JsonRpc.EnginePort=8551",
      "--JsonRpc.JwtSecretFile={jwtPath}",
      "--Metrics.Enabled=true",
      "--Metrics.ExposePort=9545",
    ],
    networkArgs: { mainnet: ["--config=mainnet"], sepolia: ["--config=sepolia"], hoodi: ["--config=hoodi"] },
    modeArgs: { full: [], archive: [] },
    shutdownGraceSeconds: 480,
    resources: {
      mainnet: { full: r(4, 32, 1400, 2000, 10000, 500) },
      sepolia: { full: r(2, 16, 400, 600, 3000, 250) },
      hoodi: { full: r(2, 16, 150, 300, 3000, 250) },
    },
  },
  {
    id: "erigon",
    kind: "execution",
    image: "erigontech/erigon",
    version: "v3.7.1",
    // Erigon's WebSocket serves the HTTP server's modules.
    wsSubscriptions: { flag: "--http.api", required: ["eth"] },
    pin: release("erigontech/erigon", "v3.7.1", "2026-10-02"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(30303), ...p2p(42069, ["TCP", "UDP"], "torrent"), ...EXECUTION_RPC_PORTS, tcp("metrics", 6060, "metrics")],
    modes: ["full", "archive"],
    args: [
      "--datadir={dataDir}",
      "--port=30303",
      "--torrent.port=42069",
      "--http",
      "--http.addr=0.0.0.0",
      "--http.port=8545",
      "--http.vhosts=*",
      `--http.api=${RPC_APIS}`,
      "--ws",
      "--ws.port=8546",
      "--authrpc.addr=127.0.0.1",
      "--authrpc.port=8551",
      "--authrpc.jwtsecret={jwtPath}",
      "--metrics",
      "--metrics.addr=0.0.0.0",
      "--metrics.port=6060",
      "--externalcl",
    ],
    networkArgs: { mainnet: ["--chain=mainnet"], sepolia: ["--chain=sepolia"], hoodi: ["--chain=hoodi"] },
    modeArgs: { full: ["--prune.mode=full"], archive: ["--prune.mode=archive"] },
    shutdownGraceSeconds: 480,
    resources: {
      mainnet: { full: r(4, 32, 1100, 1700, 6000, 400), archive: r(8, 64, 1600, 2800, 10000, 600) },
      sepolia: { full: r(2, 16, 300, 500, 3000, 250), archive: r(4, 32, 800, 1200, 4000, 300) },
      hoodi: { full: r(2, 16, 120, 250, 3000, 250), archive: r(4, 16, 300, 500, 3000, 250) },
    },
  },
  {
    id: "reth",
    kind: "execution",
    image: "ghcr.io/paradigmxyz/reth",
    version: "v2.7.0",
    wsSubscriptions: { flag: "--ws.api", required: ["eth"] },
    pin: release("paradigmxyz/reth", "v2.7.0", "2026-09-28"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(30303), ...EXECUTION_RPC_PORTS, tcp("metrics", 9001, "metrics")],
    modes: ["full", "archive"],
    args: [
      "node",
      "--datadir={dataDir}",
      "--port=30303",
      "--http",
      "--http.addr=0.0.0.0",
      "--http.port=8545",
      `--http.api=${RPC_APIS}`,
      "--ws",
      "--ws.addr=0.0.0.0",
      "--ws.port=8546",
      `--ws.api=${RPC_APIS}`,
      "--authrpc.addr=127.0.0.1",
      "--authrpc.port=8551",
      "--authrpc.jwtsecret={jwtPath}",
      "--metrics=0.0.0.0:9001",
    ],
    networkArgs: { mainnet: ["--chain=mainnet"], sepolia: ["--chain=sepolia"], hoodi: ["--chain=hoodi"] },
    modeArgs: { full: ["--full"], archive: [] },
    shutdownGraceSeconds: 480,
    resources: {
      mainnet: { full: r(4, 32, 1200, 1800, 6000, 400), archive: r(8, 64, 2800, 4000, 10000, 600) },
      sepolia: { full: r(2, 16, 350, 550, 3000, 250), archive: r(4, 32, 1000, 1500, 4000, 300) },
      hoodi: { full: r(2, 16, 130, 260, 3000, 250), archive: r(4, 16, 350, 600, 3000, 250) },
    },
  },
  {
    id: "besu",
    kind: "execution",
    image: "hyperledger/besu",
    version: "26.9.0",
    wsSubscriptions: { flag: "--rpc-ws-api", required: ["ETH"] },
    pin: release("besu-eth/besu", "26.9.0", "2026-09-25"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(30303), ...EXECUTION_RPC_PORTS, tcp("metrics", 9545, "metrics")],
    modes: ["full"],
    args: [
      "--data-path={dataDir}",
      "--p2p-port=30303",
      "--rpc-http-enabled",
      "--rpc-http-host=0.0.0.0",
      "--rpc-http-port=8545",
      "--host-allowlist=*",
      "--rpc-http-api=ETH,NET,WEB3,TXPOOL",
      "--rpc-ws-enabled",
      "--rpc-ws-host=0.0.0.0",
      "--rpc-ws-port=8546",
      "--rpc-ws-api=ETH,NET,WEB3,TXPOOL",
      "--engine-host-allowlist=127.0.0.1,localhost",
      "--engine-rpc-port=8551",
      "--engine-jwt-secret={jwtPath}",
      "--metrics-enabled",
      "--metrics-host=0.0.0.0",
      "--metrics-port=9545",
    ],
    networkArgs: { mainnet: ["--network=mainnet"], sepolia: ["--network=sepolia"], hoodi: ["--network=hoodi"] },
    modeArgs: { full: ["--sync-mode=SNAP", "--data-storage-format=BONSAI"], archive: [] },
    shutdownGraceSeconds: 480,
    resources: {
      mainnet: { full: r(4, 32, 1400, 2000, 8000, 500) },
      sepolia: { full: r(2, 16, 400, 600, 3000, 250) },
      hoodi: { full: r(2, 16, 150, 300, 3000, 250) },
    },
  },
];

const beaconResources = (mainnet: Resources, testnet: Resources) => ({
  mainnet: { full: mainnet, archive: { ...mainnet, minDiskGiB: mainnet.minDiskGiB * 4, diskGiB: mainnet.diskGiB * 4 } },
  sepolia: { full: testnet, archive: testnet },
  hoodi: { full: testnet, archive: testnet },
});

export const CONSENSUS_CLIENTS: readonly ClientSpec[] = [
  {
    id: "lighthouse",
    kind: "consensus",
    image: "sigp/lighthouse",
    version: "v8.2.3",
    pin: release("sigp/lighthouse", "v8.2.3", "2026-10-01"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(9000), { name: "quic-udp", port: 9001, protocol: "UDP", purpose: "p2p" }, tcp("beacon-api", 5052, "beacon-api"), tcp("metrics", 5054, "metrics")],
    modes: ["full", "archive"],
    args: [
      "lighthouse",
      "beacon_node",
      "--datadir={dataDir}",
      "--port=9000",
      "--quic-port=9001",
      "--http",
      "--http-address=0.0.0.0",
      "--http-port=5052",
      "--execution-endpoint={engineUrl}",
      "--execution-jwt={jwtPath}",
      "--checkpoint-sync-url={checkpointSyncUrl}",
      "--metrics",
      "--metrics-address=0.0.0.0",
      "--metrics-port=5054",
    ],
    networkArgs: { mainnet: ["--network=mainnet"], sepolia: ["--network=sepolia"], hoodi: ["--network=hoodi"] },
    modeArgs: { full: [], archive: ["--reconstruct-historic-states"] },
    shutdownGraceSeconds: 300,
    resources: beaconResources(r(2, 8, 200, 300, 3000, 125), r(1, 4, 80, 120, 3000, 125)),
  },
  {
    id: "teku",
    kind: "consensus",
    image: "consensys/teku",
    version: "26.9.1",
    pin: release("Consensys-Incorporated/teku", "26.9.1", "2026-09-28"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(9000), tcp("beacon-api", 5051, "beacon-api"), tcp("metrics", 8008, "metrics")],
    modes: ["full", "archive"],
    args: [
      "--data-path={dataDir}",
      "--p2p-port=9000",
      "--rest-api-enabled=true",
      "--rest-api-interface=0.0.0.0",
      "--rest-api-port=5051",
      "--rest-api-host-allowlist=*",
      "--ee-endpoint={engineUrl}",
      "--ee-jwt-secret-file={jwtPath}",
      "--checkpoint-sync-url={checkpointSyncUrl}",
      "--metrics-enabled=true",
      "--metrics-interface=0.0.0.0",
      "--metrics-port=8008",
      "--metrics-host-allowlist=*",
    ],
    networkArgs: { mainnet: ["--network=mainnet"], sepolia: ["--network=sepolia"], hoodi: ["--network=hoodi"] },
    modeArgs: { full: ["--data-storage-mode=prune"], archive: ["--data-storage-mode=archive"] },
    shutdownGraceSeconds: 300,
    resources: beaconResources(r(2, 12, 200, 300, 3000, 125), r(1, 6, 80, 120, 3000, 125)),
  },
  {
    id: "prysm",
    kind: "consensus",
    // Where Prysm's release build pushes its images since v6 (cmd/beacon-chain/BUILD.bazel); gcr.io/prysmaticlabs is the old home.
    image: "gcr.io/offchainlabs/prysm/beacon-chain",
    version: "v7.2.1",
    pin: release("OffchainLabs/prysm", "v7.2.1", "2026-10-05"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(13000, ["TCP"]), ...p2p(12000, ["UDP"], "discovery"), tcp("beacon-api", 3500, "beacon-api"), tcp("metrics", 8080, "metrics")],
    modes: ["full", "archive"],
    args: [
      "--datadir={dataDir}",
      "--accept-terms-of-use",
      "--p2p-tcp-port=13000",
      "--p2p-udp-port=12000",
      "--http-host=0.0.0.0",
      "--http-port=3500",
      "--execution-endpoint={engineUrl}",
      "--jwt-secret={jwtPath}",
      "--checkpoint-sync-url={checkpointSyncUrl}",
      "--genesis-beacon-api-url={checkpointSyncUrl}",
      "--monitoring-host=0.0.0.0",
      "--monitoring-port=8080",
    ],
    networkArgs: { mainnet: ["--mainnet"], sepolia: ["--sepolia"], hoodi: ["--hoodi"] },
    modeArgs: { full: [], archive: ["--slots-per-archive-point=32"] },
    shutdownGraceSeconds: 300,
    resources: beaconResources(r(2, 8, 200, 300, 3000, 125), r(1, 4, 80, 120, 3000, 125)),
  },
  {
    id: "nimbus",
    kind: "consensus",
    image: "statusim/nimbus-eth2",
    version: "multiarch-v26.10.0",
    pin: release("status-im/nimbus-eth2", "v26.10.0", "2026-10-04"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(9000), tcp("beacon-api", 5052, "beacon-api"), tcp("metrics", 8008, "metrics")],
    modes: ["full", "archive"],
    args: [
      "--data-dir={dataDir}",
      "--tcp-port=9000",
      "--udp-port=9000",
      "--rest",
      "--rest-address=0.0.0.0",
      "--rest-port=5052",
      "--el={engineUrl}",
      "--jwt-secret={jwtPath}",
      "--external-beacon-api-url={checkpointSyncUrl}",
      "--metrics",
      "--metrics-address=0.0.0.0",
      "--metrics-port=8008",
    ],
    networkArgs: { mainnet: ["--network=mainnet"], sepolia: ["--network=sepolia"], hoodi: ["--network=hoodi"] },
    modeArgs: { full: ["--history=prune"], archive: ["--history=archive"] },
    shutdownGraceSeconds: 300,
    resources: beaconResources(r(2, 4, 150, 250, 3000, 125), r(1, 2, 60, 100, 3000, 125)),
  },
  {
    id: "caplin",
    kind: "consensus",
    image: "erigontech/erigon",
    version: "v3.7.1",
    pin: release("erigontech/erigon", "v3.7.1", "2026-10-02"),
    arm64: true,
    nonRoot: true,
    ports: [...p2p(4001, ["TCP", "UDP"], "caplin"), ...p2p(4000, ["UDP"], "caplin-discovery"), tcp("beacon-api", 5555, "beacon-api")],
    modes: ["full", "archive"],
    args: [],
    networkArgs: {},
    modeArgs: { full: [], archive: [] },
    shutdownGraceSeconds: 480,
    resources: beaconResources(r(1, 4, 150, 250, 3000, 125), r(1, 2, 60, 100, 3000, 125)),
    pairsWith: ["erigon"],
  },
];

/** Erigon runs Caplin inside its own process: these replace `--externalcl` when it is the pair. */
export const CAPLIN_EXECUTION_ARGS: readonly string[] = [
  "--caplin.checkpoint-sync-url={checkpointSyncUrl}",
  "--beacon.api=beacon,builder,config,debug,node,validator,lighthouse",
  "--beacon.api.addr=0.0.0.0",
  "--beacon.api.port=5555",
  "--caplin.discovery.port=4000",
  "--caplin.discovery.tcpport=4001",
  "--caplin.discovery.quicport=4001",
];

export const CLIENTS: readonly ClientSpec[] = [...EXECUTION_CLIENTS, ...CONSENSUS_CLIENTS];

export function findClient(kind: ClientSpec["kind"], id: string): ClientSpec | undefined {
  return CLIENTS.find((c) => c.kind === kind && c.id === id);
}
