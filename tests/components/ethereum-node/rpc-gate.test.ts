/**
 * The health sidecar's RPC gates against a fake node on loopback: requests and WebSocket upgrades pass through while
 * the node is synced, and get HTTP 503 with a JSON-RPC error "no synced node" while it is not or its health is unknown.
 */
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { compactScript } from "../../../components/ethereum-node/script-compact";
import { FakeNode, fakeClients } from "./fake-clients";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const health = require("../../../components/ethereum-node/health/sync-health.js");
const SCRIPT = path.resolve(__dirname, "../../../components/ethereum-node/health/sync-health.js");

interface Gates {
  servers: http.Server[];
  started: Promise<void>;
  stop: () => void;
}
type Verdict = { ready: boolean; reasons: string[] };

const portOf = (url: string) => Number(new URL(url).port);

async function listen(gates: Gates): Promise<string> {
  await new Promise<void>((resolve) => gates.servers[0].listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(gates.servers[0].address() as net.AddressInfo).port}`;
}

const rpc = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const waitFor = async (condition: () => Promise<boolean>, ms = 3000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (await condition()) return;
  throw new Error("condition not met in time");
};
const NO_SYNCED_NODE = (id: unknown, reasons: unknown) => ({ jsonrpc: "2.0", id, error: { code: -32000, message: "no synced node", data: { reasons } } });

/** A WebSocket handshake by hand: resolves with the socket and what arrived up to the end of the response head. */
function upgrade(url: string, requestPath = "/"): Promise<{ socket: net.Socket; head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(portOf(url), "127.0.0.1");
    const key = randomBytes(16).toString("base64");
    socket.on("connect", () =>
      socket.write(`GET ${requestPath} HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`),
    );
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = received.subarray(0, end).toString("utf8");
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      socket.off("data", onData);
      resolve({ socket, head, rest: received.subarray(end + 4) });
    };
    socket.on("data", onData);
    socket.on("error", reject);
  });
}

/** A masked client text frame, as a browser or viem's WebSocket sends it. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
}

const nextData = (socket: net.Socket) => new Promise<Buffer>((resolve) => socket.once("data", resolve));

describe("the RPC gates, checked against the node's real readiness", () => {
  const state: FakeNode = { syncing: false, headAge: 5, beaconStatus: 200 };
  let node: Awaited<ReturnType<typeof fakeClients>>;
  let gates: Gates;
  let gateUrl: string;

  beforeAll(async () => {
    node = await fakeClients(state);
    const env = { EXECUTION_RPC_URL: node.url, BEACON_API_URL: node.url, TIMEOUT_MS: "1000", GATES: `1:${portOf(node.url)}`, GATE_POLL_MS: "50" };
    gates = health.createGates(health.settingsFrom(env));
    gateUrl = await listen(gates);
    await gates.started;
  });
  afterAll(async () => {
    gates.stop();
    await node.close();
  });
  beforeEach(async () => {
    Object.assign(state, { syncing: false, headAge: 5, beaconStatus: 200 });
    await waitFor(async () => (await rpc(gateUrl, { jsonrpc: "2.0", id: 0, method: "eth_syncing" })).status === 200);
  });

  it("passes JSON-RPC through to the node while it is synced", async () => {
    const response = await rpc(gateUrl, { jsonrpc: "2.0", id: 1, method: "eth_syncing", params: [] });
    expect([response.status, await response.json()]).toEqual([200, { jsonrpc: "2.0", id: 1, result: false }]);
  });

  it("streams a large request body to the node and its chunked answer back byte for byte, end-to-end headers only", async () => {
    const body = randomBytes(3 * 1024 * 1024).toString("base64");
    // A body of unknown length: sent chunked, as a streaming client sends it.
    const response = await fetch(`${gateUrl}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request": "kept" },
      body: new Blob([body]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("x-hop")).toBeNull();
    const seen = JSON.parse(response.headers.get("x-seen-headers")!);
    expect(seen).toMatchObject({ "x-request": "kept", "content-type": "application/json" });
    expect(await response.text()).toBe(body);
  });

  it("keeps an idle keep-alive connection open past Node's default 5 s, as geth does (120 s): a POST on it is answered", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (id: number) =>
      new Promise<{ status: number; body: string; socket: net.Socket; reused: boolean }>((resolve, reject) => {
        const req = http.request(gateUrl, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, body, socket: req.socket as net.Socket, reused: req.reusedSocket }));
        });
        req.on("error", reject);
        req.end(JSON.stringify({ jsonrpc: "2.0", id, method: "eth_syncing" }));
      });
    try {
      const first = await post(1);
      let closed = false;
      first.socket.once("close", () => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 5600));
      expect(closed).toBe(false);
      const second = await post(2);
      expect([second.status, JSON.parse(second.body).result, second.reused, second.socket === first.socket]).toEqual([200, false, true, true]);
    } finally {
      agent.destroy();
    }
    const [server] = gates.servers;
    expect([server.keepAliveTimeout, server.headersTimeout > server.keepAliveTimeout, server.requestTimeout >= server.headersTimeout]).toEqual([120000, true, true]);
  }, 15000);

  it("answers 503 with a JSON-RPC error naming the request's id once the node falls behind, and passes again when it catches up", async () => {
    Object.assign(state, { syncing: { currentBlock: "0x1", highestBlock: "0x9" } });
    await waitFor(async () => (await rpc(gateUrl, { jsonrpc: "2.0", id: 0, method: "eth_blockNumber" })).status === 503);
    const refused = await rpc(gateUrl, { jsonrpc: "2.0", id: 7, method: "eth_getLogs", params: [{}] });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toBe("application/json");
    expect(await refused.json()).toEqual(NO_SYNCED_NODE(7, ["execution client is syncing"]));
    const batch = await rpc(gateUrl, [
      { jsonrpc: "2.0", id: "a", method: "eth_chainId" },
      { jsonrpc: "2.0", id: 2, method: "eth_blockNumber" },
    ]);
    expect([batch.status, await batch.json()]).toEqual([503, [NO_SYNCED_NODE("a", ["execution client is syncing"]), NO_SYNCED_NODE(2, ["execution client is syncing"])]]);
    const notJson = await fetch(gateUrl, { method: "POST", body: "{not json" });
    expect([notJson.status, await notJson.json()]).toEqual([503, NO_SYNCED_NODE(null, ["execution client is syncing"])]);

    Object.assign(state, { syncing: false });
    await waitFor(async () => (await rpc(gateUrl, { jsonrpc: "2.0", id: 0, method: "eth_syncing" })).status === 200);
  });

  it("fails closed when the beacon node cannot be read", async () => {
    Object.assign(state, { beaconStatus: 503 });
    await waitFor(async () => (await rpc(gateUrl, { id: 0 })).status === 503);
    expect(await (await rpc(gateUrl, { jsonrpc: "2.0", id: 3, method: "eth_call" })).json()).toEqual(NO_SYNCED_NODE(3, ["beacon node is not initialised (HTTP 503)"]));
  });

  it("tunnels a WebSocket to the node while it is synced: the handshake and frames both ways, intact", async () => {
    const { socket, head } = await upgrade(gateUrl, "/ws");
    try {
      expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      expect(head).toMatch(/Sec-WebSocket-Accept: [A-Za-z0-9+/]{27}=/);
      const frame = clientFrame(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
      const answer = nextData(socket);
      socket.write(frame);
      const reply = await answer;
      expect(reply[0]).toBe(0x81);
      expect(JSON.parse(reply.subarray(2, 2 + reply[1]).toString("utf8"))).toEqual({ jsonrpc: "2.0", method: "eth_subscription", params: { received: frame.length, path: "/ws" } });
    } finally {
      socket.destroy();
    }
  });

  it("closes open WebSockets when the node falls behind, and refuses new upgrades with 503 and the JSON-RPC error", async () => {
    const { socket } = await upgrade(gateUrl);
    const closed = new Promise((resolve) => socket.once("close", resolve));
    Object.assign(state, { headAge: 600 });
    await closed;
    const refused = await upgrade(gateUrl);
    refused.socket.destroy();
    expect(refused.head).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    const body = JSON.parse(refused.rest.toString("utf8"));
    expect(body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000, message: "no synced node" } });
    expect(body.error.data.reasons).toEqual([expect.stringMatching(/^execution head is \d+s old \(limit 60s\)$/)]);
  });
});

