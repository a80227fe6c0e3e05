import * as k8s from "@pulumi/kubernetes";
import { GcpScheduleAgent, SANDBOX_SIZE_CLASSES, Sandbox, SandboxArgs } from "../../../components/sandbox";
import { costTags, readTags } from "../../../components/tagging";
import { estimateCosts } from "../../../cost/estimate";
import { sandboxExpiryAt } from "../../../policies/rules/sandbox-expiry";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { arnOf, componentProblems, ofType } from "../../helpers/resources";
import { run } from "../../policies/helpers";
import { below } from "../network/fixtures";

const tagsOf = (workload: string, owner: string, expiresOn: string) =>
  costTags({ coreUnit: "tocu-001", budgetLine: "rnd-poc", environment: "staging", workload, owner }, { "expires-on": expiresOn });

const args = (name: string, owner: string, more: Partial<SandboxArgs> = {}): Omit<SandboxArgs, "kubernetesProvider"> => ({
  namespace: `sandbox-${name}`,
  owner,
  ownerEmail: `${owner}@techops.example`,
  purpose: "a test",
  expiresOn: "2027-01-15",
  monthlyBudgetUsd: 100,
  size: "small",
  tags: tagsOf(`sandbox-${name}`, owner, "2027-01-15"),
  budgets: { aws: true },
  ...more,
});

async function record(...sandboxes: [string, Omit<SandboxArgs, "kubernetesProvider">][]): Promise<RecordedResource[]> {
  const { resources } = await recordResources(() => {
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    for (const [name, a] of sandboxes) new Sandbox(name, { ...a, kubernetesProvider: provider });
  });
  return resources;
}

const only = (resources: RecordedResource[], type: string): any => {
  const found = ofType(resources, type);
  if (found.length !== 1) throw new Error(`${found.length} resources of ${type}`);
  return found[0].inputs;
};

