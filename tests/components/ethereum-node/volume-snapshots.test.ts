/** The CronJob's snapshot script against a fake Kubernetes API server on loopback. */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const snapshots = require("../../../components/ethereum-node/snapshots/volume-snapshots.js");

interface Snapshot {
  metadata: { name: string; creationTimestamp: string; labels: Record<string, string> };
  status?: { readyToUse?: boolean };
}

/** Two claims; claim -0 already has 8 ready snapshots and one not ready, -1 has none. */
function fakeApi(failCreateFor?: string) {
  const calls: string[] = [];
  const store: Snapshot[] = [];
  const day = (d: number) => `2026-11-${String(d).padStart(2, "0")}T03:17:00Z`;
  for (let d = 1; d <= 8; d++) store.push({ metadata: { name: `data-eth-0-old${d}`, creationTimestamp: day(d), labels: { [snapshots.CLAIM_LABEL]: "data-eth-0" } }, status: { readyToUse: true } });
  store.push({ metadata: { name: "data-eth-0-failed", creationTimestamp: day(0), labels: { [snapshots.CLAIM_LABEL]: "data-eth-0" } }, status: { readyToUse: false } });
  let created = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url!, "http://x");
      calls.push(`${req.method} ${url.pathname}${url.search}`);
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== "Bearer test-token") return send(401, { message: "unauthorized" });
      if (url.pathname === "/api/v1/namespaces/ethereum/persistentvolumeclaims") {
        return send(200, { items: [{ metadata: { name: "data-eth-1" } }, { metadata: { name: "data-eth-0" } }] });
      }
      const base = "/apis/snapshot.storage.k8s.io/v1/namespaces/ethereum/volumesnapshots";
      if (url.pathname === base && req.method === "POST") {
        const snapshot = JSON.parse(body);
        const claim = snapshot.spec.source.persistentVolumeClaimName;
        if (claim === failCreateFor) return send(403, { message: "forbidden" });
        const name = `${snapshot.metadata.generateName}new${++created}`;
        store.push({ metadata: { name, creationTimestamp: day(30), labels: snapshot.metadata.labels }, status: {} });
        return send(201, { ...snapshot, metadata: { ...snapshot.metadata, name } });
      }
      if (url.pathname === base && req.method === "GET") {
        const [key, value] = url.searchParams.get("labelSelector")!.split("=");
        return send(200, { items: store.filter((s) => s.metadata.labels[key] === value) });
      }
      if (url.pathname.startsWith(`${base}/`) && req.method === "DELETE") {
        const name = decodeURIComponent(url.pathname.slice(base.length + 1));
        store.splice(store.findIndex((s) => s.metadata.name === name), 1);
        return send(200, {});
      }
      send(404, { message: "not found" });
    });
  });
  return { server, calls, store };
}

let tokenFile: string;
beforeAll(() => {
  tokenFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "snapshots-")), "token");
  fs.writeFileSync(tokenFile, "test-token\n");
});

async function runAgainst(api: ReturnType<typeof fakeApi>) {
  await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
  const { port } = api.server.address() as AddressInfo;
  const settings = snapshots.settingsFrom({
    NAMESPACE: "ethereum",
    SELECTOR: "app.kubernetes.io/instance=eth",
    SNAPSHOT_CLASS: "eth-snapshots",
    KEEP: "7",
    API_URL: `http://127.0.0.1:${port}`,
    TOKEN_FILE: tokenFile,
  });
  try {
    return await snapshots.run(settings, undefined, () => undefined).then(
      () => undefined,
      (e: Error) => e,
    );
  } finally {
    await new Promise((resolve) => api.server.close(resolve));
  }
}

describe("volume-snapshots.js", () => {
  it("snapshots every claim of the pool and keeps the newest seven ready snapshots of each", async () => {
    const api = fakeApi();
    expect(await runAgainst(api)).toBeUndefined();
    expect(api.calls[0]).toBe("GET /api/v1/namespaces/ethereum/persistentvolumeclaims?labelSelector=app.kubernetes.io%2Finstance%3Deth");
    const of = (claim: string) => api.store.filter((s) => s.metadata.labels[snapshots.CLAIM_LABEL] === claim).map((s) => s.metadata.name);
    // 8 old ready + 1 new (not ready yet): the oldest ready one goes; the failed and the new one stay.
    expect(of("data-eth-0").sort()).toEqual(["data-eth-0-failed", "data-eth-0-new1", ...[2, 3, 4, 5, 6, 7, 8].map((d) => `data-eth-0-old${d}`)].sort());
    expect(of("data-eth-1")).toEqual(["data-eth-1-new2"]);
    expect(api.calls.filter((c) => c.startsWith("DELETE"))).toEqual(["DELETE /apis/snapshot.storage.k8s.io/v1/namespaces/ethereum/volumesnapshots/data-eth-0-old1"]);
  });

  it("goes on with the other claims when one fails, and fails the job naming it", async () => {
    const api = fakeApi("data-eth-0");
    const error = await runAgainst(api);
    expect(String(error)).toMatch(/data-eth-0: POST .* HTTP 403/);
    expect(api.store.some((s) => s.metadata.name === "data-eth-1-new1")).toBe(true);
    // Nothing of the failing claim is pruned.
    expect(api.store.filter((s) => s.metadata.name.startsWith("data-eth-0-old"))).toHaveLength(8);
  });

  it("prunes only ready snapshots, oldest first", () => {
    const s = (name: string, day: number, ready: boolean) => ({ metadata: { name, creationTimestamp: `2026-11-${String(day).padStart(2, "0")}` }, status: { readyToUse: ready } });
    expect(snapshots.snapshotsToPrune([s("a", 1, true), s("b", 2, false), s("c", 3, true), s("d", 4, true)], 2)).toEqual(["a"]);
    expect(snapshots.snapshotsToPrune([s("a", 1, false)], 1)).toEqual([]);
  });

  it("refuses missing or malformed settings, naming them", () => {
    expect(() => snapshots.settingsFrom({ SELECTOR: "x", SNAPSHOT_CLASS: "y" })).toThrow("NAMESPACE is not set");
    expect(() => snapshots.settingsFrom({ NAMESPACE: "n", SELECTOR: "x", SNAPSHOT_CLASS: "y", KEEP: "0" })).toThrow("KEEP: 0 is not a whole number of at least 1");
  });
});
