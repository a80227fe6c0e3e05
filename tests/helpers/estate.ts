/** Whole-estate checks every stack must pass, shared by the per-stack tests. */
import * as fs from "fs";
import * as path from "path";
import { Plan, buildPlan } from "../../tools/plan/plan";
import { RecordedResource } from "../../tools/plan/record";
import { describePolicyVerdicts } from "../policies/plan-verdicts";
import { PLANS_DIR_ENV, PLAN_DATE } from "./plans-cache";
import { childrenNotNamedFrom, costTagProblems, duplicateUrns, unclassifiedTypes } from "./resources";
import { USER_DATA_LIMIT_BYTES, decodeUserData, userDataBytes } from "../../components/ethereum-node/user-data";
import { GATE_PORT_OFFSET } from "../../components/ethereum-node/vm-ports";
import { RPC_PORTS } from "../../components/ethereum-node/clients";

export const ROOT = path.resolve(__dirname, "../..");

export function asRecorded(plan: Plan): RecordedResource[] {
  return plan.resources.map((r) => ({ ...r, parent: r.parent ?? undefined, provider: r.provider ?? undefined, outputs: {} }));
}

export function describeEstateInvariants(stack: string, load: () => Plan): void {
  describe(`stack ${stack}: invariants of every estate`, () => {
    it("every taggable resource carries the six cost tags with valid values", () => {
      expect(costTagProblems(asRecorded(load()))).toEqual([]);
      expect(load().violations).toEqual([]);
    });

    it("every resource type is either taggable or listed as not taggable, with a reason", () => {
      expect(unclassifiedTypes(asRecorded(load()))).toEqual([]);
    });

    it("every cloud resource is attributed to a configured budget line", () => {
      const lines = load().budgetLines.map((l) => l.id);
      const cloud = load().resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
      expect(cloud.filter((r) => r.budgetLine === null || !lines.includes(r.budgetLine)).map((r) => r.name)).toEqual([]);
    });

    it("creates and looks up every AWS and GCP resource through the stack's own provider, never the ambient default", () => {
      // A resource without a provider gets the default one, configured from AWS_REGION / the gcloud project: the
      // region or project of whoever runs `pulumi up`. Changing it later replaces the resource, databases included.
      const plan = load();
      const explicit = new Map(plan.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.urn, p.type.slice("pulumi:providers:".length)]));
      const stray = (pkg: string | undefined, provider: string | null | undefined) => pkg !== explicit.get((provider ?? "").replace(/::[^:]*$/, ""));
      const cloud = (type: string) => /^(aws|gcp):/.exec(type)?.[1];
      const resources = plan.resources.filter((r) => r.custom && cloud(r.type));
      const invokes = (plan.invokes ?? []).filter((i) => cloud(i.token));
      expect(resources.length).toBeGreaterThan(0);
      expect(invokes.length).toBeGreaterThan(0);
      expect(resources.filter((r) => stray(cloud(r.type), r.provider)).map((r) => `${r.name} (${r.type})`)).toEqual([]);
      expect(invokes.filter((i) => stray(cloud(i.token), i.provider)).map((i) => i.token)).toEqual([]);
    });

    it("enforces NetworkPolicies on every EKS cluster: a managed VPC CNI add-on with network policy on", () => {
      const addons = load().resources.filter((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "vpc-cni");
      const clusters = load().resources.filter((r) => r.type === "aws:eks/cluster:Cluster");
      expect(clusters.length).toBeGreaterThan(0);
      for (const cluster of clusters) {
        const cni = addons.filter((a) => a.inputs.clusterName === cluster.inputs.name);
        expect([cluster.name, cni.map((a) => JSON.parse(String(a.inputs.configurationValues)).enableNetworkPolicy)]).toEqual([cluster.name, ["true"]]);
      }
    });

    it("runs Cluster Autoscaler on every EKS cluster, its pod's requests charged a share of the cluster's nodes", () => {
      const plan = load();
      const clusters = plan.resources.filter((r) => r.type === "estate:cluster:EksCluster");
      expect(clusters.length).toBeGreaterThan(0);
      for (const cluster of clusters) {
        const release = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.parent === cluster.urn && r.inputs.chart === "cluster-autoscaler");
        expect([cluster.name, release?.monthlyUsd ?? 0]).toEqual([cluster.name, expect.any(Number)]);
        expect(release!.monthlyUsd).toBeGreaterThan(0);
        expect(release!.costComponents.map((c) => c.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^node cost share of .*: 0\.1 of \d+ vCPUs and 0\.29 of \d+ GiB requested \(1 × pod\)/)]));
      }
    });

    it("has every VM node pool's load balancer reach only the health sidecar's gates, which answer 'no synced node' when it fails open", () => {
      const plan = load();
      const inPool = (r: { urn: string }) => r.urn.includes("estate:ethereum-node:EthereumNode$");
      const of = (type: string) => plan.resources.filter((r) => r.type === type && inPool(r));
      const gates = RPC_PORTS.map((p) => p + GATE_PORT_OFFSET);
      const gatesEnv = `--env GATES=${RPC_PORTS.map((p) => `${p + GATE_PORT_OFFSET}:${p}`).join(",")} `;
      // EC2: listeners on the client ports, target groups and their targets on the gates; no rule opens a client's RPC.
      const groups = of("aws:lb/targetGroup:TargetGroup");
      expect(groups.map((g) => g.inputs.port).filter((p) => !gates.includes(p as number))).toEqual([]);
      expect(of("aws:lb/targetGroupAttachment:TargetGroupAttachment").map((a) => a.inputs.port).filter((p) => !gates.includes(p as number))).toEqual([]);
      expect(of("aws:lb/listener:Listener").map((l) => l.inputs.port).filter((p) => !(RPC_PORTS as readonly unknown[]).includes(p))).toEqual([]);
      const ingress = of("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      expect(ingress.filter((r) => (RPC_PORTS as readonly unknown[]).includes(r.inputs.fromPort)).map((r) => r.name)).toEqual([]);
      for (const lt of of("aws:ec2/launchTemplate:LaunchTemplate")) expect([lt.name, decodeUserData(lt.inputs.userData as string).includes(gatesEnv)]).toEqual([lt.name, true]);
      // GCE: the passthrough forwarding rule keeps the client ports; each node redirects them to its gates.
      for (const vm of of("gcp:compute/instance:Instance")) {
        const userData = (vm.inputs.metadata as Record<string, string>)["user-data"];
        const redirects = RPC_PORTS.map((p) => `--dport ${p} -j REDIRECT --to-ports ${p + GATE_PORT_OFFSET}`);
        expect([vm.name, userData.includes(gatesEnv), redirects.every((r) => userData.includes(r))]).toEqual([vm.name, true, true]);
      }
      // Each stack has VM pools, so the checks above checked something.
      expect(groups.length + of("gcp:compute/instance:Instance").length).toBeGreaterThan(0);
    });

    it("breaches no provider constraint, and keeps every EC2 user data within 75% of the 16 KiB limit", () => {
      const plan = load();
      expect(plan.constraintBreaches).toEqual([]);
      const templates = plan.resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && typeof r.inputs.userData === "string");
      expect(templates.filter((t) => userDataBytes(t.inputs.userData as string) > 0.75 * USER_DATA_LIMIT_BYTES).map((t) => t.name)).toEqual([]);
    });

    it("names every component's children from the component's name, so two instances can coexist", () => {
      const resources = asRecorded(load());
      const components = resources.filter((r) => !r.custom && r.type.startsWith("estate:"));
      expect(components.length).toBeGreaterThan(0);
      expect(components.flatMap((c) => childrenNotNamedFrom(resources, c.name))).toEqual([]);
      expect(duplicateUrns(resources)).toEqual([]);
    });
  });
  describePolicyVerdicts(stack, load);
}

/** The stack's plan: rendered once per test run by tests/global-setup.ts, else (a file run on its own) now. */
export async function planOf(stack: string): Promise<Plan> {
  const dir = process.env[PLANS_DIR_ENV];
  const cached = dir && path.join(dir, `${stack}.json`);
  if (cached && fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, "utf8")) as Plan;
  return buildPlan(ROOT, stack, PLAN_DATE);
}
