/**
 * Runs the pack's policies over a list of resources the way the policy server does for `pulumi preview`, without
 * starting it: each validation gets faithful args (props behind the SDK's unknown-checking proxy, getConfig,
 * notApplicable, isType/asType), `notApplicable` is caught per validation function, an unknown value turns a
 * violation into "can't run during preview" at advisory level, and disabled policies do not run.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { ReconciledConfig, reconcilePackConfig } from "./pack-config";
import { isUnknownValueError, unknownCheckingProxy } from "./unknowns";

/** A resource as the offline plan records it. */
export interface PolicyTarget {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly parent?: string | null;
  readonly protect?: boolean;
  readonly dependencies?: readonly string[];
  /** The provider's reference as the engine registers it: `<provider urn>::<id>`. */
  readonly provider?: string | null;
  /** false for components (and the stack); the policy server hands stack policies their registered outputs. */
  readonly custom?: boolean;
  /** A component's registered outputs (its `costTags`). */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

export interface StackContext {
  /** The stack's tags (`pulumi:project`, ...), as the engine passes them to the pack. */
  readonly stackTags?: Readonly<Record<string, string>>;
}

export interface PolicyViolation {
  policy: string;
  enforcementLevel: "mandatory" | "advisory";
  /** The resource's URN; a stack-wide violation names the stack's URN. */
  urn: string;
  message: string;
}

/** A policy that declared itself not applicable to a resource (or to the stack), with its reason. */
export interface NotApplicable {
  policy: string;
  urn: string;
  reason: string;
}

export interface Evaluation {
  violations: PolicyViolation[];
  notApplicable: NotApplicable[];
}

class NotApplicableError extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason ?? "Policy does not apply");
};

/** Matches a resource class by its `__pulumiType`, else by its `isInstance`, as the server does. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: unknown; isInstance?: unknown };
  if (typeof cls?.__pulumiType === "string" && cls.__pulumiType !== "") return cls.__pulumiType === type;
  return typeof cls?.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: PolicyTarget): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: r.protect === true,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  if (r.parent) opts.parent = r.parent;
  return opts;
}

/**
 * A fresh copy per validation, as the server deserializes one per call: undefined properties dropped, objects of this
 * realm (the SDK's proxy wraps only `instanceof Object`).
 */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      // Defined, not assigned: a `__proto__` key stays a property.
      if (key === "__proto__") Object.defineProperty(out, key, { value: copy(v), enumerable: true, writable: true, configurable: true });
      else out[key] = copy(v);
    }
    return out;
  }
  return value;
}

const propsOf = (r: PolicyTarget): Record<string, unknown> => unknownCheckingProxy(copy(r.inputs) as Record<string, unknown>);

/** `propsOf(r)`, made when a validation first reads it: most policies look at a resource's type alone. */
function lazyProps(r: PolicyTarget): () => Record<string, unknown> {
  let props: Record<string, unknown> | undefined;
  return () => (props ??= propsOf(r));
}

function typeChecks(type: string, props: () => Record<string, unknown>) {
  return {
    isType: ((resourceClass: unknown) => isTypeOf(type, resourceClass)) as ResourceValidationArgs["isType"],
    asType: ((resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props() : undefined)) as ResourceValidationArgs["asType"],
  };
}

