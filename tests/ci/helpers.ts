/**
 * Reading the GitHub Actions workflows as GitHub does (YAML, matrix legs, `${{ }}` expressions), and running their
 * scripts here: `run:` steps under bash as the runner does (`bash -e -o pipefail`), `actions/github-script` scripts
 * as an async function of (require, github, context, core), with fakes for GitHub's API.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "../..");
export const WORKFLOWS_DIR = path.join(ROOT, ".github/workflows");

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean | string;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  "runs-on": string;
  environment?: string | { name: string; url?: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  permissions?: Record<string, string> | string;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> & { include?: Record<string, unknown>[] } };
  env?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function workflowFiles(): string[] {
  return fs
    .readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function workflowText(file: string): string {
  return fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
}

export function loadWorkflow(file: string): Workflow {
  return parse(workflowText(file)) as Workflow;
}

/** Every string anywhere in a value (keys excluded). */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** The bodies of the `${{ ... }}` expressions in a text. */
export function expressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1].trim());
}

/** Names used as `<context>.NAME` (vars, secrets) in a text's expressions. */
export function contextNames(text: string, context: "vars" | "secrets"): string[] {
  const re = new RegExp(`\\b${context}\\.([A-Za-z_][A-Za-z0-9_]*)`, "g");
  return [...new Set(expressions(text).flatMap((e) => [...e.matchAll(re)].map((m) => m[1])))].sort();
}

/** The action a step uses, without its version: "pulumi/actions". */
export function action(step: Step): string | undefined {
  return step.uses?.split("@")[0];
}

export function stepsUsing(job: Job, name: string): Step[] {
  return job.steps.filter((s) => action(s) === name);
}

export function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

export function environmentOf(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

export function concurrencyOf(c: Workflow["concurrency"]): { group: string; cancel: boolean } | undefined {
  if (c === undefined) return undefined;
  if (typeof c === "string") return { group: c, cancel: false };
  return { group: c.group, cancel: String(c["cancel-in-progress"] ?? false) === "true" };
}

export type Leg = Record<string, unknown>;

/**
 * The legs GitHub runs for a job's matrix: the product of its lists, each extended by the `include` entries that
 * match it without overwriting any of its values (entries matching none become legs of their own). One empty leg
 * for a job without a matrix.
 */
export function matrixLegs(job: Job): Leg[] {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [{}];
  const { include = [], exclude, ...lists } = matrix as Record<string, unknown> & { include?: Leg[]; exclude?: unknown };
  if (exclude !== undefined) throw new Error("matrixLegs does not handle exclude");
  let legs: Leg[] = [{}];
  for (const [key, values] of Object.entries(lists)) {
    legs = legs.flatMap((leg) => (values as unknown[]).map((v) => ({ ...leg, [key]: v })));
  }
  const originalKeys = Object.keys(lists);
  for (const entry of include) {
    const matching = legs.filter((leg) => originalKeys.every((k) => !(k in entry) || entry[k] === leg[k]));
    if (matching.length === 0) legs.push({ ...entry });
    for (const leg of matching) Object.assign(leg, entry);
  }
  return legs;
}

/** A value with `${{ matrix.KEY }}` replaced by the leg's value (the value itself when it is the whole string). */
export function resolveMatrix(value: unknown, leg: Leg): unknown {
  if (typeof value !== "string") return value;
  const whole = value.match(/^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/);
  if (whole && whole[1] in leg) return leg[whole[1]];
  return value.replace(/\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g, (m, key: string) => (key in leg ? String(leg[key]) : m));
}

/** A step's `with:` inputs for a matrix leg, every value as the string GitHub passes to the action. */
export function inputs(step: Step, leg: Leg = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(resolveMatrix(v, leg))]));
}

/** The environment a step sees: workflow env, then job env, then step env. */
export function envOf(workflow: Workflow, job: Job, step: Step): Record<string, string> {
  return { ...(workflow.env ?? {}), ...(job.env ?? {}), ...(step.env ?? {}) };
}

export function findStep(job: Job, predicate: (s: Step) => boolean, what: string): Step {
  const step = job.steps.find(predicate);
  if (!step) throw new Error(`no step ${what} in job ${job.name ?? "?"}`);
  return step;
}

export function stepNamed(job: Job, name: string): Step {
  return findStep(job, (s) => s.name === name, `named "${name}"`);
}

/** Runs a `run:` script as the runner does on Linux: bash, errexit and pipefail. */
export function runBash(script: string, opts: { cwd: string; env: Record<string, string> }): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...opts.env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What actions/github-script gives a script, faked: the context of a run and a core that records what it is told. */
export interface FakeCore {
  outputs: Record<string, string>;
  summaries: string[];
  infos: string[];
  warnings: string[];
  setOutput(name: string, value: unknown): void;
  info(msg: string): void;
  warning(msg: string): void;
  setFailed(msg: string): void;
  summary: { addRaw(text: string): { write(): Promise<void> } };
}

export function fakeCore(): FakeCore {
  const core: FakeCore = {
    outputs: {},
    summaries: [],
    infos: [],
    warnings: [],
    setOutput: (name, value) => {
      core.outputs[name] = String(value);
    },
    info: (msg) => core.infos.push(msg),
    warning: (msg) => core.warnings.push(msg),
    setFailed: (msg) => {
      throw new Error(`setFailed: ${msg}`);
    },
    summary: {
      addRaw: (text) => ({
        write: async () => {
          core.summaries.push(text);
        },
      }),
    },
  };
  return core;
}

export function fakeContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    serverUrl: "https://github.com",
    repo: { owner: "techops", repo: "core-unit-estate" },
    runId: 4242,
    sha: "0123456789abcdef0123456789abcdef01234567",
    payload: {},
    ...extra,
  };
}

/** Runs an actions/github-script script the way the action does: the body of an async function of its globals. */
export async function runGithubScript(
  script: string,
  globals: { github: unknown; context: unknown; core: FakeCore; env: Record<string, string> },
): Promise<unknown> {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(globals.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const fn = new AsyncFunction("require", "github", "context", "core", script);
    return await fn(require, globals.github, globals.context, globals.core);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
