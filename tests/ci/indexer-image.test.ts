/**
 * The indexer image workflow: build on pull requests, build and push to GHCR on tags, and the stacks pin its path.
 * The image carries Amazon's RDS CA bundle, checked at build time, where the pods' sslrootcert names it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { inputs, loadWorkflow, ROOT, runBash, stepNamed, stepsUsing } from "./helpers";
import { stackValues } from "../helpers/stack-config";
import { certDir, issue } from "../helpers/certs";
import { RDS_CA_BUNDLE } from "../../components/indexer/ca-bundle";

const wf = loadWorkflow("indexer-image.yml");
const { build, publish } = wf.jobs;
const IMAGE = /^ghcr\.io\/techops-example\/core-unit-estate-indexer:\d+\.\d+\.\d+$/;

function imageRef(tag: string): { status: number | null; ref?: string; stderr: string; stdout: string } {
  const step = stepNamed(publish, "Image name");
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "indexer-image-")), "output");
  fs.writeFileSync(out, "");
  const result = runBash(String(step.run), { cwd: ROOT, env: { OWNER: "TechOps-Example", TAG: tag, GITHUB_OUTPUT: out } });
  const ref = /^ref=(.*)$/m.exec(fs.readFileSync(out, "utf8"))?.[1];
  return { ...result, ref };
}

describe("indexer-image.yml", () => {
  it("builds on pull requests that touch the indexer or the lock, and on indexer-v* tags", () => {
    expect(wf.on).toEqual({
      pull_request: { paths: ["indexer/**", "package.json", "package-lock.json", ".github/workflows/indexer-image.yml"] },
      push: { tags: ["indexer-v*"] },
    });
    expect(build.if).toBe("${{ github.event_name == 'pull_request' }}");
    expect(publish.if).toBe("${{ github.event_name == 'push' && startsWith(github.ref, 'refs/tags/indexer-v') }}");
  });

  it("builds indexer/Dockerfile from the repository root; pushes only from the tag job", () => {
    for (const job of [build, publish]) {
      const [step] = stepsUsing(job, "docker/build-push-action");
      expect(inputs(step)).toMatchObject({ context: ".", file: "indexer/Dockerfile" });
      expect(fs.existsSync(path.join(ROOT, "indexer/Dockerfile"))).toBe(true);
    }
    expect(inputs(stepsUsing(build, "docker/build-push-action")[0]).push).toBe("false");
    expect(stepsUsing(build, "docker/login-action")).toEqual([]);
    expect(inputs(stepsUsing(publish, "docker/build-push-action")[0])).toMatchObject({ push: "true", tags: "${{ steps.image.outputs.ref }}" });
  });

  it("logs in to GHCR with the job's own token, the only job with packages: write", () => {
    expect(inputs(stepsUsing(publish, "docker/login-action")[0])).toEqual({ registry: "ghcr.io", username: "${{ github.actor }}", password: "${{ github.token }}" });
    expect(publish.permissions).toEqual({ contents: "read", packages: "write" });
    expect(build.permissions).toEqual({ contents: "read" });
  });

  it("names the image ghcr.io/<owner, lower-case>/core-unit-estate-indexer:<version> from the tag", () => {
    expect(imageRef("indexer-v0.1.0")).toMatchObject({ status: 0, ref: "ghcr.io/techops-example/core-unit-estate-indexer:0.1.0" });
    expect(imageRef("indexer-v1.2.3-rc.1").ref).toBe("ghcr.io/techops-example/core-unit-estate-indexer:1.2.3-rc.1");
    const bad = imageRef("indexer-vlatest");
    expect(bad.status).not.toBe(0);
    expect(bad.ref).toBeUndefined();
    expect(bad.stdout + bad.stderr).toContain("got indexer-vlatest");
  });

  it("is the image every stack's indexer workers and read API run, pinned to a version", () => {
    for (const stack of ["staging", "prod"]) {
      const maker = stackValues(stack).indexers.maker;
      const images = [...Object.values(maker.deployments), maker.api.image] as string[];
      for (const image of images) expect([stack, image]).toEqual([stack, expect.stringMatching(IMAGE)]);
      // Ponder's /status is keyed by the config's chain name (indexer/ponder.config.ts: `ethereum`).
      expect(maker.worker.statusBlockPointer).toBe("/ethereum/block/number");
    }
    expect(fs.readFileSync(path.join(ROOT, "indexer/ponder.config.ts"), "utf8")).toMatch(/chains: \{\s+ethereum: \{/);
  });
});

describe("indexer/Dockerfile: the RDS CA bundle", () => {
  const BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
  const CHECK = path.join(ROOT, "indexer/scripts/check-ca-bundle.mjs");
  /** The Dockerfile's stages: the name after `AS`, and the instructions (continuation lines joined). */
  const stages = fs
    .readFileSync(path.join(ROOT, "indexer/Dockerfile"), "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .reduce<{ name?: string; lines: string[] }[]>((acc, line) => {
      const from = /^FROM \S+(?: AS (\S+))?$/i.exec(line);
      if (from) acc.push({ name: from[1], lines: [] });
      else acc[acc.length - 1].lines.push(line);
      return acc;
    }, []);

  it("downloads Amazon's global bundle in a stage of its own, and fails the build unless the check passes on it", () => {
    const withBundle = stages.filter((s) => s.lines.some((l) => l.includes(BUNDLE_URL)));
    expect(withBundle.map((s) => s.name)).toEqual(["rds-ca"]);
    const [stage] = withBundle;
    const add = /^ADD (\S+) (\S+)$/.exec(stage.lines.find((l) => l.includes(BUNDLE_URL))!);
    expect(add?.[1]).toBe(BUNDLE_URL);
    const downloaded = add![2];
    // The check runs after the download, on that file, in the same stage: a failed check fails the build.
    const copied = stage.lines.findIndex((l) => l === "COPY indexer/scripts/check-ca-bundle.mjs /rds-ca/check-ca-bundle.mjs");
    const run = stage.lines.findIndex((l) => l === `RUN node /rds-ca/check-ca-bundle.mjs ${downloaded}`);
    expect([copied > 0, run > copied]).toEqual([true, true]);
    // The final stage takes that file, readable by any user, at the path the pods' sslrootcert names.
    const final = stages[stages.length - 1];
    expect(final.name).toBeUndefined();
    expect(final.lines).toContain(`COPY --from=rds-ca --chmod=0444 ${downloaded} ${RDS_CA_BUNDLE}`);
  });

  describe("check-ca-bundle.mjs", () => {
    const dir = certDir();
    const rds = (cn: string) => `/C=US/O=Amazon Web Services, Inc./OU=Amazon RDS/L=Seattle/ST=WA/CN=${cn}`;
    const root = issue(dir, "root", { subject: rds("Amazon RDS test-1 Root CA RSA2048 G1"), ca: true });
    const intermediate = issue(dir, "intermediate", { subject: rds("Amazon RDS test-1 Subordinate CA"), ca: true, issuer: root });
    const leaf = issue(dir, "leaf", { subject: rds("db.test-1.rds.amazonaws.com"), ca: false, dnsName: "db.test-1.rds.amazonaws.com", issuer: root });
    const other = issue(dir, "other", { subject: "/O=Someone Else/OU=Not RDS/CN=Some Root CA", ca: true });
    const pem = (i: { cert: string }) => fs.readFileSync(i.cert, "utf8");
    const check = (text: string) => {
      const file = path.join(dir, `bundle-${Math.random().toString(36).slice(2)}.pem`);
      fs.writeFileSync(file, text);
      const r = spawnSync(process.execPath, [CHECK, file], { encoding: "utf8" });
      return { status: r.status, out: r.stdout + r.stderr };
    };

    it("passes a PEM bundle of Amazon RDS CAs", () => {
      expect(check(pem(root) + pem(intermediate))).toEqual({ status: 0, out: expect.stringContaining(": 2 Amazon RDS CA certificates") });
      expect(check(`${pem(root)}\r\n\n${pem(intermediate)}`.replace(/\n/g, "\r\n")).status).toBe(0);
    });

    it.each([
      ["an error page", () => "<html><body>403 Forbidden</body></html>\n", "no PEM certificate in it"],
      ["an empty file", () => "", "no PEM certificate in it"],
      ["a bundle with something else in it", () => pem(root) + "<html>captive portal</html>\n", "something other than PEM certificates in it"],
      ["a truncated download", () => pem(root) + pem(intermediate).slice(0, 300), "something other than PEM certificates in it"],
      ["a block that is not a certificate", () => "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", "certificate 1 does not parse"],
      ["a server certificate", () => pem(root) + pem(leaf), "certificate 2 (C=US, O=Amazon Web Services\\, Inc., OU=Amazon RDS, L=Seattle, ST=WA, CN=db.test-1.rds.amazonaws.com) is not a CA"],
      ["another authority", () => pem(other) + pem(root), "certificate 1 (O=Someone Else, OU=Not RDS, CN=Some Root CA) is not an Amazon RDS CA"],
    ])("fails the build on %s, saying why", (_what, text, why) => {
      const r = check(text());
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/is not the RDS CA bundle: /);
      expect(r.out).toContain(why);
    });
  });
});
