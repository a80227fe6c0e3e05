/**
 * Runs the indexer (`ponder start`) as a child process against a local chain, on PGlite in a directory or on the
 * PostgreSQL of INDEXER_TEST_DATABASE_URL, and waits for /ready. For the tests, the bench and the dev command.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export const INDEXER_ROOT = path.resolve(__dirname, "..");
/** Ponder's CLI, from the indexer's own node_modules or the workspace root's. */
const PONDER_BIN = [INDEXER_ROOT, path.dirname(INDEXER_ROOT)]
  .map((dir) => path.join(dir, "node_modules/ponder/dist/esm/bin/ponder.js"))
  .find((file) => fs.existsSync(file))!;

export interface IndexerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface IndexerOptions {
  rpcUrl: string;
  /** The deployment's addresses (MakerAddresses JSON). */
  addressesFile: string;
  schema: string;
  /** PGlite directory; ignored when databaseUrl is set. */
  pgliteDir?: string;
  databaseUrl?: string;
  /** `start` indexes and serves; `serve` only serves (the read API). */
  command?: "start" | "serve";
  root?: string;
  port?: number;
  /** More environment, e.g. PGOPTIONS (the session role the estate's pods set). */
  env?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startIndexer(opts: IndexerOptions): Promise<IndexerProcess> {
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: "true",
    RPC_URL: opts.rpcUrl,
    CHAIN_ID: String((JSON.parse(fs.readFileSync(opts.addressesFile, "utf8")) as { chainId: number }).chainId),
    MAKER_ADDRESSES: opts.addressesFile,
    DATABASE_SCHEMA: opts.schema,
    POLLING_INTERVAL_MS: "100",
    PONDER_LOG_LEVEL: process.env.PONDER_LOG_LEVEL ?? "warn", PONDER_LOG_FORMAT: "pretty",
    ...opts.env,
  };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else env.PGLITE_DIRECTORY = opts.pgliteDir ?? tempDir("indexer-pglite-");
  Object.assign(env, opts.env);
  const root = opts.root ?? INDEXER_ROOT;
  const child = spawn(process.execPath, [PONDER_BIN, "--root", root, opts.command ?? "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `path` until it answers 200 (or the process exits / the timeout passes). */
export async function waitFor(indexer: IndexerProcess, urlPath: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (indexer.child.exitCode !== null) throw new Error(`indexer exited (${indexer.child.exitCode}):\n${indexer.output()}`);
    try {
      const res = await fetch(`${indexer.url}${urlPath}`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`indexer: ${urlPath} not 200 after ${timeoutMs} ms:\n${indexer.output()}`);
}

/** The last block the indexer has applied, from Ponder's /status. */
export async function indexedBlock(indexer: IndexerProcess): Promise<number> {
  const res = await fetch(`${indexer.url}/status`);
  const body = (await res.json()) as Record<string, { block?: { number: number } }>;
  return Object.values(body)[0]?.block?.number ?? -1;
}

/** Waits until the indexer has applied `block`. */
export async function waitForBlock(indexer: IndexerProcess, block: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (indexer.child.exitCode !== null) throw new Error(`indexer exited (${indexer.child.exitCode}):\n${indexer.output()}`);
    try {
      if ((await indexedBlock(indexer)) >= block) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`indexer: block ${block} not indexed after ${timeoutMs} ms:\n${indexer.output()}`);
}
