/** A `pulumi preview --json` priced per budget line: the hand-written previews of tests/fixtures/previews. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { comparePlans } from "../../cost/compare";
import { InputFileError } from "../../cost/errors";
import { cents } from "../../cost/format";
import { STEP_OPS, UNKNOWN_VALUE, isPreviewDigest, parseUrn, previewProblems, readPreviewFile } from "../../cost/preview";
import { billedTags, previewStates, withoutUnknowns } from "../../cost/preview-resources";
import { UNKNOWN } from "../../policies/lib/unknowns";
import { Plan } from "../../tools/plan/plan";
import { buildPreviewPlan, readBasePlan } from "../../tools/plan/preview-plan";
import { ROOT } from "../helpers/estate";
import { PLAN_DATE } from "../helpers/plans-cache";

const fixture = (name: string): string => path.join(ROOT, "tests/fixtures/previews", name);
const STAGING = { project: "core-unit-estate", stack: "staging" };
const after = (name: string): Promise<Plan> => buildPreviewPlan(ROOT, "staging", fixture(name), "after", PLAN_DATE);
const before = (name: string): Promise<Plan> => buildPreviewPlan(ROOT, "staging", fixture(name), "before", PLAN_DATE);
const priced = (plan: Plan): [string, number | null, string | null][] => plan.resources.filter((r) => r.custom).map((r) => [r.name, r.monthlyUsd, r.budgetLine]);
const line = (plan: Plan, id: string): number | undefined => plan.budgetLines.find((l) => l.id === id)?.estimatedMonthlyUsd;

describe("a preview's steps as the stack before and after the change", () => {
  it("creates a GKE node pool: 2 × n2-highmem-4 with 100 GiB pd-balanced boot disks, charged to rnd-poc by its node labels", async () => {
    const plan = await after("create-node-pool.json");
    expect(priced(plan)).toEqual([["k8s-lab-highmem-node-pool", 402.56, "rnd-poc"]]);
    const pool = plan.resources.find((r) => r.name === "k8s-lab-highmem-node-pool")!;
    expect(pool.costComponents.map((c) => [c.name, c.quantity, c.monthlyUsd])).toEqual([
      ["node hours (on-demand; 2 per zone × 1 zone): 2 × n2-highmem-4, 4 vCPUs", 5840, 184.61],
      ["node hours (on-demand; 2 per zone × 1 zone): 2 × n2-highmem-4, 32 GB memory", 46720, 197.95],
      ["boot disks: 2 × 100 GiB pd-balanced", 200, 20],
    ]);
    expect([line(plan, "rnd-poc"), line(plan, "infrastructure-tools"), plan.totalMonthlyUsd]).toEqual([402.56, 0, 402.56]);
    expect((await before("create-node-pool.json")).resources.filter((r) => r.custom)).toEqual([]);
    expect(plan.violations).toEqual([]);
    expect(plan.fromPreview).toEqual({ file: fixture("create-node-pool.json"), side: "after", steps: 2, sameSteps: 0 });
  });

  it("updates an EKS node group from 2 to 3 nodes: its launch template (a same step) still prices the node volumes", async () => {
    const [b, a] = [await before("update-node-group.json"), await after("update-node-group.json")];
    expect(priced(b)).toEqual([
      ["k8s-core-general-launch-template", 0, "infrastructure-tools"],
      ["k8s-core-general-node-group", 127.14, "infrastructure-tools"],
    ]);
    expect(priced(a)).toEqual([
      ["k8s-core-general-launch-template", 0, "infrastructure-tools"],
      ["k8s-core-general-node-group", 190.7, "infrastructure-tools"],
    ]);
    const diff = comparePlans(b, a);
    expect([diff.added.length, diff.removed.length, diff.changed.map((r) => [r.name, r.baseUsd, r.headUsd, cents(r.deltaUsd!)])]).toEqual([0, 0, [["k8s-core-general-node-group", 127.14, 190.7, 63.56]]]);
    expect(diff.lines.map((l) => [l.id, cents(l.deltaUsd)])).toEqual([
      ["infrastructure-tools", 63.56],
      ["rnd-poc", 0],
    ]);
  });

  it("deletes an Ethereum node VM: it exists only before, and the diff removes 196.93 USD from infrastructure-tools", async () => {
    const [b, a] = [await before("delete-node-vm.json"), await after("delete-node-vm.json")];
    expect(priced(b)).toEqual([["eth-hoodi-gcp-node-1", 196.93, "infrastructure-tools"]]);
    expect(priced(a)).toEqual([]);
    const diff = comparePlans(b, a);
    expect(diff.removed.map((r) => [r.name, r.baseUsd, cents(r.deltaUsd!)])).toEqual([["eth-hoodi-gcp-node-1", 196.93, -196.93]]);
    expect(diff.deltaUsd).toBeCloseTo(-196.93, 6);
  });

  it("replaces a chain-data disk (pd-ssd to pd-balanced): the three replacement steps are one resource, changed by -28.00", async () => {
    const [b, a] = [await before("replace-data-disk.json"), await after("replace-data-disk.json")];
    expect(priced(b)).toEqual([["eth-hoodi-gcp-data-0", 68, "infrastructure-tools"]]);
    expect(priced(a)).toEqual([["eth-hoodi-gcp-data-0", 40, "infrastructure-tools"]]);
    expect(comparePlans(b, a).changed.map((r) => [r.name, cents(r.deltaUsd!)])).toEqual([["eth-hoodi-gcp-data-0", -28]]);
  });

  it("charges resources tagged only by the providers' defaults (AWS tagsAll, GCP terraformLabels), while the pack, seeing the inputs, flags them", async () => {
    const plan = await after("default-tags.json");
    expect(priced(plan)).toEqual([
      ["scratch-volume", 8, "rnd-poc"],
      ["scratch-disk", 8, "rnd-poc"],
    ]);
    expect(plan.resources.find((r) => r.name === "scratch-volume")!.costTags).toEqual({
      "core-unit": "tocu-001",
      "budget-line": "rnd-poc",
      environment: "staging",
      workload: "scratch",
      owner: "techops",
      "managed-by": "pulumi",
    });
    expect(plan.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => [v.policy, parseUrn(v.urn)?.name])).toEqual([
      ["required-cost-tags", "scratch-volume"],
      ["required-cost-tags", "scratch-disk"],
    ]);
  });

  it("takes a preview as the base of --compare: the stack as it stood before the change", async () => {
    const base = await readBasePlan(fixture("update-node-group.json"), ROOT, "staging", PLAN_DATE);
    expect(priced(base)).toEqual(priced(await before("update-node-group.json")));
    expect(base.fromPreview?.side).toBe("before");
  });
});

describe("what a preview's states become", () => {
  it("knows every step op the engine writes, and which side of the change each one has", () => {
    expect(Object.keys(STEP_OPS).sort()).toEqual(
      [
        "create",
        "create-replacement",
        "delete",
        "delete-replaced",
        "diff",
        "discard",
        "discard-replaced",
        "import",
        "import-replacement",
        "read",
        "read-replacement",
        "refresh",
        "remove-pending-replace",
        "replace",
        "same",
        "update",
      ].sort(),
    );
    expect(STEP_OPS.create).toEqual({ before: false, after: true });
    expect(STEP_OPS.delete).toEqual({ before: true, after: false });
    expect(STEP_OPS.read.external).toBe(true);
  });

  it("uses the engine's unknown placeholder, and drops it before pricing", () => {
    expect(UNKNOWN_VALUE).toBe(UNKNOWN.string);
    expect(withoutUnknowns({ a: UNKNOWN_VALUE, b: [1, UNKNOWN_VALUE], c: { d: "x", e: UNKNOWN_VALUE } })).toEqual({ b: [1], c: { d: "x" } });
  });

  it("completes tags from the outputs: provider defaults under the resource's own", () => {
    const state = { urn: "urn:pulumi:staging::p::aws:ebs/volume:Volume::v", type: "aws:ebs/volume:Volume", inputs: { tags: { owner: "alice" } }, outputs: { tagsAll: { owner: "techops", workload: "w" } } };
    expect(billedTags(state).tags).toEqual({ owner: "alice", workload: "w" });
    const gcp = { urn: "urn:pulumi:staging::p::gcp:container/cluster:Cluster::c", type: "gcp:container/cluster:Cluster", inputs: {}, outputs: { effectiveLabels: { a: "1", goog: "x" }, terraformLabels: { a: "2" } } };
    expect(billedTags(gcp).resourceLabels).toEqual({ a: "2", goog: "x" });
    // Kubernetes labels: the outputs' metadata.labels fill in what the inputs leave out.
    const k8s = { urn: "urn:pulumi:staging::p::kubernetes:core/v1:Namespace::n", type: "kubernetes:core/v1:Namespace", inputs: { metadata: { name: "n" } }, outputs: { metadata: { labels: { workload: "w" } } } };
    expect(billedTags(k8s).metadata).toEqual({ name: "n", labels: { workload: "w" } });
  });

  it("leaves out what the program only reads (owned elsewhere) and keeps one state per URN", () => {
    const urn = "urn:pulumi:staging::core-unit-estate::aws:ec2/vpc:Vpc::shared";
    const state = { urn, type: "aws:ec2/vpc:Vpc", inputs: {} };
    expect(previewStates({ steps: [{ op: "read", urn, newState: state }] }, "after")).toEqual([]);
    expect(previewStates({ steps: [{ op: "same", urn, oldState: state, newState: { ...state, external: true } }] }, "after")).toEqual([]);
    expect(previewStates({ steps: [{ op: "create-replacement", urn, newState: state }, { op: "replace", urn, oldState: state, newState: state }] }, "after")).toHaveLength(1);
  });
});

describe("a file that is not a preview of this stack", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "preview-"));
  const write = (value: unknown): string => {
    const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };
  const urn = (stack: string, project = "core-unit-estate"): string => `urn:pulumi:${stack}::${project}::aws:ebs/volume:Volume::v`;
  const volume = (stack = "staging", project?: string) => ({ urn: urn(stack, project), type: "aws:ebs/volume:Volume", custom: true, inputs: { size: 10 } });
  const fails = (value: unknown): string => {
    const file = write(value);
    try {
      readPreviewFile(file, STAGING);
    } catch (err) {
      expect(err).toBeInstanceOf(InputFileError);
      return (err as Error).message.replace(file, "<file>");
    }
    throw new Error("expected an InputFileError");
  };

  it("names the file and the step of another stack or project, once", () => {
    const prod = fails({ steps: [{ op: "create", urn: urn("prod"), newState: volume("prod") }, { op: "create", urn: urn("prod"), newState: volume("prod") }] });
    expect(prod).toBe(
      "--from-preview <file>: not a preview of stack staging written by `pulumi preview --json`:\n" +
        `  - steps[0] (${urn("prod")}): a resource of stack prod, not staging: run with --stack prod, or preview stack staging`,
    );
    expect(fails({ steps: [{ op: "create", urn: urn("staging", "other"), newState: volume("staging", "other") }] })).toMatch(
      /steps\[0\] \(urn:pulumi:staging::other::\S+\): a resource of project other, not core-unit-estate: this is another project's preview$/,
    );
  });

  it.each([
    ["an unknown op", { steps: [{ op: "explode", urn: urn("staging"), newState: volume() }] }, /steps\[0\] \(\S+\): op "explode" is not a step op this command knows \(same, create, update, delete, replace,/],
    ["a create without its new state", { steps: [{ op: "create", urn: urn("staging") }] }, /steps\[0\] \(\S+\): newState: a create step needs the state after the change$/],
    ["a state without a type", { steps: [{ op: "delete", urn: urn("staging"), oldState: { inputs: {} } }] }, /steps\[0\] \(\S+\): oldState\.type: expected the resource's type token$/],
    ["inputs that are not an object", { steps: [{ op: "create", urn: urn("staging"), newState: { ...volume(), inputs: [1] } }] }, /steps\[0\] \(\S+\): newState\.inputs: expected an object$/],
    ["a step that is not an object", { steps: [7] }, /steps\[0\]: expected an object with op and urn$/],
    ["a URN that is none", { steps: [{ op: "create", urn: "vol-1", newState: volume() }] }, /steps\[0\] \(vol-1\): urn: not a Pulumi URN/],
    [
      "a preview that failed",
      { steps: [], diagnostics: [{ message: "warning: x", severity: "warning" }, { urn: urn("staging"), message: "error: AccessDenied\n", severity: "error" }] },
      /diagnostics: the preview failed \(1 error; first on \S+: error: AccessDenied\), so its steps are incomplete: fix it and preview again$/,
    ],
    ["no steps", { changeSummary: {} }, /steps: expected the list of the preview's steps$/],
    ["a plan instead of a preview", { project: "core-unit-estate", resources: [] }, /a plan written by `npm run plan -- --format json`, not a preview: pass it to --compare$/],
    ["a file that is not JSON", "{ nope", /^--from-preview <file>: not JSON \(.+\); expected the output of `pulumi preview --json` for stack staging$/],
  ])("refuses %s, naming the file and the step", (_what, value, message) => {
    expect(fails(value)).toMatch(message);
  });

  it("lists at most five bad steps", () => {
    const message = fails({ steps: Array.from({ length: 8 }, () => ({ op: "create", urn: urn("staging") })) });
    expect(message.split("\n")).toHaveLength(1 + 5 + 1);
    expect(message).toMatch(/… and 3 more$/);
  });

  it("tells a preview from a plan", () => {
    expect([isPreviewDigest({ steps: [] }), isPreviewDigest({ resources: [], steps: [] }), isPreviewDigest([])]).toEqual([true, false, false]);
    expect(previewProblems({ steps: [] }, STAGING)).toEqual([]);
  });
});
