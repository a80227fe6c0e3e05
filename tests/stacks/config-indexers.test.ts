import { formatProblem } from "../../stacks/config-reader";
import { configProblems, parseStack, stackValues as stack } from "../helpers/stack-config";
import { version as indexerVersion } from "../../indexer/package.json";

const problemsOf = (raw: Record<string, unknown>, name = "prod"): string[] => configProblems(raw, name);

/** Prod's config with its indexer changed by `change`. */
const prodWith = (change: (indexer: any, raw: any) => void): any => {
  const raw = stack("prod");
  change(raw.indexers.maker, raw);
  return raw;
};
const KEY = "core-unit-estate:indexers.maker";

describe("indexers config", () => {
  it("reads prod's indexer: an HA database with a replica, the archive pool for backfills, five consumers", () => {
    const result = parseStack(stack("prod"), "prod");
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    const [maker] = result.config.indexers;
    expect(maker).toMatchObject({
      name: "maker",
      cluster: "core",
      namespace: "indexer",
      chain: "mainnet",
      rpcPool: "mainnet-rpc",
      backfillRpcPool: "mainnet-archive",
      database: { network: "main", cloud: "aws", version: "16", highAvailability: true, readReplicas: 1, backupRetentionDays: 14 },
      // The image the stacks pin is the indexer app of this checkout, at its version.
      deployments: [{ id: "v14", image: `ghcr.io/techops-example/core-unit-estate-indexer:${indexerVersion}` }],
      live: "v14",
    });
    expect(maker.consumers.map((c) => c.name)).toEqual(["es-vault-listing", "liquidations-monitoring", "public-api", "analytics", "forum-badges"]);
  });

  it("reads staging's smaller copy on Cloud SQL, single-zone, backfilling from its full nodes", () => {
    const result = parseStack(stack("staging"), "staging");
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    expect(result.config.indexers[0]).toMatchObject({
      cluster: "lab",
      chain: "hoodi",
      rpcPool: "hoodi-gcp",
      backfillRpcPool: "hoodi-gcp",
      database: { cloud: "gcp", instanceClass: "db-custom-1-3840", highAvailability: false, readReplicas: 0, backupRetentionDays: 7 },
      worker: { port: 42069, readinessPath: "/ready", statusPath: "/status", statusBlockPointer: "/ethereum/block/number" },
    });
  });

  it.each<[string, (i: any, raw: any) => void, string[]]>([
    ["prod without HA", (i) => (i.database.highAvailability = false), [`${KEY}.database.highAvailability: got false; allowed: true in prod: a standby in another zone (RDS Multi-AZ, Cloud SQL regional) takes over when a zone fails`]],
    ["backups below 7 days", (i) => (i.database.backupRetentionDays = 3), [`${KEY}.database.backupRetentionDays: got 3; allowed: a whole number from 7 to 35`]],
    ["an image without a tag", (i) => (i.deployments.v14 = "ghcr.io/techops-example/maker-indexer"), [
      `${KEY}.deployments.v14: got "ghcr.io/techops-example/maker-indexer"; allowed: a container image pinned by a version tag or a sha256 digest ("ghcr.io/techops-example/maker-indexer" has no tag or digest: pin a version tag or a sha256 digest)`,
    ]],
    ["an image tagged latest", (i) => (i.api.image = "ghcr.io/techops-example/maker-indexer:latest"), [expect.stringMatching(/^core-unit-estate:indexers\.maker\.api\.image: got "ghcr\.io\/techops-example\/maker-indexer:latest"; allowed: .*"latest"/)] as any],
    ["an RPC pool that does not exist", (i) => (i.rpcPool = "mainnet-fast"), [
      `${KEY}.rpcPool: got "mainnet-fast"; allowed: the name of an Ethereum node pool declared under ethereumNodes: mainnet-rpc, mainnet-archive, mainnet-k8s`,
    ]],
    ["a backfill pool that is not archive", (i) => (i.backfillRpcPool = "mainnet-k8s"), [`${KEY}.backfillRpcPool: got "mainnet-k8s"; allowed: an archive pool (backfills read historical state): mainnet-archive`]],
    ["a live deployment that is not among the deployments", (i) => (i.live = "v15"), [`${KEY}.live: got "v15"; allowed: the id of one of the deployments: v14`]],
    ["three deployments at once", (i) => Object.assign(i.deployments, { v15: "ghcr.io/x/y:1.5.0", v16: "ghcr.io/x/y:1.6.0" }), [expect.stringMatching(/deployments: got .*; allowed: one or two deployments/)] as any],
    ["a database in a network the cluster is not in", (i) => (i.database.network = "analytics"), [`${KEY}.database.network: got "analytics"; allowed: the network of cluster core (main): the workers reach the database on its private address`]],
    ["a Cloud SQL tier for an RDS database", (i) => (i.database.instanceClass = "db-custom-2-8192"), [`${KEY}.database.instanceClass: got "db-custom-2-8192"; allowed: an RDS instance class, e.g. db.r7g.large`]],
    ["Postgres older than 16", (i) => (i.database.version = "15"), [`${KEY}.database.version: got "15"; allowed: one of 16, 17`]],
    ["a storage ceiling below the storage", (i) => (i.database.maxStorageGiB = 100), [`${KEY}.database.maxStorageGiB: got 100; allowed: at least 550, storageGiB (500) plus 10%: the ceiling storage autoscaling may grow to`]],
    ["a storage ceiling less than 10% above the storage (RDS refuses it)", (i) => (i.database.maxStorageGiB = 520), [`${KEY}.database.maxStorageGiB: got 520; allowed: at least 550, storageGiB (500) plus 10%: the ceiling storage autoscaling may grow to`]],
    ["a credential in env", (i) => (i.worker.env = { DB_PASSWORD: "hunter2" }), [expect.stringMatching(/^core-unit-estate:indexers\.maker\.worker\.env\.DB_PASSWORD: got "\[not shown\]"; allowed: no credentials in config/)] as any],
    ["an env var the estate sets", (i) => (i.worker.env = { DATABASE_SCHEMA: "public" }), [expect.stringMatching(/worker\.env\.DATABASE_SCHEMA: got "public"; allowed: a name the estate does not set itself/)] as any],
    ["a namespace the cluster does not declare", (i) => (i.namespace = "indexers"), [`${KEY}.namespace: got "indexers"; allowed: a namespace declared under clusters.core.namespaces: ethereum, indexer, api, keepers`]],
    ["a consumer reading through an unknown service", (i) => (i.consumers.analytics.via = "analytics-api"), [
      `${KEY}.consumers.analytics.via: got "analytics-api"; allowed: read-api (the indexer's own API, inside the cluster) or the name of a service declared under apiServices: public-api, analytics, forum-badges`,
    ]],
    ["one read-API pod in prod", (i) => (i.api.minReplicas = 1), [`${KEY}.api.minReplicas: got 1; allowed: at least 2 in prod, so a node drain or a rollout never leaves the service without a pod`]],
    ["a readiness path without a slash", (i) => (i.worker.readinessPath = "ready"), [`${KEY}.worker.readinessPath: got "ready"; allowed: an HTTP path starting with '/', e.g. /ready`]],
    ["a misspelt key", (i) => (i.database.multiAz = true), [expect.stringMatching(/database\.multiAz: got true; allowed: no such key; known keys here: network, version/)] as any],
  ])("rejects %s with one clear problem", (_, change, expected) => {
    expect(problemsOf(prodWith(change))).toEqual(expected);
  });

  it.each([
    ["db-custom-3-8192", "a Cloud SQL custom tier (this one has 3 vCPUs): db-custom-<vCPUs"],
    ["db-custom-1-1024", "a Cloud SQL custom tier (this one has 1024 MiB is below 3840): db-custom-<vCPUs"],
    ["db-f1-micro", "a Cloud SQL custom tier: db-custom-<vCPUs"],
  ])("rejects the Cloud SQL tier %s by the database's own rules", (tier, allowed) => {
    const raw = stack("staging");
    raw.indexers.maker.database.instanceClass = tier;
    expect(problemsOf(raw, "staging")).toEqual([expect.stringContaining(`core-unit-estate:indexers.maker.database.instanceClass: got "${tier}"; allowed: ${allowed}`)]);
  });

  it("rejects a pool the cluster cannot reach privately", () => {
    const raw = stack("staging");
    raw.indexers.maker.cluster = "core";
    raw.indexers.maker.database.network = "main";
    raw.indexers.maker.database.instanceClass = "db.t4g.medium";
    expect(problemsOf(raw, "staging")).toEqual([
      'core-unit-estate:indexers.maker.rpcPool: got "hoodi-gcp"; allowed: a pool the cluster core reaches privately: on that cluster, or VMs in its network (main)',
      'core-unit-estate:apiServices.public-api.upstream.indexer: got "maker"; allowed: an indexer on this service\'s cluster (lab); maker runs on core: reach it through its public API with upstream.url',
    ]);
  });

  it("reports a bad cluster once, not again at every reference", () => {
    const raw = stack("prod");
    raw.clusters.core.version = "1.2";
    expect(problemsOf(raw).filter((p) => p.includes("indexers."))).toEqual([]);
  });

  it("checks the read API's cache size where the worker and the read API get it", () => {
    const ok = prodWith((maker) => (maker.api.env = { API_CACHE_MB: "0" }));
    expect(problemsOf(ok)).toEqual([]);
    const bad = prodWith((maker) => {
      maker.api.env = { API_CACHE_MB: "lots" };
      maker.worker.env = { API_CACHE_MB: "9000" };
    });
    expect(problemsOf(bad)).toEqual([
      `${KEY}.worker.env.API_CACHE_MB: got "9000"; allowed: a whole number of MiB from 0 (no cache) to 4096`,
      `${KEY}.api.env.API_CACHE_MB: got "lots"; allowed: a whole number of MiB from 0 (no cache) to 4096`,
    ]);
  });
});
