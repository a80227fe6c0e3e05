/**
 * Rules every workflow keeps: least-privilege tokens per job, OIDC only (no long-lived keys, no secrets), actions
 * pinned, Node 20 with the npm cache, no expression spliced into a script, and pulumi/actions always run against
 * a stack of this project with the policy pack's dependencies installed.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks } from "../../tools/plan/stack-file";
import {
  Job,
  ROOT,
  Step,
  Workflow,
  action,
  envOf,
  environmentOf,
  expressions,
  inputs,
  loadWorkflow,
  matrixLegs,
  stepsUsing,
  workflowFiles,
  workflowText,
} from "./helpers";

const FILES = workflowFiles();
const WORKFLOWS: [string, Workflow][] = FILES.map((f) => [f, loadWorkflow(f)]);
const JOBS: [string, string, Workflow, Job][] = WORKFLOWS.flatMap(([f, w]) => Object.entries(w.jobs).map(([id, job]): [string, string, Workflow, Job] => [f, id, w, job]));
const STACKS = listStacks(ROOT);

const OIDC_ACTIONS = ["pulumi/auth-actions", "aws-actions/configure-aws-credentials", "google-github-actions/auth"];
const ALLOWED_ACTIONS = [
  "actions/checkout",
  "actions/setup-node",
  "actions/github-script",
  "actions/upload-artifact",
  "actions/download-artifact",
  "pulumi/actions",
  "pulumi/auth-actions",
  "aws-actions/configure-aws-credentials",
  "google-github-actions/auth",
  "google-github-actions/setup-gcloud",
  "docker/setup-buildx-action",
  "docker/login-action",
  "docker/build-push-action",
];

const scripts = (job: Job): string[] => stepsUsing(job, "actions/github-script").map((s) => String(s.with?.script ?? ""));
const usesOidc = (job: Job): boolean => job.steps.some((s) => OIDC_ACTIONS.includes(action(s) ?? ""));
const commentsOnPullRequest = (w: Workflow, job: Job): boolean =>
  "pull_request" in w.on &&
  (stepsUsing(job, "pulumi/actions").some((s) => String(s.with?.["comment-on-pr"]) === "true") || scripts(job).some((s) => /\bissues\.(createComment|updateComment)\(/.test(s)));
const writesIssues = (job: Job): boolean => scripts(job).some((s) => /\bissues\.(create|update|createLabel)\(/.test(s));
const pushesImage = (job: Job): boolean => stepsUsing(job, "docker/build-push-action").some((s) => String(s.with?.push) === "true");

/** What a job needs of the GITHUB_TOKEN and of GitHub's OIDC, derived from what its steps do. */
function neededPermissions(w: Workflow, job: Job): Record<string, string> {
  const needed: Record<string, string> = {};
  if (stepsUsing(job, "actions/checkout").length > 0) needed.contents = "read";
  if (usesOidc(job)) needed["id-token"] = "write";
  if (commentsOnPullRequest(w, job)) needed["pull-requests"] = "write";
  if (writesIssues(job)) needed.issues = "write";
  if (pushesImage(job)) needed.packages = "write";
  return needed;
}

