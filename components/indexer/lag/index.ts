/**
 * The indexer lag exporter: indexer-lag.js (no dependencies) in a stock Node.js image, serving INDEXER_METRICS for
 * one indexer on the port named METRICS_PORT_NAME, for the cluster's MetricsCollector to scrape. The caller puts
 * `configMapData` into a ConfigMap and mounts it as `volumeName` (or passes `configMapName` and uses `volume`), and
 * labels the pod with SCRAPE_LABEL and `estate-indexer`.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { HEALTH_IMAGE } from "../../ethereum-node/containers";
import { INDEXER_METRICS, METRICS_PORT_NAME } from "../../monitoring/targets";

type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;

/** The same pinned Node.js image as the Ethereum nodes' health sidecar. */
export const LAG_IMAGE = HEALTH_IMAGE;
export const LAG_PORT = 8592;
export const LAG_SCRIPT_KEY = "indexer-lag.js";
export const LAG_SCRIPT_DIR = "/lag";
export const LAG_VOLUME = "lag-script";
export const LAG_CONTAINER = "lag-exporter";
/** The user it runs as when the pod sets none. */
export const LAG_UID = 10001;
export { INDEXER_METRICS };

const SCRIPT_PATH = path.join(__dirname, LAG_SCRIPT_KEY);
/** A JSON pointer (RFC 6901): empty, or "/"-separated tokens. */
const JSON_POINTER = /^(\/([^~/]|~[01])*)*$/;
const INDEXER_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The exporter's source, for the ConfigMap. */
export function indexerLagScript(): string {
  return fs.readFileSync(SCRIPT_PATH, "utf8");
}

export interface IndexerLagOptions {
  /** The indexer's config name: the `indexer` label of its series. */
  indexer: string;
  /** JSON-RPC of the chain's node pool: eth_blockNumber is the head. */
  rpcUrl: pulumi.Input<string>;
  /** The live worker's status endpoint (JSON, GET). */
  statusUrl: pulumi.Input<string>;
  /** Where the latest indexed block number is in the status JSON, e.g. `/mainnet/block/number`. */
  statusBlockPointer: string;
  /** The live worker's readiness endpoint: 200 once backfill reached the head. */
  readyUrl: pulumi.Input<string>;
  /** The ConfigMap holding `configMapData`, when the caller wants `volume` built for it. */
  configMapName?: pulumi.Input<string>;
}

export interface IndexerLagSidecar {
  /** The exporter's container: probes, requests and a memory limit, non-root, read-only root filesystem. */
  readonly container: Container;
  /** Put into a ConfigMap mounted as `volumeName`. */
  readonly configMapData: Record<string, string>;
  readonly volumeName: string;
  /** The pod volume for `configMapName`, when it was given. */
  readonly volume?: Volume;
  /** Short hash of the script: a pod-template annotation, so a new script rolls the pod. */
  readonly checksum: string;
}

export function indexerLagProblems(opts: IndexerLagOptions): string[] {
  return [
    ...(INDEXER_NAME.test(opts.indexer ?? "") ? [] : [`indexer: ${JSON.stringify(opts.indexer)} must be 1-63 lowercase letters, digits or '-', starting with a letter`]),
    ...(JSON_POINTER.test(opts.statusBlockPointer ?? "") ? [] : [`statusBlockPointer: ${JSON.stringify(opts.statusBlockPointer)} is not a JSON pointer (e.g. /mainnet/block/number)`]),
  ];
}

export function indexerLagContainer(opts: IndexerLagOptions): IndexerLagSidecar {
  const problems = indexerLagProblems(opts);
  if (problems.length > 0) throw new Error(`indexer lag exporter: ${problems.join("; ")}`);
  const script = indexerLagScript();
  const env: Record<string, pulumi.Input<string>> = {
    INDEXER: opts.indexer,
    RPC_URL: opts.rpcUrl,
    STATUS_URL: opts.statusUrl,
    STATUS_BLOCK_POINTER: opts.statusBlockPointer,
    READY_URL: opts.readyUrl,
    PORT: String(LAG_PORT),
  };
  const probe = (periodSeconds: number) => ({ httpGet: { path: "/healthz", port: METRICS_PORT_NAME }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 });
  return {
    container: {
      name: LAG_CONTAINER,
      image: LAG_IMAGE,
      imagePullPolicy: "IfNotPresent",
      args: ["node", `${LAG_SCRIPT_DIR}/${LAG_SCRIPT_KEY}`],
      env: Object.entries(env).map(([name, value]) => ({ name, value })),
      ports: [{ name: METRICS_PORT_NAME, containerPort: LAG_PORT, protocol: "TCP" }],
      readinessProbe: probe(20),
      livenessProbe: probe(30),
      // Each scrape is three small HTTP calls.
      resources: { requests: { cpu: "10m", memory: "48Mi" }, limits: { memory: "96Mi" } },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: LAG_UID,
        runAsGroup: LAG_UID,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        seccompProfile: { type: "RuntimeDefault" },
      },
      volumeMounts: [{ name: LAG_VOLUME, mountPath: LAG_SCRIPT_DIR, readOnly: true }],
    },
    configMapData: { [LAG_SCRIPT_KEY]: script },
    volumeName: LAG_VOLUME,
    ...(opts.configMapName !== undefined ? { volume: { name: LAG_VOLUME, configMap: { name: opts.configMapName, defaultMode: 0o444 } } } : {}),
    checksum: crypto.createHash("sha256").update(script).digest("hex").slice(0, 16),
  };
}
