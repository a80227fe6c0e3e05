/**
 * Reads the JSON `pulumi preview --json` writes (the engine's preview digest: `config`, `steps`, `changeSummary`,
 * `diagnostics`) and checks it before anything trusts it: every step's op, URN and states, and that it is a preview
 * of this project and stack. Each step names the resource's state before the change (`oldState`) and after it
 * (`newState`), in the shape of a stack's state file (`urn`, `type`, `custom`, `inputs`, `outputs`, `parent`, ...).
 */
import { InputFileError } from "./errors";
import { readJsonFile } from "./input-json";

export interface PreviewState {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly parent?: string;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
  readonly external?: boolean;
  readonly dependencies?: string[];
  readonly provider?: string;
}

export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly provider?: string;
  readonly oldState?: PreviewState;
  readonly newState?: PreviewState;
}

export interface PreviewDigest {
  readonly config?: Record<string, string>;
  readonly steps: PreviewStep[];
  readonly diagnostics?: { readonly urn?: string; readonly message?: string; readonly severity?: string }[];
  readonly changeSummary?: Record<string, number>;
}

/**
 * What each step op says about the resource: whether it exists before the change (its `oldState`) and after it
 * (its `newState`). `external`: a resource the program reads (`get`), owned and paid for elsewhere. From the
 * engine's step ops (pulumi/pulumi, pkg/resource/deploy/step.go, read 2026-12).
 */
export const STEP_OPS: Readonly<Record<string, { readonly before: boolean; readonly after: boolean; readonly external?: true }>> = {
  same: { before: true, after: true },
  create: { before: false, after: true },
  update: { before: true, after: true },
  delete: { before: true, after: false },
  replace: { before: true, after: true },
  "create-replacement": { before: false, after: true },
  "delete-replaced": { before: true, after: false },
  refresh: { before: true, after: true },
  diff: { before: true, after: true },
  import: { before: false, after: true },
  "import-replacement": { before: true, after: true },
  // A pending replacement already deleted: only its record leaves the state.
  "remove-pending-replace": { before: false, after: false },
  read: { before: false, after: false, external: true },
  "read-replacement": { before: false, after: false, external: true },
  discard: { before: false, after: false, external: true },
  "discard-replaced": { before: false, after: false, external: true },
};

/** The engine's placeholder for a value not known until deployment, as a preview serializes it. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, split; undefined when it is not one. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.*)$/s.exec(urn);
  if (!match) return undefined;
  return { stack: match[1], project: match[2], type: match[3].split("$").pop()!, name: match[4] };
}

/** A JSON value that looks like a preview digest rather than a plan (it has `steps`, not `resources`). */
export function isPreviewDigest(value: unknown): boolean {
  return isObject(value) && Array.isArray(value.steps) && !("resources" in value);
}

function stateProblems(state: unknown, at: string, urn: string): string[] {
  if (!isObject(state)) return [`${at}: expected an object (the resource's state)`];
  const problems: string[] = [];
  if (typeof state.type !== "string" || state.type === "") problems.push(`${at}.type: expected the resource's type token`);
  if (state.urn !== undefined && state.urn !== urn) problems.push(`${at}.urn: ${JSON.stringify(state.urn)} is not the step's urn`);
  for (const key of ["inputs", "outputs"] as const) if (state[key] !== undefined && !isObject(state[key])) problems.push(`${at}.${key}: expected an object`);
  if (state.custom !== undefined && typeof state.custom !== "boolean") problems.push(`${at}.custom: expected true or false`);
  if (state.dependencies !== undefined && !(Array.isArray(state.dependencies) && state.dependencies.every((d) => typeof d === "string"))) problems.push(`${at}.dependencies: expected a list of URNs`);
  for (const key of ["parent", "provider"] as const) if (state[key] !== undefined && typeof state[key] !== "string") problems.push(`${at}.${key}: expected a string`);
  return problems;
}

