/** Node pool plans and a parent component for the VM builder tests (aws, gcp, cloud-init). */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Chain, SyncMode, findClient } from "../../../components/ethereum-node/clients";
import { nodeContainers, nodePorts, shutdownGraceSeconds } from "../../../components/ethereum-node/containers";
import { DATA_ROOT, JWT_PATH, NodePoolEndpoints, NodePoolPlan } from "../../../components/ethereum-node/plan";
import { recommendedSize } from "../../../components/ethereum-node/sizing";
import { costTags } from "../../../components/tagging";

export const HEALTH_SCRIPT = fs.readFileSync(path.resolve(__dirname, "../../../components/ethereum-node/health/sync-health.js"), "utf8");

/** What an engine JWT looks like. */
export const HEX_SECRET = /[0-9a-fA-F]{64}/;

export interface PoolOptions {
  execution: string;
  consensus: string;
  chain: Chain;
  mode: SyncMode;
  count: number;
  protectData: boolean;
  environment: string;
}

export function tagsFor(environment: string) {
  return costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment, workload: "ethereum-node", owner: "techops" });
}

/** A plan as EthereumNode builds it, from the catalog. */
export function poolPlan(options: Partial<PoolOptions> = {}, overrides: Partial<NodePoolPlan> = {}): NodePoolPlan {
  const o: PoolOptions = { execution: "geth", consensus: "lighthouse", chain: "mainnet", mode: "full", count: 2, protectData: false, environment: "staging", ...options };
  const execution = findClient("execution", o.execution);
  const consensus = findClient("consensus", o.consensus);
  if (!execution || !consensus) throw new Error(`unknown clients ${o.execution}/${o.consensus}`);
  const containers = nodeContainers({
    pool: "main",
    chain: o.chain,
    mode: o.mode,
    execution,
    consensus,
    checkpointSyncUrl: "https://checkpoint.example.org",
    dataRoot: DATA_ROOT,
    jwtPath: JWT_PATH,
  });
  const size = recommendedSize(execution, consensus, o.chain, o.mode);
  if (!size) throw new Error(`no size for ${o.execution}/${o.consensus} on ${o.chain} ${o.mode}`);
  return {
    pool: "main",
    chain: o.chain,
    mode: o.mode,
    count: o.count,
    containers,
    ports: nodePorts(containers),
    size,
    shutdownGraceSeconds: shutdownGraceSeconds(containers),
    healthScript: HEALTH_SCRIPT,
    tags: tagsFor(o.environment),
    protectData: o.protectData,
    ...overrides,
  };
}

export interface CapturedOptions {
  readonly name: string;
  readonly opts: pulumi.CustomResourceOptions;
}

export type Builder<P> = (parent: pulumi.ComponentResource, name: string, plan: NodePoolPlan, placement: P) => NodePoolEndpoints;

/**
 * Stands in for EthereumNode. Its (SDK-side) transformation sees every child's options, which the mock monitor
 * does not record: replacement order, ignored changes, dependencies.
 */
export class TestPool<P> extends pulumi.ComponentResource {
  readonly endpoints: NodePoolEndpoints;

  constructor(name: string, build: Builder<P>, plan: NodePoolPlan, placement: P, captured: Map<pulumi.Resource, CapturedOptions>) {
    super("estate:ethereum-node:EthereumNode", name, {}, {
      transformations: [
        (args) => {
          captured.set(args.resource, { name: args.name, opts: args.opts });
          return undefined;
        },
      ],
    });
    this.endpoints = build(this, name, plan, placement);
    this.registerOutputs({ costTags: plan.tags, rpcUrl: this.endpoints.rpcUrl, wsUrl: this.endpoints.wsUrl });
  }
}

export function buildPool<P>(build: Builder<P>, name: string, plan: NodePoolPlan, placement: P, captured: Map<pulumi.Resource, CapturedOptions>): NodePoolEndpoints {
  return new TestPool(name, build, plan, placement, captured).endpoints;
}

/** The options a child was registered with, and the names of the resources it depends on. */
export function optionsOf(captured: Map<pulumi.Resource, CapturedOptions>, name: string): { opts: pulumi.CustomResourceOptions; dependsOn: string[] } {
  const entry = [...captured.values()].find((c) => c.name === name);
  if (!entry) throw new Error(`no options captured for ${name}`);
  const deps = (entry.opts.dependsOn ?? []) as pulumi.Resource[];
  return { opts: entry.opts, dependsOn: (Array.isArray(deps) ? deps : [deps]).map((d) => captured.get(d)?.name ?? "?") };
}
