/** The benchmark's scaled estate stays a valid stack as the config rules change, with each part repeated. */
import * as fs from "fs";
import * as path from "path";
import { validateStack } from "../../tools/plan/plan";
import { readPackConfig } from "../../tools/plan/violations";
import { readStackConfig } from "../../tools/plan/stack-file";
import { writeScaledProject } from "../../tools/bench/scaled-stack";

const ROOT = path.resolve(__dirname, "../..");
const AS_OF = new Date("2026-12-02T00:00:00Z");

describe("the benchmark's scaled prod estate", () => {
  it.each([0, 3])("× %i passes the stack's config and pack config checks, each part repeated", (factor) => {
    const dir = writeScaledProject(ROOT, factor);
    try {
      const config = validateStack(readStackConfig(dir, "prod"), AS_OF);
      const prod = validateStack(readStackConfig(ROOT, "prod"), AS_OF);
      const staging = validateStack(readStackConfig(ROOT, "staging"), AS_OF);
      expect(config.ethereumNodes).toHaveLength(prod.ethereumNodes.length * factor);
      expect(config.indexers).toHaveLength(prod.indexers.length * factor);
      expect(config.apiServices).toHaveLength(prod.apiServices.length * factor);
      expect(config.sandboxes).toHaveLength(staging.sandboxes.length * factor);
      expect(config.clusters).toEqual(prod.clusters);
      expect(readPackConfig(dir, "prod")).toBeDefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
