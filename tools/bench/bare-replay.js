/**
 * The benchmark's reference: Pulumi's mock runtime alone, re-registering the resources of a plan JSON
 * (`node tools/bench/bare-replay.js <plan.json>`) with the SDKs' own classes (so the same class modules load), the
 * same parents and options, under the plan's mocks, and waiting for every URN. Plain Node.js with nothing
 * deferred or cached: what any Pulumi program of that estate pays at the least.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const SDKS = { aws: "@pulumi/aws", gcp: "@pulumi/gcp", kubernetes: "@pulumi/kubernetes", random: "@pulumi/random" };

/** The SDK class registering `type`, or undefined (the resource then registers as a bare CustomResource). */
function classOf(type) {
  const [pkg, mod, name] = type.split(":");
  const sdkName = SDKS[pkg === "pulumi" && mod === "providers" ? name : pkg];
  if (!sdkName) return undefined;
  const sdk = require(sdkName);
  if (pkg === "pulumi") return sdk.Provider;
  let namespace;
  if (pkg === "kubernetes") {
    const [group, version] = mod.split("/");
    namespace = sdk[group.split(".")[0]]?.[version];
  } else {
    const first = mod.split("/")[0];
    namespace = first === "index" ? sdk : sdk[first];
  }
  const cls = namespace?.[name];
  return cls?.__pulumiType === type ? cls : undefined;
}

async function main(planFile) {
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  const pulumi = require("@pulumi/pulumi");
  // The plan's own mocks (TypeScript, through the project's transpile cache).
  require("../node/ts-cache").register();
  const { mockCall, mockState } = require(path.join(__dirname, "..", "plan", "mock-outputs.ts"));
  const region = plan.resources.find((r) => r.type === "pulumi:providers:aws")?.inputs.region ?? "us-east-1";
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs, region) }),
      call: (args) => mockCall(args.token, args.inputs, region),
    },
    plan.project,
    plan.stack,
    false,
  );
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const created = new Map();
  const create = (r) => {
    if (created.has(r.urn)) return created.get(r.urn);
    const parentRecord = r.parent ? byUrn.get(r.parent) : undefined;
    const parent = parentRecord && parentRecord.type !== "pulumi:pulumi:Stack" ? create(parentRecord) : undefined;
    const opts = { parent, protect: r.protect, retainOnDelete: r.retainOnDelete };
    let resource;
    if (!r.custom) {
      resource = new pulumi.ComponentResource(r.type, r.name, {}, opts);
      resource.registerOutputs({});
    } else {
      const cls = classOf(r.type);
      // Kubernetes types of no SDK class are custom resource definitions' kinds: the SDK's CustomResource registers them.
      const fallback = r.type.startsWith("kubernetes:") ? require("@pulumi/kubernetes").apiextensions.CustomResource : undefined;
      if (cls) resource = new cls(r.name, r.inputs, opts);
      else if (fallback) resource = new fallback(r.name, r.inputs, opts);
      else resource = new pulumi.CustomResource(r.type, r.name, r.inputs, opts);
    }
    created.set(r.urn, resource);
    return resource;
  };
  await pulumi.runtime.runInPulumiStack(async () => {
    for (const r of plan.resources) if (r.type !== "pulumi:pulumi:Stack") create(r);
    await Promise.all([...created.values()].map((resource) => new Promise((resolve) => resource.urn.apply(resolve))));
  });
  await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
  return created.size;
}

main(process.argv[2]).then(
  (count) => {
    process.stderr.write(`registered ${count} resources\n`);
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`bare replay failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
