import * as path from "path";
import { PROJECT, parseEstateConfig } from "../../stacks/config";
import { formatProblem } from "../../stacks/config-reader";
import { decodeNamespace } from "../../stacks/raw-config";
import { readStackConfig } from "../../tools/plan/stack-file";
import { PLAN_DATE } from "../helpers/plans-cache";

/** The stacks' sandboxes expire: validate them as of a fixed date, not the machine's. */
const AS_OF = { today: PLAN_DATE };

const ROOT = path.resolve(__dirname, "../..");
const prod = (): any => JSON.parse(JSON.stringify(decodeNamespace(readStackConfig(ROOT, "prod").config, PROJECT)));
const problemsOf = (raw: Record<string, unknown>): string[] => {
  const result = parseEstateConfig(raw, "prod", AS_OF);
  return result.ok ? [] : result.problems.map(formatProblem);
};
const withNode = (change: Record<string, unknown>): any => {
  const raw = prod();
  raw.ethereumNodes["mainnet-rpc"] = { ...raw.ethereumNodes["mainnet-rpc"], ...change };
  return raw;
};

describe("ethereumNodes config", () => {
  it("reads prod's fleet with its defaults", () => {
    const result = parseEstateConfig(prod(), "prod", AS_OF);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    expect(result.config.ethereumNodes.map((n) => [n.name, n.platform, n.execution, n.consensus, n.mode, n.count])).toEqual([
      ["mainnet-rpc", "aws", "geth", "lighthouse", "full", 2],
      ["mainnet-archive", "aws", "reth", "lighthouse", "archive", 1],
      ["mainnet-k8s", "kubernetes", "nethermind", "teku", "full", 1],
    ]);
    expect(result.config.ethereumNodes[0]).toMatchObject({ network: "main", budgetLine: "infrastructure-tools", size: {} });
    expect(result.config.ethereumNodes[2]).toMatchObject({ cluster: "core", namespace: "ethereum", p2pService: "LoadBalancer" });
  });

  it.each([
    ["an unknown execution client", { execution: "parity" }, /^core-unit-estate:ethereumNodes\.mainnet-rpc\.execution: got "parity"; allowed: one of geth, nethermind, erigon, reth, besu$/],
    ["an unknown consensus client", { consensus: "lodestar" }, /\.consensus: got "lodestar"; allowed: one of lighthouse, teku, prysm, nimbus, caplin$/],
    ["an archive mode the client does not offer", { execution: "besu", mode: "archive" }, /\.mode: got "archive"; allowed: a mode besu offers \(full\); archive is offered by geth, erigon, reth$/],
    ["Caplin without Erigon", { consensus: "caplin" }, /\.consensus: got "caplin"; allowed: caplin runs inside erigon only; with geth choose lighthouse, teku, prysm, nimbus$/],
    ["a disk below the catalog's minimum", { size: { diskGiB: 500 } }, /\.size\.diskGiB: got 500; allowed: at least 1600 GiB, what geth \+ lighthouse need for mainnet full today \(the catalog recommends 2300\)$/],
    ["IOPS above gp3's", { size: { iops: 20000 } }, /\.size\.iops: got 20000; allowed: a whole number from 3000 to 16000$/],
    ["a platform the stack has not configured", { platform: "gcp" }, /\.network: got "main"; allowed: the name of a gcp network declared under networks: analytics$/],
    ["a chain that was shut down", { chain: "holesky" }, /\.chain: got "holesky"; allowed: a chain still served: holesky was shut down in 2025; use hoodi/],
    ["a misspelt key", { replicas: 2 }, /\.replicas: got 2; allowed: no such key; known keys here: platform, network/],
    ["a Kubernetes setting on a VM pool", { namespace: "ethereum" }, /\.namespace: got "ethereum"; allowed: nothing for platform aws: name the network$/],
    ["too many nodes", { count: 11 }, /\.count: got 11; allowed: a whole number from 1 to 10$/],
  ])("rejects %s, naming the key", (_what, change, message) => {
    expect(problemsOf(withNode(change))).toEqual([expect.stringMatching(message)]);
  });

  it("rejects a namespace the cluster does not declare, and a cluster that does not exist", () => {
    const raw = prod();
    raw.ethereumNodes["mainnet-k8s"].namespace = "nodes";
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/mainnet-k8s\.namespace: got "nodes"; allowed: a namespace declared under clusters\.core\.namespaces: ethereum, indexer, api, keepers$/)]);
    raw.ethereumNodes["mainnet-k8s"].cluster = "edge";
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/mainnet-k8s\.cluster: got "edge"; allowed: a cluster declared under clusters: core, analytics$/)]);
  });

  it("needs a checkpoint-sync URL for every chain a pool runs", () => {
    const raw = withNode({ chain: "sepolia" });
    expect(problemsOf(raw)).toEqual([
      expect.stringMatching(/^core-unit-estate:checkpointSyncUrls\.sepolia: got nothing .*used by ethereumNodes\.mainnet-rpc/),
      // The indexer follows mainnet-rpc's head and backfills from the mainnet archive: a chain mismatch.
      'core-unit-estate:indexers.maker.backfillRpcPool: got "mainnet-archive"; allowed: an archive pool on sepolia, the chain of rpcPool mainnet-rpc',
    ]);
    raw.checkpointSyncUrls.sepolia = "http://insecure.example";
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/checkpointSyncUrls\.sepolia: got "http:\/\/insecure\.example"; allowed: an https URL/), expect.stringMatching(/indexers\.maker\.backfillRpcPool/)]);
  });

  it("accepts size overrides at or above the minimum", () => {
    const result = parseEstateConfig(withNode({ size: { diskGiB: 3000, iops: 12000, instanceType: "r7g.4xlarge" } }), "prod", AS_OF);
    expect(result.ok && result.config.ethereumNodes[0].size).toEqual({ diskGiB: 3000, iops: 12000, instanceType: "r7g.4xlarge" });
  });
});
