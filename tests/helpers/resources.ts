/** Assertions over recorded resources, shared by component and whole-estate tests. */
import { TAGGABLE, UNTAGGABLE, isLogicalType, readTags, tagProblems } from "../../components/tagging";
import { effectiveName } from "../../tools/plan/autoname";
import { mockState } from "../../tools/plan/mock-outputs";
import { RecordedResource } from "../../tools/plan/record";

/** `type name (field): problem` for every cost-tag problem on a taggable resource. */
export function costTagProblems(resources: readonly RecordedResource[]): string[] {
  return resources.flatMap((r) =>
    readTags(r.type, r.inputs).flatMap((found) => tagProblems(found.tags).map((p) => `${r.type} ${r.name} (${found.field}): ${p}`)),
  );
}

/** Cloud resource types in neither the taggable nor the cannot-be-tagged list. */
export function unclassifiedTypes(resources: readonly RecordedResource[]): string[] {
  const types = resources.filter((r) => !isLogicalType(r.type, r.custom)).map((r) => r.type);
  return [...new Set(types)].filter((t) => !(t in TAGGABLE) && !(t in UNTAGGABLE)).sort();
}

/** Resources below the component named `root` (by URN ancestry) whose name does not start with `${root}-`. */
export function childrenNotNamedFrom(resources: readonly RecordedResource[], root: string): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const rootResource = resources.find((r) => r.name === root && !r.custom);
  if (!rootResource) return [`no component named ${root}`];
  const isBelow = (r: RecordedResource): boolean => {
    for (let p = r.parent; p; p = byUrn.get(p)?.parent) if (p === rootResource.urn) return true;
    return false;
  };
  return resources.filter(isBelow).filter((r) => !r.name.startsWith(`${root}-`)).map((r) => `${r.type} ${r.name}`);
}

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

export function duplicateUrns(resources: readonly RecordedResource[]): string[] {
  const seen = new Set<string>();
  return resources.map((r) => r.urn).filter((u) => (seen.has(u) ? true : (seen.add(u), false)));
}

/**
 * Everything that makes components unfit to coexist or to be costed: duplicate URNs, children not named from
 * their component, cost-tag problems, unclassified types. [] when all is well.
 */
export function componentProblems(resources: readonly RecordedResource[], componentNames: readonly string[]): string[] {
  return [
    ...duplicateUrns(resources).map((u) => `duplicate URN ${u}`),
    ...componentNames.flatMap((name) => childrenNotNamedFrom(resources, name).map((c) => `${c} is not named from ${name}`)),
    ...costTagProblems(resources),
    ...unclassifiedTypes(resources).map((t) => `${t} is neither taggable nor listed as not taggable`),
  ];
}

/** The name the provider gives the resource named `name` in its cloud: the one given, else its autoname. */
export function cloudName(resources: readonly RecordedResource[], name: string): string {
  const r = resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource named ${name}`);
  const physical = effectiveName(r);
  if (physical === undefined) throw new Error(`${r.type} ${name} has no autonamed field`);
  return physical;
}

/** A Google service account's email, as GCP forms it: `<accountId>@<project>.iam.gserviceaccount.com`. */
export function serviceAccountEmail(resources: readonly RecordedResource[], name: string): string {
  const a = resources.find((x) => x.name === name && x.type === "gcp:serviceaccount/account:Account");
  if (!a) throw new Error(`no service account named ${name}`);
  return `${String(a.inputs.accountId)}@${String(a.inputs.project ?? "mock-project")}.iam.gserviceaccount.com`;
}

/** The outputs the (mock) provider gave the resource named `name`: wiring tests compare references with them. */
export function stateOf(resources: readonly RecordedResource[], name: string, region = "us-east-1"): Record<string, any> {
  const r = resources.find((x) => x.name === name && x.custom);
  if (!r) throw new Error(`no resource named ${name}`);
  return mockState(r.type, r.name, r.inputs, region, r.urn);
}

export const arnOf = (resources: readonly RecordedResource[], name: string, region = "us-east-1"): string => String(stateOf(resources, name, region).arn);
