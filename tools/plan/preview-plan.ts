/**
 * The plan of a stack from a real `pulumi preview --json` instead of the mock runtime: each step's state before or
 * after the change, priced with the same estimator, charged to budget lines from its tags, judged by the same pack.
 */
import { checkedPlan } from "../../cost/plan-file";
import { readJsonFile } from "../../cost/input-json";
import { checkedPreview, isPreviewDigest } from "../../cost/preview";
import { PreviewSide, previewResources } from "../../cost/preview-resources";
import { Plan, assemblePlan, validateStack } from "./plan";
import { readStackConfig } from "./stack-file";

const PREVIEW_EXPECTED = "the output of `pulumi preview --json`";

/** `value` read from `file` (default: read it now): a preview of the stack, as the stack stands on `side` of it. */
export async function buildPreviewPlan(projectDir: string, stack: string, file: string, side: PreviewSide, now: Date = new Date(), what = "--from-preview", value?: unknown): Promise<Plan> {
  const stackConfig = readStackConfig(projectDir, stack);
  const digest = checkedPreview(value ?? readJsonFile(file, what, PREVIEW_EXPECTED), file, { project: stackConfig.project, stack }, what);
  const config = validateStack(stackConfig, now);
  const plan = await assemblePlan(projectDir, stackConfig, config, previewResources(digest, side), now);
  const sameSteps = digest.steps.filter((s) => s.op === "same" && !s.urn.includes("::pulumi:pulumi:Stack::")).length;
  // The stack config lists every sandbox; the preview's plan keeps those whose resources it holds.
  const sandboxes = plan.sandboxes?.filter((s) => plan.resources.some((r) => r.workload === `sandbox-${s.name}`));
  return { ...plan, sandboxes, fromPreview: { file, side, steps: digest.steps.length, sameSteps } };
}

/** The base of `--compare`: a plan JSON, or a preview JSON as the stack stood before its change. */
export async function readBasePlan(file: string, projectDir: string, stack: string, now: Date = new Date()): Promise<Plan> {
  const value = readJsonFile(file, "--compare", "a plan written by `npm run plan -- --format json`, or the output of `pulumi preview --json`");
  return isPreviewDigest(value) ? buildPreviewPlan(projectDir, stack, file, "before", now, "--compare", value) : checkedPlan(value, file);
}