describe("the workflows", () => {
  it("are the four of docs/ci.md: pull request, deploy, drift, indexer image", () => {
    expect(FILES).toEqual(["deploy.yml", "drift.yml", "indexer-image.yml", "pull-request.yml"]);
  });

  it("give the token nothing at the workflow level (permissions: {})", () => {
    for (const [file, w] of WORKFLOWS) expect([file, w.permissions]).toEqual([file, {}]);
  });

  it("give each job exactly the permissions its steps need, no more", () => {
    for (const [file, id, w, job] of JOBS) {
      expect([file, id, job.permissions]).toEqual([file, id, neededPermissions(w, job)]);
    }
  });

  it("grant id-token: write only with OIDC, pull-requests: write only to the commenting jobs, issues: write only to drift", () => {
    const holders = (scope: string): string[] =>
      JOBS.filter(([, , , job]) => typeof job.permissions === "object" && job.permissions[scope] === "write").map(([f, id]) => `${f}:${id}`);
    expect(holders("id-token")).toEqual(["deploy.yml:staging", "deploy.yml:prod", "drift.yml:drift", "pull-request.yml:preview"]);
    expect(holders("pull-requests")).toEqual(["pull-request.yml:cost-comment", "pull-request.yml:preview"]);
    expect(holders("issues")).toEqual(["drift.yml:drift"]);
    expect(holders("contents")).toEqual([]);
    expect(holders("packages")).toEqual(["indexer-image.yml:publish"]);
  });

  it("never run on pull_request_target or workflow_run (the pull request's code would get a write token)", () => {
    for (const [file, w] of WORKFLOWS) {
      expect([file, Object.keys(w.on).filter((t) => ["pull_request_target", "workflow_run"].includes(t))]).toEqual([file, []]);
    }
  });

  it("use only known actions, each pinned to a major version or a commit SHA, the same version everywhere", () => {
    const versions = new Map<string, Set<string>>();
    for (const [file, id, , job] of JOBS) {
      for (const step of job.steps.filter((s) => s.uses)) {
        const uses = step.uses as string;
        expect([file, id, uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+|[0-9a-f]{40})$/.test(uses)]).toEqual([file, id, uses, true]);
        expect(ALLOWED_ACTIONS).toContain(action(step));
        const name = action(step) as string;
        versions.set(name, (versions.get(name) ?? new Set()).add(uses.split("@")[1]));
      }
    }
    for (const [name, v] of versions) expect([name, [...v]]).toEqual([name, [[...v][0]]]);
  });

  it("use no secrets and no long-lived cloud keys: every credential comes through OIDC", () => {
    for (const file of FILES) {
      const text = workflowText(file);
      expect([file, expressions(text).filter((e) => /\bsecrets\b/.test(e))]).toEqual([file, []]);
      expect([file, text.match(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws-access-key-id|aws-secret-access-key|aws-session-token|credentials_json|GOOGLE_CREDENTIALS|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE/gi)]).toEqual([file, null]);
    }
  });

  it("splice no expression into a script: values reach run: and github-script through env", () => {
    for (const [file, id, , job] of JOBS) {
      for (const step of job.steps) {
        const code = [step.run ?? "", action(step) === "actions/github-script" ? String(step.with?.script ?? "") : ""].join("\n");
        expect([file, id, step.name ?? step.uses ?? step.run, expressions(code)]).toEqual([file, id, step.name ?? step.uses ?? step.run, []]);
      }
    }
  });

  it("check out without leaving the token in .git/config", () => {
    for (const [file, id, , job] of JOBS) {
      for (const step of stepsUsing(job, "actions/checkout")) expect([file, id, inputs(step)["persist-credentials"]]).toEqual([file, id, "false"]);
    }
  });

  it("run npm on Node 20 with the npm cache, installing from the lock file (npm ci) before anything else", () => {
    for (const [file, id, , job] of JOBS) {
      const npmSteps = job.steps.map((s, i) => [s, i] as const).filter(([s]) => /\bnpm\b/.test(s.run ?? ""));
      if (npmSteps.length === 0) continue;
      const setup = stepsUsing(job, "actions/setup-node");
      expect([file, id, setup.map((s) => inputs(s))]).toEqual([file, id, [{ "node-version": "20", cache: "npm" }]]);
      expect(job.steps.indexOf(setup[0])).toBeLessThan(npmSteps[0][1]);
      expect([file, id, npmSteps[0][0].run?.trim()]).toEqual([file, id, "npm ci --no-audit --no-fund"]);
    }
  });

  it("never run a job without a time limit", () => {
    for (const [file, id, , job] of JOBS) expect([file, id, typeof (job as Job & { "timeout-minutes"?: number })["timeout-minutes"]]).toEqual([file, id, "number"]);
  });
});

