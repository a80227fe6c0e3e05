import {
  CLIENTS,
  CONSENSUS_CLIENTS,
  EXECUTION_CLIENTS,
  PIN_REVIEW_INTERVAL_DAYS,
  SERVED_CHAINS,
  WS_SUBSCRIPTIONS,
  findClient,
  imageRef,
  overduePins,
  pinReviewDue,
} from "../../../components/ethereum-node/clients";
import { HEALTH_PORT, nodeContainers, nodePorts, renderArgs, shutdownGraceSeconds } from "../../../components/ethereum-node/containers";
import { AWS_MACHINE_TYPES, smallestFitting } from "../../../components/ethereum-node/machine-types";
import { awsInstanceTypeFor, gcpMachineTypeFor, recommendedSize, withOverrides } from "../../../components/ethereum-node/sizing";

const client = (kind: "execution" | "consensus", id: string) => findClient(kind, id)!;

describe("the client catalog", () => {
  it("offers the five execution and four consensus clients, plus Caplin", () => {
    expect(EXECUTION_CLIENTS.map((c) => c.id)).toEqual(["geth", "nethermind", "erigon", "reth", "besu"]);
    expect(CONSENSUS_CLIENTS.map((c) => c.id)).toEqual(["lighthouse", "teku", "prysm", "nimbus", "caplin"]);
  });

  it.each(CLIENTS.map((c) => [c.id, c]))("%s: pinned image, unique ports, sized for every chain and mode it offers", (_id, c) => {
    expect(c.version).toMatch(/\d+\.\d+\.\d+$/);
    expect(c.version).not.toMatch(/latest/);
    const keys = c.ports.map((p) => `${p.port}/${p.protocol}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const chain of SERVED_CHAINS) {
      for (const mode of c.modes) {
        const r = c.resources[chain]?.[mode];
        expect([chain, mode, r && r.diskGiB >= r.minDiskGiB]).toEqual([chain, mode, true]);
      }
      if (!c.pairsWith) expect(c.networkArgs[chain]?.length).toBeGreaterThan(0);
    }
  });

  it("gives every execution client the engine and RPC ports and every consensus client a beacon API", () => {
    for (const c of EXECUTION_CLIENTS) expect(c.ports.map((p) => p.port)).toEqual(expect.arrayContaining([8545, 8546, 8551]));
    for (const c of CONSENSUS_CLIENTS) expect(c.ports.some((p) => p.purpose === "beacon-api")).toBe(true);
  });

  it("never enables admin, debug or personal RPC namespaces, and binds the engine API to localhost", () => {
    for (const c of EXECUTION_CLIENTS) {
      const args = c.args.join(" ").toLowerCase();
      expect([c.id, /\b(admin|debug|personal)\b/.test(args)]).toEqual([c.id, false]);
      expect([c.id, /(authrpc\.addr|enginehost|engine-host-allowlist)=127\.0\.0\.1/i.test(c.args.join(" "))]).toEqual([c.id, true]);
    }
  });

  it("offers archive only where the client's archive is practical", () => {
    expect(EXECUTION_CLIENTS.filter((c) => c.modes.includes("archive")).map((c) => c.id)).toEqual(["geth", "erigon", "reth"]);
  });
});

/** The modules a client's flag lists, as written in its arguments (`--flag=a,b` or `--flag=[a,b]`). */
const modulesOf = (args: readonly string[], flag: string): string[] | undefined => {
  const arg = args.find((a) => a.startsWith(`${flag}=`));
  return arg === undefined ? undefined : arg.slice(flag.length + 1).replace(/^\[|\]$/g, "").split(",").map((m) => m.trim().toLowerCase());
};

describe("what a pool's WebSocket promises", () => {
  it("promises eth_subscribe to new heads and logs", () => {
    expect(WS_SUBSCRIPTIONS).toEqual(["newHeads", "logs"]);
  });

  it.each(EXECUTION_CLIENTS.map((c) => [c.id, c]))("%s enables the WebSocket modules eth_subscribe needs", (_id, c) => {
    expect(c.wsSubscriptions).toBeDefined();
    const { flag, required } = c.wsSubscriptions!;
    const ws = c.args.filter((a) => /^--(ws|rpc-ws-enabled|JsonRpc\.WebSocketsPort)/.test(a));
    expect(ws.length).toBeGreaterThan(0);
    expect(modulesOf(c.args, flag)).toEqual(expect.arrayContaining(required.map((m) => m.toLowerCase())));
  });

  it("catches nethermind without its Subscribe module", () => {
    const nethermind = findClient("execution", "nethermind")!;
    expect(modulesOf(nethermind.args, "--JsonRpc.EnabledModules")).toContain("subscribe");
    expect(modulesOf(["--JsonRpc.EnabledModules=eth,net,web3,txpool"], "--JsonRpc.EnabledModules")).not.toContain("subscribe");
  });
});

describe("client pins", () => {
  const today = new Date().toISOString().slice(0, 10);
  it.each(CLIENTS.map((c) => [c.id, c]))("%s: a release with its date and a source naming it, released before the review, reviewed no later than today", (_id, c) => {
    expect(c.pin.releasedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(c.pin.reviewedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect([c.pin.releasedOn, c.pin.reviewedOn].map((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10))).toEqual([c.pin.releasedOn, c.pin.reviewedOn]);
    expect({ releasedOn: c.pin.releasedOn, notAfter: c.pin.releasedOn <= c.pin.reviewedOn }).toEqual({ releasedOn: c.pin.releasedOn, notAfter: true });
    expect({ reviewedOn: c.pin.reviewedOn, notAfterToday: c.pin.reviewedOn <= today }).toEqual({ reviewedOn: c.pin.reviewedOn, notAfterToday: true });
    // The release number at the end of the image tag (`multiarch-v26.10.0` → `v26.10.0`) is the one the source names.
    const release = c.version.match(/v?\d+\.\d+\.\d+$/)![0];
    expect(c.pin.source).toMatch(new RegExp(`/releases/tag/${release.replace(/\./g, "\\.")}\\b`));
  });

  it(`are reviewed at least every ${PIN_REVIEW_INTERVAL_DAYS} days: fails when the review is overdue, so upgrades are scheduled`, () => {
    // Judged against today on purpose: this test turns red the day the review falls due. Check each client's newest
    // release, bump the pins (and their flags), and set reviewedOn.
    expect(overduePins(CLIENTS, new Date())).toEqual([]);
  });

  it("computes the due day from the review day and the interval", () => {
    const geth = findClient("execution", "geth")!;
    const c = { ...geth, pin: { releasedOn: "2026-07-27", source: "test", reviewedOn: "2026-12-02" } };
    expect(pinReviewDue(c.pin)).toBe("2027-03-02");
    expect(overduePins([c], new Date("2027-03-02T23:00:00Z"))).toEqual([]);
    expect(overduePins([c], new Date("2027-03-03T00:00:00Z"))).toEqual([`geth ${geth.version}: review was due 2027-03-02`]);
    expect(overduePins([c], new Date("2027-01-01T00:00:00Z"), 10)).toEqual([`geth ${geth.version}: review was due 2026-12-12`]);
  });

  it("flags a catalog pin once its own review interval has passed", () => {
    const due = new Date(`${pinReviewDue(CLIENTS[0].pin)}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 1);
    expect(overduePins(CLIENTS, due)).toContain(`${CLIENTS[0].id} ${CLIENTS[0].version}: review was due ${pinReviewDue(CLIENTS[0].pin)}`);
  });
});