/** Runs one validation; not applicable and unknown values end it with their reason, any other error fails the run. */
async function attempt(policy: string, on: string, validate: () => unknown, onNotApplicable: (reason: string) => void, onUnknown: (reason: string) => void): Promise<void> {
  try {
    await validate();
  } catch (err) {
    if (err instanceof NotApplicableError) return onNotApplicable(err.message);
    if (isUnknownValueError(err)) return onUnknown(err.message);
    throw new Error(`policy ${policy} failed on ${on}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function levelOf(config: ReconciledConfig, policy: string): "mandatory" | "advisory" | "disabled" {
  const level: EnforcementLevel = config.get(policy)?.enforcementLevel ?? "advisory";
  return level === "remediate" ? "mandatory" : level;
}

interface Runnable {
  readonly policy: Policies[number];
  readonly level: "mandatory" | "advisory";
  readonly getConfig: <T extends object>() => T;
}

export async function applyPolicies(policies: Policies, resources: readonly PolicyTarget[], context: StackContext, rawConfig: unknown): Promise<PolicyViolation[]> {
  return (await evaluatePolicies(policies, resources, context, rawConfig)).violations;
}

/** applyPolicies, also saying which policies did not apply where, and why. */
export async function evaluatePolicies(policies: Policies, resources: readonly PolicyTarget[], context: StackContext, rawConfig: unknown): Promise<Evaluation> {
  const config = reconcilePackConfig(policies, rawConfig);
  const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(context.stackTags ?? {}));
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const enabled = policies.flatMap((policy): Runnable[] => {
    const level = levelOf(config, policy.name);
    const getConfig = <T extends object>(): T => copy(config.get(policy.name)?.properties ?? {}) as T;
    return level === "disabled" ? [] : [{ policy, level, getConfig }];
  });
  const violations: PolicyViolation[] = [];
  const notApplicableTo: NotApplicable[] = [];
  const skip = ({ policy }: Runnable, urn: string) => (reason: string) => notApplicableTo.push({ policy: policy.name, urn, reason });
  const report = ({ policy, level }: Runnable, urn: string) => (message: string) => violations.push({ policy: policy.name, enforcementLevel: level, urn, message });
  const cantRun = ({ policy }: Runnable, urn: string) => (reason: string) =>
    violations.push({ policy: policy.name, enforcementLevel: "advisory", urn, message: `can't run policy '${policy.name}' during preview: ${reason}` });

  // As the engine does: each resource as it is registered, then the whole stack.
  const findProvider = providerFinder(resources);
  for (const r of resources) {
    const provider = findProvider(r);
    for (const run of enabled) {
      const validateResource = (run.policy as ResourceValidationPolicy).validateResource;
      for (const validation of validateResource === undefined ? [] : Array.isArray(validateResource) ? validateResource : [validateResource]) {
        const props = lazyProps(r);
        const args = {
          type: r.type,
          get props() {
            return props();
          },
          urn: r.urn,
          name: r.name,
          opts: optionsOf(r),
          ...(provider ? { provider: provider() } : {}),
          stackTags,
          ...typeChecks(r.type, props),
          getConfig: run.getConfig,
          notApplicable,
        } as ResourceValidationArgs;
        await attempt(run.policy.name, r.urn, () => validation(args, report(run, r.urn)), skip(run, r.urn), cantRun(run, r.urn));
      }
    }
  }
  for (const run of enabled) {
    const validateStack = (run.policy as StackValidationPolicy).validateStack;
    if (typeof validateStack !== "function") continue;
    const args: StackValidationArgs = { resources: stackResources(resources), stackTags, getConfig: run.getConfig, notApplicable };
    const validate = () => validateStack(args, (message, urn) => report(run, urn ?? stackUrn)(message));
    await attempt(run.policy.name, "the stack", validate, skip(run, stackUrn), cantRun(run, stackUrn));
  }
  return { violations, notApplicable: notApplicableTo };
}

/** The URN's last type and its name (`<type>::<name>`); undefined for a URN not of the four `::` parts. */
function tailOf(urn: string): string | undefined {
  const parts = urn.split("::");
  return parts.length === 4 ? `${parts[2].split("$").pop()}::${parts[3]}` : undefined;
}

/**
 * For each resource, the provider it names as the server describes it (type, props, urn, name), a fresh one per
 * call; undefined for none. The lookups are maps built once over `resources`.
 */
function providerFinder(resources: readonly PolicyTarget[]): (r: PolicyTarget) => (() => PolicyProviderResource) | undefined {
  const byUrn = new Map(resources.map((p) => [p.urn, p]));
  // The reference may spell the provider's parent chain differently (the SDK's mocks do): match type and name then.
  const tails = [...byUrn.values()].map((p) => tailOf(p.urn));
  const indexed = tails.every((t) => t !== undefined);
  const byTail = new Map<string, PolicyTarget>();
  if (indexed) [...byUrn.values()].forEach((p, i) => byTail.has(tails[i]!) || byTail.set(tails[i]!, p));
  const findByTail = (tail: string) => (indexed ? byTail.get(tail) : [...byUrn.values()].find((p) => p.urn.endsWith(`$${tail}`) || p.urn.endsWith(`::${tail}`)));
  return (r) => {
    if (!r.provider) return undefined;
    // `<urn>::<id>`: urn:pulumi:<stack>::<project>::<type>::<name>, then the id.
    const urn = r.provider.split("::").slice(0, 4).join("::");
    const [, , type, name] = urn.split("::");
    const provider = byUrn.get(urn) ?? findByTail(`${type?.split("$").pop()}::${name}`);
    if (provider) {
      return () => {
        const props = lazyProps(provider);
        return {
          type: provider.type,
          get props() {
            return props();
          },
          urn: provider.urn,
          name: provider.name,
        };
      };
    }
    return () => ({ type: urn.split("::")[2]?.split("$").pop() ?? "", props: {}, urn, name: urn.split("::")[3] ?? "" });
  };
}

function stackResources(resources: readonly PolicyTarget[]): PolicyResource[] {
  const findProvider = providerFinder(resources);
  const built = resources.map((r): PolicyResource => {
    // A component's registered outputs are among its properties, as the engine's state holds them.
    const props = r.custom === false && r.outputs ? unknownCheckingProxy(copy({ ...r.inputs, ...r.outputs }) as Record<string, unknown>) : propsOf(r);
    const provider = findProvider(r)?.();
    return { type: r.type, props, urn: r.urn, name: r.name, opts: optionsOf(r), ...(provider ? { provider } : {}), dependencies: [], propertyDependencies: {}, ...typeChecks(r.type, () => props) } as PolicyResource;
  });
  const byUrn = new Map(built.map((r) => [r.urn, r]));
  resources.forEach((r, i) => {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) built[i].parent = parent;
    built[i].dependencies = (r.dependencies ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
  });
  return built;
}