describe("every pulumi/actions step", () => {
  const pulumiJobs = JOBS.filter(([, , , job]) => stepsUsing(job, "pulumi/actions").length > 0);

  it("exists in the preview, deploy and drift jobs", () => {
    expect(pulumiJobs.map(([f, id]) => `${f}:${id}`)).toEqual(["deploy.yml:staging", "deploy.yml:prod", "drift.yml:drift", "pull-request.yml:preview"]);
  });

  it.each(pulumiJobs.map(([f, id, w, job]) => [`${f}:${id}`, w, job] as const))("%s: runs after npm ci and the three OIDC logins, transpile-only", (_name, w, job) => {
    const index = (pred: (s: Step) => boolean): number => job.steps.findIndex(pred);
    const pulumi = index((s) => action(s) === "pulumi/actions");
    expect(index((s) => s.run?.trim() === "npm ci --no-audit --no-fund")).toBeGreaterThanOrEqual(0);
    expect(index((s) => s.run?.trim() === "npm ci --no-audit --no-fund")).toBeLessThan(pulumi);
    for (const oidc of OIDC_ACTIONS) {
      const at = index((s) => action(s) === oidc);
      expect([oidc, at >= 0 && at < pulumi]).toEqual([oidc, true]);
    }
    // The GKE kubeconfigs call gke-gcloud-auth-plugin.
    const gcloud = stepsUsing(job, "google-github-actions/setup-gcloud");
    expect(gcloud.map((s) => inputs(s).install_components)).toEqual(["gke-gcloud-auth-plugin"]);
    expect(envOf(w, job, job.steps[pulumi]).PULUMI_NODEJS_TRANSPILE_ONLY).toBe("true");
  });

  it.each(pulumiJobs.map(([f, id, , job]) => [`${f}:${id}`, job] as const))("%s: targets <org>/core-unit-estate/<stack> for a stack of this project, with matching credentials", (_name, job) => {
    const deploy = environmentOf(job) !== undefined;
    const kind = deploy ? "DEPLOY" : "PREVIEW";
    const legs = matrixLegs(job);
    const seen: string[] = [];
    for (const leg of legs) {
      const pulumi = inputs(stepsUsing(job, "pulumi/actions")[0], leg);
      const m = pulumi["stack-name"].match(/^\$\{\{ vars\.PULUMI_ORG \}\}\/core-unit-estate\/([a-z0-9-]+)$/);
      expect(m).not.toBeNull();
      const stack = (m as RegExpMatchArray)[1];
      seen.push(stack);
      const S = stack.toUpperCase();
      // A deploy job runs in the environment of its stack: the deploy identities trust only that environment.
      if (deploy) expect(environmentOf(job)).toBe(stack);

      const pulumiAuth = inputs(stepsUsing(job, "pulumi/auth-actions")[0], leg);
      expect(pulumiAuth.organization).toBe("${{ vars.PULUMI_ORG }}");
      const team = `PULUMI_${kind}_TEAM`;
      expect(pulumiAuth["requested-token-type"]).toBe(
        `\${{ vars.${team} && 'urn:pulumi:token-type:access_token:team' || 'urn:pulumi:token-type:access_token:organization' }}`,
      );
      expect(pulumiAuth.scope).toBe(`\${{ vars.${team} && format('team:{0}', vars.${team}) || '' }}`);

      const aws = inputs(stepsUsing(job, "aws-actions/configure-aws-credentials")[0], leg);
      expect(aws["role-to-assume"]).toBe(`\${{ vars.AWS_${kind}_ROLE_ARN_${S} }}`);
      expect(aws["aws-region"]).toBe("${{ vars.AWS_REGION || 'us-east-1' }}");
      expect(Object.keys(aws).sort()).toEqual(["aws-region", "role-session-name", "role-to-assume"]);

      const gcp = inputs(stepsUsing(job, "google-github-actions/auth")[0], leg);
      expect(gcp).toEqual({
        workload_identity_provider: "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
        service_account: `\${{ vars.GCP_${kind}_SERVICE_ACCOUNT_${S} }}`,
      });

      if (pulumi.policyPacks !== undefined) {
        expect(pulumi.policyPacks).toBe("policies");
        expect(pulumi.policyPackConfigs).toBe(`policies/config.${stack}.json`);
        expect(fs.existsSync(path.join(ROOT, pulumi.policyPackConfigs))).toBe(true);
      }
    }
    if (legs.length > 1) expect([...seen].sort()).toEqual(STACKS);
  });

  it("finds the policy pack where policyPacks points", () => {
    expect(fs.existsSync(path.join(ROOT, "policies/PulumiPolicy.yaml"))).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.workspaces).toContain("policies"); // so the root npm ci installs the pack's dependencies
  });
});

describe("the matrices", () => {
  it("run every stack of the project (a new Pulumi.<stack>.yaml needs its CI legs)", () => {
    for (const [file, id, , job] of JOBS) {
      const matrix = job.strategy?.matrix;
      if (!matrix) continue;
      expect([file, id, [...(matrix.stack as string[])].sort()]).toEqual([file, id, STACKS]);
      expect([file, id, job.strategy?.["fail-fast"]]).toEqual([file, id, false]);
      // Every leg has its stack's per-stack values, none falls back to another stack's.
      for (const leg of matrixLegs(job)) {
        for (const [key, value] of Object.entries(leg)) {
          if (key === "stack") continue;
          expect([file, id, key, String(value)]).toEqual([file, id, key, expect.stringContaining(`_${String(leg.stack).toUpperCase()} }}`)]);
        }
      }
    }
  });
});
