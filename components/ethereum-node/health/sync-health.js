// Sync-aware health of one Ethereum node (an execution + consensus client pair), for readiness probes and load
// balancer health checks. Runs as a sidecar next to the clients, with no dependencies beyond Node.js:
//   GET /ready  -> 200 when the execution client is not syncing, its head is recent and the beacon node is healthy;
//                  503 with the reasons otherwise
//   GET /live   -> 200 while the sidecar runs
//   GET /metrics -> Prometheus text: eth_head_age_seconds, eth_peers, eth_ready, eth_disk_used_percent, labelled pool;
//                  always 200, a series whose value is unknown (client down) is left out
//   node sync-health.js --check   -> exit 0 when ready, 1 otherwise (for exec probes and scripts)
//   GATES=18545:8545,...          -> on each listen port, an HTTP proxy to 127.0.0.1:<target> (WebSocket upgrades
//                                    included) that passes requests through only while the last readiness check, at
//                                    most GATE_MAX_AGE old, said ready. Otherwise every request and upgrade gets HTTP 503
//                                    with a JSON-RPC error "no synced node", and open WebSockets are closed. A load
//                                    balancer that fails open when every node is unhealthy then still serves no stale chain.
// Settings (environment): EXECUTION_RPC_URL, BEACON_API_URL, MAX_HEAD_AGE_SECONDS (60), PORT (8590), TIMEOUT_MS (2000),
// POOL (the `pool` label), DATA_DIR (/data: the chain-data filesystem), GATES (none), GATE_POLL_MS (5000),
// GATE_TIMEOUT_MS (120000: how long a gated request may wait for a byte from the node).
"use strict";
const fs = require("fs");
const http = require("http");
const net = require("net");

/** The verdict from what the clients answered; pure. */
function evaluate(observed, maxHeadAgeSeconds, nowSeconds) {
  const reasons = [];
  if (observed.executionError) reasons.push(`execution client unreachable: ${observed.executionError}`);
  else {
    if (observed.syncing !== false) reasons.push("execution client is syncing");
    if (typeof observed.headTimestamp !== "number") reasons.push("execution client reported no head block");
    else if (nowSeconds - observed.headTimestamp > maxHeadAgeSeconds) {
      reasons.push(`execution head is ${Math.round(nowSeconds - observed.headTimestamp)}s old (limit ${maxHeadAgeSeconds}s)`);
    }
  }
  if (observed.beaconError) reasons.push(`beacon node unreachable: ${observed.beaconError}`);
  else if (observed.beaconStatus !== 200) {
    const meaning = { 206: "syncing", 503: "not initialised" }[observed.beaconStatus] || "unhealthy";
    reasons.push(`beacon node is ${meaning} (HTTP ${observed.beaconStatus})`);
  }
  return { ready: reasons.length === 0, reasons };
}

async function rpc(url, method, params, timeoutMs) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  if (body.error) throw new Error(body.error.message || "JSON-RPC error");
  return body.result;
}

/** Percent of the filesystem in use, as df counts it (blocks reserved for root are not available). */
async function diskUsedPercent(dir) {
  const s = await fs.promises.statfs(dir);
  const used = s.blocks - s.bfree;
  return used + s.bavail > 0 ? (100 * used) / (used + s.bavail) : 0;
}

/**
 * Asks both clients at once; never throws: failures become part of what was observed. `forMetrics` also asks for
 * the peer count and the disk, which readiness does not need.
 */