/** Every problem of step `i`, each prefixed with the step and its URN; empty when the step is usable. */
function stepProblems(step: unknown, i: number, expect: { project: string; stack: string }): string[] {
  if (!isObject(step)) return [`steps[${i}]: expected an object with op and urn`];
  const urn = typeof step.urn === "string" ? step.urn : undefined;
  const label = `steps[${i}]${urn ? ` (${urn})` : ""}`;
  if (!urn) return [`${label}: urn: expected the resource's URN`];
  const parsed = parseUrn(urn);
  if (!parsed) return [`${label}: urn: not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`];
  if (parsed.project !== expect.project) return [`${label}: a resource of project ${parsed.project}, not ${expect.project}: this is another project's preview`];
  if (parsed.stack !== expect.stack) return [`${label}: a resource of stack ${parsed.stack}, not ${expect.stack}: run with --stack ${parsed.stack}, or preview stack ${expect.stack}`];
  if (typeof step.op !== "string") return [`${label}: op: expected a step op (${Object.keys(STEP_OPS).join(", ")})`];
  const op = STEP_OPS[step.op];
  if (!op) return [`${label}: op ${JSON.stringify(step.op)} is not a step op this command knows (${Object.keys(STEP_OPS).join(", ")})`];
  const problems: string[] = [];
  if (op.before && step.oldState === undefined) problems.push(`oldState: a ${step.op} step needs the state before the change`);
  if (op.after && step.newState === undefined) problems.push(`newState: a ${step.op} step needs the state after the change`);
  for (const key of ["oldState", "newState"] as const) if (step[key] !== undefined) problems.push(...stateProblems(step[key], key, urn));
  return problems.map((p) => `${label}: ${p}`);
}

/** Every problem that keeps `value` from being a preview of `expect`'s stack; empty when it is one. */
export function previewProblems(value: unknown, expect: { project: string; stack: string }, max = 5): string[] {
  if (!isObject(value)) return [`the top level is ${Array.isArray(value) ? "an array" : typeof value}, not a preview object`];
  if (Array.isArray(value.resources) && value.steps === undefined) return ["a plan written by `npm run plan -- --format json`, not a preview: pass it to --compare"];
  if (!Array.isArray(value.steps)) return ["steps: expected the list of the preview's steps"];
  if (value.config !== undefined && !isObject(value.config)) return ["config: expected a map of config keys to values"];
  // A preview that failed still writes its digest, with the steps it got to: pricing it would leave out the rest.
  const errors = (Array.isArray(value.diagnostics) ? value.diagnostics : []).filter((d) => isObject(d) && d.severity === "error");
  if (errors.length > 0) {
    const first = errors[0] as Record<string, unknown>;
    return [`diagnostics: the preview failed (${errors.length} error${errors.length === 1 ? "" : "s"}; first${typeof first.urn === "string" ? ` on ${first.urn}` : ""}: ${String(first.message ?? "").trim()}), so its steps are incomplete: fix it and preview again`];
  }
  const failed: string[] = [];
  for (const [i, step] of value.steps.entries()) {
    const problems = stepProblems(step, i, expect);
    failed.push(...problems);
    // One step of another stack or project makes the whole file the wrong one: say it once.
    if (problems.some((p) => p.includes("this is another project's preview") || p.includes(", or preview stack "))) return problems;
  }
  return failed.length > max ? [...failed.slice(0, max), `… and ${failed.length - max} more`] : failed;
}

/** Checks `value`, read from `file`, as a preview of the stack; an InputFileError names the file and each bad step. */
export function checkedPreview(value: unknown, file: string, expect: { project: string; stack: string }, what = "--from-preview"): PreviewDigest {
  const problems = previewProblems(value, expect);
  if (problems.length > 0) {
    throw new InputFileError(`${what} ${file}: not a preview of stack ${expect.stack} written by \`pulumi preview --json\`:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return value as PreviewDigest;
}

export function readPreviewFile(file: string, expect: { project: string; stack: string }, what = "--from-preview"): PreviewDigest {
  return checkedPreview(readJsonFile(file, what, `the output of \`pulumi preview --json\` for stack ${expect.stack}`), file, expect, what);
}
