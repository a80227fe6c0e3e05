/** The health sidecar against fake clients on loopback: the verdict, the HTTP endpoints, /metrics, the --check mode and the RPC gates. */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { compactScript } from "../../../components/ethereum-node/script-compact";
import { ETHEREUM_METRICS } from "../../../components/monitoring/targets";
import { FakeNode, fakeClients } from "./fake-clients";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const health = require("../../../components/ethereum-node/health/sync-health.js");
const SCRIPT = path.resolve(__dirname, "../../../components/ethereum-node/health/sync-health.js");
const NOW = 1_800_000_000;

describe("evaluate", () => {
  const healthy = { syncing: false, headTimestamp: NOW - 12, beaconStatus: 200 };

  it("is ready when not syncing, the head is recent and the beacon node answers 200", () => {
    expect(health.evaluate(healthy, 60, NOW)).toEqual({ ready: true, reasons: [] });
  });

  it.each([
    ["the execution client syncs", { syncing: { currentBlock: "0x1", highestBlock: "0x9" } }, "execution client is syncing"],
    ["the head is stale though eth_syncing says false", { headTimestamp: NOW - 600 }, "execution head is 600s old (limit 60s)"],
    ["there is no head", { headTimestamp: undefined }, "execution client reported no head block"],
    ["the beacon node syncs", { beaconStatus: 206 }, "beacon node is syncing (HTTP 206)"],
    ["the beacon node is not initialised", { beaconStatus: 503 }, "beacon node is not initialised (HTTP 503)"],
    ["the execution client is down", { executionError: "ECONNREFUSED" }, "execution client unreachable: ECONNREFUSED"],
  ])("is not ready when %s", (_what, change, reason) => {
    expect(health.evaluate({ ...healthy, ...change }, 60, NOW)).toEqual({ ready: false, reasons: [reason] });
  });

  it("rejects bad settings with the variable's name", () => {
    expect(() => health.settingsFrom({ MAX_HEAD_AGE_SECONDS: "soon" })).toThrow('MAX_HEAD_AGE_SECONDS must be a positive number, got "soon"');
    expect(health.settingsFrom({})).toMatchObject({ executionRpcUrl: "http://127.0.0.1:8545", port: 8590, maxHeadAgeSeconds: 60 });
  });
});

