// How far a chain indexer is behind the chain head, for the cluster's metrics collector. No dependencies beyond
// Node.js; runs in a stock node image:
//   GET /metrics -> Prometheus text, always 200:
//                   indexer_blocks_behind{indexer="<name>"}  chain head (eth_blockNumber of the RPC pool) minus the
//                                                            indexer's latest indexed block; left out when either is unknown
//                   indexer_ready{indexer="<name>"}          1 when the indexer's readiness endpoint answers 200, else 0
//   GET /healthz -> 200 while the exporter runs
// Settings (environment): INDEXER (the `indexer` label), RPC_URL, STATUS_URL (JSON, GET), STATUS_BLOCK_POINTER (a
// JSON pointer to the indexed block number in it, e.g. /mainnet/block/number; a number, a decimal or a 0x string),
// READY_URL, PORT (8592), TIMEOUT_MS (3000).
"use strict";
const http = require("http");

/** RFC 6901: the value at `pointer` in `doc`, or undefined. */
function resolvePointer(doc, pointer) {
  if (pointer === "") return doc;
  if (!pointer.startsWith("/")) throw new Error(`STATUS_BLOCK_POINTER must start with "/", got ${JSON.stringify(pointer)}`);
  let value = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (value === null || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/** A block number from JSON: 123, "123" or "0x7b"; undefined for anything else. */
function blockNumber(value) {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  if (/^0x[0-9a-fA-F]+$/.test(value)) return parseInt(value, 16);
  if (/^\d+$/.test(value)) return Number(value);
  return undefined;
}

const message = (err) => (err instanceof Error ? err.message : String(err));

async function getJson(url, timeoutMs, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** Asks the RPC pool, the indexer's status and its readiness at once; never throws. */
async function observe(settings) {
  const observed = {};
  const head = async () => {
    try {
      const body = await getJson(settings.rpcUrl, settings.timeoutMs, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      });
      if (body.error) throw new Error(body.error.message || "JSON-RPC error");
      observed.head = blockNumber(body.result);
      if (observed.head === undefined) throw new Error(`eth_blockNumber answered ${JSON.stringify(body.result)}`);
    } catch (err) {
      observed.headError = message(err);
    }
  };
  const indexed = async () => {
    try {
      const value = resolvePointer(await getJson(settings.statusUrl, settings.timeoutMs), settings.statusBlockPointer);
      observed.indexed = blockNumber(value);
      if (observed.indexed === undefined) throw new Error(`no block number at ${settings.statusBlockPointer} (found ${JSON.stringify(value)})`);
    } catch (err) {
      observed.indexedError = message(err);
    }
  };
  const ready = async () => {
    try {
      const response = await fetch(settings.readyUrl, { signal: AbortSignal.timeout(settings.timeoutMs) });
      observed.ready = response.status === 200;
    } catch (err) {
      observed.ready = false;
      observed.readyError = message(err);
    }
  };
  await Promise.all([head(), indexed(), ready()]);
  return observed;
}

/** The Prometheus text exposition of one observation; pure. */
function renderMetrics(observed, indexer) {
  const labels = `{indexer="${indexer.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"}`;
  const behind = observed.head !== undefined && observed.indexed !== undefined ? Math.max(0, observed.head - observed.indexed) : undefined;
  const series = [
    ["indexer_blocks_behind", "Chain head minus the indexer's latest indexed block.", behind],
    ["indexer_ready", "1 when the indexer's readiness endpoint answers 200, else 0.", observed.ready ? 1 : 0],
  ];
  return series
    .filter(([, , value]) => value !== undefined)
    .map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labels} ${value}\n`)
    .join("");
}

function settingsFrom(env) {
  const number = (name, fallback) => {
    const value = env[name] === undefined || env[name] === "" ? fallback : Number(env[name]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(env[name])}`);
    return value;
  };
  const required = (name) => {
    if (!env[name]) throw new Error(`${name} is required`);
    return env[name];
  };
  const settings = {
    indexer: required("INDEXER"),
    rpcUrl: required("RPC_URL"),
    statusUrl: required("STATUS_URL"),
    statusBlockPointer: env.STATUS_BLOCK_POINTER === undefined ? "" : env.STATUS_BLOCK_POINTER,
    readyUrl: required("READY_URL"),
    port: number("PORT", 8592),
    timeoutMs: number("TIMEOUT_MS", 3000),
  };
  resolvePointer({}, settings.statusBlockPointer);
  return settings;
}

function createServer(settings) {
  return http.createServer((req, res) => {
    const reply = (status, type, body) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    if (req.method !== "GET") return reply(405, "text/plain", "GET only\n");
    if (req.url === "/healthz") return reply(200, "application/json", '{"live":true}\n');
    if (req.url !== "/metrics") return reply(404, "text/plain", "try /metrics or /healthz\n");
    observe(settings).then(
      (observed) => reply(200, "text/plain; version=0.0.4; charset=utf-8", renderMetrics(observed, settings.indexer)),
      (err) => reply(500, "text/plain", `${message(err)}\n`),
    );
  });
}

module.exports = { resolvePointer, blockNumber, observe, renderMetrics, settingsFrom, createServer };

if (require.main === module) {
  let settings;
  try {
    settings = settingsFrom(process.env);
  } catch (err) {
    process.stderr.write(`indexer-lag: ${err.message}\n`);
    process.exit(2);
  }
  const server = createServer(settings);
  server.listen(settings.port, () => process.stdout.write(`indexer-lag for ${settings.indexer} listening on :${settings.port}\n`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
