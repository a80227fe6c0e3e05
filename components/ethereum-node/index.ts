/** A pool of Ethereum nodes (execution + consensus client pairs) on AWS, GCP or Kubernetes, behind a sync-aware RPC endpoint. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { EthereumPoolTarget } from "../monitoring/targets";
import { CostTags } from "../tagging";
import { AwsPlacement, buildAwsNodePool } from "./aws";
import { Chain, SyncMode, findClient } from "./clients";
import { nodeContainers, nodePorts, shutdownGraceSeconds } from "./containers";
import { GcpPlacement, buildGcpNodePool } from "./gcp";
import { KubernetesPlacement, buildKubernetesNodePool } from "./kubernetes";
import { DATA_ROOT, JWT_PATH, NodePoolEndpoints, NodePoolPlan } from "./plan";
import { NodeSize } from "./sizing";

export * from "./clients";
export * from "./sizing";
export { HEALTH_PORT } from "./containers";
export type { AwsPlacement, GcpPlacement, KubernetesPlacement };

export interface EthereumNodeArgs {
  /** The pool's config name: the `pool` label / `Pool` dimension of its metrics, and its alarms' subject. */
  pool: string;
  chain: Chain;
  mode: SyncMode;
  /** Catalog ids, e.g. "geth" and "lighthouse". */
  execution: string;
  consensus: string;
  count: number;
  checkpointSyncUrl?: string;
  /** The catalog's recommendation with the stack's overrides applied. */
  size: NodeSize;
  tags: CostTags;
  protectData: boolean;
  platform: AwsPlacement | GcpPlacement | KubernetesPlacement;
}

const HEALTH_SCRIPT = path.join(__dirname, "health", "sync-health.js");
/** A Kubernetes label value and a CloudWatch dimension value alike. */
const POOL_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class EthereumNode extends pulumi.ComponentResource {
  readonly rpcUrl: pulumi.Output<string>;
  readonly wsUrl: pulumi.Output<string>;
  /** What the Monitoring component alarms on: the pool's metrics and, on VMs, its load balancer and instances. */
  readonly monitoringTarget: EthereumPoolTarget;

  constructor(name: string, args: EthereumNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planFor(name, args);
    super("estate:ethereum-node:EthereumNode", name, {}, opts);
    const build = { aws: buildAwsNodePool, gcp: buildGcpNodePool, kubernetes: buildKubernetesNodePool }[args.platform.kind] as (
      parent: pulumi.ComponentResource,
      name: string,
      plan: NodePoolPlan,
      placement: typeof args.platform,
    ) => NodePoolEndpoints;
    const endpoints = build(this, name, plan, args.platform);
    this.rpcUrl = endpoints.rpcUrl;
    this.wsUrl = endpoints.wsUrl;
    this.monitoringTarget = { kind: "ethereum-pool", pool: args.pool, count: args.count, ...endpoints.monitoring };
    this.registerOutputs({ costTags: args.tags, rpcUrl: this.rpcUrl, wsUrl: this.wsUrl });
  }
}

function planFor(name: string, args: EthereumNodeArgs): NodePoolPlan {
  const execution = findClient("execution", args.execution);
  const consensus = findClient("consensus", args.consensus);
  const problems = [
    !execution && `execution: unknown client "${args.execution}"`,
    !consensus && `consensus: unknown client "${args.consensus}"`,
    execution && !execution.modes.includes(args.mode) && `mode: ${args.execution} does not offer ${args.mode}`,
    consensus?.pairsWith && !consensus.pairsWith.includes(args.execution) && `consensus: ${args.consensus} runs only with ${consensus.pairsWith.join(", ")}`,
    (!Number.isInteger(args.count) || args.count < 1 || args.count > 10) && `count: ${args.count} must be a whole number from 1 to 10`,
    !POOL_NAME.test(args.pool ?? "") && `pool: ${JSON.stringify(args.pool)} must be 1-63 lowercase letters, digits or '-', starting with a letter (it labels the pool's metrics)`,
  ].filter((p): p is string => typeof p === "string");
  if (problems.length > 0) throw new Error(`EthereumNode "${name}": ${problems.join("; ")}`);
  const containers = nodeContainers({
    pool: args.pool,
    chain: args.chain,
    mode: args.mode,
    execution: execution!,
    consensus: consensus!,
    checkpointSyncUrl: args.checkpointSyncUrl,
    dataRoot: DATA_ROOT,
    jwtPath: JWT_PATH,
  });
  return {
    pool: args.pool,
    chain: args.chain,
    mode: args.mode,
    count: args.count,
    containers,
    ports: nodePorts(containers),
    size: args.size,
    shutdownGraceSeconds: shutdownGraceSeconds(containers),
    healthScript: fs.readFileSync(HEALTH_SCRIPT, "utf8"),
    tags: args.tags,
    protectData: args.protectData,
  };
}
