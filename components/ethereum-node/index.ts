/** A pool of Ethereum nodes (execution + consensus client pairs) on AWS, GCP or Kubernetes, behind a sync-aware RPC endpoint. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CostTags } from "../tagging";
import { AwsPlacement, buildAwsNodePool } from "./aws";
import { Chain, SyncMode, findClient } from "./clients";
import { nodeContainers, nodePorts, shutdownGraceSeconds } from "./containers";
import { GcpPlacement, buildGcpNodePool } from "./gcp";
import { KubernetesPlacement, buildKubernetesNodePool } from "./kubernetes";
import { DATA_ROOT, JWT_PATH, NodePoolPlan } from "./plan";
import { NodeSize } from "./sizing";

export * from "./clients";
export * from "./sizing";
export { HEALTH_PORT } from "./containers";
export type { AwsPlacement, GcpPlacement, KubernetesPlacement };

export interface EthereumNodeArgs {
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

export class EthereumNode extends pulumi.ComponentResource {
  readonly rpcUrl: pulumi.Output<string>;
  readonly wsUrl: pulumi.Output<string>;

  constructor(name: string, args: EthereumNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planFor(name, args);
    super("estate:ethereum-node:EthereumNode", name, {}, opts);
    const build = { aws: buildAwsNodePool, gcp: buildGcpNodePool, kubernetes: buildKubernetesNodePool }[args.platform.kind] as (
      parent: pulumi.ComponentResource,
      name: string,
      plan: NodePoolPlan,
      placement: typeof args.platform,
    ) => { rpcUrl: pulumi.Output<string>; wsUrl: pulumi.Output<string> };
    const endpoints = build(this, name, plan, args.platform);
    this.rpcUrl = endpoints.rpcUrl;
    this.wsUrl = endpoints.wsUrl;
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
  ].filter((p): p is string => typeof p === "string");
  if (problems.length > 0) throw new Error(`EthereumNode "${name}": ${problems.join("; ")}`);
  const containers = nodeContainers({
    chain: args.chain,
    mode: args.mode,
    execution: execution!,
    consensus: consensus!,
    checkpointSyncUrl: args.checkpointSyncUrl,
    dataRoot: DATA_ROOT,
    jwtPath: JWT_PATH,
  });
  return {
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
