import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { TOP_LEVEL_KEYS } from "../stacks/config";
import { listStacks } from "../tools/plan/stack-file";
import { MAX_NAME_LENGTH } from "./helpers/max-names";
import { projectFileProblems } from "./helpers/pulumi-project-rules";

const ROOT = path.resolve(__dirname, "..");
const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), "utf8");
const projectText = read("Pulumi.yaml");
const project = parse(projectText);

describe("Pulumi.yaml", () => {
  it("is a valid Pulumi project file by the rules the CLI applies", () => {
    expect(projectFileProblems(project)).toEqual([]);
    expect(project.name).toBe("core-unit-estate");
  });

  it("would be refused for what the CLI refuses", () => {
    const broken = (change: (p: any) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(project));
      change(copy);
      return projectFileProblems(copy);
    };
    expect(broken((p) => delete p.runtime)).toEqual(["runtime: a runtime name or { name, options } (required)"]);
    expect(broken((p) => (p.runtime.typescript = false))).toEqual(["runtime.typescript: no such key; known: name, options"]);
    expect(broken((p) => (p.config.budgetLines = { type: "object", description: "caps" }))).toEqual(["config.budgetLines.type: one of string, integer, boolean, array (required)"]);
    expect(broken((p) => (p.config.sandboxOwners = { type: "array" }))).toEqual(["config.sandboxOwners.items: the type of the array's items, { type } (required for an array)"]);
    expect(broken((p) => (p.config.owner.required = true))).toEqual(["config.owner.required: no such key in a declaration; known: type, items, description, secret, default"]);
    expect(broken((p) => (p.config["aws:region"] = 1.5))).toEqual(["config.aws:region: a string, an integer, a boolean or { type, items, description, secret, default }"]);
    expect(broken((p) => (p.options = { refresh: "never" }))).toEqual(["options.refresh: always"]);
    expect(broken((p) => (p.name = ""))).toEqual(["name: a non-empty string (required)"]);
  });

  it("documents every config key the program reads", () => {
    const typed = Object.keys(project.config ?? {});
    const commented = [...projectText.matchAll(/^# ([a-zA-Z, ]+) \(/gm)].flatMap((m) => m[1].split(/,\s*/));
    expect(TOP_LEVEL_KEYS.filter((k) => !typed.includes(k) && !commented.includes(k))).toEqual([]);
    for (const [key, decl] of Object.entries<{ description?: string }>(project.config)) {
      expect([key, typeof decl.description]).toEqual([key, "string"]);
    }
  });

  it("says the length cap of every name the config validator bounds", () => {
    // MAX_NAME_LENGTH is the validator's: tests/stacks/max-length-names.test.ts holds it to what the validator accepts.
    const prose = projectText.replace(/\n#\s*/g, " ");
    const missing = Object.entries(MAX_NAME_LENGTH).filter(([key, max]) => !new RegExp(`\\b${key}(?: \\([^)]*\\))?: (?:name|id) \\(1-${max} lowercase letters, digits,`).test(prose));
    expect(missing).toEqual([]);
    expect(prose).toContain("nodeGroups: name (1-24 lowercase letters, digits, '-') -> { instanceTypes");
    expect(prose).toContain("nodePools: name (1-24 lowercase letters, digits, '-') -> { machineType");
  });

  it("declares no key a stack leaves unset unless it has a default", () => {
    const required = Object.entries<{ default?: unknown }>(project.config).filter(([, d]) => d.default === undefined).map(([k]) => `core-unit-estate:${k}`);
    for (const stack of listStacks(ROOT)) {
      const keys = Object.keys(parse(read(`Pulumi.${stack}.yaml`)).config);
      expect([stack, required.filter((k) => !keys.includes(k))]).toEqual([stack, []]);
    }
  });
});

describe("self-containment", () => {
  /** Every file the project runs or ships: sources, tests, scripts, workflows, package manifests. */
  function projectFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return ["node_modules", ".git"].includes(e.name) ? [] : projectFiles(full);
      return /\.(ts|js|mjs|cjs|json|ya?ml|sh)$|^run$/.test(e.name) ? [full] : [];
    });
  }

  /** Where a `path.join|resolve(<base>, "literal", ...)` in `file` points, for bases that are folders of the checkout. */
  function joinedPaths(file: string, text: string): string[] {
    const bases: Record<string, string> = { __dirname: path.dirname(file), ROOT, PROJECT_DIR: ROOT };
    return [...text.matchAll(/path\.(?:join|resolve)\(\s*(__dirname|ROOT|PROJECT_DIR)\s*((?:,\s*"[^"]*"\s*)+)\)/g)].map((m) =>
      path.resolve(bases[m[1]], ...[...m[2].matchAll(/"([^"]*)"/g)].map((s) => s[1])),
    );
  }

  it("reads nothing outside the repository", () => {
    // This file is left out: its own samples below point outside on purpose.
    const offenders = projectFiles(ROOT).filter((f) => f !== __filename).flatMap((f) => {
      const text = fs.readFileSync(f, "utf8");
      const escapes = joinedPaths(f, text).filter((p) => p !== ROOT && !p.startsWith(`${ROOT}${path.sep}`));
      const named = [...text.matchAll(/(?:\.\.\/)+shared\/|\/work\/shared/g)].map((m) => m[0]);
      return [...escapes, ...named].map((p) => `${path.relative(ROOT, f)}: ${p}`);
    });
    expect(offenders).toEqual([]);
  });

  it("would catch a path above the checkout", () => {
    const file = path.join(ROOT, "tests/stacks/x.test.ts");
    expect(joinedPaths(file, `fs.readFileSync(path.join(__dirname, "../../..", "shared/reference/a.json"))`)).toEqual([path.resolve(ROOT, "..", "shared", "reference", "a.json")]);
    expect(joinedPaths(file, `path.resolve(__dirname, "../../components/x")`)).toEqual([path.join(ROOT, "components/x")]);
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
