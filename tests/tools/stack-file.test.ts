import { ConfigError, validateStack } from "../../tools/plan/plan";
import { SECRET_STAND_IN, StackFileError, listStacks, readStackConfig } from "../../tools/plan/stack-file";
import { ROOT } from "../helpers/estate";
import { projectWithStacks, stagingWithExistingCluster } from "../helpers/project-dir";

describe("reading a stack file as the CLI hands it to the program", () => {
  it("passes scalars as strings and objects as JSON under their full keys", () => {
    const stack = readStackConfig(ROOT, "staging");
    expect(stack.project).toBe("core-unit-estate");
    expect(stack.config["core-unit-estate:environment"]).toBe("staging");
    expect(JSON.parse(stack.config["core-unit-estate:aws"])).toEqual({ region: "us-east-1" });
    expect(stack.substitutedSecrets).toEqual([]);
  });

  it("replaces each secret with a placeholder and says where", () => {
    const dir = projectWithStacks({ lab: stagingWithExistingCluster() });
    const stack = readStackConfig(dir, "lab");
    expect(stack.substitutedSecrets).toEqual(["core-unit-estate:kubeconfigs.onprem", "core-unit-estate:onCallWebhookUrl"]);
    expect(stack.secretKeys).toEqual(["core-unit-estate:kubeconfigs", "core-unit-estate:onCallWebhookUrl"]);
    expect(JSON.parse(stack.config["core-unit-estate:kubeconfigs"])).toEqual({ onprem: SECRET_STAND_IN });
    expect(stack.config["core-unit-estate:onCallWebhookUrl"]).toBe(SECRET_STAND_IN);
    expect(JSON.stringify(stack)).not.toMatch(/BBBBBBBB|EEEEEEEE/);
  });

  it("applies the project's declared defaults and the project namespace to bare keys", () => {
    const dir = projectWithStacks({ bare: { config: { owner: "techops" } } });
    expect(readStackConfig(dir, "bare").config).toMatchObject({ "core-unit-estate:owner": "techops" });
  });

  it("names the stacks that exist when asked for one that does not", () => {
    expect(listStacks(ROOT)).toEqual(["prod", "staging"]);
    expect(() => readStackConfig(ROOT, "production")).toThrow(new StackFileError("no stack file Pulumi.production.yaml; the stacks of this project are: prod, staging"));
  });

  it("refuses stack names that would leave the project directory", () => {
    expect(() => readStackConfig(ROOT, "../prod")).toThrow(/is not a stack name/);
  });

  it.each([
    ["broken YAML", "config: [unclosed", /Pulumi\.bad\.yaml is not valid YAML/],
    ["a list", "- a\n- b\n", /must be a map with a config: section/],
    ["config as a list", "config: [1, 2]\n", /config must be a map of key: value/],
  ])("explains %s", (_what, content, message) => {
    expect(() => readStackConfig(projectWithStacks({ bad: content }), "bad")).toThrow(message);
  });
});

describe("secrets the stack file must hold encrypted", () => {
  it("refuses a kubeconfig in plain text, even beside an encrypted one", () => {
    const lab = stagingWithExistingCluster() as { config: Record<string, any> };
    lab.config["core-unit-estate:clusters"].byo = { kind: "existing", namespaces: { poc: { budgetLine: "rnd-poc" } } };
    lab.config["core-unit-estate:kubeconfigs"].byo = "apiVersion: v1\nusers: [{ name: admin, user: { token: abc } }]";
    const stack = readStackConfig(projectWithStacks({ lab }), "lab");
    expect(() => validateStack(stack, new Date("2026-11-22T10:00:00Z"))).toThrow(
      new ConfigError(`Stack configuration has 1 problem:\n  - core-unit-estate:kubeconfigs.byo: got "[not shown]"; allowed: a secret: pulumi config set --secret --path 'kubeconfigs.byo' "$(cat kubeconfig.yaml)" (a kubeconfig carries the cluster's credentials; remove the plain text from the stack file)`),
    );
    delete lab.config["core-unit-estate:clusters"].byo;
    delete lab.config["core-unit-estate:kubeconfigs"].byo;
    expect(validateStack(readStackConfig(projectWithStacks({ lab }), "lab"), new Date("2026-11-22T10:00:00Z")).clusters.map((c) => c.name)).toContain("onprem");
  });
});
