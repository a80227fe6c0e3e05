/**
 * Runs a Pulumi program under the SDK's mock runtime and records every resource it registers, with the
 * options the engine would see (parent, protect, retainOnDelete) — the offline plan's view of a deployment.
 */
import * as pulumi from "@pulumi/pulumi";
import { resourceUrn } from "./autoname";
import { mockCall, mockState } from "./mock-outputs";

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN; undefined for the stack itself. */
  readonly parent?: string;
  readonly custom: boolean;
  readonly provider?: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** URNs of the resources it depends on (parent aside), as the engine sees them. */
  readonly dependencies?: readonly string[];
  /** Input paths whose changes the engine ignores on update. */
  readonly ignoreChanges?: readonly string[];
  /** Inputs as registered; secret values are replaced by SECRET_PLACEHOLDER. */
  readonly inputs: Record<string, unknown>;
  /** A component's registered outputs (components expose their `costTags` there); {} for other resources. */
  outputs: Record<string, unknown>;
}

/** A data-source lookup (`aws.ec2.getSubnet`, `gcp.organizations.getProject`, ...) the program made. */
export interface RecordedInvoke {
  readonly token: string;
  /** As for a resource: the provider reference, undefined for the default provider. */
  readonly provider?: string;
}

export const SECRET_PLACEHOLDER = "[secret]";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

export interface RecordOptions {
  project?: string;
  stack?: string;
  /** Full config keys (`ns:key`) to string values, as the CLI passes them to a program. */
  config?: Record<string, string>;
  secretKeys?: string[];
  /** The AWS region the program deploys to, so mocked invokes answer with its zones. */
  awsRegion?: string;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getObject(): unknown;
}
type Callback = (err: unknown, resp?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): unknown }, cb: (err: unknown, resp?: unknown) => void): void;
}

/** Runs `program` as the body of a stack and returns every resource it registered, in registration order. */
export async function recordResources(
  program: () => unknown,
  options: RecordOptions = {},
): Promise<{ resources: RecordedResource[]; invokes: RecordedInvoke[]; outputs: unknown }> {
  const resources: RecordedResource[] = [];
  const invokes: RecordedInvoke[] = [];
  const region = options.awsRegion ?? "us-east-1";
  const project = options.project ?? "core-unit-estate";
  const stack = options.stack ?? "test";
  // The mocks see no parent, so no URN; the monitor below notes the URN of the registration under way.
  let registering: { type: string; name: string; urn: string } | undefined;
  const urnOf = (type: string, name: string): string =>
    registering?.type === type && registering.name === name ? registering.urn : resourceUrn(stack, project, type, name);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs, region, urnOf(args.type, args.name)) }),
      call: (args) => {
        invokes.push({ token: args.token, provider: args.provider || undefined });
        return mockCall(args.token, args.inputs, region);
      },
    },
    project,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);

  // The SDK exports no hook for the options a resource registers with; its internal monitor sees them all.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const settings: { getMonitor(): Monitor; waitForRPCs(): Promise<void> } = require("@pulumi/pulumi/runtime/settings");
  const rpc: { deserializeProperties(o: unknown, keepUnknowns?: boolean): Record<string, unknown> } = require("@pulumi/pulumi/runtime/rpc");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    // The mock monitor calls newResource before its first await, so this is the registration it answers.
    registering = { type: req.getType(), name: req.getName(), urn: resourceUrn(stack, project, req.getType(), req.getName(), req.getParent() || undefined) };
    return register(req, (err, resp) => {
      if (!err && resp) {
        resources.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() || undefined,
          custom: req.getCustom(),
          provider: req.getProvider() || undefined,
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
          dependencies: req.getDependenciesList(),
          ignoreChanges: req.getIgnorechangesList(),
          inputs: redactSecrets(rpc.deserializeProperties(req.getObject(), true)) as Record<string, unknown>,
          outputs: {},
        });
      }
      cb(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  const componentOutputs = new Map<string, Record<string, unknown>>();
  monitor.registerResourceOutputs = (req, cb) => {
    componentOutputs.set(req.getUrn(), redactSecrets(rpc.deserializeProperties(req.getOutputs(), true)) as Record<string, unknown>);
    registerOutputs(req, cb);
  };

  // The SDK records a stack trace with every promise it makes, which nothing here reads: under jest (100 frames,
  // source-mapped) they cost about a quarter of a render. The plan CLI runs with a limit of 0 already; PLAN_DEBUG keeps them.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.PLAN_DEBUG) Error.stackTraceLimit = 0;
  let outputs: unknown;
  try {
    outputs = await pulumi.runtime.runInPulumiStack(async () => program());
    await settings.waitForRPCs();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  for (const r of resources) if (!r.custom) r.outputs = componentOutputs.get(r.urn) ?? {};
  return { resources, invokes, outputs: redactSecrets(outputs) };
}