describe("Sandbox", () => {
  let all: RecordedResource[];
  let k8sOnly: RecordedResource[];
  let awsVm: RecordedResource[];
  let gcpVm: RecordedResource[];
  beforeAll(async () => {
    all = await record(
      ["sandbox-alice", args("alice", "alice")],
      ["sandbox-bob", args("bob", "bob", { size: "medium", vm: { kind: "aws", region: "us-east-1", vpcId: "vpc-1", privateSubnetId: "subnet-private-1" } })],
      [
        "sandbox-carol",
        args("carol", "carol", {
          size: "large",
          vm: { kind: "gcp", project: "tocu-estate-staging", region: "us-central1", network: "net", subnetwork: "subnet" },
          budgets: { gcp: { billingAccount: "012345-6789AB-CDEF01", project: "tocu-estate-staging" } },
        }),
      ],
    );
    k8sOnly = below(all, "sandbox-alice");
    awsVm = below(all, "sandbox-bob");
    gcpVm = below(all, "sandbox-carol");
  });

  it("coexists with other sandboxes, names its children from its own name and tags every child", () => {
    expect(componentProblems(all, ["sandbox-alice", "sandbox-bob", "sandbox-carol"])).toEqual([]);
  });

  it("tags everything taggable with rnd-poc, its own workload and owner, and expires-on", () => {
    for (const r of awsVm) {
      for (const { tags } of readTags(r.type, r.inputs)) {
        expect([r.name, tags?.["budget-line"], tags?.workload, tags?.owner, tags?.["expires-on"]]).toEqual([r.name, "rnd-poc", "sandbox-bob", "bob", "2027-01-15"]);
      }
    }
    expect(only(k8sOnly, "kubernetes:core/v1:Namespace").metadata).toMatchObject({ name: "sandbox-alice", labels: { workload: "sandbox-alice", "expires-on": "2027-01-15" } });
  });

  it("isolates the namespace: ingress from its own pods only; egress to its pods, cluster DNS and the RPC pools' ports", () => {
    const policy = only(k8sOnly, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(policy.metadata.namespace).toBe("sandbox-alice");
    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    const egress = policy.spec.egress;
    expect(egress).toHaveLength(3);
    expect(egress[1].ports.map((p: any) => p.port)).toEqual([53, 53]);
    expect(egress[2]).toEqual({ to: [{ namespaceSelector: { matchLabels: { workload: "ethereum-node" } } }], ports: [{ protocol: "TCP", port: 8545 }, { protocol: "TCP", port: 8546 }] });
    // No rule reaches an ipBlock: nothing outside the cluster.
    expect(JSON.stringify(egress)).not.toContain("ipBlock");
  });

  it("grants the owner's group edit in its namespace only", () => {
    const binding = only(k8sOnly, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
    expect(binding.metadata.namespace).toBe("sandbox-alice");
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    expect(binding.subjects).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "sandbox:alice" }]);
    expect(ofType(all, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")).toEqual([]);
  });

  it("sets quota and container limits from the size class, and no load balancers or node ports", () => {
    const small = SANDBOX_SIZE_CLASSES.small;
    expect(only(k8sOnly, "kubernetes:core/v1:ResourceQuota").spec.hard).toEqual({
      "requests.cpu": small.quota.requestsCpu,
      "requests.memory": small.quota.requestsMemory,
      "limits.cpu": small.quota.limitsCpu,
      "limits.memory": small.quota.limitsMemory,
      pods: String(small.quota.pods),
      persistentvolumeclaims: String(small.quota.persistentVolumeClaims),
      "requests.storage": small.quota.requestsStorage,
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    });
    expect(only(awsVm, "kubernetes:core/v1:ResourceQuota").spec.hard["requests.cpu"]).toBe(SANDBOX_SIZE_CLASSES.medium.quota.requestsCpu);
    expect(only(k8sOnly, "kubernetes:core/v1:LimitRange").spec.limits).toEqual([{ type: "Container", ...small.container }]);
  });

  it("runs the AWS VM small, private, IMDSv2-only, encrypted, without a key pair, stopped outside working hours", () => {
    const vm = only(awsVm, "aws:ec2/instance:Instance");
    // The image resolves from SSM in the launch template, at launch: an instance's own ami would not take it.
    const template = only(awsVm, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template).toMatchObject({ instanceType: "t4g.medium", imageId: expect.stringMatching(/^resolve:ssm:/), metadataOptions: { httpTokens: "required" } });
    expect(template.blockDeviceMappings).toEqual([
      { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3", volumeSize: SANDBOX_SIZE_CLASSES.medium.vm.diskGiB, deleteOnTermination: "true" } },
    ]);
    expect([vm.ami, vm.rootBlockDevice]).toEqual([undefined, undefined]);
    expect(vm).toMatchObject({ subnetId: "subnet-private-1", associatePublicIpAddress: false, metadataOptions: { httpTokens: "required" } });
    expect(vm.keyName).toBeUndefined();
    expect(only(awsVm, "aws:ec2/securityGroup:SecurityGroup").ingress ?? []).toEqual([]);
    const schedules = ofType(awsVm, "aws:scheduler/schedule:Schedule").map((s) => s.inputs as any);
    expect(schedules.map((s) => [s.scheduleExpression, s.target.arn, JSON.parse(s.target.input)])).toEqual([
      ["cron(0 20 ? * MON-FRI *)", "arn:aws:scheduler:::aws-sdk:ec2:stopInstances", { InstanceIds: ["sandbox-bob-vm-id"] }],
      ["cron(0 8 ? * MON-FRI *)", "arn:aws:scheduler:::aws-sdk:ec2:startInstances", { InstanceIds: ["sandbox-bob-vm-id"] }],
    ]);
    const policy = JSON.parse(only(awsVm, "aws:iam/rolePolicy:RolePolicy").policy);
    expect(policy.Statement).toEqual([{ Effect: "Allow", Action: ["ec2:StartInstances", "ec2:StopInstances"], Resource: arnOf(awsVm, "sandbox-bob-vm") }]);
  });

  it("runs the GCP VM without an external address, with OS Login and an attached weekday schedule", () => {
    const vm = only(gcpVm, "gcp:compute/instance:Instance");
    expect(vm.machineType).toBe("e2-standard-4");
    expect(vm.networkInterfaces).toEqual([{ network: "net", subnetwork: "subnet" }]);
    expect(vm.metadata).toEqual({ "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" });
    const schedule = only(gcpVm, "gcp:compute/resourcePolicy:ResourcePolicy");
    expect(schedule.instanceSchedulePolicy).toEqual({ timeZone: "UTC", vmStartSchedule: { schedule: "0 8 * * 1-5" }, vmStopSchedule: { schedule: "0 20 * * 1-5" } });
    expect(vm.resourcePolicies).toContain("sandbox-carol-schedule");
  });

  it("budgets the sandbox's workload monthly in each cloud, mailing the owner", () => {
    const budget = only(awsVm, "aws:budgets/budget:Budget");
    expect(budget).toMatchObject({ limitAmount: "100.00", limitUnit: "USD", timeUnit: "MONTHLY", costFilters: [{ name: "TagKeyValue", values: ["user:workload$sandbox-bob"] }] });
    expect(budget.notifications.map((n: any) => [n.threshold, n.subscriberEmailAddresses])).toEqual([
      [80, ["bob@techops.example"]],
      [100, ["bob@techops.example"]],
      [100, ["bob@techops.example"]],
    ]);
    const gcpBudget = only(gcpVm, "gcp:billing/budget:Budget");
    expect(gcpBudget.budgetFilter.labels).toEqual({ workload: "sandbox-carol" });
    expect(gcpBudget.thresholdRules.map((t: any) => t.thresholdPercent)).toEqual([0.8, 1, 1]);
    expect(only(gcpVm, "gcp:monitoring/notificationChannel:NotificationChannel").labels).toEqual({ email_address: "carol@techops.example" });
    expect(ofType(gcpVm, "aws:budgets/budget:Budget")).toEqual([]);
  });

  it("prices the VMs at their scheduled hours, with the saving against always-on as a component", () => {
    const costs = estimateCosts(all, { awsRegion: "us-east-1", gcpRegion: "us-central1" });
    for (const name of ["sandbox-bob-vm", "sandbox-carol-vm"]) {
      const cost = costs.get(all.find((r) => r.name === name)!.urn)!;
      const [hours, saving] = cost.costComponents;
      expect(saving.name).toBe("idle-stop schedule saving: stopped 108 of 168 hours a week (runs 60)");
      expect(saving.monthlyUsd).toBeCloseTo(-hours.monthlyUsd * (108 / 168), 1);
    }
    const schedule = all.find((r) => r.name === "sandbox-carol-schedule")!;
    expect(costs.get(schedule.urn)).toEqual({ monthlyUsd: 0, costComponents: [] });
  });

  it("passes the sandbox-expiry policy while current and fails every taggable resource once expired", async () => {
    const targets = awsVm.filter((r) => r.custom).map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.inputs }));
    expect((await run(sandboxExpiryAt(() => new Date("2026-11-22T00:00:00Z")), targets)).messages).toEqual([]);
    const expired = (await run(sandboxExpiryAt(() => new Date("2027-01-16T00:00:00Z")), targets)).messages;
    const taggable = targets.flatMap((t) => readTags(t.type, t.inputs));
    expect(expired).toHaveLength(taggable.length);
    expect(expired[0]).toContain("the sandbox expired on 2027-01-15");
  });

  it("rejects bad arguments up front, naming each", () => {
    const provider = undefined as unknown as k8s.Provider;
    expect(() => new Sandbox("sandbox-x", { ...args("x", "x", { owner: "Alice" }), kubernetesProvider: provider })).toThrow(/owner: "Alice" is not a lowercase handle/);
    expect(() => new Sandbox("sandbox-x", { ...args("x", "x", { expiresOn: "2027-01-16" }), kubernetesProvider: provider })).toThrow(/"expires-on" must be the expiry date 2027-01-16/);
    expect(() => new Sandbox("sandbox-x", { ...args("x", "x", { ownerEmail: "x" }), kubernetesProvider: provider })).toThrow(/ownerEmail: "x" is not an email address/);
    const infra = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "staging", workload: "sandbox-x", owner: "x" }, { "expires-on": "2027-01-15" });
    expect(() => new Sandbox("sandbox-x", { ...args("x", "x", { tags: infra }), kubernetesProvider: provider })).toThrow(/budget-line must be rnd-poc/);
  });
});

describe("SANDBOX_SIZE_CLASSES", () => {
  it("uses small burstable VM types only (t4g on AWS, e2 on GCP)", () => {
    for (const size of Object.values(SANDBOX_SIZE_CLASSES)) {
      expect(size.vm.awsInstanceType).toMatch(/^t4g\.(small|medium|large)$/);
      expect(size.vm.gcpMachineType).toMatch(/^e2-(medium|standard-[24])$/);
    }
  });
});

describe("GcpScheduleAgent", () => {
  it("grants the project's Compute Engine service agent the start/stop its instance schedules need, once per project", async () => {
    const { resources } = await recordResources(() => {
      new GcpScheduleAgent("sandbox-gcp-schedule-agent", { project: "tocu-estate-staging", tags: tagsOf("vm-scheduling", "techops", "2027-01-15") });
    });
    expect(componentProblems(resources, ["sandbox-gcp-schedule-agent"])).toEqual([]);
    expect(ofType(resources, "gcp:projects/iAMMember:IAMMember").map((r) => r.inputs)).toEqual([
      { project: "tocu-estate-staging", role: "roles/compute.instanceAdmin.v1", member: "serviceAccount:service-123456789012@compute-system.iam.gserviceaccount.com" },
    ]);
  });
});
