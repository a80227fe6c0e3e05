/** A throwaway project directory: this project's Pulumi.yaml plus the stack files a test writes. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { ROOT } from "./estate";

export function projectWithStacks(stacks: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "estate-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const [name, content] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), typeof content === "string" ? content : stringify(content));
  }
  return dir;
}

/** The config map of the project's staging stack, to vary in a test. */
export function stagingConfig(): Record<string, unknown> {
  return parse(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")).config;
}

/** The staging stack plus an existing cluster whose kubeconfig is an (undecryptable) secret. */
export function stagingWithExistingCluster(): Record<string, unknown> {
  const config = stagingConfig();
  const clusters = config["core-unit-estate:clusters"] as Record<string, unknown>;
  clusters.onprem = { kind: "existing", context: "lab", namespaces: { archive: { workload: "ethereum-node" } } };
  config["core-unit-estate:kubeconfigs"] = { onprem: { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBB" } };
  config["core-unit-estate:onCallWebhookUrl"] = { secure: "v1:DDDDDDDDDDDDDDDD:EEEEEEEEEEEEEEEEEEEEEEEEEEEE" };
  return { encryptionsalt: "v1:AAAAAAAAAAA=:v1:BBBBBBBBBBBBBBBB:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", config };
}
