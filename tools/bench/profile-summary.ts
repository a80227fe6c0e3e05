/**
 * Self time of a V8 CPU profile by npm package and by project folder:
 * `node --cpu-prof --cpu-prof-dir=<dir> -r ./tools/node/register.js tools/plan.ts …`, then
 * `node -r ./tools/node/register.js tools/bench/profile-summary.ts <dir>/<file>.cpuprofile [rows]`.
 * Node's own code (module loading, fs) counts as `node internals`; V8's `(garbage collector)` and `(program)` as
 * they are named.
 */
import * as fs from "fs";
import * as path from "path";

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, "..", "..");

/** The package (`@scope/name`), project folder (two levels) or engine bucket a frame belongs to. */
export function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const file = url.replace(/^file:\/\//, "");
  if (file.startsWith("node:")) return "node internals";
  const at = file.lastIndexOf("node_modules/");
  if (at >= 0) {
    const [scope, name] = file.slice(at + "node_modules/".length).split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  if (file.startsWith(`${ROOT}${path.sep}`)) {
    const parts = path.relative(ROOT, file).split(path.sep);
    return `project: ${parts.length > 2 ? parts.slice(0, 2).join("/") : parts[0]}`;
  }
  return file;
}

export function selfTimeByBucket(profile: CpuProfile): Map<string, number> {
  const bucketOfNode = new Map(profile.nodes.map((n) => [n.id, bucketOf(n.callFrame.url, n.callFrame.functionName)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const bucket = bucketOfNode.get(id) ?? "(unknown)";
    totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

if (require.main === module) {
  const [file, rows = "25"] = process.argv.slice(2);
  const totals = selfTimeByBucket(JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(`self time by package and project folder · ${all.toFixed(0)} ms sampled`);
  for (const [bucket, msSelf] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
    console.log(`${msSelf.toFixed(0).padStart(7)} ms  ${((100 * msSelf) / all).toFixed(1).padStart(5)}%  ${bucket}`);
  }
}
