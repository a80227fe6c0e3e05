// Sync-aware health of one Ethereum node (an execution + consensus client pair), for readiness probes and load
// balancer health checks. Runs as a sidecar next to the clients, with no dependencies beyond Node.js:
//   GET /ready  -> 200 when the execution client is not syncing, its head is recent and the beacon node is healthy;
//                  503 with the reasons otherwise
//   GET /live   -> 200 while the sidecar runs
//   GET /metrics -> Prometheus text: eth_head_age_seconds, eth_peers, eth_ready, eth_disk_used_percent, labelled pool;
//                  always 200, a series whose value is unknown (client down) is left out
//   node sync-health.js --check   -> exit 0 when ready, 1 otherwise (for exec probes and scripts)
// Settings (environment): EXECUTION_RPC_URL, BEACON_API_URL, MAX_HEAD_AGE_SECONDS (60), PORT (8590), TIMEOUT_MS (2000),
// POOL (the `pool` label), DATA_DIR (/data: the chain-data filesystem).
"use strict";
const fs = require("fs");
const http = require("http");

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
  return {
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

module.exports = { evaluate, observe, check, renderMetrics, metrics, settingsFrom, createServer };

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
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
  }
}
