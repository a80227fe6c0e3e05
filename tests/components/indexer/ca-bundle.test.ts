/** The init container that copies the RDS CA bundle out of the indexer image for the pods' psql containers. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CA_COPY_SCRIPT, RDS_CA_BUNDLE, caBundleCopy } from "../../../components/indexer/ca-bundle";

/** The copy as the container runs it (POSIX sh), with the image's file at `bundle`. */
function runCopy(bundle: string, copyDir: string) {
  return spawnSync("sh", ["-c", CA_COPY_SCRIPT], { env: { PATH: process.env.PATH ?? "", CA_BUNDLE: bundle, COPY_DIR: copyDir }, encoding: "utf8" });
}

describe("the CA bundle copy", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ca-copy-"));

  it("copies the image's bundle, readable by every user, under the same file name", () => {
    const bundle = path.join(dir, "global-bundle.pem");
    fs.writeFileSync(bundle, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", { mode: 0o600 });
    const out = fs.mkdtempSync(path.join(dir, "out-"));
    const r = runCopy(bundle, out);
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const copied = path.join(out, "global-bundle.pem");
    expect(fs.readFileSync(copied, "utf8")).toBe(fs.readFileSync(bundle, "utf8"));
    expect(fs.statSync(copied).mode & 0o777).toBe(0o444);
  });

  it("fails, saying the image predates the bundle, when the image has none (or an empty one)", () => {
    const empty = path.join(dir, "empty.pem");
    fs.writeFileSync(empty, "");
    for (const bundle of [path.join(dir, "missing.pem"), empty]) {
      const out = fs.mkdtempSync(path.join(dir, "out-"));
      const r = runCopy(bundle, out);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`ca-bundle: this indexer image has no CA bundle at ${bundle}; run an image built from the current indexer/Dockerfile`);
      expect(fs.readdirSync(out)).toEqual([]);
    }
  });

  it("mounts the copy read-only where the image keeps the file, and writes it from another directory", () => {
    const copy = caBundleCopy(RDS_CA_BUNDLE, "ghcr.io/example/indexer:1.0.0");
    expect(copy.mount).toEqual({ name: copy.volume.name, mountPath: "/etc/ssl/rds", readOnly: true });
    const env = Object.fromEntries((copy.initContainer.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    expect(env.CA_BUNDLE).toBe(RDS_CA_BUNDLE);
    // Mounting the volume over /etc/ssl/rds in the copier would hide the file it copies.
    expect(copy.initContainer.volumeMounts).toEqual([{ name: copy.volume.name, mountPath: env.COPY_DIR }]);
    expect(path.dirname(RDS_CA_BUNDLE)).not.toBe(env.COPY_DIR);
  });
});
