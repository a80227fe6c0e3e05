// Snapshots of one Ethereum node pool's chain-data claims on Kubernetes, run daily by a CronJob with no dependencies
// beyond Node.js: a VolumeSnapshot of every claim the selector matches, then, per claim, the ready snapshots beyond
// the newest KEEP are deleted (the class's deletionPolicy removes the cloud snapshot with them). Snapshots not yet
// ready, or failed, are never counted as kept nor deleted: a run of failures cannot prune the last good ones.
// Settings (environment): NAMESPACE, SELECTOR (label selector of the claims), SNAPSHOT_CLASS, KEEP (7);
// API_URL, TOKEN_FILE and CA_FILE default to the pod's in-cluster service account.
"use strict";
const fs = require("fs");

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The label naming the claim a snapshot was taken of. */
const CLAIM_LABEL = "ethereum-node/claim";
const SNAPSHOTS = "/apis/snapshot.storage.k8s.io/v1";

function settingsFrom(env) {
  const keep = Number(env.KEEP ?? "7");
  for (const key of ["NAMESPACE", "SELECTOR", "SNAPSHOT_CLASS"]) if (!env[key]) throw new Error(`${key} is not set`);
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`KEEP: ${env.KEEP} is not a whole number of at least 1`);
  return {
    namespace: env.NAMESPACE,
    selector: env.SELECTOR,
    snapshotClass: env.SNAPSHOT_CLASS,
    keep,
    apiUrl: env.API_URL ?? `https://${env.KUBERNETES_SERVICE_HOST}:${env.KUBERNETES_SERVICE_PORT}`,
    tokenFile: env.TOKEN_FILE ?? `${SA_DIR}/token`,
    caFile: env.CA_FILE ?? (env.API_URL ? undefined : `${SA_DIR}/ca.crt`),
  };
}

/** The ready snapshots to delete so that the newest `keep` ready ones remain; pure. */
function snapshotsToPrune(snapshots, keep) {
  return snapshots
    .filter((s) => s.status?.readyToUse === true)
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))
    .slice(keep)
    .map((s) => s.metadata.name);
}

function client(settings) {
  if (settings.caFile) process.env.NODE_EXTRA_CA_CERTS = settings.caFile;
  return async (method, path, body) => {
    const token = fs.readFileSync(settings.tokenFile, "utf8").trim();
    const response = await fetch(`${settings.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : {};
  };
}

async function run(settings, api = client(settings), log = (line) => process.stdout.write(`${line}\n`)) {
  const ns = encodeURIComponent(settings.namespace);
  const claims = await api("GET", `/api/v1/namespaces/${ns}/persistentvolumeclaims?labelSelector=${encodeURIComponent(settings.selector)}`);
  const names = (claims.items ?? []).map((c) => c.metadata.name).sort();
  if (names.length === 0) throw new Error(`no claims match ${settings.selector} in ${settings.namespace}`);
  const failures = [];
  for (const claim of names) {
    try {
      const created = await api("POST", `${SNAPSHOTS}/namespaces/${ns}/volumesnapshots`, {
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshot",
        metadata: { generateName: `${claim}-`, namespace: settings.namespace, labels: { [CLAIM_LABEL]: claim } },
        spec: { volumeSnapshotClassName: settings.snapshotClass, source: { persistentVolumeClaimName: claim } },
      });
      log(`created ${created.metadata?.name} of ${claim}`);
      const existing = await api("GET", `${SNAPSHOTS}/namespaces/${ns}/volumesnapshots?labelSelector=${encodeURIComponent(`${CLAIM_LABEL}=${claim}`)}`);
      for (const name of snapshotsToPrune(existing.items ?? [], settings.keep)) {
        await api("DELETE", `${SNAPSHOTS}/namespaces/${ns}/volumesnapshots/${encodeURIComponent(name)}`);
        log(`deleted ${name} of ${claim} (more than ${settings.keep} ready)`);
      }
    } catch (error) {
      failures.push(`${claim}: ${error.message}`);
    }
  }
  // One claim's failure does not stop the others; the Job still fails, so the CronJob's history shows it.
  if (failures.length > 0) throw new Error(failures.join("; "));
}

module.exports = { CLAIM_LABEL, run, settingsFrom, snapshotsToPrune };

if (require.main === module) {
  run(settingsFrom(process.env)).catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
