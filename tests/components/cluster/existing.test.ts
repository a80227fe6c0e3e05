import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "../../../components/cluster";
import { RecordedResource, SECRET_PLACEHOLDER, recordResources } from "../../../tools/plan/record";
import { componentProblems } from "../../helpers/resources";
import { NAMESPACES, descendantsOf, named } from "./fixtures";

const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: hunter2}}]\n";

describe("ExistingCluster", () => {
  let resources: RecordedResource[];
  let onPrem: ExistingCluster;

  beforeAll(async () => {
    ({ resources } = await recordResources(() => {
      onPrem = new ExistingCluster("k8s-onprem", { kubeconfig: KUBECONFIG, context: "hetzner", namespaces: NAMESPACES });
      new ExistingCluster("k8s-lab", { kubeconfig: pulumi.secret(KUBECONFIG), namespaces: [NAMESPACES[1]] });
    }));
  });

  it("creates only a provider and the namespaces", () => {
    expect(descendantsOf(resources, "k8s-onprem").map((r) => r.type)).toEqual([
      "pulumi:providers:kubernetes",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Namespace",
    ]);
    expect(descendantsOf(resources, "k8s-lab")).toHaveLength(2);
  });

  it("keeps the kubeconfig secret even when given as plain text, and uses the chosen context", () => {
    expect(named(resources, "k8s-onprem-k8s").inputs).toEqual({ kubeconfig: SECRET_PLACEHOLDER, context: "hetzner" });
    expect(named(resources, "k8s-lab-k8s").inputs).toEqual({ kubeconfig: SECRET_PLACEHOLDER });
    expect(JSON.stringify(resources)).not.toContain("hunter2");
  });

  it("creates the workload namespaces on that cluster, labelled with their cost tags", () => {
    const providerRef = `${named(resources, "k8s-onprem-k8s").urn}::k8s-onprem-k8s-id`;
    for (const ns of NAMESPACES) {
      const recorded = named(resources, `k8s-onprem-ns-${ns.name}`);
      expect(recorded.provider).toBe(providerRef);
      expect(recorded.inputs.metadata).toEqual({ name: ns.name, labels: { ...ns.tags, "pod-security.kubernetes.io/enforce": "baseline" } });
    }
    expect(Object.keys(onPrem.namespaces)).toEqual(["ethereum", "sandbox-ana"]);
  });

  it("names, tags and classifies every child so two instances coexist", () => {
    expect(componentProblems(resources, ["k8s-onprem", "k8s-lab"])).toEqual([]);
  });

  it.each([
    ["an empty kubeconfig", { kubeconfig: " ", namespaces: [] }, /kubeconfig: empty/],
    ["an empty context", { kubeconfig: KUBECONFIG, context: "", namespaces: [] }, /context: empty/],
    ["a namespace that is not a DNS label", { kubeconfig: KUBECONFIG, namespaces: [{ ...NAMESPACES[0], name: "Ethereum_Nodes" }] }, /namespaces\[0\]\.name: "Ethereum_Nodes" is not a DNS label/],
    ["a namespace without cost tags", { kubeconfig: KUBECONFIG, namespaces: [{ name: "x", tags: {} }] }, /namespaces\[0\]\.tags: missing tag "core-unit"/],
  ])("rejects %s, naming the argument", (_, args, message) => {
    expect(() => new ExistingCluster("k8s-bad", args as never)).toThrow(message);
  });
});
