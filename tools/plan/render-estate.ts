/** Runs the program index.ts runs, under the mock runtime, with the stack's config read as under `pulumi up`. */
import { buildEstate } from "../../stacks/estate";
import type { ParseOptions } from "../../stacks/config";
import { loadEstateConfig } from "../../stacks/load-config";
import { RecordedInvoke, RecordedResource, recordResources } from "./record";
import { StackConfig } from "./stack-file";

export async function renderEstate(stackConfig: StackConfig, awsRegion: string | undefined, sandboxOptions: Partial<Omit<ParseOptions, "secretKeys">> = {}): Promise<{ resources: RecordedResource[]; invokes: RecordedInvoke[] }> {
  const { resources, invokes } = await recordResources(() => buildEstate(loadEstateConfig(sandboxOptions)), {
    project: stackConfig.project,
    stack: stackConfig.stack,
    config: stackConfig.config,
    secretKeys: stackConfig.secretKeys,
    awsRegion,
  });
  return { resources, invokes };
}
