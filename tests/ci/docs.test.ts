/** docs/ci.md tells a user everything the workflows expect of the repository's settings, and nothing stale. */
import * as fs from "fs";
import * as path from "path";
import { ROOT, contextNames, environmentOf, loadWorkflow, matrixLegs, workflowFiles, workflowText } from "./helpers";

const DOC = fs.readFileSync(path.join(ROOT, "docs/ci.md"), "utf8");
const section = (title: string): string => {
  const start = DOC.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/ci.md has no section "## ${title}"`);
  const end = DOC.indexOf("\n## ", start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
};
/** The names in the first column of a section's tables: "| `NAME` | ...". */
const tableNames = (text: string): string[] => [...text.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]).sort();

const ALL = workflowFiles().map(workflowText).join("\n");

describe("docs/ci.md", () => {
  it("documents every variable the workflows read, and no variable they do not", () => {
    expect(tableNames(section("Variables and secrets"))).toEqual(contextNames(ALL, "vars"));
  });

  it("documents every secret the workflows read (none: OIDC only)", () => {
    const used = contextNames(ALL, "secrets");
    expect(used).toEqual([]);
    expect(section("Variables and secrets")).toContain("**Secrets: none.**");
  });

  it("gives the OIDC subject of each kind of job for the trust policies", () => {
    const setup = section("Setting it up");
    // Pull requests and drift (on main) use the read-only identities; each deploy job its environment's.
    const subjects = ["repo:<owner>/core-unit-estate:pull_request", "repo:<owner>/core-unit-estate:ref:refs/heads/main"];
    for (const file of workflowFiles()) {
      for (const job of Object.values(loadWorkflow(file).jobs)) {
        const env = environmentOf(job);
        if (env) subjects.push(`repo:<owner>/core-unit-estate:environment:${env}`);
      }
    }
    for (const sub of subjects) expect([sub, setup.includes(sub)]).toEqual([sub, true]);
  });

  it("tells how to set up the prod environment's required reviewers", () => {
    const setup = section("Setting it up");
    expect(setup).toMatch(/`prod`: \*\*Required reviewers\*\*/);
    expect(environmentOf(loadWorkflow("deploy.yml").jobs.prod)).toBe("prod");
  });

  it("shows the markers the scripts use to find their comment and issue", () => {
    const pr = workflowText("pull-request.yml");
    const drift = workflowText("drift.yml");
    expect(pr).toContain("`<!-- core-unit-estate:cost-diff:${stack} -->`");
    expect(drift).toContain("`<!-- core-unit-estate:drift:${stack} -->`");
    expect(DOC).toContain("`<!-- core-unit-estate:cost-diff:<stack> -->`");
    expect(DOC).toContain("`<!-- core-unit-estate:drift:<stack> -->`");
    expect(DOC).toContain("<!-- core-unit-estate:cost-diff:staging -->\n## Cost diff · core-unit-estate · stack staging");
  });

  it("recommends pinning actions to commit SHAs and says how", () => {
    const pin = section("Pinning actions to commit SHAs");
    expect(pin).toContain("gh api repos/actions/checkout/git/ref/tags/");
    expect(pin).toContain("package-ecosystem: github-actions");
  });

  it("names the checks a branch protection rule should require, as GitHub shows them", () => {
    const pr = loadWorkflow("pull-request.yml");
    const checks = [pr.jobs.test.name as string];
    for (const id of ["cost-diff", "preview"]) {
      for (const leg of matrixLegs(pr.jobs[id])) checks.push((pr.jobs[id].name as string).replace("${{ matrix.stack }}", String(leg.stack)));
    }
    expect(checks).toEqual(["npm test", "Cost diff (staging)", "Cost diff (prod)", "Preview (staging)", "Preview (prod)"]);
    for (const check of checks) expect([check, DOC.includes(`\`${check}\``)]).toEqual([check, true]);
  });

  it("links each workflow file", () => {
    for (const file of workflowFiles()) expect(DOC).toContain(`(../.github/workflows/${file})`);
  });
});
