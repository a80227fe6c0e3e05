/** The health sidecar against fake clients on loopback: the verdict, the HTTP endpoint and the --check mode. */
import { spawn, spawnSync } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";

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

interface FakeNode {
  syncing: unknown;
  headAge: number;
  beaconStatus: number;
}

/** One loopback server playing both clients: JSON-RPC on POST, the beacon health endpoint on GET. */
async function fakeClients(state: FakeNode): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/eth/v1/node/health") {
      res.writeHead(state.beaconStatus);
      res.end();
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const { method } = JSON.parse(body);
      const result = method === "eth_syncing" ? state.syncing : { number: "0x10", timestamp: `0x${Math.floor(Date.now() / 1000 - state.headAge).toString(16)}` };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

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
    expect((await fetch(`${sidecarUrl}/metrics`)).status).toBe(404);
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
