/** Every Kubernetes object of both plans is valid against the Kubernetes OpenAPI schema (tests/helpers/kubernetes-schema.ts). */
import * as fs from "fs";
import * as path from "path";
import { checkResource } from "../../tools/plan/constraints/check";
import { Plan } from "../../tools/plan/plan";
import { ROOT, planOf } from "../helpers/estate";
import { SCHEMA_PACKAGE, WITHOUT_SCHEMA, modelFor, schemaProblems } from "../helpers/kubernetes-schema";
import { stackValues } from "../helpers/stack-config";

const STACKS = ["staging", "prod"];
const plans = new Map<string, Plan>();
beforeAll(async () => {
  for (const stack of STACKS) plans.set(stack, await planOf(stack));
});
const kubernetesObjects = (stack: string) => plans.get(stack)!.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:yaml"));

describe.each(STACKS)("stack %s: Kubernetes objects", (stack) => {
  it("are each valid against the schema, or of a kind listed as without one", () => {
    const objects = kubernetesObjects(stack);
    expect(objects.length).toBeGreaterThan(40);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it("are mostly checked: the kinds without a schema are few", () => {
    const checked = kubernetesObjects(stack).filter((r) => !(r.type in WITHOUT_SCHEMA));
    expect(checked.length / kubernetesObjects(stack).length).toBeGreaterThan(0.9);
    // GKE's own kinds are checked too, with @kubernetes-models/gke.
    expect(checked.map((r) => r.type)).toEqual(expect.arrayContaining(["kubernetes:networking.gke.io/v1:ManagedCertificate", "kubernetes:cloud.google.com/v1:BackendConfig"]));
  });
});

describe("the schema check", () => {
  const deployment = () => JSON.parse(JSON.stringify(kubernetesObjects("prod").find((r) => r.type === "kubernetes:apps/v1:Deployment")!));

  it("reports a wrong type, a missing required field and a value outside an enum, with the path", () => {
    const d = deployment();
    expect(schemaProblems(d)).toEqual([]);
    d.inputs.spec.template.spec.containers[0].ports = [{ name: "http", containerPort: "8080" }];
    d.inputs.spec.template.spec.containers[0].imagePullPolicy = "Sometimes";
    delete d.inputs.spec.selector;
    expect(schemaProblems(d)).toEqual([
      `kubernetes:apps/v1:Deployment ${d.name}: /spec must have required property selector`,
      `kubernetes:apps/v1:Deployment ${d.name}: /spec/template/spec/containers/0/imagePullPolicy must be equal to one of the allowed values (Always, IfNotPresent, Never)`,
      `kubernetes:apps/v1:Deployment ${d.name}: /spec/template/spec/containers/0/ports/0/containerPort must be integer`,
    ]);
  });

  it("leaves lengths to the constraint catalog: the schema has none, the plan's check catches a 17-character port name", () => {
    const d = deployment();
    d.inputs.spec.template.spec.containers[0].ports = [{ name: "prometheus-metric", containerPort: 9090 }];
    expect(schemaProblems(d)).toEqual([]);
    expect(checkResource({ ...d, custom: true }).map((b) => [b.field, b.length, b.limit])).toEqual([["spec.template.spec.containers[0].ports[0].name", 17, "at most 15 characters"]]);
  });

  it("checks GKE's custom resources against their own schema", () => {
    const certificate = JSON.parse(JSON.stringify(kubernetesObjects("prod").find((r) => r.type === "kubernetes:networking.gke.io/v1:ManagedCertificate")!));
    expect(schemaProblems(certificate)).toEqual([]);
    certificate.inputs.spec.domains = "api.techops.example";
    expect(schemaProblems(certificate)).toEqual([`kubernetes:networking.gke.io/v1:ManagedCertificate ${certificate.name}: /spec/domains must be array`]);
  });

  it("refuses a kind it has no schema for unless it is listed, with a reason", () => {
    expect(schemaProblems({ type: "kubernetes:example.com/v1:Widget", name: "w", inputs: {} })).toEqual([
      "kubernetes:example.com/v1:Widget w: no schema in kubernetes-models or @kubernetes-models/gke, and not listed as without one",
    ]);
    for (const [type, reason] of Object.entries(WITHOUT_SCHEMA)) {
      expect([type, modelFor(type)]).toEqual([type, undefined]);
      expect(reason.length).toBeGreaterThan(20);
      expect(STACKS.some((stack) => kubernetesObjects(stack).some((r) => r.type === type))).toBe(true);
    }
  });

  it("uses the pinned schema release, no newer than the clusters' Kubernetes and at most two minors older", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.devDependencies[SCHEMA_PACKAGE.name]).toBe(SCHEMA_PACKAGE.version);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", SCHEMA_PACKAGE.name, "package.json"), "utf8")).version).toBe(SCHEMA_PACKAGE.version);
    const minor = (version: string) => Number(version.split(".")[1]);
    const eks = STACKS.flatMap((stack) => Object.values<any>(stackValues(stack).clusters).filter((c) => c.kind === "eks").map((c) => String(c.version)));
    expect(eks.length).toBeGreaterThan(0);
    for (const version of eks) {
      const behind = minor(version) - minor(SCHEMA_PACKAGE.kubernetes);
      expect([version, behind >= 0 && behind <= 2]).toEqual([version, true]);
    }
  });
});
