/** The deploy workflow: tests, then `pulumi up` on staging, then on prod behind the `prod` environment. */
import * as os from "os";
import { concurrencyOf, expressions, inputs, loadWorkflow, needsOf, runBash, stepNamed, stepsUsing } from "./helpers";

const wf = loadWorkflow("deploy.yml");

describe("deploy.yml", () => {
  it("runs on every push to main (documentation-only pushes aside) and by hand", () => {
    expect(wf.on).toEqual({ push: { branches: ["main"], "paths-ignore": ["**.md"] }, workflow_dispatch: null });
  });

  it("tests, then deploys staging, then prod: each needs the one before", () => {
    expect(Object.keys(wf.jobs)).toEqual(["test", "staging", "prod"]);
    expect(needsOf(wf.jobs.test)).toEqual([]);
    expect(needsOf(wf.jobs.staging)).toEqual(["test"]);
    expect(needsOf(wf.jobs.prod)).toEqual(["staging"]);
    expect(wf.jobs.test.steps.filter((s) => s.run).map((s) => s.run?.trim())).toEqual(["npm ci --no-audit --no-fund", "npm test"]);
  });

  it("deploys prod in the environment `prod` (required reviewers approve it) and staging in `staging`", () => {
    expect(wf.jobs.prod.environment).toBe("prod");
    expect(wf.jobs.staging.environment).toBe("staging");
    // Neither runs when a condition could skip the approval: no `if` on the deploy jobs.
    expect([wf.jobs.staging.if, wf.jobs.prod.if]).toEqual([undefined, undefined]);
  });

  it("never lets two deploys of a stack overlap, and never cancels one mid-update", () => {
    expect(wf.concurrency).toBeUndefined();
    expect(concurrencyOf(wf.jobs.staging.concurrency)).toEqual({ group: "pulumi-up-staging", cancel: false });
    expect(concurrencyOf(wf.jobs.prod.concurrency)).toEqual({ group: "pulumi-up-prod", cancel: false });
    // A group that depends on the run (sha, ref, run id) would let two runs deploy the same stack at once.
    for (const job of [wf.jobs.staging, wf.jobs.prod]) expect(expressions(concurrencyOf(job.concurrency)?.group ?? "")).toEqual([]);
  });

  it.each(["staging", "prod"])("runs pulumi up on %s with the policy pack and the stack's config", (stack) => {
    const job = wf.jobs[stack];
    const up = stepsUsing(job, "pulumi/actions");
    expect(up).toHaveLength(1);
    expect(inputs(up[0])).toEqual({
      command: "up",
      "stack-name": `\${{ vars.PULUMI_ORG }}/core-unit-estate/${stack}`,
      policyPacks: "policies",
      policyPackConfigs: `policies/config.${stack}.json`,
      diff: "true",
      message: "Deploy ${{ github.sha }} (run ${{ github.run_id }})",
      "comment-on-summary": "true",
      "always-include-summary": "true",
      "suppress-progress": "true",
    });
  });

  it.each(["staging", "prod"])("stops %s early, naming the variables a deploy lacks", (stack) => {
    const step = stepNamed(wf.jobs[stack], "Check the CI variables");
    const S = stack.toUpperCase();
    expect(step.env).toEqual({
      PULUMI_ORG: "${{ vars.PULUMI_ORG }}",
      AWS_ROLE: `\${{ vars.AWS_DEPLOY_ROLE_ARN_${S} }}`,
      GCP_PROVIDER: "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
      GCP_SERVICE_ACCOUNT: `\${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT_${S} }}`,
    });
    const missing = runBash(step.run as string, { cwd: os.tmpdir(), env: { PULUMI_ORG: "tocu", AWS_ROLE: "", GCP_PROVIDER: "p", GCP_SERVICE_ACCOUNT: "" } });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain(`set AWS_DEPLOY_ROLE_ARN_${S} GCP_DEPLOY_SERVICE_ACCOUNT_${S} (`);
    const all = runBash(step.run as string, { cwd: os.tmpdir(), env: { PULUMI_ORG: "tocu", AWS_ROLE: "r", GCP_PROVIDER: "p", GCP_SERVICE_ACCOUNT: "s" } });
    expect(all.status).toBe(0);
  });
});