async function observe(settings, forMetrics = false) {
  const observed = {};
  const call = (method, params = []) => rpc(settings.executionRpcUrl, method, params, settings.timeoutMs);
  const attempt = async (errorKey, task) => {
    try {
      await task();
    } catch (err) {
      observed[errorKey] = err instanceof Error ? err.message : String(err);
    }
  };
  await Promise.all([
    attempt("executionError", async () => {
      observed.syncing = await call("eth_syncing");
      const head = await call("eth_getBlockByNumber", ["latest", false]);
      observed.headTimestamp = head && typeof head.timestamp === "string" ? parseInt(head.timestamp, 16) : undefined;
    }),
    attempt("beaconError", async () => {
      const response = await fetch(`${settings.beaconApiUrl}/eth/v1/node/health`, { signal: AbortSignal.timeout(settings.timeoutMs) });
      observed.beaconStatus = response.status;
    }),
    ...(forMetrics
      ? [
          attempt("peersError", async () => (observed.peers = parseInt(await call("net_peerCount"), 16))),
          attempt("diskError", async () => (observed.diskUsedPercent = await diskUsedPercent(settings.dataDir))),
        ]
      : []),
  ]);
  return observed;
}

async function check(settings, now = () => Date.now() / 1000) {
  return evaluate(await observe(settings), settings.maxHeadAgeSeconds, now());
}

/** The Prometheus text exposition of one observation; pure. */
function renderMetrics(observed, verdict, nowSeconds, pool) {
  const labels = pool ? `{pool="${pool.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"}` : "";
  const known = (v) => typeof v === "number" && Number.isFinite(v);
  const headAge = !observed.executionError && known(observed.headTimestamp) ? Math.max(0, Math.round(nowSeconds - observed.headTimestamp)) : NaN;
  return [
    ["eth_head_age_seconds", "Age of the execution head block.", headAge],
    ["eth_peers", "Execution client peers.", observed.peers],
    ["eth_ready", "1 when /ready would answer 200.", verdict.ready ? 1 : 0],
    ["eth_disk_used_percent", "Chain-data filesystem in use.", Math.round(observed.diskUsedPercent * 100) / 100],
  ]
    .filter(([, , value]) => known(value))
    .map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labels} ${value}\n`)
    .join("");
}

async function metrics(settings, now = () => Date.now() / 1000) {
  const observed = await observe(settings, true);
  const nowSeconds = now();
  return renderMetrics(observed, evaluate(observed, settings.maxHeadAgeSeconds, nowSeconds), nowSeconds, settings.pool);
}

function settingsFrom(env) {
  const number = (name, fallback) => {
    const value = env[name] === undefined || env[name] === "" ? fallback : Number(env[name]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(env[name])}`);
    return value;
  };
  const gates = (env.GATES || "").split(",").filter(Boolean).map((pair) => {
    const [listen, target, extra] = pair.split(":").map(Number);
    if (extra !== undefined || ![listen, target].every((p) => Number.isInteger(p) && p > 0 && p < 65536) || listen === target) {
      throw new Error(`GATES must be listen:target port pairs (1-65535, two different ports), got ${JSON.stringify(env.GATES)}`);
    }
    return { listen, target };
  });
  return {
    gates,
    gatePollMs: number("GATE_POLL_MS", 5000),
    gateTimeoutMs: number("GATE_TIMEOUT_MS", 120000),
    executionRpcUrl: env.EXECUTION_RPC_URL || "http://127.0.0.1:8545",
    beaconApiUrl: (env.BEACON_API_URL || "http://127.0.0.1:5052").replace(/\/$/, ""),
    maxHeadAgeSeconds: number("MAX_HEAD_AGE_SECONDS", 60),
    port: number("PORT", 8590),
    timeoutMs: number("TIMEOUT_MS", 2000),
    pool: env.POOL || "",
    dataDir: env.DATA_DIR || "/data",
  };
}

function createServer(settings, now) {
  return http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(`${JSON.stringify(body)}\n`);
    };
    if (req.method !== "GET") return reply(405, { error: "GET only" });
    if (req.url === "/live") return reply(200, { live: true });
    if (req.url === "/metrics") {
      return metrics(settings, now).then(
        (text) => {
          res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
          res.end(text);
        },
        (err) => reply(500, { error: String(err) }),
      );
    }
    if (req.url !== "/ready") return reply(404, { error: "try /ready, /live or /metrics" });
    check(settings, now).then(
      (verdict) => reply(verdict.ready ? 200 : 503, verdict),
      (err) => reply(503, { ready: false, reasons: [String(err)] }),
    );
  });
}

