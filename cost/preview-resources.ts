/**
 * A preview's resources on one side of the change, in the shape the offline plan records them: `before` from each
 * step's oldState, `after` from its newState (STEP_OPS says which steps have which). Two views of each resource:
 * - for pricing and budget lines, the tags that land on the bill: provider default tags and labels (AWS `tagsAll`,
 *   GCP `terraformLabels`/`effectiveLabels`) and the outputs' tags under the resource's own, and no value left
 *   unknown (the engine's placeholder would read as a budget line);
 * - for the policy pack, the inputs as the engine hands them to it, unknowns and all.
 */
import { TAGGABLE } from "../components/tagging";
import type { PolicyTarget } from "../policies/lib/runner";
import type { RecordedResource } from "../tools/plan/record";
import { PreviewDigest, PreviewState, STEP_OPS, UNKNOWN_VALUE, parseUrn } from "./preview";
import { asObject } from "./read";

export type PreviewSide = "before" | "after";

/** Where a provider's default tags show up on a resource: outputs that hold every tag, for a top-level tag map. */
const EFFECTIVE_TAGS: Readonly<Record<string, { readonly paths: readonly string[]; readonly outputs: readonly string[] }>> = {
  aws: { paths: ["tags"], outputs: ["tagsAll"] },
  gcp: { paths: ["labels", "resourceLabels"], outputs: ["effectiveLabels", "terraformLabels"] },
};

function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, part) => asObject(v)?.[part], value);
}

function withAt(value: Record<string, unknown>, path: string, leaf: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split(".");
  return { ...value, [head]: rest.length === 0 ? leaf : withAt({ ...(asObject(value[head]) ?? {}) }, rest.join("."), leaf) };
}

/** `value` without the engine's unknown placeholders (object keys dropped, list items removed). */
export function withoutUnknowns(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== UNKNOWN_VALUE).map(withoutUnknowns);
  const obj = asObject(value);
  if (!obj) return value;
  return Object.fromEntries(Object.entries(obj).flatMap(([k, v]) => (v === UNKNOWN_VALUE ? [] : [[k, withoutUnknowns(v)]])));
}

/** The inputs with each tag map completed from the outputs: provider default tags first, the resource's own last. */
export function billedTags(state: PreviewState): Record<string, unknown> {
  let inputs = (withoutUnknowns(state.inputs ?? {}) as Record<string, unknown>) ?? {};
  const outputs = (withoutUnknowns(state.outputs ?? {}) as Record<string, unknown>) ?? {};
  const effective = EFFECTIVE_TAGS[state.type.split(":")[0]];
  for (const location of TAGGABLE[state.type] ?? []) {
    if (location.kind !== "map") continue;
    const defaults = effective?.paths.includes(location.path) ? effective.outputs.map((key) => asObject(outputs[key]) ?? {}) : [];
    const merged = Object.assign({}, ...defaults, asObject(at(outputs, location.path)) ?? {}, asObject(at(inputs, location.path)) ?? {}) as Record<string, unknown>;
    if (Object.keys(merged).length > 0) inputs = withAt(inputs, location.path, merged);
  }
  return inputs;
}

function isComponentType(type: string): boolean {
  return type.startsWith("estate:") || type === "pulumi:pulumi:Stack";
}

function recorded(state: PreviewState, inputs: Record<string, unknown>): RecordedResource {
  const custom = state.custom ?? !isComponentType(state.type);
  return {
    urn: state.urn,
    type: state.type,
    name: parseUrn(state.urn)?.name ?? state.urn,
    parent: state.parent || undefined,
    custom,
    provider: state.provider || undefined,
    protect: state.protect === true,
    retainOnDelete: state.retainOnDelete === true,
    dependencies: state.dependencies ?? [],
    inputs,
    // A component's registered outputs carry its costTags; a custom resource's outputs are the cloud's.
    outputs: custom ? {} : ((withoutUnknowns(state.outputs ?? {}) as Record<string, unknown>) ?? {}),
  };
}

/** The states of `side`, one per URN (a replacement's create-replacement, replace and delete-replaced name one resource). */
export function previewStates(digest: PreviewDigest, side: PreviewSide): PreviewState[] {
  const byUrn = new Map<string, PreviewState>();
  for (const step of digest.steps) {
    const op = STEP_OPS[step.op];
    const state = side === "before" ? step.oldState : step.newState;
    if (!op || op.external || !(side === "before" ? op.before : op.after) || !state || state.external === true) continue;
    if (!byUrn.has(step.urn)) byUrn.set(step.urn, { ...state, urn: step.urn, provider: state.provider ?? step.provider });
  }
  return [...byUrn.values()];
}

/** The side's resources: `priced` for the estimator and budget lines, `judged` for the policy pack. */
export function previewResources(digest: PreviewDigest, side: PreviewSide): { priced: RecordedResource[]; judged: PolicyTarget[] } {
  const states = previewStates(digest, side);
  return {
    priced: states.map((s) => recorded(s, billedTags(s))),
    judged: states.map((s) => recorded(s, s.inputs ?? {})),
  };
}
