/**
 * Kubernetes objects of a plan checked against the Kubernetes OpenAPI schema, as the npm packages kubernetes-models
 * (the built-in kinds) and @kubernetes-models/gke (GKE's custom resources) carry it: types, required fields, enums.
 *
 * kubernetes-models 4.5.1 is generated from Kubernetes 1.33.0. No release carries 1.35, the version the stacks' EKS
 * clusters pin; 5.x carries 1.36, needs Node.js 22 and is ESM-only. An older schema errs the safe way: the schema
 * has no unknown-field check, so what differs is required fields and enums, and a 1.34 or 1.35 enum value would be
 * refused here rather than a 1.36 one accepted.
 */
import type { PlannedResource } from "../../tools/plan/plan";

export const SCHEMA_PACKAGE = { name: "kubernetes-models", version: "4.5.1", kubernetes: "1.33.0" } as const;

/** Kinds in the plans with no schema to check, each with the reason. */
export const WITHOUT_SCHEMA: Readonly<Record<string, string>> = {
  "kubernetes:helm.sh/v3:Release": "a Pulumi resource, not an API object: Helm renders the chart's objects in the cluster",
  "kubernetes:monitoring.googleapis.com/v1:ClusterPodMonitoring": "a CRD of GKE's Managed Service for Prometheus; no npm package carries its schema",
  "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass": "a CRD of the CSI external-snapshotter; no npm package carries its schema",
};

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** The modules that may hold the model of `kubernetes:<group>/<version>:<Kind>`. */
function modulesFor(type: string): { kind: string; modules: string[] } {
  const [, groupVersion, kind] = type.split(":");
  const [group, version] = groupVersion.split("/");
  if (group === "core") return { kind, modules: [`kubernetes-models/${version}/${kind}`] };
  return { kind, modules: [`kubernetes-models/${group}/${version}/${kind}`, `@kubernetes-models/gke/${group}/${version}/${kind}`] };
}

export function modelFor(type: string): ModelClass | undefined {
  const { kind, modules } = modulesFor(type);
  for (const module of modules) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require(module) as Record<string, ModelClass>)[kind];
    } catch (err) {
      if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
    }
  }
  return undefined;
}

interface SchemaError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Each problem as `<type> <name>: <path> <message>`; [] where the object is valid. */
export function schemaProblems(r: Pick<PlannedResource, "type" | "name" | "inputs">): string[] {
  if (r.type in WITHOUT_SCHEMA) return [];
  const Model = modelFor(r.type);
  if (!Model) return [`${r.type} ${r.name}: no schema in ${SCHEMA_PACKAGE.name} or @kubernetes-models/gke, and not listed as without one`];
  try {
    new Model(r.inputs).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: SchemaError[] }).errors;
    if (!errors) throw err;
    return errors.map((e) => `${r.type} ${r.name}: ${e.instancePath || "/"} ${e.message ?? "invalid"}${e.params?.allowedValues ? ` (${(e.params.allowedValues as string[]).join(", ")})` : ""}`);
  }
}