/** HTTP/1.1 hop-by-hop headers: a proxy never forwards them. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

function endToEnd(headers) {
  const out = { ...headers };
  const named = String(headers.connection || "").split(",").map((h) => h.trim().toLowerCase());
  for (const name of [...HOP_BY_HOP, ...named]) delete out[name];
  return out;
}

/** The JSON-RPC error for each request of a body (an array for a batch), with its id when the body names one. */
function rpcError(requestBody, message, data) {
  let request;
  try {
    request = JSON.parse(requestBody);
  } catch {
    request = undefined;
  }
  const one = (r) => ({ jsonrpc: "2.0", id: r && typeof r === "object" && r.id !== undefined ? r.id : null, error: { code: -32000, message, data } });
  return `${JSON.stringify(Array.isArray(request) && request.length > 0 ? request.map(one) : one(request))}\n`;
}

/** A whole HTTP response as bytes, for a socket that HTTP no longer manages (a refused upgrade). */
function rawResponse(status, text, body) {
  return `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** A gate keeps an idle client connection as long as geth does (120 s), so a client's pooled connection does not
 *  close under its next POST (Node's default is 5 s); the headers may take a second longer. */
const GATE_IDLE_MS = 120000;

/** At most this much of a refused request's body is read, for its JSON-RPC id. */
const REFUSED_BODY_LIMIT = 65536;

/**
 * The gates of `settings.gates`: HTTP servers, not yet listening, whose verdict comes from a readiness check every
 * gatePollMs. They stay closed until a first check says ready, and close again when the last verdict is older than
 * two missed checks (a check that hangs or dies fails closed). `readiness` is the check (replaceable for tests).
 * Returns the servers, `started` (the first check) and `stop()`.
 */
function createGates(settings, now, readiness = () => check(settings, now)) {
  let verdict = { ready: false, reasons: ["not checked yet"] };
  let checkedAt = 0;
  const maxAgeMs = 2 * (settings.gatePollMs + 2 * settings.timeoutMs);
  const tunnels = new Set();
  const state = () => {
    if (Date.now() - checkedAt > maxAgeMs && checkedAt > 0) return { ready: false, reasons: [`no readiness check for ${Math.round((Date.now() - checkedAt) / 1000)}s`] };
    return verdict;
  };
  const refuse = (req, res, status, message, reasons) => {
    let body = "";
    let size = 0;
    const answer = () => {
      if (res.headersSent) return res.destroy();
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(rpcError(body, message, { reasons }));
    };
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= REFUSED_BODY_LIMIT) body += chunk;
    });
    req.on("end", answer);
    req.on("error", () => res.destroy());
  };
  const agents = [];
  const servers = settings.gates.map(({ target }) => {
    const agent = new http.Agent({ keepAlive: true });
    agents.push(agent);
    const server = http.createServer((req, res) => {
      const { ready, reasons } = state();
      if (!ready) return refuse(req, res, 503, "no synced node", reasons);
      const upstream = http.request(
        { host: "127.0.0.1", port: target, method: req.method, path: req.url, headers: endToEnd(req.headers), agent, timeout: settings.gateTimeoutMs },
        (answer) => {
          res.writeHead(answer.statusCode, answer.statusMessage, endToEnd(answer.headers));
          answer.pipe(res);
          answer.on("error", () => res.destroy());
        },
      );
      upstream.on("timeout", () => upstream.destroy(Object.assign(new Error(`no answer within ${settings.gateTimeoutMs}ms`), { code: "TIMEOUT" })));
      upstream.on("error", (err) => {
        if (res.destroyed) return;
        if (res.headersSent) return res.destroy();
        const timedOut = err.code === "TIMEOUT";
        res.writeHead(timedOut ? 504 : 503, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(rpcError("", timedOut ? "node timed out" : "no synced node", { reasons: [`execution client: ${err.message}`] }));
      });
      res.on("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    });
    server.keepAliveTimeout = GATE_IDLE_MS;
    server.headersTimeout = GATE_IDLE_MS + 1000;
    // The whole request, body included, may take as long as the node may take to answer it.
    server.requestTimeout = Math.max(server.headersTimeout, settings.gateTimeoutMs);
    server.on("upgrade", (req, socket, head) => {
      socket.on("error", () => socket.destroy());
      const { ready, reasons } = state();
      if (!ready) return socket.end(rawResponse(503, "Service Unavailable", rpcError("", "no synced node", { reasons })));
      const upstream = net.connect({ host: "127.0.0.1", port: target, timeout: settings.gateTimeoutMs });
      const tunnel = { socket, open: false };
      tunnels.add(tunnel);
      // Before the node answers the handshake the client gets an HTTP error; after, the connection is just closed.
      const fail = (status, text, message, reason) => {
        tunnels.delete(tunnel);
        upstream.destroy();
        if (tunnel.open) socket.end();
        else if (!socket.writableEnded) socket.end(rawResponse(status, text, rpcError("", message, { reasons: [reason] })));
      };
      upstream.on("timeout", () => fail(504, "Gateway Timeout", "node timed out", `execution client: no answer within ${settings.gateTimeoutMs}ms`));
      upstream.on("error", (err) => fail(503, "Service Unavailable", "no synced node", `execution client: ${err.message}`));
      upstream.on("close", () => fail(503, "Service Unavailable", "no synced node", "execution client closed the connection"));
      socket.on("close", () => {
        tunnels.delete(tunnel);
        upstream.destroy();
      });
      upstream.on("connect", () => {
        const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.once("data", () => {
          // The node answered the handshake: from here the connection is the client's, quiet for as long as it likes.
          tunnel.open = true;
          upstream.setTimeout(0);
        });
        socket.pipe(upstream).pipe(socket);
      });
    });
    return server;
  });
  let timer;
  let stopped = false;
  const poll = async () => {
    try {
      verdict = await readiness();
    } catch (err) {
      verdict = { ready: false, reasons: [String(err)] };
    }
    checkedAt = Date.now();
    // Subscriptions on a node that fell behind end, so their clients reconnect to a synced one.
    if (!verdict.ready) for (const t of tunnels) t.socket.destroy();
    if (!stopped) timer = setTimeout(poll, settings.gatePollMs);
  };
  const started = poll();
  return {
    servers,
    started,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      for (const t of tunnels) t.socket.destroy();
      for (const s of servers) {
        s.close();
        s.closeAllConnections();
      }
      for (const a of agents) a.destroy();
    },
  };
}

module.exports = { evaluate, observe, check, renderMetrics, metrics, settingsFrom, createServer, createGates, rpcError };

if (require.main === module) {
  let settings;
  try {
    settings = settingsFrom(process.env);
  } catch (err) {
    process.stderr.write(`sync-health: ${err.message}\n`);
    process.exit(2);
  }
  if (process.argv.includes("--check")) {
    check(settings).then((verdict) => {
      process.stdout.write(verdict.ready ? "ready\n" : `not ready: ${verdict.reasons.join("; ")}\n`);
      process.exit(verdict.ready ? 0 : 1);
    });
  } else {
    const server = createServer(settings);
    server.listen(settings.port, () => process.stdout.write(`sync-health listening on :${settings.port}\n`));
    const gates = settings.gates.length > 0 ? createGates(settings) : { servers: [], stop: () => {} };
    gates.servers.forEach((s, i) => s.listen(settings.gates[i].listen, () => process.stdout.write(`gate listening on :${settings.gates[i].listen} for :${settings.gates[i].target}\n`)));
    process.on("SIGTERM", () => {
      gates.stop();
      server.close(() => process.exit(0));
    });
  }
}
