/**
 * Restores lock-file entries for optional per-platform binaries (e.g. @swc/core-darwin-arm64) that `npm install`
 * leaves out when the registry it installs from does not serve them; without those entries `npm ci` refuses the
 * lock. Each restored entry carries the os/cpu/libc its name encodes, so npm skips it on other platforms and
 * fetches it normally on its own. Usage: `npm run lock:platforms` after `npm install`.
 */
import * as fs from "fs";
import * as path from "path";

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}
export interface Lockfile {
  packages: Record<string, LockEntry>;
}

const PLATFORM_SUFFIX = /-(android|darwin|freebsd|linux|openharmony|win32)-([a-z0-9]+)(?:-(gnu|gnueabihf|musl|musleabihf|eabi|msvc))?$|-(wasm32)-wasi$/;

/** The platform a binary package's name encodes: `@swc/core-linux-x64-musl` -> linux, x64, musl. */
export function platformOf(name: string): Pick<LockEntry, "os" | "cpu" | "libc"> | undefined {
  const m = PLATFORM_SUFFIX.exec(name);
  if (!m) return undefined;
  const [, os, cpu, abi, wasm] = m;
  if (wasm) return { cpu: ["wasm32"] };
  const libc = abi?.startsWith("gnu") ? ["glibc"] : abi?.startsWith("musl") ? ["musl"] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

/** Optional dependencies the lock names but has no entry for. */
export function missingOptionalEntries(lock: Lockfile): { name: string; version: string }[] {
  const missing = new Map<string, string>();
  for (const entry of Object.values(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!lock.packages[`node_modules/${name}`]) missing.set(name, version);
    }
  }
  return [...missing].map(([name, version]) => ({ name, version }));
}

/** A copy of the lock with an entry for every missing per-platform optional dependency. */
export function withPlatformEntries(lock: Lockfile): Lockfile {
  const packages = { ...lock.packages };
  for (const { name, version } of missingOptionalEntries(lock)) {
    const platform = platformOf(name);
    if (!platform) throw new Error(`${name}: an optional dependency with no platform in its name; install it from a registry that has it`);
    packages[`node_modules/${name}`] = { version, ...platform, optional: true };
  }
  const sorted = Object.keys(packages).sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return { ...lock, packages: Object.fromEntries(sorted.map((k) => [k, packages[k]])) };
}

if (require.main === module) {
  const file = path.resolve(__dirname, "../package-lock.json");
  const lock = JSON.parse(fs.readFileSync(file, "utf8")) as Lockfile;
  const missing = missingOptionalEntries(lock).length;
  fs.writeFileSync(file, `${JSON.stringify(withPlatformEntries(lock), null, 2)}\n`);
  console.log(`package-lock.json: restored ${missing} per-platform optional entries`);
}
