/** The plan as a newcomer runs it: a separate process, its output and exit code. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLANS_DIR_ENV } from "../helpers/plans-cache";
import { ROOT } from "../helpers/estate";
import { renderText } from "../../tools/plan/report-text";
import { projectWithStacks, stagingConfig, stagingWithExistingCluster } from "../helpers/project-dir";

function plan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // The stacks' sandboxes expire: judge them as of a fixed day, not the machine's.
  const run = spawnSync(process.execPath, ["--stack-trace-limit=0", "-r", "./tools/node/register.js", "tools/plan.ts", ...args, "--as-of=2026-11-22"], { cwd: ROOT, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
/** The warning of an indexer held at 0 replicas for want of an address book (stacks/indexer-address-books.ts). */
const HELD_INDEXER = /^warning: \[runtime\] core-unit-estate:indexers\.maker\.worker\.env\.MAKER_ADDRESSES is not set: [^\n]+\n$/;
const noStackTrace = (text: string): void => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe("npm run plan", () => {
  it("prints the staging estate by budget line and workload by default", () => {
    const { status, stdout, stderr } = plan();
    expect(status).toBe(0);
    // Staging's one warning, as `pulumi preview` prints it: its indexer on hoodi has no Maker address book.
    expect(stderr).toMatch(HELD_INDEXER);
    expect(stdout).toMatch(/^core-unit-estate · stack staging \(staging\) · \d+ cloud resources.*\nEstimated [\d,.]+ USD = [\d,.]+ DAI\/month \(1 DAI per USD, 730 hours a month/);
    expect(stdout).toMatch(/\nBudget line infrastructure-tools \(Infrastructure & Tools\) · est\. [\d,]+ USD = [\d,]+ DAI\/month, \d+% of cap 6,000 DAI · \d+ resources\n/);
    expect(stdout).toMatch(/\nBudget line rnd-poc \(TechOps R&D\/POC\) · est\. [\d,]+ USD = [\d,]+ DAI\/month, \d+% of cap 2,500 DAI · \d+ resources\n/);
    expect(stdout).toMatch(/ {2}workload network · \d+ · [\d,.]+ USD\/month\n {4}aws:cloudwatch\/logGroup:LogGroup +unpriced {2}net-main-flow-logs/);
    expect(stdout).toMatch(/ {4}aws:ec2\/natGateway:NatGateway +32\.85 USD\+ {2}net-main-nat-0\n/);
    expect(stdout).toMatch(/\nUnpriced: \d+ resources cost money the estimate cannot price, for \d+ reasons; they count 0 in the totals above\n/);
    expect(stdout).toMatch(/\n {2}3 · usage-based: log ingestion and storage.*\n {6}3 × aws:cloudwatch\/logGroup:LogGroup: net-main-flow-logs, /);
    expect(stdout).not.toContain("WARNING");
    expect(stdout).toContain("Violations: none");
  });

  it("writes the prod plan as JSON with the documented fields", () => {
    // tests/global-setup.ts ran `tools/plan.ts --stack prod --format json --out <file>` for this test run.
    const out = path.join(process.env[PLANS_DIR_ENV]!, "prod.json");
    const { args, status, stderr } = JSON.parse(fs.readFileSync(`${out}.run.json`, "utf8"));
    expect(args).toEqual(["tools/plan.ts", "--stack", "prod", "--format", "json", "--out", out, "--as-of=2026-11-22"]);
    expect(status).toBe(0);
    const json = JSON.parse(fs.readFileSync(out, "utf8"));
    // One count everywhere, saying what it counts: the stderr line, the JSON and the text report.
    const { cloudResources, components, providers } = json.counts;
    const counted = `${cloudResources} cloud resources in ${components} components, ${providers} providers`;
    expect(stderr).toContain(`wrote the json plan of stack prod (${counted}) to ${out}`);
    expect(renderText(json).split("\n")[0]).toBe(`core-unit-estate · stack prod (prod) · ${counted}`);
    expect(cloudResources).toBe(json.resources.filter((r: any) => r.custom && !r.type.startsWith("pulumi:")).length);
    expect(cloudResources + components + providers + 1).toBe(json.resources.length);
    expect(json.budgetLines.reduce((n: number, l: any) => n + l.resourceCount, 0)).toBeLessThanOrEqual(cloudResources);
    expect(Object.keys(json)).toEqual([
      "project",
      "stack",
      "generatedAt",
      "environment",
      "warnings",
      "substitutedSecrets",
      "counts",
      "resources",
      "invokes",
      "violations",
      "constraintBreaches",
      "unpriced",
      "unpricedByReason",
      "daiPerUsd",
      "totalMonthlyUsd",
      "budgetLines",
      "sandboxes",
    ]);
    expect(json).toMatchObject({ project: "core-unit-estate", stack: "prod", environment: "prod", violations: [], daiPerUsd: 1, totalMonthlyUsd: expect.any(Number) });
    const vpc = json.resources.find((r: any) => r.type === "aws:ec2/vpc:Vpc");
    const keys = ["urn", "type", "name", "parent", "custom", "provider", "protect", "retainOnDelete", "dependencies", "inputs", "costTags", "budgetLine", "workload", "monthlyUsd", "costComponents", "unpricedReason", "regionGap"];
    expect(Object.keys(vpc)).toEqual(keys);
    expect(vpc).toMatchObject({ name: "net-main-vpc", budgetLine: "infrastructure-tools", costTags: { "managed-by": "pulumi" }, inputs: { cidrBlock: "10.10.0.0/16" } });
    expect(vpc).toMatchObject({ monthlyUsd: 0, costComponents: [], unpricedReason: null, regionGap: null });
    expect(json.warnings).toEqual([]);
    expect(vpc.provider).toMatch(/^urn:pulumi:prod::core-unit-estate::pulumi:pulumi:Stack\$pulumi:providers:aws::aws::/);
    expect(json.invokes).toContainEqual({ token: "aws:ec2/getSubnet:getSubnet", provider: expect.stringContaining("pulumi:providers:aws::aws::") });
    const nat = json.resources.find((r: any) => r.name === "net-main-nat-0");
    expect(nat).toMatchObject({ monthlyUsd: 32.85, unpricedReason: "data processing unpriced: usage-based (0.045 USD/GB)" });
    expect(Object.keys(nat.costComponents[0])).toEqual(["name", "unit", "quantity", "unitPriceUsd", "monthlyUsd", "price"]);
    expect(Object.keys(json.unpriced[0])).toEqual(["urn", "type", "name", "reason", "regionGap"]);
    expect(Object.keys(json.unpricedByReason[0])).toEqual(["reason", "count", "resources"]);
    expect(json.unpricedByReason.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(json.unpriced.length);
    const line = { estimatedMonthlyUsd: expect.any(Number), estimatedMonthlyDai: expect.any(Number), utilization: expect.any(Number), unpricedByRegion: 0, capCheck: "within" };
    expect(json.budgetLines).toEqual([
      { id: "infrastructure-tools", name: "Infrastructure & Tools", monthlyCapDai: 45000, resourceCount: expect.any(Number), ...line, canonicalBudgetCategory: "SoftwareExpense" },
      { id: "third-party-integrations", name: "Third-party integrations", monthlyCapDai: 5000, resourceCount: 1, ...line, canonicalBudgetCategory: "SoftwareExpense" },
    ]);
    expect(Object.keys(json.budgetLines[0])).toEqual(["id", "name", "monthlyCapDai", "resourceCount", "estimatedMonthlyUsd", "estimatedMonthlyDai", "utilization", "unpricedByRegion", "capCheck", "canonicalBudgetCategory"]);
  });

  it("stands in for secrets it cannot decrypt, says so, and never prints them", () => {
    const dir = projectWithStacks({ lab: stagingWithExistingCluster() });
    const text = plan("--cwd", dir, "--stack", "lab");
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("Secrets cannot be decrypted offline; placeholders stand in for: core-unit-estate:kubeconfigs.onprem, core-unit-estate:onCallWebhookUrl");
    expect(text.stdout).toContain("k8s-onprem-ns-archive");
    const json = plan("--cwd", dir, "--stack", "lab", "--format", "json");
    const provider = JSON.parse(json.stdout).resources.find((r: any) => r.name === "k8s-onprem-k8s");
    expect(provider.inputs.kubeconfig).toBe("[secret]");
    // The on-call webhook reaches its notification channel as a secret.
    const onCall = JSON.parse(json.stdout).resources.find((r: any) => r.type === "gcp:monitoring/notificationChannel:NotificationChannel" && r.inputs.type === "webhook_tokenauth");
    expect(onCall.inputs.labels).toBe("[secret]");
    expect(json.stdout).not.toContain("offline-placeholder-secret");
  });

  it("exits 1 naming each resource a mandatory policy rejects, after printing the plan", () => {
    // Without the sandboxes, whose every resource is rnd-poc too: the four are the lab network's services range and
    // the lab cluster's own.
    const config = stagingConfig();
    delete config["core-unit-estate:sandboxes"];
    const dir = projectWithStacks({ lab: { config } });
    fs.mkdirSync(path.join(dir, "policies"));
    fs.writeFileSync(path.join(dir, "policies", "config.lab.json"), JSON.stringify({ "budget-line-allowed": { allowedBudgetLines: ["infrastructure-tools"] } }));
    const { status, stdout, stderr } = plan("--cwd", dir, "--stack", "lab");
    expect(status).toBe(1);
    expect(stdout).toContain('Violations: 4 (4 mandatory, 0 advisory)\n  [mandatory] budget-line-allowed: gcp:compute/globalAddress:GlobalAddress "net-lab-services-range"');
    expect(stdout).toContain('[mandatory] budget-line-allowed: gcp:container/cluster:Cluster "k8s-lab-cluster"');
    expect(stderr).toMatch(new RegExp(`^${HELD_INDEXER.source.slice(1, -1)}stack lab: 4 mandatory policy violations; a deployment with the policy pack would stop here:\n`));
    expect(stderr).toContain(`- budget-line-allowed: gcp:container/cluster:Cluster "k8s-lab-cluster" resourceLabels: budget-line "rnd-poc" is not configured for this stack`);
    expect(stderr).toContain("urn:pulumi:lab::core-unit-estate::estate:cluster:GkeCluster$gcp:container/cluster:Cluster::k8s-lab-cluster");
    noStackTrace(stderr);
  });

  it("exits 1 naming each resource and field a provider would refuse, after printing the plan", () => {
    // A preview whose provider checks filled in a target group's autoname (34 characters, AWS allows 32), and a VM
    // with an SSM-resolved AMI and a root block device: both pass the policy pack.
    const preview = path.join(ROOT, "tests/fixtures/previews/provider-refusals.json");
    const tg = 'aws:lb/targetGroup:TargetGroup eth-staging-archive-rpc-tg: name "eth-staging-archive-rpc-tg-3f9c2a1" (34 characters); allowed: at most 32 characters';
    const vm = 'aws:ec2/instance:Instance sandbox-lab-vm: ami + rootBlockDevice/ebsBlockDevices "ami "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" with rootBlockDevice"';
    const { status, stdout, stderr } = plan("--from-preview", preview);
    expect(status).toBe(1);
    expect(stdout).toContain("Violations: none");
    expect(stdout).toContain(`Provider constraints: 2 breached; the providers would refuse these at deployment (exit 1)\n  ${tg}\n  ${vm}; allowed: `);
    expect(stderr).toMatch(/^stack staging: 2 provider constraint breaches; the provider would refuse them at deployment:\n/);
    expect(stderr).toContain(`  - ${tg}\n    urn:pulumi:staging::core-unit-estate::aws:lb/targetGroup:TargetGroup::eth-staging-archive-rpc-tg\n`);
    expect(stderr).toContain(`  - ${vm}; allowed: an ami of resolve:ssm: is resolved by EC2 only at launch`);
    noStackTrace(stderr);

    const json = plan("--from-preview", preview, "--format", "json");
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).constraintBreaches.map((b: any) => [b.name, b.field, b.length, b.limit])).toEqual([
      ["eth-staging-archive-rpc-tg", "name", 34, "at most 32 characters"],
      ["sandbox-lab-vm", "ami + rootBlockDevice/ebsBlockDevices", null, expect.stringMatching(/^an ami of resolve:ssm:/)],
    ]);

    // The same preview with a 32-character name and the AMI resolved to an image id: exit 0.
    const fixed = JSON.parse(fs.readFileSync(preview, "utf8"));
    fixed.steps[0].newState.inputs.name = "eth-staging-archive-rpc-3f9c2a1";
    fixed.steps[1].newState.inputs.ami = "ami-0123456789abcdef0";
    const fixedFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preview-")), "fixed.json");
    fs.writeFileSync(fixedFile, JSON.stringify(fixed));
    expect(plan("--from-preview", fixedFile)).toMatchObject({ status: 0, stderr: "" });
  });

  it("stops bad config with exit code 2 and the problems only", () => {
    const config = stagingConfig();
    config["core-unit-estate:enviroment"] = "staging";
    (config["core-unit-estate:networks"] as any).main.cidr = "10.20.0.0/33";
    const { status, stdout, stderr } = plan("--cwd", projectWithStacks({ typo: { config } }), "--stack", "typo");
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      [
        "Stack configuration has 2 problems:",
        `  - core-unit-estate:enviroment: got "staging"; allowed: no such key; known keys: coreUnit, environment, owner, daiPerUsd, budgetLines, aws, gcp, networks, clusters, kubeconfigs, checkpointSyncUrls, ethereumNodes, indexers, apiServices, sandboxes, sandboxOwners, sandboxEmailDomain, sandboxMaxLifetimeDays, costGovernance, monitoring, onCallWebhookUrl`,
        '  - core-unit-estate:networks.main.cidr: got "10.20.0.0/33"; allowed: an IPv4 CIDR block with no host bits set, e.g. 10.20.0.0/16, prefix /16 to /20',
        "",
      ].join("\n"),
    );
  });

  it("lists the stacks that exist when the one asked for does not", () => {
    const { status, stderr } = plan("--stack", "qa");
    expect(status).toBe(2);
    expect(stderr).toBe("no stack file Pulumi.qa.yaml; the stacks of this project are: prod, staging\n");
  });

  it("rejects unknown options with the usage, exit code 2", () => {
    const { status, stderr } = plan("--formt", "json");
    expect(status).toBe(2);
    expect(stderr).toMatch(/^error: unknown option --formt;.*\n\nUsage: npm run plan/);
    noStackTrace(stderr);
  });

  it("refuses --out into a missing directory before rendering anything", () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "out-")), "reports", "plan.json");
    const started = Date.now();
    const { status, stdout, stderr } = plan("--out", missing);
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toMatch(new RegExp(`^error: --out ${missing}: no directory ${path.dirname(missing)} to write into; create it first \\(mkdir -p ${path.dirname(missing)}\\)\n\nUsage:`));
    noStackTrace(stderr);
    // Rendering the estate takes seconds; the refusal comes before it (loose bound, the machine is shared).
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("says a --cwd has no Pulumi.yaml rather than that it is not YAML", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "empty-"));
    const { status, stderr } = plan("--cwd", empty);
    expect([status, stderr]).toEqual([2, `${empty} has no Pulumi.yaml: --cwd takes a Pulumi project directory (the one holding Pulumi.yaml and the Pulumi.<stack>.yaml files)\n`]);
  });

  it("refuses a repeated --stack instead of taking the last", () => {
    const { status, stderr } = plan("--stack", "prod", "-s", "staging");
    expect(status).toBe(2);
    expect(stderr).toMatch(/^error: --stack is given more than once; it takes one value \(the last would silently win\)\n/);
  });

  it("prints the stack trace under PLAN_DEBUG=1, and the message once", () => {
    // The CLI's own start: the fast no-frames flag, then tools/stack-traces.ts first of all imports.
    const script = `require("./tools/stack-traces"); const { describeFailure } = require("./tools/plan/failure"); process.stderr.write(describeFailure(new TypeError("boom"), require("./tools/stack-traces").DEBUG).message);`;
    const run = (env: Record<string, string>): string => spawnSync(process.execPath, ["--stack-trace-limit=0", "-r", "@swc-node/register", "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, PLAN_DEBUG: "", ...env } }).stderr;
    const debug = run({ PLAN_DEBUG: "1" });
    expect(debug).toMatch(/^error: TypeError: boom\n {4}at /);
    expect(debug.match(/boom/g)).toHaveLength(1);
    expect(run({})).toBe("error: boom\n(set PLAN_DEBUG=1 for the stack trace)\n");
    for (const cli of ["tools/plan.ts", "tools/report.ts"]) {
      expect([cli, fs.readFileSync(path.join(ROOT, cli), "utf8").match(/^import .*$/m)?.[0]]).toEqual([cli, 'import { DEBUG } from "./stack-traces";']);
    }
  });
});
