/**
 * Compiles the test contracts (contracts/Maker.sol) with solcjs, the compiler shipped in the `solc` npm package (no
 * download), into contracts/build.json: ABI and bytecode per contract, and the source's sha256. `npm run indexer:compile` after editing the
 * Solidity; a test fails when build.json was built from another source.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export const SOURCE = path.resolve(__dirname, "../contracts/Maker.sol");
export const BUILD = path.resolve(__dirname, "../contracts/build.json");

export interface Artifact {
  abi: unknown[];
  bytecode: `0x${string}`;
}
export interface Build {
  sha256: string;
  contracts: Record<string, Artifact>;
}

export const sourceHash = (source = fs.readFileSync(SOURCE, "utf8")): string => createHash("sha256").update(source).digest("hex");

export function readBuild(): Build {
  return JSON.parse(fs.readFileSync(BUILD, "utf8")) as Build;
}

export function compile(source = fs.readFileSync(SOURCE, "utf8")): Record<string, Artifact> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { compile(input: string): string };
  const input = {
    language: "Solidity",
    sources: { "Maker.sol": { content: source } },
    settings: { evmVersion: "shanghai", optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const artifacts: Record<string, Artifact> = {};
  for (const [name, c] of Object.entries(output.contracts["Maker.sol"])) {
    if (c.evm.bytecode.object.length === 0) continue; // abstract contracts
    artifacts[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  }
  return artifacts;
}

if (require.main === module) {
  const artifacts = compile();
  const build: Build = { sha256: sourceHash(), contracts: artifacts };
  fs.writeFileSync(BUILD, `${JSON.stringify(build)}\n`);
  console.log(`${path.relative(process.cwd(), BUILD)}: ${Object.keys(artifacts).join(", ")}`);
}
