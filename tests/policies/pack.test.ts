/** policies/ is a CrossGuard pack the Pulumi CLI can run; the rules are what the pack serves. Never imports policies/index.ts. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { POLICIES } from "../../policies/rules";
import { ROOT } from "../helpers/estate";

const PACK = path.join(ROOT, "policies");
const RULE_FILES = fs.readdirSync(path.join(PACK, "rules")).filter((f) => f.endsWith(".ts") && f !== "index.ts");

describe("the policy pack", () => {
  it("has what `pulumi preview --policy-pack policies` loads: PulumiPolicy.yaml, a versioned package.json, index.ts", () => {
    expect(parse(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8"))).toMatchObject({ runtime: "nodejs", description: expect.any(String) });
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/), main: "index.ts", dependencies: { "@pulumi/policy": expect.any(String) } });
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(root.workspaces).toContain("policies");
    // The CLI type-checks the pack with ts-node, reading only this file's compilerOptions (no "extends").
    const tsconfig = JSON.parse(fs.readFileSync(path.join(PACK, "tsconfig.json"), "utf8"));
    expect(tsconfig).toEqual({ compilerOptions: expect.objectContaining({ lib: ["ES2022"], strict: true }) });
  });

  it("assembles the registry's policies in index.ts and does nothing else", () => {
    const index = fs.readFileSync(path.join(PACK, "index.ts"), "utf8");
    const imports = [...index.matchAll(/^import .* from "(.*)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["@pulumi/policy", "./rules"]);
    expect(index.match(/new PolicyPack\(/g)).toHaveLength(1);
    expect(index).toContain("policies: POLICIES");
  });

  it("serves one policy per rule file, named after it, each documented and exemptible", () => {
    expect(POLICIES.map((p) => `${p.name}.ts`).sort()).toEqual([...RULE_FILES].sort());
    for (const p of POLICIES) {
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.remediationSteps?.length).toBeGreaterThan(20);
      expect(p.enforcementLevel).toBe("mandatory");
      expect(Object.keys(p.configSchema?.properties ?? {})).toContain("exemptions");
      expect(p.configSchema?.properties?.enforcementLevel).toBeUndefined();
    }
    for (const file of RULE_FILES) {
      const exported = [...fs.readFileSync(path.join(PACK, "rules", file), "utf8").matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
      expect({ file, exported: exported.length }).toEqual({ file, exported: 1 });
    }
  });
});
