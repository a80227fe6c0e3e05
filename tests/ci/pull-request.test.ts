/**
 * The pull-request workflow: its jobs, and its cost-diff pipeline run for real — the base plan step, this branch's
 * plan step and the comment composer against stub projects and against this repository's own `npm run plan`,
 * then the commenting script against a fake GitHub API.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLANS_DIR_ENV } from "../helpers/plans-cache";
import {
  Job,
  ROOT,
  concurrencyOf,
  fakeContext,
  fakeCore,
  findStep,
  inputs,
  loadWorkflow,
  matrixLegs,
  needsOf,
  runBash,
  runGithubScript,
  stepNamed,
  stepsUsing,
} from "./helpers";

const wf = loadWorkflow("pull-request.yml");
const { test, "cost-diff": costDiff, "cost-comment": costComment, preview } = wf.jobs;

const BASE_STEP = stepNamed(costDiff, "Render the base commit's plan").run as string;
const HEAD_STEP = stepNamed(costDiff, "Render this branch's plan and its cost diff").run as string;
const COMPOSE = String(stepNamed(costDiff, "Compose the comment").with?.script);
const FAIL_STEP = stepNamed(costDiff, "Fail on a mandatory policy violation or a plan that did not render").run as string;
const POST = String(stepNamed(costComment, "Create or update the cost-diff comment").with?.script);
const PR_MARKER = "<!-- core-unit-estate:cost-diff -->";
const BASE_SHA = "b".repeat(40);
const marker = (stack: string): string => `<!-- core-unit-estate:cost-diff:${stack} -->`;

function tmpdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A project whose `npm run plan` is a stub: `plan.js` writes `--out` when told, prints `stderr` and exits `code`. */
function stubProject(dir: string, plan?: { writes: boolean; code: number; stderr?: string; compare?: { writes: boolean; code: number } }): void {
  fs.mkdirSync(dir, { recursive: true });
  const scripts = plan ? { plan: "node plan.js" } : { build: "true" };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "stub", version: "1.0.0", private: true, scripts }));
  fs.writeFileSync(
    path.join(dir, "package-lock.json"),
    JSON.stringify({ name: "stub", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "stub", version: "1.0.0" } } }),
  );
  if (!plan) return;
  const stubPlan = { project: "stub", stack: "staging", violations: [] };
  fs.writeFileSync(
    path.join(dir, "plan.js"),
    `const args = process.argv.slice(2);
const arg = (k) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
const spec = ${JSON.stringify(plan)};
const compare = arg("--compare") !== undefined;
const behave = compare && spec.compare ? spec.compare : spec;
const format = arg("--format");
if (behave.writes && arg("--out")) {
  require("fs").writeFileSync(arg("--out"), format === "json" ? ${JSON.stringify(JSON.stringify(stubPlan))} : (compare ? ${JSON.stringify(`${marker("staging")}\n## Cost diff · stub · stack staging\n`)} : "## Cost estimate · stub\\n"));
}
if (spec.stderr) process.stderr.write(spec.stderr);
process.exit(behave.code);
`,
  );
}

interface Run {
  work: string;
  temp: string;
  out: string;
  env: Record<string, string>;
}

function newRun(stack = "staging"): Run {
  const work = tmpdir("ci-work-");
  const temp = tmpdir("ci-temp-");
  return { work, temp, out: path.join(temp, "cost-diff", stack), env: { STACK: stack, BASE_SHA, RUNNER_TEMP: temp, npm_config_update_notifier: "false" } };
}

const files = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
const readOut = (run: Run, name: string): string => fs.readFileSync(path.join(run.out, name), "utf8");

async function compose(run: Run, stack = "staging"): Promise<{ body: string; exitCode: string; summary: string }> {
  const core = fakeCore();
  await runGithubScript(COMPOSE, { github: {}, context: fakeContext(), core, env: { STACK: stack, OUT_DIR: run.out, BASE_SHA } });
  return { body: fs.readFileSync(path.join(run.out, `cost-diff-${stack}.md`), "utf8"), exitCode: core.outputs["exit-code"], summary: core.summaries.join("\n") };
}

describe("pull-request.yml", () => {
  it("runs on every pull request and cancels the runs a newer push supersedes", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(concurrencyOf(wf.concurrency)).toEqual({ group: "pull-request-${{ github.event.pull_request.number }}", cancel: true });
  });

  it("tests: npm ci then npm test", () => {
    expect(test.steps.filter((s) => s.run).map((s) => s.run?.trim())).toEqual(["npm ci --no-audit --no-fund", "npm test"]);
  });

  it("renders the cost diff per stack from this branch and a checkout of the base commit", () => {
    expect(matrixLegs(costDiff).map((l) => l.stack)).toEqual(["staging", "prod"]);
    const checkouts = stepsUsing(costDiff, "actions/checkout").map((s) => inputs(s));
    expect(checkouts).toEqual([{ "persist-credentials": "false" }, { ref: "${{ github.event.pull_request.base.sha }}", path: "base", "persist-credentials": "false" }]);
    expect(costDiff.env).toEqual({ STACK: "${{ matrix.stack }}", BASE_SHA: "${{ github.event.pull_request.base.sha }}" });
    expect(HEAD_STEP).toContain('npm run --silent plan -- --stack "$STACK" --compare "$out/base.json" --format markdown --out "$out/report.md"');
    expect(BASE_STEP).toContain('npm run --silent plan -- --stack "$STACK" --format json --out "$out/base.json"');
  });

  it("hands the comment to the commenting job as an artifact, and fails the check on the plan's exit code", () => {
    const upload = inputs(stepsUsing(costDiff, "actions/upload-artifact")[0]);
    expect(upload.name).toBe("cost-diff-${{ matrix.stack }}");
    expect(upload.path).toBe("${{ runner.temp }}/cost-diff/${{ matrix.stack }}/cost-diff-${{ matrix.stack }}.md");
    const names = costDiff.steps.map((s) => s.name ?? s.uses ?? s.run);
    expect(names.slice(-3)).toEqual(["Compose the comment", "Keep the comment for the commenting job", "Fail on a mandatory policy violation or a plan that did not render"]);
    // The comment is composed and kept even when the plan failed, so the pull request hears why.
    expect(stepNamed(costDiff, "Compose the comment").if).toBe("${{ !cancelled() }}");
    expect(stepNamed(costDiff, "Keep the comment for the commenting job").if).toBe("${{ !cancelled() }}");
    const fail = stepNamed(costDiff, "Fail on a mandatory policy violation or a plan that did not render");
    expect(fail.env).toEqual({ CODE: "${{ steps.compose.outputs.exit-code }}" });
    const cwd = tmpdir("ci-fail-");
    expect(runBash(FAIL_STEP, { cwd, env: { CODE: "0", STACK: "prod" } }).status).toBe(0);
    const failed = runBash(FAIL_STEP, { cwd, env: { CODE: "1", STACK: "prod" } });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("::error title=Offline plan of prod::npm run plan exited 1");
  });

  it("posts from a separate job that runs no pull-request code, skipped for forks and Dependabot", () => {
    expect(needsOf(costComment)).toEqual(["cost-diff"]);
    expect(costComment.if).toBe("${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]' }}");
    expect(costComment.steps.map((s) => s.uses?.split("@")[0])).toEqual(["actions/download-artifact", "actions/github-script"]);
    expect(inputs(costComment.steps[0])).toEqual({ pattern: "cost-diff-*", "merge-multiple": "true", path: "${{ runner.temp }}/cost-diff" });
    expect(costComment.steps[1].env).toEqual({ COST_DIFF_DIR: "${{ runner.temp }}/cost-diff" });
  });

  it("previews each stack with the policy pack and comments on the pull request", () => {
    expect(preview.if).toBe("${{ vars.PULUMI_ORG != '' && github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]' }}");
    expect(preview["runs-on"]).toBe("${{ vars.PULUMI_RUNS_ON || 'ubuntu-latest' }}");
    for (const leg of matrixLegs(preview)) {
      const stack = leg.stack as string;
      const step = inputs(stepsUsing(preview, "pulumi/actions")[0], leg);
      expect(step).toEqual({
        command: "preview",
        "stack-name": `\${{ vars.PULUMI_ORG }}/core-unit-estate/${stack}`,
        "comment-on-pr": "true",
        "comment-on-summary": "true",
        "always-include-summary": "true",
        policyPacks: "policies",
        policyPackConfigs: `policies/config.${stack}.json`,
        diff: "true",
        "suppress-progress": "true",
      });
    }
  });
});

describe("the check of the CI variables", () => {
  const check = (job: Job): string => stepNamed(job, "Check the CI variables").run as string;

  it("names every missing variable, for the stack of the leg, and points to docs/ci.md", () => {
    const r = runBash(check(preview), { cwd: tmpdir("ci-vars-"), env: { STACK: "prod", PULUMI_ORG: "", AWS_ROLE: "", GCP_PROVIDER: "", GCP_SERVICE_ACCOUNT: "" } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("set PULUMI_ORG AWS_PREVIEW_ROLE_ARN_PROD GCP_WORKLOAD_IDENTITY_PROVIDER GCP_PREVIEW_SERVICE_ACCOUNT_PROD");
    expect(r.stdout).toContain("see docs/ci.md");
  });

  it("passes when they are set", () => {
    const env = { STACK: "staging", PULUMI_ORG: "tocu", AWS_ROLE: "arn:aws:iam::123456789012:role/x", GCP_PROVIDER: "projects/1/locations/global/workloadIdentityPools/p/providers/g", GCP_SERVICE_ACCOUNT: "x@p.iam.gserviceaccount.com" };
    expect(runBash(check(preview), { cwd: tmpdir("ci-vars-"), env }).status).toBe(0);
    const staging = stepNamed(preview, "Check the CI variables").env;
    expect(staging?.AWS_ROLE).toBe("${{ matrix.aws_role }}");
  });
});

describe("the base commit's plan", () => {
  it("is not an error when the base has no plan tool: the comment says so", () => {
    const run = newRun();
    stubProject(path.join(run.work, "base"));
    const r = runBash(BASE_STEP, { cwd: run.work, env: run.env });
    expect(r.status).toBe(0);
    expect(readOut(run, "base-status").trim()).toBe("no-plan-tool");
    expect(files(run.out)).not.toContain("base.json");
  });

  it("is not an error when the base has no package.json at all", () => {
    const run = newRun();
    fs.mkdirSync(path.join(run.work, "base"));
    expect(runBash(BASE_STEP, { cwd: run.work, env: run.env }).status).toBe(0);
    expect(readOut(run, "base-status").trim()).toBe("no-plan-tool");
  });

  it("records a base that cannot render the stack (a new stack: exit 2)", () => {
    const run = newRun();
    stubProject(path.join(run.work, "base"), { writes: false, code: 2, stderr: "no stack file Pulumi.staging.yaml; the stacks of this project are: prod\n" });
    const r = runBash(BASE_STEP, { cwd: run.work, env: run.env });
    expect(r.status).toBe(0);
    expect(readOut(run, "base-status").trim()).toBe("plan-failed");
    expect(readOut(run, "base.code").trim()).toBe("2");
    expect(r.stdout).toContain("no stack file Pulumi.staging.yaml");
  });

  it("keeps a base plan written with exit 1 (a policy violation on the base is still a plan to compare with)", () => {
    const run = newRun();
    stubProject(path.join(run.work, "base"), { writes: true, code: 1 });
    expect(runBash(BASE_STEP, { cwd: run.work, env: run.env }).status).toBe(0);
    expect(files(run.out)).toContain("base.json");
    expect(files(run.out)).not.toContain("base-status");
  });

  it("records a base whose npm ci fails", () => {
    const run = newRun();
    stubProject(path.join(run.work, "base"), { writes: true, code: 0 });
    fs.writeFileSync(path.join(run.work, "base/package-lock.json"), "{ not json");
    expect(runBash(BASE_STEP, { cwd: run.work, env: run.env }).status).toBe(0);
    expect(readOut(run, "base-status").trim()).toBe("install-failed");
  });
});

describe("this branch's plan and the comment", () => {
  it("falls back to the whole estimate when the base plan cannot be compared (exit 2 on --compare)", async () => {
    const run = newRun();
    stubProject(run.work, { writes: true, code: 0, compare: { writes: false, code: 2 } });
    fs.mkdirSync(run.out, { recursive: true });
    fs.writeFileSync(path.join(run.out, "base.json"), "{}");
    expect(runBash(HEAD_STEP, { cwd: run.work, env: run.env }).status).toBe(0);
    expect(readOut(run, "base-status").trim()).toBe("not-comparable");
    expect(readOut(run, "report.md")).toBe("## Cost estimate · stub\n");
    const { body, exitCode } = await compose(run);
    expect(body.split("\n")[0]).toBe(marker("staging"));
    expect(body).toContain("> **No diff against the base branch:** this branch's plan tool cannot read the base commit's plan. Below is this branch's whole estimate instead.");
    expect(body).toContain("## Cost estimate · stub");
    expect(exitCode).toBe("0");
  });

  it("says why when this branch's plan does not render, and fails the check with its exit code", async () => {
    const run = newRun();
    stubProject(run.work, { writes: false, code: 2, stderr: "Stack configuration has 1 problem:\n  - core-unit-estate:budgetLines: got nothing\n" });
    expect(runBash(HEAD_STEP, { cwd: run.work, env: run.env }).status).toBe(0);
    expect(files(run.out)).not.toContain("report.md");
    const { body, exitCode } = await compose(run);
    expect(body.startsWith(`${marker("staging")}\n## Cost diff · stack staging\n`)).toBe(true);
    expect(body).toContain("### The plan did not render");
    expect(body).toContain("`npm run plan -- --stack staging` exited 2:");
    expect(body).toMatch(/```\n(.*\n)*Stack configuration has 1 problem:\n {2}- core-unit-estate:budgetLines: got nothing\n```/);
    expect(exitCode).toBe("2");
  });

  it("says the plan did not run when an earlier step failed (even before the output directory existed)", async () => {
    const run = newRun();
    const { body, exitCode } = await compose(run);
    expect(body).toContain("### The plan did not run");
    expect(body).toContain("(https://github.com/techops/core-unit-estate/actions/runs/4242)");
    expect(exitCode).toBe("1");
  });

  it("lists the policy violations, mandatory first, and carries the plan's exit code", async () => {
    const run = newRun("prod");
    fs.mkdirSync(run.out, { recursive: true });
    fs.writeFileSync(path.join(run.out, "report.md"), `${marker("prod")}\n## Cost diff · core-unit-estate · stack prod\n\nThis change: **+10.00 USD/month**.\n`);
    fs.writeFileSync(path.join(run.out, "head.code"), "1\n");
    const violations = [
      { policy: "data-volume-size", enforcementLevel: "advisory", urn: "urn:pulumi:prod::core-unit-estate::aws:ebs/volume:Volume::big", message: "a 2000 GiB volume | too big" },
      { policy: "required-cost-tags", enforcementLevel: "mandatory", urn: "urn:pulumi:prod::core-unit-estate::aws:ec2/vpc:Vpc::net-main-vpc", message: "tags lack budget-line" },
    ];
    fs.writeFileSync(path.join(run.out, "head.json"), JSON.stringify({ violations }));
    const { body, exitCode, summary } = await compose(run, "prod");
    expect(body.split("\n").slice(0, 2)).toEqual([marker("prod"), "## Cost diff · core-unit-estate · stack prod"]);
    expect(body.match(new RegExp(marker("prod"), "g"))).toHaveLength(1);
    expect(body).toContain("**1 mandatory** and 1 advisory: the plan exits 1; `pulumi preview` and `pulumi up` with the policy pack would stop here.");
    const rows = body.split("\n").filter((l) => /^\| (mandatory|advisory) \|/.test(l));
    expect(rows).toEqual([
      "| mandatory | required-cost-tags | net-main-vpc | tags lack budget-line |",
      "| advisory | data-volume-size | big | a 2000 GiB volume \\| too big |",
    ]);
    expect(body).toContain(`against its base ${BASE_SHA.slice(0, 7)}`);
    expect(exitCode).toBe("1");
    expect(summary).toContain("required-cost-tags");
  });

  it("says so when no policy fires", async () => {
    const run = newRun();
    fs.mkdirSync(run.out, { recursive: true });
    fs.writeFileSync(path.join(run.out, "report.md"), `${marker("staging")}\n## Cost diff\n`);
    fs.writeFileSync(path.join(run.out, "head.code"), "0");
    fs.writeFileSync(path.join(run.out, "head.json"), JSON.stringify({ violations: [] }));
    const { body, exitCode } = await compose(run);
    expect(body).toContain("### Policy violations\n\nNone: every policy of the pack passes.");
    expect(exitCode).toBe("0");
  });

  it("stays under GitHub's 65,536-character limit with a long report and many violations", async () => {
    const run = newRun();
    fs.mkdirSync(run.out, { recursive: true });
    const line = `| ${"x".repeat(90)} |`;
    fs.writeFileSync(path.join(run.out, "report.md"), `${marker("staging")}\n## Cost diff\n${Array.from({ length: 700 }, () => line).join("\n")}\n`);
    fs.writeFileSync(path.join(run.out, "head.code"), "1");
    const violations = Array.from({ length: 400 }, (_, i) => ({ policy: "tag-charset", enforcementLevel: "mandatory", urn: `urn:pulumi:staging::p::t::r${i}`, message: "m".repeat(100) }));
    fs.writeFileSync(path.join(run.out, "head.json"), JSON.stringify({ violations }));
    const { body } = await compose(run);
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.startsWith(marker("staging"))).toBe(true);
    expect(body).toContain("### Policy violations");
    expect(body).toMatch(/the report is cut here|and \d+ more in \[the run\]/);
  });
});

