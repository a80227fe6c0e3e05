/** The drift workflow: a daily `pulumi preview --refresh --expect-no-changes` per stack and its one issue per stack. */
import * as os from "os";
import { concurrencyOf, fakeContext, fakeCore, inputs, loadWorkflow, matrixLegs, resolveMatrix, runBash, runGithubScript, stepNamed, stepsUsing } from "./helpers";

const wf = loadWorkflow("drift.yml");
const deploy = loadWorkflow("deploy.yml");
const job = wf.jobs.drift;
const ISSUE_STEP = stepNamed(job, "Open, update or close the drift issue");
const SCRIPT = String(ISSUE_STEP.with?.script);
const marker = (stack: string): string => `<!-- core-unit-estate:drift:${stack} -->`;

describe("drift.yml", () => {
  it("runs daily on a schedule, and by hand", () => {
    const on = wf.on as { schedule: { cron: string }[]; workflow_dispatch: null };
    expect(Object.keys(on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(on.schedule).toHaveLength(1);
    const [minute, hour, dom, month, dow] = on.schedule[0].cron.split(" ");
    expect(on.schedule[0].cron.split(" ")).toHaveLength(5);
    expect([dom, month, dow]).toEqual(["*", "*", "*"]);
    expect(Number(minute)).toBeGreaterThanOrEqual(0);
    expect(Number(minute)).toBeLessThan(60);
    expect(Number(hour)).toBeLessThan(24);
  });

  it("checks every stack from main only, once PULUMI_ORG is set", () => {
    expect(Object.keys(wf.jobs)).toEqual(["drift"]);
    expect(job.if).toBe("${{ vars.PULUMI_ORG != '' && github.ref == 'refs/heads/main' }}");
    expect(matrixLegs(job).map((l) => l.stack)).toEqual(["staging", "prod"]);
  });

  it("never shares a concurrency group with a deploy (a pending deploy must not be cancelled)", () => {
    const deployGroups = Object.values(deploy.jobs).map((j) => concurrencyOf(j.concurrency)?.group);
    for (const leg of matrixLegs(job)) {
      const group = resolveMatrix(concurrencyOf(job.concurrency)?.group, leg);
      expect(group).toBe(`drift-${leg.stack}`);
      expect(deployGroups).not.toContain(group);
    }
    expect(concurrencyOf(job.concurrency)?.cancel).toBe(false);
  });

  it("previews with --refresh and --expect-no-changes, going on to the issue step when it fails", () => {
    const steps = stepsUsing(job, "pulumi/actions");
    expect(steps).toHaveLength(1);
    expect(steps[0].id).toBe("preview");
    expect(steps[0]["continue-on-error"]).toBe(true);
    for (const leg of matrixLegs(job)) {
      expect(inputs(steps[0], leg)).toEqual({
        command: "preview",
        "stack-name": `\${{ vars.PULUMI_ORG }}/core-unit-estate/${leg.stack}`,
        refresh: "true",
        "expect-no-changes": "true",
        diff: "true",
        "comment-on-summary": "true",
        "always-include-summary": "true",
        "suppress-progress": "true",
      });
    }
    expect(ISSUE_STEP.if).toBe("${{ !cancelled() }}");
    expect(ISSUE_STEP.env).toEqual({ STACK: "${{ matrix.stack }}", PREVIEW_OUTCOME: "${{ steps.preview.outcome }}" });
    expect(job.steps.indexOf(ISSUE_STEP)).toBeGreaterThan(job.steps.indexOf(steps[0]));
  });

  it("fails the run when the stack drifts, after the issue is written", () => {
    const fail = stepNamed(job, "Fail when the stack drifts");
    expect(fail.if).toBe("${{ steps.preview.outcome == 'failure' }}");
    expect(job.steps.indexOf(fail)).toBe(job.steps.length - 1);
    const r = runBash(fail.run as string, { cwd: os.tmpdir(), env: { STACK: "prod" } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error title=Drift in prod::");
  });
});

interface Issue {
  number: number;
  title: string;
  body: string;
  pull_request?: unknown;
}

function fakeGitHub(open: Issue[], labelExists = true): { calls: [string, Record<string, unknown>][]; paginate: unknown; rest: unknown } {
  const calls: [string, Record<string, unknown>][] = [];
  const record =
    (name: string, data: unknown = {}) =>
    async (p: Record<string, unknown>) => {
      calls.push([name, p]);
      return { data };
    };
  return {
    calls,
    paginate: async (fn: (p: Record<string, unknown>) => Promise<{ data: unknown[] }>, params: Record<string, unknown>) => (await fn(params)).data,
    rest: {
      issues: {
        listForRepo: async (p: Record<string, unknown>) => {
          expect([p.state, p.labels]).toEqual(["open", "drift"]);
          return { data: open };
        },
        getLabel: async (p: Record<string, unknown>) => {
          calls.push(["getLabel", p]);
          if (!labelExists) throw Object.assign(new Error("Not Found"), { status: 404 });
          return { data: {} };
        },
        createLabel: record("createLabel"),
        create: record("create", { number: 31 }),
        update: record("update"),
        createComment: record("createComment"),
      },
    },
  };
}

async function run(stack: string, outcome: string, gh: ReturnType<typeof fakeGitHub>): Promise<ReturnType<typeof fakeCore>> {
  const core = fakeCore();
  await runGithubScript(SCRIPT, { github: gh, context: fakeContext(), core, env: { STACK: stack, PREVIEW_OUTCOME: outcome } });
  return core;
}

const repo = { owner: "techops", repo: "core-unit-estate" };
const RUN = "https://github.com/techops/core-unit-estate/actions/runs/4242";

describe("the drift issue", () => {
  it("is opened, labelled `drift` (the label created if missing), when a stack drifts", async () => {
    const gh = fakeGitHub([], false);
    const core = await run("prod", "failure", gh);
    expect(gh.calls.map(([name]) => name)).toEqual(["getLabel", "createLabel", "create"]);
    expect(gh.calls[1][1]).toMatchObject({ ...repo, name: "drift" });
    const created = gh.calls[2][1];
    expect(created).toMatchObject({ ...repo, title: "Drift in stack prod", labels: ["drift"] });
    const body = created.body as string;
    expect(body.split("\n")[0]).toBe(marker("prod"));
    expect(body).toContain("The scheduled drift check of stack **prod** failed: `pulumi preview --refresh --expect-no-changes` failed");
    expect(body).toMatch(new RegExp(`^- First seen: \\[run\\]\\(${RUN}\\), \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`, "m"));
    expect(body).toContain(`- Last seen: [run](${RUN})`);
    expect(body).toContain("main at 0123456");
    expect(body).toContain("`pulumi up -s <org>/core-unit-estate/prod`");
    expect(core.warnings).toEqual(["Stack prod drifts: opened #31."]);
  });

  it("is updated, not duplicated, while the stack keeps drifting; its first sighting is kept", async () => {
    const firstSeen = "- First seen: [run](https://github.com/techops/core-unit-estate/actions/runs/1), 2026-11-01 05:23 UTC";
    const gh = fakeGitHub([
      { number: 7, title: "Drift in stack staging", body: `${marker("staging")}\nold\n\n${firstSeen}\n- Last seen: old` },
      { number: 8, title: "Drift in stack prod", body: `${marker("prod")}\nold\n\n${firstSeen}` },
    ]);
    await run("prod", "failure", gh);
    expect(gh.calls.map(([name, p]) => [name, p.issue_number])).toEqual([["update", 8]]);
    const body = gh.calls[0][1].body as string;
    expect(body).toContain(firstSeen);
    expect(body).toContain(`- Last seen: [run](${RUN})`);
  });

  it("is closed, with a comment, by the first run that finds no changes", async () => {
    const gh = fakeGitHub([{ number: 8, title: "Drift in stack prod", body: `${marker("prod")}\nold` }]);
    await run("prod", "success", gh);
    expect(gh.calls.map(([name]) => name)).toEqual(["createComment", "update"]);
    expect(gh.calls[0][1]).toMatchObject({ ...repo, issue_number: 8 });
    expect(gh.calls[0][1].body).toContain(`No drift any more: [this run](${RUN}) found stack \`prod\``);
    expect(gh.calls[1][1]).toEqual({ ...repo, issue_number: 8, state: "closed", state_reason: "completed" });
  });

  it("is left alone when there is neither drift nor an issue, and another stack's issue is never touched", async () => {
    const gh = fakeGitHub([{ number: 7, title: "Drift in stack staging", body: `${marker("staging")}\nold` }]);
    const core = await run("prod", "success", gh);
    expect(gh.calls).toEqual([]);
    expect(core.infos).toEqual(["No drift in stack prod."]);
  });

  it("ignores a pull request that carries the label and the marker", async () => {
    const gh = fakeGitHub([{ number: 9, title: "x", body: marker("prod"), pull_request: {} }]);
    await run("prod", "failure", gh);
    expect(gh.calls.map(([name]) => name)).toEqual(["getLabel", "create"]);
  });

  it("says the check could not run when a step before the preview failed", async () => {
    const gh = fakeGitHub([]);
    await run("staging", "skipped", gh);
    const body = gh.calls.find(([name]) => name === "create")?.[1].body as string;
    expect(body).toContain("the check could not reach the preview (an earlier step failed: variables, OIDC, install)");
  });
});