describe("the RPC gates when the check or the node misbehaves", () => {
  const started: { gates: Gates; close?: () => void }[] = [];
  afterAll(() => {
    for (const s of started) {
      s.gates.stop();
      s.close?.();
    }
  });
  const gate = async (target: number, readiness: () => Promise<Verdict>, env: Record<string, string> = {}) => {
    const gates: Gates = health.createGates(health.settingsFrom({ GATES: `1:${target}`, GATE_POLL_MS: "50", TIMEOUT_MS: "50", ...env }), undefined, readiness);
    started.push({ gates });
    const url = await listen(gates);
    // A check that never answers never starts: wait a moment for the others.
    await Promise.race([gates.started, new Promise((resolve) => setTimeout(resolve, 100))]);
    return url;
  };
  /** A loopback server that accepts connections and never answers. */
  const silent = async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    started.push({ gates: { servers: [], started: Promise.resolve(), stop: () => {} }, close: () => (sockets.forEach((s) => s.destroy()), server.close()) });
    return (server.address() as net.AddressInfo).port;
  };
  const unusedPort = async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  };

  it("stays closed until a first check has said ready", async () => {
    const url = await gate(await unusedPort(), () => new Promise<Verdict>(() => {}));
    expect(await (await rpc(url, { jsonrpc: "2.0", id: 1, method: "eth_chainId" })).json()).toEqual(NO_SYNCED_NODE(1, ["not checked yet"]));
  });

  it("closes when the check fails outright or stops answering: a stale verdict is no verdict", async () => {
    const failing = await gate(await unusedPort(), () => Promise.reject(new Error("statfs exploded")));
    expect(await (await rpc(failing, { id: 1 })).json()).toEqual(NO_SYNCED_NODE(1, ["Error: statfs exploded"]));

    let calls = 0;
    // Ready once, then the check hangs: after two missed checks (2 x (50 + 2 x 50) ms) the gate closes.
    const node = await fakeClients({ syncing: false, headAge: 1, beaconStatus: 200 });
    started.push({ gates: { servers: [], started: Promise.resolve(), stop: () => {} }, close: () => void node.close() });
    const hanging = await gate(portOf(node.url), () => (calls++ === 0 ? Promise.resolve({ ready: true, reasons: [] }) : new Promise<Verdict>(() => {})));
    expect((await rpc(hanging, { jsonrpc: "2.0", id: 1, method: "eth_syncing" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const stale = await rpc(hanging, { jsonrpc: "2.0", id: 2, method: "eth_syncing" });
    expect(stale.status).toBe(503);
    expect(((await stale.json()) as { error: { data: { reasons: string[] } } }).error.data.reasons).toEqual([expect.stringMatching(/^no readiness check for \ds$/)]);
  });

  it("answers 503 'no synced node' when the node's RPC port is down though the last check said ready", async () => {
    const url = await gate(await unusedPort(), () => Promise.resolve({ ready: true, reasons: [] }));
    const response = await rpc(url, { jsonrpc: "2.0", id: 4, method: "eth_chainId" });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string; data: { reasons: string[] } } }).error).toMatchObject({
      message: "no synced node",
      data: { reasons: [expect.stringMatching(/^execution client: connect ECONNREFUSED/)] },
    });
    const ws = await upgrade(url);
    ws.socket.destroy();
    expect(ws.head).toMatch(/^HTTP\/1\.1 503 /);
    expect(JSON.parse(ws.rest.toString("utf8")).error.data.reasons).toEqual([expect.stringMatching(/^execution client: connect ECONNREFUSED/)]);
  });

  it("times out a request or handshake the node never answers: 504 'node timed out'", async () => {
    const url = await gate(await silent(), () => Promise.resolve({ ready: true, reasons: [] }), { GATE_TIMEOUT_MS: "200" });
    const response = await rpc(url, { jsonrpc: "2.0", id: 5, method: "eth_getLogs" });
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32000, message: "node timed out", data: { reasons: ["execution client: no answer within 200ms"] } } });
    const ws = await upgrade(url);
    ws.socket.destroy();
    expect(ws.head).toMatch(/^HTTP\/1\.1 504 Gateway Timeout\r\n/);
  });

  it("rejects malformed gate settings with the variable's name; without GATES there are none", () => {
    for (const bad of ["8545", "18545:8545:1", "0:8545", "8545:8545", "a:b"]) {
      expect(() => health.settingsFrom({ GATES: bad })).toThrow(`GATES must be listen:target port pairs (1-65535, two different ports), got ${JSON.stringify(bad)}`);
    }
    expect(() => health.settingsFrom({ GATE_TIMEOUT_MS: "-1" })).toThrow('GATE_TIMEOUT_MS must be a positive number, got "-1"');
    expect(health.settingsFrom({ GATES: "18545:8545,18546:8546" }).gates).toEqual([
      { listen: 18545, target: 8545 },
      { listen: 18546, target: 8546 },
    ]);
    expect(health.settingsFrom({}).gates).toEqual([]);
  });
});

