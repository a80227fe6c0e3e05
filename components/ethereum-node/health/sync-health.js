// Sync-aware health of one Ethereum node (an execution + consensus client pair), for readiness probes and load
// balancer health checks. Runs as a sidecar next to the clients, with no dependencies beyond Node.js:
//   GET /ready  -> 200 when the execution client is not syncing, its head is recent and the beacon node is healthy;
//                  503 with the reasons otherwise
//   GET /live   -> 200 while the sidecar runs
//   node sync-health.js --check   -> exit 0 when ready, 1 otherwise (for exec probes and scripts)
// Settings (environment): EXECUTION_RPC_URL, BEACON_API_URL, MAX_HEAD_AGE_SECONDS (60), PORT (8590), TIMEOUT_MS (2000).
"use strict";
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

/** Asks both clients; never throws: failures become part of what was observed. */
async function observe(settings) {
  const observed = {};
  try {
    observed.syncing = await rpc(settings.executionRpcUrl, "eth_syncing", [], settings.timeoutMs);
    const head = await rpc(settings.executionRpcUrl, "eth_getBlockByNumber", ["latest", false], settings.timeoutMs);
    observed.headTimestamp = head && typeof head.timestamp === "string" ? parseInt(head.timestamp, 16) : undefined;
  } catch (err) {
    observed.executionError = err instanceof Error ? err.message : String(err);
  }
  try {
    const response = await fetch(`${settings.beaconApiUrl}/eth/v1/node/health`, { signal: AbortSignal.timeout(settings.timeoutMs) });
    observed.beaconStatus = response.status;
  } catch (err) {
    observed.beaconError = err instanceof Error ? err.message : String(err);
  }
  return observed;
}

async function check(settings, now = () => Date.now() / 1000) {
  return evaluate(await observe(settings), settings.maxHeadAgeSeconds, now());
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
    if (req.url !== "/ready") return reply(404, { error: "try /ready or /live" });
    check(settings, now).then(
      (verdict) => reply(verdict.ready ? 200 : 503, verdict),
      (err) => reply(503, { ready: false, reasons: [String(err)] }),
    );
  });
}

module.exports = { evaluate, observe, check, settingsFrom, createServer };

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