describe("sizing", () => {
  it("adds the pair's resources and fits the smallest machine: Graviton when both images ship arm64", () => {
    const size = recommendedSize(client("execution", "geth"), client("consensus", "lighthouse"), "mainnet", "full")!;
    expect(size).toEqual({ vcpu: 6, memoryGiB: 41, minDiskGiB: 1600, diskGiB: 2300, iops: 8000, throughputMBps: 500, arch: "arm64" });
    expect(awsInstanceTypeFor(size)).toBe("r7g.2xlarge");
    expect(gcpMachineTypeFor(size)).toBe("n2-highmem-8");
  });

  it("picks Intel when one image has no arm64 build", () => {
    expect(smallestFitting(AWS_MACHINE_TYPES, { vcpu: 3, memoryGiB: 10, arch: "x86_64" })?.name).toBe("m7i.xlarge");
    expect(smallestFitting(AWS_MACHINE_TYPES, { vcpu: 64, memoryGiB: 10, arch: "arm64" })).toBeUndefined();
  });

  it("has no size for a pair the catalog does not offer, and applies overrides", () => {
    expect(recommendedSize(client("execution", "besu"), client("consensus", "teku"), "mainnet", "archive")).toBeUndefined();
    const size = recommendedSize(client("execution", "reth"), client("consensus", "teku"), "hoodi", "full")!;
    expect(withOverrides(size, { diskGiB: 900, iops: undefined })).toEqual({ ...size, diskGiB: 900 });
  });
});

