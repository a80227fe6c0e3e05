/** The indexer lag exporter against a fake RPC pool and a fake indexer on loopback, and its container spec. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LAG_IMAGE, LAG_PORT, indexerLagContainer, indexerLagScript } from "../../../../components/indexer/lag";
import { INDEXER_METRICS, METRICS_PORT_NAME } from "../../../../components/monitoring/targets";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lag = require("../../../../components/indexer/lag/indexer-lag.js");
const SCRIPT = path.resolve(__dirname, "../../../../components/indexer/lag/indexer-lag.js");

type Json = any;

describe("the pure parts", () => {
  it("resolves JSON pointers as RFC 6901 says", () => {
    const doc = { mainnet: { block: { number: "0x10" } }, "a/b": { "m~n": [5, 6] } };
    expect(lag.resolvePointer(doc, "/mainnet/block/number")).toBe("0x10");
    expect(lag.resolvePointer(doc, "/a~1b/m~0n/1")).toBe(6);
    expect(lag.resolvePointer(doc, "")).toBe(doc);
    expect(lag.resolvePointer(doc, "/mainnet/nothing/here")).toBeUndefined();
    expect(() => lag.resolvePointer(doc, "mainnet")).toThrow(/must start with "\/"/);
  });

  it("reads block numbers as numbers, decimal strings or 0x strings, and nothing else", () => {
    expect([123, "123", "0x7b", "0X7b", -1, 1.5, "12a", null, undefined].map(lag.blockNumber)).toEqual([123, 123, 123, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it("renders both gauges with the indexer label, and leaves out a lag it cannot compute", () => {
    expect(lag.renderMetrics({ head: 1000, indexed: 990, ready: true }, "vulcan")).toBe(
      [
        "# HELP indexer_blocks_behind Chain head minus the indexer's latest indexed block.",
        "# TYPE indexer_blocks_behind gauge",
        'indexer_blocks_behind{indexer="vulcan"} 10',
        "# HELP indexer_ready 1 when the indexer's readiness endpoint answers 200, else 0.",
        "# TYPE indexer_ready gauge",
        'indexer_ready{indexer="vulcan"} 1',
        "",
      ].join("\n"),
    );
    // An indexer a block ahead of the RPC node it asked: not behind.
    expect(lag.renderMetrics({ head: 1000, indexed: 1001, ready: true }, "v")).toContain('indexer_blocks_behind{indexer="v"} 0\n');
    const unknown = lag.renderMetrics({ head: 1000, indexedError: "HTTP 500", ready: false }, "v");
    expect(unknown).not.toContain("indexer_blocks_behind");
    expect(unknown).toContain('indexer_ready{indexer="v"} 0\n');
  });

  it("requires its settings, naming the variable", () => {
    const env = { INDEXER: "v", RPC_URL: "http://r", STATUS_URL: "http://s", READY_URL: "http://y", STATUS_BLOCK_POINTER: "/n" };
    expect(lag.settingsFrom(env)).toMatchObject({ indexer: "v", port: 8592, timeoutMs: 3000, statusBlockPointer: "/n" });
    expect(() => lag.settingsFrom({ ...env, INDEXER: "" })).toThrow("INDEXER is required");
    expect(() => lag.settingsFrom({ ...env, STATUS_BLOCK_POINTER: "n" })).toThrow(/STATUS_BLOCK_POINTER must start with/);
    expect(() => lag.settingsFrom({ ...env, TIMEOUT_MS: "soon" })).toThrow('TIMEOUT_MS must be a positive number, got "soon"');
  });
});

interface Fakes {
  head: string;
  status: unknown;
  statusCode: number;
  readyCode: number;
}

/** One loopback server playing the RPC pool (POST /) and the indexer (GET /status, GET /ready). */
async function fakes(state: Fakes): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/status") {
      res.writeHead(state.statusCode, { "content-type": "application/json" });
      res.end(JSON.stringify(state.status));
      return;
    }
    if (req.method === "GET" && req.url === "/ready") {
      res.writeHead(state.readyCode);
      res.end();
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const { method } = JSON.parse(body);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(method === "eth_blockNumber" ? { jsonrpc: "2.0", id: 1, result: state.head } : { jsonrpc: "2.0", id: 1, error: { message: "no" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("the exporter over HTTP", () => {
  const state: Fakes = { head: "0x3e8", status: { mainnet: { block: { number: "990" } } }, statusCode: 200, readyCode: 200 };
  let upstream: { url: string; close: () => Promise<void> };
  let exporter: http.Server;
  let url: string;
  const env = () => ({
    INDEXER: "vulcan",
    RPC_URL: upstream.url,
    STATUS_URL: `${upstream.url}/status`,
    STATUS_BLOCK_POINTER: "/mainnet/block/number",
    READY_URL: `${upstream.url}/ready`,
    TIMEOUT_MS: "1000",
  });
  const scrape = async (at = url) => {
    const response = await fetch(`${at}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    return Object.fromEntries(
      text
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => {
          const [series, value] = l.split(" ");
          expect(series).toMatch(/^[a-z_]+\{indexer="vulcan"\}$/);
          return [series.split("{")[0], Number(value)];
        }),
    );
  };

  beforeAll(async () => {
    upstream = await fakes(state);
    exporter = lag.createServer(lag.settingsFrom(env()));
    await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => exporter.close(resolve));
    await upstream.close();
  });

  it("reports how many blocks the indexer is behind the RPC pool's head, and that it is ready", async () => {
    Object.assign(state, { head: "0x3e8", status: { mainnet: { block: { number: "990" } } }, statusCode: 200, readyCode: 200 });
    expect(await scrape()).toEqual({ [INDEXER_METRICS.blocksBehind]: 10, [INDEXER_METRICS.ready]: 1 });
  });

  it("follows the indexer while it backfills: far behind and not ready", async () => {
    Object.assign(state, { status: { mainnet: { block: { number: 12 } } }, readyCode: 503 });
    expect(await scrape()).toEqual({ [INDEXER_METRICS.blocksBehind]: 988, [INDEXER_METRICS.ready]: 0 });
  });

  it("reports only readiness when the status cannot be read or holds no block number", async () => {
    Object.assign(state, { statusCode: 500, readyCode: 200 });
    expect(await scrape()).toEqual({ [INDEXER_METRICS.ready]: 1 });
    Object.assign(state, { statusCode: 200, status: { mainnet: {} } });
    expect(await scrape()).toEqual({ [INDEXER_METRICS.ready]: 1 });
  });

  it("reports the indexer not ready, and no lag, when nothing answers", async () => {
    const lost = lag.createServer(lag.settingsFrom({ ...env(), RPC_URL: "http://127.0.0.1:9", STATUS_URL: "http://127.0.0.1:9/s", READY_URL: "http://127.0.0.1:9/r", TIMEOUT_MS: "500" }));
    await new Promise<void>((resolve) => lost.listen(0, "127.0.0.1", resolve));
    try {
      expect(await scrape(`http://127.0.0.1:${(lost.address() as AddressInfo).port}`)).toEqual({ [INDEXER_METRICS.ready]: 0 });
    } finally {
      await new Promise((resolve) => lost.close(resolve));
    }
  });

  it("answers /healthz while it runs, and 404 elsewhere", async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(404);
  });

  it("runs as its container runs it, from the ConfigMap's copy, and refuses to start without settings", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lag-"));
    const file = path.join(dir, "indexer-lag.js");
    fs.writeFileSync(file, indexerLagContainer({ indexer: "vulcan", rpcUrl: "x", statusUrl: "x", statusBlockPointer: "/n", readyUrl: "x" }).configMapData["indexer-lag.js"]);
    Object.assign(state, { head: "0x64", status: { mainnet: { block: { number: "0x60" } } }, statusCode: 200, readyCode: 200 });
    const port = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(process.execPath, [file], { env: { ...env(), PORT: String(port) } });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => String(d).includes("listening") && resolve());
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      expect(await scrape(`http://127.0.0.1:${port}`)).toEqual({ [INDEXER_METRICS.blocksBehind]: 4, [INDEXER_METRICS.ready]: 1 });
    } finally {
      child.kill("SIGTERM");
    }
    const refused = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const bad = spawn(process.execPath, [SCRIPT], { env: { RPC_URL: "http://x" } });
      let stderr = "";
      bad.stderr.on("data", (d: Buffer) => (stderr += d));
      bad.on("close", (code) => resolve({ code, stderr }));
    });
    expect(refused).toEqual({ code: 2, stderr: "indexer-lag: INDEXER is required\n" });
  });
});

