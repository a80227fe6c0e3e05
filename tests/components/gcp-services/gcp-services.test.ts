import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GCP_API_BY_KIND, GcpServices, gcpApiOf } from "../../../components/gcp-services";
import { costTags } from "../../../components/tagging";
import { Plan } from "../../../tools/plan/plan";
import { recordResources } from "../../../tools/plan/record";
import { planOf } from "../../helpers/estate";

const SERVICE = "gcp:projects/service:Service";
const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "staging", workload: "gcp-services", owner: "techops" });

describe("the API catalog", () => {
  it("maps each kind of GCP resource to its API, by module or by module and resource", () => {
    expect(gcpApiOf("gcp:compute/network:Network")).toBe("compute.googleapis.com");
    expect(gcpApiOf("gcp:sql/databaseInstance:DatabaseInstance")).toBe("sqladmin.googleapis.com");
    expect(gcpApiOf("gcp:billing/budget:Budget")).toBe("billingbudgets.googleapis.com");
    expect(gcpApiOf("gcp:billing/accountIamMember:AccountIamMember")).toBeUndefined();
    expect(gcpApiOf(SERVICE)).toBeUndefined();
    expect(gcpApiOf("aws:ec2/vpc:Vpc")).toBeUndefined();
    for (const api of Object.values(GCP_API_BY_KIND)) expect(api).toMatch(/^[a-z]+\.googleapis\.com$/);
  });
});

describe("GcpServices", () => {
  it("enables an API once, on first use, never disabling it on destroy, and makes each resource depend on it", async () => {
    const { resources } = await recordResources(() => {
      const services = new GcpServices("apis", { project: "techops-estate-1", tags: TAGS });
      pulumi.runtime.registerStackTransformation(services.transformation);
      new gcp.compute.Network("net", { autoCreateSubnetworks: false });
      new gcp.compute.Address("ip", {});
      new gcp.pubsub.Topic("topic", {});
    });
    const services = resources.filter((r) => r.type === SERVICE);
    expect(services.map((s) => s.inputs)).toEqual([
      { project: "techops-estate-1", service: "compute.googleapis.com", disableOnDestroy: false, disableDependentServices: false },
      { project: "techops-estate-1", service: "pubsub.googleapis.com", disableOnDestroy: false, disableDependentServices: false },
    ]);
    const urnOf = (api: string) => services.find((s) => s.inputs.service === api)!.urn;
    const deps = (name: string) => resources.find((r) => r.name === name)!.dependencies;
    expect(deps("net")).toContain(urnOf("compute.googleapis.com"));
    expect(deps("ip")).toContain(urnOf("compute.googleapis.com"));
    expect(deps("topic")).toEqual([urnOf("pubsub.googleapis.com")]);
  });

  it("refuses a GCP resource type the catalog has no API for, naming it", async () => {
    let error: unknown;
    await recordResources(() => {
      const services = new GcpServices("apis", { project: "techops-estate-1", tags: TAGS });
      pulumi.runtime.registerStackTransformation(services.transformation);
      try {
        new gcp.storage.Bucket("bucket", { location: "US" });
      } catch (e) {
        error = e;
      }
    });
    expect(String(error)).toContain("gcp:storage/bucket:Bucket needs an API components/gcp-services/catalog.ts does not list");
  });

  it("rejects a malformed project id", () => {
    expect(() => new GcpServices("apis", { project: "Not A Project", tags: TAGS })).toThrow('GcpServices "apis": project: "Not A Project" is not a GCP project id');
  });
});

describe.each(["staging", "prod"])("stack %s", (stack) => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planOf(stack);
  });

  it("enables the API of every GCP resource it builds, and every one of them depends on it", () => {
    const services = new Map(plan.resources.filter((r) => r.type === SERVICE).map((s) => [s.inputs.service as string, s]));
    const gcpResources = plan.resources.filter((r) => r.custom && r.type.startsWith("gcp:") && r.type !== SERVICE);
    expect(gcpResources.length).toBeGreaterThan(20);
    const problems = gcpResources.flatMap((r) => {
      const api = gcpApiOf(r.type);
      if (!api) return [`${r.name} (${r.type}): no API in the catalog`];
      const service = services.get(api);
      if (!service) return [`${r.name}: ${api} is not enabled`];
      return r.dependencies?.includes(service.urn) ? [] : [`${r.name}: does not depend on ${api}`];
    });
    expect(problems).toEqual([]);
    // Enabled only what it builds, and never disabled on destroy.
    const used = new Set(gcpResources.map((r) => gcpApiOf(r.type)));
    expect([...services.keys()].sort()).toEqual([...used].sort());
    for (const s of services.values()) expect(s.inputs).toMatchObject({ disableOnDestroy: false, disableDependentServices: false });
  });
});