describe("the sidecar over HTTP", () => {
  const state: FakeNode = { syncing: false, headAge: 5, beaconStatus: 200 };
  let clients: { url: string; close: () => Promise<void> };
  let sidecar: http.Server;
  let sidecarUrl: string;

  beforeAll(async () => {
    clients = await fakeClients(state);
    sidecar = health.createServer(health.settingsFrom({ EXECUTION_RPC_URL: clients.url, BEACON_API_URL: clients.url, TIMEOUT_MS: "1000" }));
    await new Promise<void>((resolve) => sidecar.listen(0, "127.0.0.1", resolve));
    sidecarUrl = `http://127.0.0.1:${(sidecar.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => sidecar.close(resolve));
    await clients.close();
  });

  it("answers /ready with 200 for a synced node and 503 with reasons once it falls behind", async () => {
    Object.assign(state, { syncing: false, headAge: 5, beaconStatus: 200 });
    const ok = await fetch(`${sidecarUrl}/ready`);
    expect([ok.status, await ok.json()]).toEqual([200, { ready: true, reasons: [] }]);
    Object.assign(state, { headAge: 300, beaconStatus: 206 });
    const behind = await fetch(`${sidecarUrl}/ready`);
    expect(behind.status).toBe(503);
    expect(((await behind.json()) as { reasons: string[] }).reasons).toEqual([expect.stringMatching(/^execution head is 30\ds old/), "beacon node is syncing (HTTP 206)"]);
  });

  it("stays live while the node is not ready, and answers 404 elsewhere", async () => {
    Object.assign(state, { syncing: true });
    expect((await fetch(`${sidecarUrl}/live`)).status).toBe(200);
    expect((await fetch(`${sidecarUrl}/status`)).status).toBe(404);
  });

  it("exits 0 or 1 in --check mode, as an exec probe uses it", async () => {
    const run = () =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [SCRIPT, "--check"], { env: { EXECUTION_RPC_URL: clients.url, BEACON_API_URL: clients.url } });
        let stdout = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d));
        child.on("close", (status: number | null) => resolve({ status, stdout }));
      });
    Object.assign(state, { syncing: false, headAge: 5, beaconStatus: 200 });
    expect(await run()).toEqual({ status: 0, stdout: "ready\n" });
    Object.assign(state, { syncing: { currentBlock: "0x1" } });
    expect(await run()).toEqual({ status: 1, stdout: "not ready: execution client is syncing\n" });
  });

  it("reports unreachable clients instead of crashing", () => {
    const run = spawnSync(process.execPath, [SCRIPT, "--check"], { env: { EXECUTION_RPC_URL: "http://127.0.0.1:9", BEACON_API_URL: "http://127.0.0.1:9", TIMEOUT_MS: "500" }, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^not ready: execution client unreachable: .*; beacon node unreachable: /);
  });
});

/** Parses Prometheus text: `name{labels} value` lines, HELP/TYPE checked. */
function samples(text: string): Record<string, { labels: string; value: number }> {
  const out: Record<string, { labels: string; value: number }> = {};
  const lines = text.trimEnd().split("\n");
  for (const line of lines) {
    if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    out[m[1]] = { labels: m[2] ?? "", value: Number(m[3]) };
    expect(lines).toContain(`# TYPE ${m[1]} gauge`);
  }
  return out;
}

describe("renderMetrics", () => {
  const ready = { ready: true, reasons: [] };
  it("renders the four gauges with the pool label", () => {
    const text = health.renderMetrics({ syncing: false, headTimestamp: NOW - 12, beaconStatus: 200, peers: 25, diskUsedPercent: 61.23456 }, ready, NOW, "mainnet-rpc");
    expect(samples(text)).toEqual({
      [ETHEREUM_METRICS.headAgeSeconds]: { labels: '{pool="mainnet-rpc"}', value: 12 },
      [ETHEREUM_METRICS.peers]: { labels: '{pool="mainnet-rpc"}', value: 25 },
      [ETHEREUM_METRICS.ready]: { labels: '{pool="mainnet-rpc"}', value: 1 },
      [ETHEREUM_METRICS.diskUsedPercent]: { labels: '{pool="mainnet-rpc"}', value: 61.23 },
    });
    expect(text.endsWith("\n")).toBe(true);
  });

  it("leaves out what is unknown, keeps eth_ready, and escapes the label value", () => {
    const down = { executionError: "ECONNREFUSED", peersError: "ECONNREFUSED", beaconStatus: 200, diskError: "ENOENT" };
    const text = health.renderMetrics(down, { ready: false, reasons: ["x"] }, NOW, 'a"b\\c');
    expect(Object.keys(samples(text))).toEqual([ETHEREUM_METRICS.ready]);
    expect(text).toContain('eth_ready{pool="a\\"b\\\\c"} 0\n');
    expect(health.renderMetrics({ headTimestamp: NOW + 5 }, ready, NOW, "")).toContain("eth_head_age_seconds 0\n");
  });
});

describe("/metrics over HTTP", () => {
  const state: FakeNode = { syncing: false, headAge: 7, beaconStatus: 200, peers: 42 };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chain-data-"));
  let clients: { url: string; close: () => Promise<void> };
  let sidecar: http.Server;
  let sidecarUrl: string;
  const env = () => ({ EXECUTION_RPC_URL: clients.url, BEACON_API_URL: clients.url, TIMEOUT_MS: "1000", POOL: "mainnet-rpc", DATA_DIR: dataDir });

  beforeAll(async () => {
    clients = await fakeClients(state);
    sidecar = health.createServer(health.settingsFrom(env()));
    await new Promise<void>((resolve) => sidecar.listen(0, "127.0.0.1", resolve));
    sidecarUrl = `http://127.0.0.1:${(sidecar.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => sidecar.close(resolve));
    await clients.close();
  });

  const scrape = async (url = sidecarUrl) => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    return samples(await response.text());
  };
  /** What df reports for the directory's filesystem, from the same statfs the sidecar reads. */
  const dfPercent = () => {
    const s = fs.statfsSync(dataDir);
    return (100 * (s.blocks - s.bfree)) / (s.blocks - s.bfree + s.bavail);
  };

  it("reports head age, peers, readiness and the data filesystem's use for a synced node", async () => {
    Object.assign(state, { syncing: false, headAge: 7, beaconStatus: 200, peers: 42 });
    const m = await scrape();
    expect(m[ETHEREUM_METRICS.headAgeSeconds].value).toBeGreaterThanOrEqual(7);
    expect(m[ETHEREUM_METRICS.headAgeSeconds].value).toBeLessThanOrEqual(9);
    expect(m[ETHEREUM_METRICS.peers]).toEqual({ labels: '{pool="mainnet-rpc"}', value: 42 });
    expect(m[ETHEREUM_METRICS.ready]).toEqual({ labels: '{pool="mainnet-rpc"}', value: 1 });
    expect(m[ETHEREUM_METRICS.diskUsedPercent].value).toBeCloseTo(dfPercent(), 0);
    expect(m[ETHEREUM_METRICS.diskUsedPercent].value).toBeGreaterThan(0);
    expect(m[ETHEREUM_METRICS.diskUsedPercent].value).toBeLessThan(100);
  });

  it("says not ready with the same rule as /ready, and the head's real age, once the node falls behind", async () => {
    Object.assign(state, { headAge: 600, beaconStatus: 200 });
    const m = await scrape();
    expect(m[ETHEREUM_METRICS.ready].value).toBe(0);
    expect(m[ETHEREUM_METRICS.headAgeSeconds].value).toBeGreaterThanOrEqual(600);
    expect((await fetch(`${sidecarUrl}/ready`)).status).toBe(503);
  });

  it("still answers when a client or the disk is gone: only what it knows, never an error", async () => {
    Object.assign(state, { headAge: 5, peers: undefined });
    const noPeers = await scrape();
    expect(noPeers[ETHEREUM_METRICS.peers]).toBeUndefined();
    // net_peerCount failing says nothing about sync: still ready.
    expect(noPeers[ETHEREUM_METRICS.ready].value).toBe(1);

    const down = health.createServer(health.settingsFrom({ ...env(), EXECUTION_RPC_URL: "http://127.0.0.1:9", BEACON_API_URL: "http://127.0.0.1:9", DATA_DIR: path.join(dataDir, "missing") }));
    await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
    try {
      const m = await scrape(`http://127.0.0.1:${(down.address() as AddressInfo).port}`);
      expect(m).toEqual({ [ETHEREUM_METRICS.ready]: { labels: '{pool="mainnet-rpc"}', value: 0 } });
    } finally {
      await new Promise((resolve) => down.close(resolve));
    }
  });

  it("serves the same from the compacted copy a VM's user data carries", async () => {
    Object.assign(state, { syncing: false, headAge: 3, beaconStatus: 200, peers: 9 });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sync-health-")), "sync-health.js");
    fs.writeFileSync(file, compactScript(fs.readFileSync(SCRIPT, "utf8")));
    const port = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const child: ChildProcess = spawn(process.execPath, [file], { env: { ...env(), PORT: String(port) } });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => String(d).includes("listening") && resolve());
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const m = await scrape(`http://127.0.0.1:${port}`);
      expect(m[ETHEREUM_METRICS.peers].value).toBe(9);
      expect(m[ETHEREUM_METRICS.ready].value).toBe(1);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    // Asynchronously: the fake clients live in this process.
    const check = await new Promise<string>((resolve) => {
      const run = spawn(process.execPath, [file, "--check"], { env: env() });
      let out = "";
      run.stdout.on("data", (d: Buffer) => (out += d));
      run.on("close", () => resolve(out));
    });
    expect(check).toBe("ready\n");
  });
});

describe("compactScript", () => {
  it("drops comment lines and indentation only, and refuses a template literal across lines", () => {
    expect(compactScript("// head\n/**\n * doc\n */\nfunction f() {\n  return 1; // kept\n}\n")).toBe("function f() {\nreturn 1; // kept\n}\n");
    expect(() => compactScript("const a = `x\n  y`;\n")).toThrow(/template literal spans lines/);
    expect(() => compactScript("/* a */ const b = 1;\n")).toThrow(/code after a block comment/);
  });
});