describe("indexerLagContainer", () => {
  const sidecar = indexerLagContainer({
    indexer: "vulcan",
    rpcUrl: pulumi.output("http://eth-mainnet-rpc.ethereum.svc.cluster.local:8545"),
    statusUrl: "http://vulcan-live.indexers.svc.cluster.local:8080/status",
    statusBlockPointer: "/mainnet/block/number",
    readyUrl: "http://vulcan-live.indexers.svc.cluster.local:8080/ready",
    configMapName: "vulcan-lag",
  });
  const c = sidecar.container as Json;

  it("runs the script from its ConfigMap in the pinned Node.js image, on the port named metrics", () => {
    expect(LAG_IMAGE).toMatch(/^node:22\.\d+\.\d+-alpine[\d.]+$/);
    expect(c.image).toBe(LAG_IMAGE);
    expect(c.ports).toEqual([{ name: METRICS_PORT_NAME, containerPort: LAG_PORT, protocol: "TCP" }]);
    const mount = c.volumeMounts.find((m: Json) => m.name === sidecar.volumeName);
    expect(mount).toMatchObject({ readOnly: true });
    expect(c.args).toEqual(["node", `${mount.mountPath}/indexer-lag.js`]);
    expect(sidecar.configMapData).toEqual({ "indexer-lag.js": indexerLagScript() });
    expect(indexerLagScript()).toBe(fs.readFileSync(SCRIPT, "utf8"));
    expect(sidecar.volume).toEqual({ name: sidecar.volumeName, configMap: { name: "vulcan-lag", defaultMode: 0o444 } });
    expect(sidecar.checksum).toMatch(/^[0-9a-f]{16}$/);
  });

  it("passes the exporter its settings", () => {
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value]));
    expect(env).toMatchObject({
      INDEXER: "vulcan",
      STATUS_URL: "http://vulcan-live.indexers.svc.cluster.local:8080/status",
      STATUS_BLOCK_POINTER: "/mainnet/block/number",
      READY_URL: "http://vulcan-live.indexers.svc.cluster.local:8080/ready",
      PORT: String(LAG_PORT),
    });
    expect(pulumi.Output.isInstance(env.RPC_URL)).toBe(true);
  });

  it("has probes, requests and a memory limit, and runs non-root on a read-only root filesystem", () => {
    for (const probe of [c.readinessProbe, c.livenessProbe]) expect(probe.httpGet).toEqual({ path: "/healthz", port: METRICS_PORT_NAME });
    expect(c.resources).toEqual({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { memory: expect.any(String) } });
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("leaves the volume to the caller without a ConfigMap name, and rejects bad arguments, naming each", () => {
    expect(indexerLagContainer({ indexer: "v", rpcUrl: "x", statusUrl: "x", statusBlockPointer: "", readyUrl: "x" }).volume).toBeUndefined();
    expect(() => indexerLagContainer({ indexer: "Vulcan DB", rpcUrl: "x", statusUrl: "x", statusBlockPointer: "mainnet.block", readyUrl: "x" })).toThrow(
      'indexer lag exporter: indexer: "Vulcan DB" must be 1-63 lowercase letters, digits or \'-\', starting with a letter; statusBlockPointer: "mainnet.block" is not a JSON pointer',
    );
  });
});
