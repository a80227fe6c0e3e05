import * as path from "path";
import { PROJECT, parseEstateConfig } from "../../stacks/config";
import { formatProblem } from "../../stacks/config-reader";
import { decodeNamespace } from "../../stacks/raw-config";
import { readStackConfig } from "../../tools/plan/stack-file";

const ROOT = path.resolve(__dirname, "../..");
const TODAY = new Date("2026-11-22T10:00:00Z");
const stack = (name: string): any => JSON.parse(JSON.stringify(decodeNamespace(readStackConfig(ROOT, name).config, PROJECT)));
const problemsOf = (raw: Record<string, unknown>, options: { allowExpired?: boolean } = {}): string[] => {
  const result = parseEstateConfig(raw, "staging", { today: TODAY, ...options });
  return result.ok ? [] : result.problems.map(formatProblem);
};
const withSandbox = (change: Record<string, unknown>, top: Record<string, unknown> = {}): any => {
  const raw = stack("staging");
  raw.sandboxes["rpc-bench"] = { ...raw.sandboxes["rpc-bench"], ...change };
  return { ...raw, ...top };
};

describe("sandboxes config", () => {
  it("reads staging's sandboxes, the owner's address from the mail domain; prod has none", () => {
    const result = parseEstateConfig(stack("staging"), "staging", { today: TODAY });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    expect(result.config.sandboxes).toEqual([
      { name: "rpc-bench", owner: "alice", ownerEmail: "alice@techops.example", purpose: expect.any(String), expiresOn: "2027-01-29", monthlyBudgetUsd: 50, size: "small", cluster: "core" },
      { name: "mev-research", owner: "bob", ownerEmail: "bob@techops.example", purpose: expect.any(String), expiresOn: "2027-02-12", monthlyBudgetUsd: 150, size: "medium", cluster: "lab", vm: { cloud: "aws", network: "main" } },
    ]);
    const prod = parseEstateConfig(stack("prod"), "prod", { today: TODAY });
    expect(prod.ok && prod.config.sandboxes).toEqual([]);
  });

  it("takes ownerEmail over the mail domain, and needs one of them", () => {
    const result = parseEstateConfig(withSandbox({ ownerEmail: "alice.r@lab.example" }), "staging", { today: TODAY });
    expect(result.ok && result.config.sandboxes[0].ownerEmail).toBe("alice.r@lab.example");
    expect(problemsOf(withSandbox({}, { sandboxEmailDomain: undefined }))).toEqual(expect.arrayContaining([expect.stringMatching(/sandboxes\.rpc-bench\.ownerEmail: got nothing .*or set sandboxEmailDomain/)]));
  });

  it.each([
    ["a past date", "2026-11-21", /sandboxes\.rpc-bench\.expiresOn: got "2026-11-21"; allowed: a date from today \(2026-11-22\) on: the sandbox has expired; renew it/],
    ["a date beyond the maximum lifetime", "2027-02-21", /sandboxes\.rpc-bench\.expiresOn: got "2027-02-21"; allowed: a date at most 90 days \(sandboxMaxLifetimeDays\) after today \(2026-11-22\)/],
    ["an impossible date", "2027-02-30", /expiresOn: got "2027-02-30"; allowed: a date YYYY-MM-DD$/],
    ["another format", "29.01.2027", /expiresOn: got "29\.01\.2027"; allowed: a date YYYY-MM-DD$/],
    ["a number", 20270129, /expiresOn: got 20270129; allowed: a date YYYY-MM-DD$/],
    ["nothing", undefined, /expiresOn: got nothing \(the key is missing\); allowed: a date YYYY-MM-DD$/],
  ])("rejects %s as expiresOn", (_, expiresOn, expected) => {
    expect(problemsOf(withSandbox({ expiresOn }))).toEqual([expect.stringMatching(expected)]);
  });

  it("accepts today and exactly the maximum lifetime; the lifetime is configurable", () => {
    expect(problemsOf(withSandbox({ expiresOn: "2026-11-22" }))).toEqual([]);
    expect(problemsOf(withSandbox({ expiresOn: "2027-02-20" }))).toEqual([]);
    expect(problemsOf(withSandbox({ expiresOn: "2026-12-23" }, { sandboxMaxLifetimeDays: 30 }))).toEqual([
      expect.stringMatching(/sandboxes\.rpc-bench\.expiresOn: got "2026-12-23"; allowed: a date at most 30 days/),
      expect.stringMatching(/sandboxes\.mev-research\.expiresOn: got "2027-02-12"; allowed: a date at most 30 days/),
    ]);
    expect(problemsOf(withSandbox({}, { sandboxMaxLifetimeDays: 0 }))).toEqual([expect.stringMatching(/sandboxMaxLifetimeDays: got 0; allowed: a whole number from 1 to 365/)]);
  });

  it("lets the offline plan keep an expired sandbox, to report it", () => {
    expect(problemsOf(withSandbox({ expiresOn: "2026-11-01" }), { allowExpired: true })).toEqual([]);
  });

  it("rejects owners not listed in sandboxOwners, and malformed handles", () => {
    expect(problemsOf(withSandbox({ owner: "mallory" }))).toEqual([
      'core-unit-estate:sandboxes.rpc-bench.owner: got "mallory"; allowed: an owner declared under sandboxOwners: alice, bob',
    ]);
    expect(problemsOf(withSandbox({ owner: "Alice" }))).toEqual([expect.stringMatching(/sandboxes\.rpc-bench\.owner: got "Alice"; allowed: a lowercase handle/)]);
    expect(problemsOf(withSandbox({}, { sandboxOwners: ["alice", "Bob"] }))).toEqual(expect.arrayContaining([expect.stringMatching(/sandboxOwners\[1\]: got "Bob"/)]));
    expect(problemsOf(withSandbox({}, { sandboxOwners: undefined }))).toEqual(expect.arrayContaining([expect.stringMatching(/owner: got "alice"; allowed: an owner declared under sandboxOwners: none declared/)]));
  });

  it("checks size, budget, cluster, VM network and unknown keys", () => {
    expect(problemsOf(withSandbox({ size: "xlarge", monthlyBudgetUsd: 0, cluster: "nope", shell: true, vm: { cloud: "gcp", network: "main" } }))).toEqual([
      "core-unit-estate:sandboxes.rpc-bench.shell: got true; allowed: no such key; known keys here: owner, ownerEmail, purpose, expiresOn, monthlyBudgetUsd, size, cluster, vm",
      "core-unit-estate:sandboxes.rpc-bench.monthlyBudgetUsd: got 0; allowed: a number from 1 to 10000",
      "core-unit-estate:sandboxes.rpc-bench.size: got \"xlarge\"; allowed: one of small, medium, large",
      "core-unit-estate:sandboxes.rpc-bench.cluster: got \"nope\"; allowed: the name of a cluster declared under clusters: core, lab",
      "core-unit-estate:sandboxes.rpc-bench.vm.network: got \"main\"; allowed: the name of a gcp network declared under networks: lab",
    ]);
  });

  it("needs the GCP billing account for a sandbox that spends in GCP", () => {
    const raw = stack("staging");
    delete raw.costGovernance;
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/sandboxes\.mev-research: got "mev-research"; allowed: a gcpBillingAccount configured under costGovernance/)]);
  });
});