describe("the container plan", () => {
  const plan = (execution: string, consensus: string, checkpointSyncUrl?: string) =>
    nodeContainers({
      pool: "main",
      chain: "mainnet",
      mode: "full",
      execution: client("execution", execution),
      consensus: client("consensus", consensus),
      checkpointSyncUrl,
      dataRoot: "/data",
      jwtPath: "/jwt/jwt.hex",
    });

  it("runs the pair and the health sidecar, sharing the JWT path and the engine on localhost", () => {
    const [el, cl, health] = plan("geth", "lighthouse", "https://checkpoint.example");
    expect([el.name, cl.name, health.name]).toEqual(["execution", "consensus", "health"]);
    expect(el.image).toBe(imageRef(client("execution", "geth")));
    expect(el.image).toMatch(/^ethereum\/client-go:v\d+\.\d+\.\d+$/);
    expect(el.args).toEqual(expect.arrayContaining(["--datadir=/data/execution", "--authrpc.jwtsecret=/jwt/jwt.hex", "--mainnet", "--syncmode=snap"]));
    expect(cl.args).toEqual(expect.arrayContaining(["--execution-endpoint=http://127.0.0.1:8551", "--execution-jwt=/jwt/jwt.hex", "--checkpoint-sync-url=https://checkpoint.example"]));
    expect(health.env).toMatchObject({ BEACON_API_URL: "http://127.0.0.1:5052", PORT: String(HEALTH_PORT) });
  });

  it("drops a flag whose value is not configured", () => {
    expect(renderArgs(["--a={x}", "--b={y}", "--c"], { x: "1" })).toEqual(["--a=1", "--c"]);
    expect(plan("geth", "lighthouse")[1].args.some((a) => a.startsWith("--checkpoint-sync-url"))).toBe(false);
  });

  it("runs Caplin inside Erigon: no separate consensus container", () => {
    const containers = plan("erigon", "caplin", "https://checkpoint.example");
    expect(containers.map((c) => c.name)).toEqual(["execution", "health"]);
    expect(containers[0].args).not.toContain("--externalcl");
    expect(containers[0].args).toContain("--caplin.checkpoint-sync-url=https://checkpoint.example");
    expect(containers[1].env.BEACON_API_URL).toBe("http://127.0.0.1:5555");
    // Caplin's libp2p on TCP 4001, its QUIC on UDP 4001, its discovery on UDP 4000: all public.
    expect(containers[0].args).toContain("--caplin.discovery.quicport=4001");
    expect(nodePorts(containers).public.map((p) => `${p.port}/${p.protocol}`)).toEqual(expect.arrayContaining(["4001/TCP", "4001/UDP", "4000/UDP"]));
  });

  it("opens P2P publicly, RPC/beacon/metrics/health privately and the engine API nowhere", () => {
    const ports = nodePorts(plan("geth", "prysm"));
    expect(ports.public.map((p) => `${p.port}/${p.protocol}`)).toEqual(["30303/TCP", "30303/UDP", "13000/TCP", "12000/UDP"]);
    expect(ports.private.map((p) => p.port)).toEqual([8545, 8546, 6060, 3500, 8080, HEALTH_PORT]);
    expect([...ports.public, ...ports.private].some((p) => p.port === 8551)).toBe(false);
  });

  it("waits long enough for the slowest client to flush", () => {
    expect(shutdownGraceSeconds(plan("geth", "lighthouse"))).toBe(510);
  });
});