describe("the cost-diff pipeline on this repository (staging)", () => {
  it("renders this branch with the real plan tool against a base plan and composes a comment the commenting job posts", async () => {
    const run = newRun("staging");
    // The base: a project whose plan tool hands over the staging plan this test run rendered with the real tool
    // (tests/global-setup.ts), so only this branch's two renders spawn the estate here.
    const cached = path.join(process.env[PLANS_DIR_ENV]!, "staging.json");
    const base = path.join(run.work, "base");
    fs.mkdirSync(base);
    fs.writeFileSync(path.join(base, "package.json"), JSON.stringify({ name: "base", version: "1.0.0", private: true, scripts: { plan: "node plan.js" } }));
    fs.writeFileSync(path.join(base, "plan.js"), `const a = process.argv; require("fs").copyFileSync(${JSON.stringify(cached)}, a[a.indexOf("--out") + 1]);\n`);
    const bin = tmpdir("ci-bin-");
    const realNpm = runBash("command -v npm", { cwd: ROOT, env: {} }).stdout.trim();
    fs.writeFileSync(path.join(bin, "npm"), `#!/usr/bin/env bash\nif [ "$1" = ci ]; then exit 0; fi\nexec "${realNpm}" "$@"\n`, { mode: 0o755 });
    const env = { ...run.env, PATH: `${bin}:${process.env.PATH}` };

    expect(runBash(BASE_STEP, { cwd: run.work, env }).status).toBe(0);
    expect(files(run.out)).toContain("base.json");
    const head = runBash(HEAD_STEP, { cwd: ROOT, env });
    expect(head.status).toBe(0);
    const code = readOut(run, "head.code").trim();
    expect(["0", "1"]).toContain(code);

    const { body, exitCode } = await compose(run);
    expect(body.split("\n").slice(0, 2)).toEqual([marker("staging"), "## Cost diff · core-unit-estate · stack staging"]);
    expect(body).toContain("| Budget line | Cap (DAI/month) | Before (USD/month) | After (USD/month) | Change (USD/month) | Change (DAI/month) | Utilization after |");
    expect(body).toContain("### Policy violations");
    expect(exitCode).toBe(code);

    // The commenting job finds it in the merged artifact directory and posts it.
    const artifacts = tmpdir("ci-artifacts-");
    fs.copyFileSync(path.join(run.out, "cost-diff-staging.md"), path.join(artifacts, "cost-diff-staging.md"));
    const gh = fakeGitHub([]);
    await runGithubScript(POST, { github: gh, context: prContext(), core: fakeCore(), env: { COST_DIFF_DIR: artifacts } });
    expect(gh.calls).toEqual([["createComment", { owner: "techops", repo: "core-unit-estate", issue_number: 17, body: `${PR_MARKER}\n${body.trimEnd()}\n` }]]);
  }, 120_000);
});

interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url?: string;
}

function fakeGitHub(comments: Comment[]): { calls: [string, Record<string, unknown>][]; rest: unknown; paginate: unknown } {
  const calls: [string, Record<string, unknown>][] = [];
  return {
    calls,
    paginate: async (fn: (p: Record<string, unknown>) => Promise<{ data: unknown[] }>, params: Record<string, unknown>) => (await fn(params)).data,
    rest: {
      issues: {
        listComments: async (p: Record<string, unknown>) => {
          expect(p.issue_number).toBe(17);
          return { data: comments };
        },
        createComment: async (p: Record<string, unknown>) => {
          calls.push(["createComment", p]);
          return { data: { id: 99, html_url: "https://github.com/c/99" } };
        },
        updateComment: async (p: Record<string, unknown>) => {
          calls.push(["updateComment", p]);
          return { data: {} };
        },
      },
    },
  };
}

const prContext = (): Record<string, unknown> => fakeContext({ payload: { pull_request: { number: 17 } } });

describe("posting the cost diff", () => {
  function artifacts(bodies: Record<string, string>): string {
    const dir = tmpdir("ci-post-");
    for (const [stack, body] of Object.entries(bodies)) fs.writeFileSync(path.join(dir, `cost-diff-${stack}.md`), body);
    return dir;
  }
  const bot = { login: "github-actions[bot]", type: "Bot" };
  const human = { login: "alice", type: "User" };

  it("posts one comment with a section per stack, and updates it, found by its marker, on the next push", async () => {
    const dir = artifacts({ staging: `${marker("staging")}\nnew staging\n`, prod: `${marker("prod")}\nnew prod\n` });
    const expected = `${PR_MARKER}\n${marker("prod")}\nnew prod\n\n---\n\n${marker("staging")}\nnew staging\n`;
    const first = fakeGitHub([{ id: 3, body: "#### :tropical_drink: `preview` on core-unit-estate/prod", user: bot }]);
    await runGithubScript(POST, { github: first, context: prContext(), core: fakeCore(), env: { COST_DIFF_DIR: dir } });
    expect(first.calls).toEqual([["createComment", { owner: "techops", repo: "core-unit-estate", issue_number: 17, body: expected }]]);
    const next = fakeGitHub([
      { id: 1, body: `${PR_MARKER}\nquoted by a human`, user: human },
      { id: 2, body: `${PR_MARKER}\nold`, user: bot },
    ]);
    await runGithubScript(POST, { github: next, context: prContext(), core: fakeCore(), env: { COST_DIFF_DIR: dir } });
    expect(next.calls).toEqual([["updateComment", { owner: "techops", repo: "core-unit-estate", comment_id: 2, body: expected }]]);
  });

  it("ignores files that are not a stack's comment and warns when there is none", async () => {
    const gh = fakeGitHub([]);
    const core = fakeCore();
    const dir = artifacts({});
    fs.writeFileSync(path.join(dir, "other.md"), "x");
    fs.writeFileSync(path.join(dir, "cost-diff-Prod!.md"), "x");
    await runGithubScript(POST, { github: gh, context: prContext(), core, env: { COST_DIFF_DIR: dir } });
    expect(gh.calls).toEqual([]);
    expect(core.warnings).toEqual(["No cost diff to post: the cost-diff jobs left no comment."]);
  });

  it("does nothing but warn when the download left no directory", async () => {
    const core = fakeCore();
    const gh = fakeGitHub([]);
    await runGithubScript(POST, { github: gh, context: prContext(), core, env: { COST_DIFF_DIR: path.join(os.tmpdir(), "does-not-exist-ci") } });
    expect(gh.calls).toEqual([]);
    expect(core.warnings).toHaveLength(1);
  });

  it("cuts each stack's section to its share of GitHub's limit", async () => {
    const gh = fakeGitHub([]);
    const dir = artifacts({ staging: `${marker("staging")}\n${"y".repeat(70000)}`, prod: `${marker("prod")}\nsmall\n` });
    await runGithubScript(POST, { github: gh, context: prContext(), core: fakeCore(), env: { COST_DIFF_DIR: dir } });
    const body = gh.calls[0][1].body as string;
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.startsWith(`${PR_MARKER}\n${marker("prod")}\nsmall\n`)).toBe(true);
    expect(body).toContain(`${marker("staging")}\nyyy`);
    expect(body).toContain("_… cut to fit a comment._");
  });
});

describe("the steps the workflow names exist", () => {
  it("has the compose step with an id the fail step reads", () => {
    expect(findStep(costDiff, (s) => s.id === "compose", "with id compose").name).toBe("Compose the comment");
  });
});
