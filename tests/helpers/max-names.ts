/**
 * A stack's config with every name the config validator bounds renamed to a name of its maximum accepted length:
 * networks, clusters, (node groups and pools 24), Ethereum pools, API services and sandboxes (24), indexers (16) and
 * their deployment ids (12).
 * References to a renamed entry follow it.
 */
type Config = Record<string, any>;

export const MAX_NAME_LENGTH = { networks: 32, clusters: 32, nodeGroups: 24, nodePools: 24, ethereumNodes: 24, apiServices: 24, sandboxes: 24, indexers: 16, deployments: 12 } as const;

const NS = "core-unit-estate:";

function renameKeys(map: Record<string, unknown> | undefined, name: (old: string) => string): Map<string, string> {
  const renamed = new Map<string, string>();
  if (!map) return renamed;
  for (const old of Object.keys(map)) {
    const next = name(old);
    renamed.set(old, next);
    const value = map[old];
    delete map[old];
    map[next] = value;
  }
  return renamed;
}

function follow(obj: Config | undefined, key: string, renamed: Map<string, string>): void {
  if (obj && typeof obj[key] === "string" && renamed.has(obj[key])) obj[key] = renamed.get(obj[key]);
}

/** `name(kind, index)` gives each entry its new name; a copy of `config` is returned. */
export function withMaxLengthNames(config: Config, name: (kind: keyof typeof MAX_NAME_LENGTH, index: number) => string): Config {
  const c: Config = JSON.parse(JSON.stringify(config));
  const counter = (kind: keyof typeof MAX_NAME_LENGTH) => {
    let i = 0;
    return () => name(kind, i++);
  };
  const networks = renameKeys(c[`${NS}networks`], counter("networks"));
  const clusters = renameKeys(c[`${NS}clusters`], counter("clusters"));
  const kubeconfigs = c[`${NS}kubeconfigs`];
  if (kubeconfigs) for (const [old, next] of clusters) if (old in kubeconfigs) renameKeys({ [old]: kubeconfigs[old] }, () => next);
  const nextGroup = counter("nodeGroups");
  const nextPool = counter("nodePools");
  for (const cluster of Object.values<Config>(c[`${NS}clusters`] ?? {})) {
    follow(cluster, "network", networks);
    renameKeys(cluster.nodeGroups, nextGroup);
    renameKeys(cluster.nodePools, nextPool);
  }
  const pools = renameKeys(c[`${NS}ethereumNodes`], counter("ethereumNodes"));
  for (const pool of Object.values<Config>(c[`${NS}ethereumNodes`] ?? {})) {
    follow(pool, "network", networks);
    follow(pool, "cluster", clusters);
  }
  const apis = renameKeys(c[`${NS}apiServices`], counter("apiServices"));
  for (const api of Object.values<Config>(c[`${NS}apiServices`] ?? {})) follow(api, "cluster", clusters);
  const indexers = renameKeys(c[`${NS}indexers`], counter("indexers"));
  for (const api of Object.values<Config>(c[`${NS}apiServices`] ?? {})) follow(api.upstream, "indexer", indexers);
  const nextDeployment = counter("deployments");
  for (const indexer of Object.values<Config>(c[`${NS}indexers`] ?? {})) {
    follow(indexer, "live", renameKeys(indexer.deployments, nextDeployment));
    follow(indexer, "cluster", clusters);
    follow(indexer, "rpcPool", pools);
    follow(indexer, "backfillRpcPool", pools);
    follow(indexer.database, "network", networks);
    for (const consumer of Object.values<Config>(indexer.consumers ?? {})) follow(consumer, "via", apis);
  }
  renameKeys(c[`${NS}sandboxes`], counter("sandboxes"));
  for (const sandbox of Object.values<Config>(c[`${NS}sandboxes`] ?? {})) {
    follow(sandbox, "cluster", clusters);
    follow(sandbox.vm, "network", networks);
  }
  return c;
}
