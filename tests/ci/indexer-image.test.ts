/** The indexer image workflow: build on pull requests, build and push to GHCR on tags, and the stacks pin its path. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { inputs, loadWorkflow, ROOT, runBash, stepNamed, stepsUsing } from "./helpers";
import { stackValues } from "../helpers/stack-config";

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
