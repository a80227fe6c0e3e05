import { parseDailyCron, runningHoursPerWeek } from "../../cost/schedule";
import { EstateConfig } from "../../stacks/config";
import { Plan, PlannedResource, planSandboxes } from "../../tools/plan/plan";
import { renderText } from "../../tools/plan/report-text";
import { planOf } from "../helpers/estate";

let plan: Plan;
beforeAll(async () => {
  plan = await planOf("staging");
});
const ofWorkload = (workload: string) => plan.resources.filter((r) => r.custom && r.workload === workload);

describe("stack staging: sandboxes", () => {
  it("builds each sandbox's namespace, quota, limits, network policy, owner binding and budget, all on rnd-poc", () => {
    for (const name of ["rpc-bench", "mev-research"]) {
      const resources = ofWorkload(`sandbox-${name}`);
      expect(resources.map((r) => r.type)).toEqual(
        expect.arrayContaining([
          "kubernetes:core/v1:Namespace",
          "kubernetes:core/v1:ResourceQuota",
          "kubernetes:core/v1:LimitRange",
          "kubernetes:networking.k8s.io/v1:NetworkPolicy",
          "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
          "aws:budgets/budget:Budget",
        ]),
      );
      expect(new Set(resources.map((r) => r.budgetLine))).toEqual(new Set(["rnd-poc"]));
    }
    // The Kubernetes-only sandbox has no VM; the other runs one on a weekday schedule, with a GCP budget for its GKE namespace.
    expect(ofWorkload("sandbox-rpc-bench").filter((r) => r.type === "aws:ec2/instance:Instance")).toEqual([]);
    expect(ofWorkload("sandbox-mev-research").map((r) => r.type)).toEqual(
      expect.arrayContaining(["aws:ec2/instance:Instance", "aws:scheduler/schedule:Schedule", "gcp:billing/budget:Budget"]),
    );
  });

  it("lists every sandbox in the plan JSON and text, with its expiry and estimate after the idle-stop saving", () => {
    expect(plan.sandboxes).toEqual([
      { name: "rpc-bench", owner: "alice", expiresOn: "2027-01-29", daysLeft: 68, status: "active", monthlyUsd: 0, monthlyBudgetUsd: 50 },
      { name: "mev-research", owner: "bob", expiresOn: "2027-02-12", daysLeft: 82, status: "active", monthlyUsd: 11.16, monthlyBudgetUsd: 150 },
    ]);
    const vm = plan.resources.find((r) => r.name === "sandbox-mev-research-vm")!;
    expect(vm.costComponents.map((c) => [c.name, c.monthlyUsd])).toEqual([
      ["instance hours: t4g.medium (on-demand)", 24.53],
      ["idle-stop schedule saving: stopped 108 of 168 hours a week (runs 60)", -15.77],
      ["volume /dev/xvda (launch template): 30 GiB gp3", 2.4],
    ]);
    expect(renderText(plan)).toContain("Sandboxes: 2\n  rpc-bench (owner alice) · expires 2027-01-29, 68 days left · est. 0.00 USD/month of a 50.00 USD budget");
  });
});

describe("planSandboxes", () => {
  const sandbox = (name: string, expiresOn: string) => ({ name, owner: "alice", ownerEmail: "a@b.example", purpose: "x", expiresOn, monthlyBudgetUsd: 10, size: "small" as const, cluster: "core" });
  const config = { sandboxes: [sandbox("old", "2026-11-20"), sandbox("soon", "2026-12-06"), sandbox("later", "2026-12-07")] } as unknown as EstateConfig;
  const resource = (workload: string, monthlyUsd: number | null) => ({ custom: true, workload, monthlyUsd }) as PlannedResource;

  it("marks expired and expiring (14 days or fewer) sandboxes, and sums each one's priced resources", () => {
    const sandboxes = planSandboxes(config, [resource("sandbox-old", 3.5), resource("sandbox-old", null), resource("sandbox-soon", 1)], new Date("2026-11-22T12:00:00Z"));
    expect(sandboxes.map((s) => [s.name, s.daysLeft, s.status, s.monthlyUsd])).toEqual([
      ["old", -2, "expired", 3.5],
      ["soon", 14, "expiring", 1],
      ["later", 15, "active", 0],
    ]);
    const text = renderText({ ...plan, sandboxes });
    expect(text).toContain("Sandboxes: 3 · 2 expired or expiring within 14 days\n  old (owner alice) · expires 2026-11-20, expired 2 days ago [EXPIRED]");
    expect(text).toContain("soon (owner alice) · expires 2026-12-06, 14 days left [EXPIRING]");
  });
});

describe("idle-stop schedules", () => {
  it("reads weekday working hours from AWS and GCP cron expressions", () => {
    expect(parseDailyCron("cron(0 8 ? * MON-FRI *)")).toEqual({ hour: 8, minute: 0, days: [1, 2, 3, 4, 5] });
    expect(runningHoursPerWeek("cron(0 8 ? * MON-FRI *)", "cron(0 20 ? * MON-FRI *)")).toBe(60);
    expect(runningHoursPerWeek("0 8 * * 1-5", "0 20 * * 1-5")).toBe(60);
    expect(runningHoursPerWeek("30 9 * * *", "30 17 * * *")).toBe(56);
  });

  it("leaves schedules it cannot pair up unread (priced always-on)", () => {
    expect(runningHoursPerWeek("0 20 * * 1-5", "0 8 * * 1-5")).toBeUndefined();
    expect(runningHoursPerWeek("0 8 * * 1-5", "0 20 * * 1-4")).toBeUndefined();
    expect(parseDailyCron("rate(1 hour)")).toBeUndefined();
    expect(parseDailyCron("0 8 1 * *")).toBeUndefined();
  });
});
