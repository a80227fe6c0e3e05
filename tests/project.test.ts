import Ajv2020 from "ajv/dist/2020";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { TOP_LEVEL_KEYS } from "../stacks/config";
import { listStacks } from "../tools/plan/stack-file";

const ROOT = path.resolve(__dirname, "..");
const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), "utf8");
const projectText = read("Pulumi.yaml");
const project = parse(projectText);

describe("Pulumi.yaml", () => {
  it("is a valid Pulumi project file by the CLI's own schema", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "../shared/reference/pulumi-project.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    expect(validate(project) ? [] : validate.errors).toEqual([]);
    expect(project.name).toBe("core-unit-estate");
  });

  it("documents every config key the program reads", () => {
    const typed = Object.keys(project.config ?? {});
    const commented = [...projectText.matchAll(/^# ([a-zA-Z, ]+) \(/gm)].flatMap((m) => m[1].split(/,\s*/));
    expect(TOP_LEVEL_KEYS.filter((k) => !typed.includes(k) && !commented.includes(k))).toEqual([]);
    for (const [key, decl] of Object.entries<{ description?: string }>(project.config)) {
      expect([key, typeof decl.description]).toEqual([key, "string"]);
    }
  });

  it("declares no key a stack leaves unset unless it has a default", () => {
    const required = Object.entries<{ default?: unknown }>(project.config).filter(([, d]) => d.default === undefined).map(([k]) => `core-unit-estate:${k}`);
    for (const stack of listStacks(ROOT)) {
      const keys = Object.keys(parse(read(`Pulumi.${stack}.yaml`)).config);
      expect([stack, required.filter((k) => !keys.includes(k))]).toEqual([stack, []]);
    }
  });
});

describe("packaging", () => {
  it("installs the policy pack's dependencies with the root npm ci", () => {
    const pkg = JSON.parse(read("package.json"));
    const pack = JSON.parse(read("policies/package.json"));
    expect(pkg.workspaces).toContain("policies");
    expect(pack.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(pack.dependencies)).toEqual(expect.arrayContaining(["@pulumi/policy", "@pulumi/pulumi"]));
    expect(pack.dependencies["@pulumi/pulumi"]).toBe(pkg.dependencies["@pulumi/pulumi"]);
    expect(fs.existsSync(path.join(ROOT, "node_modules/@pulumi/policy/package.json"))).toBe(true);
  });

  it("has the top level the design names", () => {
    for (const entry of ["Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml", "package.json", "tsconfig.json", "index.ts", "stacks", "components", "policies", "tests", "tools"]) {
      expect([entry, fs.existsSync(path.join(ROOT, entry))]).toEqual([entry, true]);
    }
  });
});
