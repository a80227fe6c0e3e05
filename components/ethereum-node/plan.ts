/** What a platform builder receives: everything about the node pool that does not depend on the platform. */
import type * as pulumi from "@pulumi/pulumi";
import type { EthereumPoolTarget } from "../monitoring/targets";
import { CostTags } from "../tagging";
import { Chain, SyncMode } from "./clients";
import { ContainerPlan, NodePorts } from "./containers";
import { NodeSize } from "./sizing";

export const DATA_ROOT = "/data";
/** The engine JWT lives in memory (tmpfs / an in-memory emptyDir), generated where the clients run. */
export const JWT_DIR = "/jwt";
export const JWT_PATH = `${JWT_DIR}/jwt.hex`;

export interface NodePoolPlan {
  /** The pool's config name: the `pool` label / `Pool` dimension of its metrics. */
  readonly pool: string;
  readonly chain: Chain;
  readonly mode: SyncMode;
  /** Nodes in the pool, each a full client pair with its own data volume. */
  readonly count: number;
  readonly containers: readonly ContainerPlan[];
  readonly ports: NodePorts;
  readonly size: NodeSize;
  /** Seconds between SIGTERM and SIGKILL: the longest client flush plus a margin. */
  readonly shutdownGraceSeconds: number;
  /** The sync-health sidecar's source, mounted into its container. */
  readonly healthScript: string;
  readonly tags: CostTags;
  /** Prod: chain-data volumes are protected and retained, so no destroy or replacement deletes a synced chain. */
  readonly protectData: boolean;
}

export interface NodePoolEndpoints {
  /** JSON-RPC over HTTP of the pool, behind its internal load balancer or Service (sync-aware health check). */
  readonly rpcUrl: pulumi.Output<string>;
  readonly wsUrl: pulumi.Output<string>;
  /** Where the pool's metrics land and which of its resources the alarms watch. */
  readonly monitoring: Pick<EthereumPoolTarget, "platform" | "aws" | "gcp">;
}