describe("the gates of the compacted copy a VM's user data carries, as a process", () => {
  it("listens on the GATES ports and gates them by the node's readiness", async () => {
    const state: FakeNode = { syncing: false, headAge: 2, beaconStatus: 200 };
    const node = await fakeClients(state);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sync-health-")), "sync-health.js");
    fs.writeFileSync(file, compactScript(fs.readFileSync(SCRIPT, "utf8")));
    const [healthPort, gatePort] = await Promise.all([0, 1].map(async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as net.AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      return port;
    }));
    const env = { EXECUTION_RPC_URL: node.url, BEACON_API_URL: node.url, PORT: String(healthPort), GATES: `${gatePort}:${portOf(node.url)}`, GATE_POLL_MS: "100" };
    const child: ChildProcess = spawn(process.execPath, [file], { env });
    const gateUrl = `http://127.0.0.1:${gatePort}`;
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => String(d).includes(`gate listening on :${gatePort} for :${portOf(node.url)}`) && resolve());
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      await waitFor(async () => (await rpc(gateUrl, { jsonrpc: "2.0", id: 1, method: "eth_syncing" })).status === 200);
      expect(await (await rpc(gateUrl, { jsonrpc: "2.0", id: 1, method: "eth_syncing" })).json()).toEqual({ jsonrpc: "2.0", id: 1, result: false });
      Object.assign(state, { syncing: { currentBlock: "0x1" } });
      await waitFor(async () => (await rpc(gateUrl, { id: 9 })).status === 503);
      expect(await (await rpc(gateUrl, { jsonrpc: "2.0", id: 9, method: "eth_call" })).json()).toEqual(NO_SYNCED_NODE(9, ["execution client is syncing"]));
    } finally {
      child.kill("SIGTERM");
      await node.close();
    }
  });
});
