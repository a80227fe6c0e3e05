import { sandboxExpiryAt } from "../../../policies/rules/sandbox-expiry";
import { TAGS, resource, run, tagged } from "../helpers";

const policy = sandboxExpiryAt(() => new Date("2026-11-22T15:00:00Z"));
const SANDBOX = tagged({ environment: "staging", "budget-line": "rnd-poc", workload: "sandbox-alice" });
const vm = (tags: Record<string, string>) => resource("gcp:compute/instance:Instance", { labels: tags, machineType: "e2-medium" }, "sandbox-alice-vm");

describe("sandbox-expiry", () => {
  it("passes a sandbox that expires within the maximum lifetime", async () => {
    expect((await run(policy, vm({ ...SANDBOX, "expires-on": "2026-12-22" }))).messages).toEqual([]);
    expect((await run(policy, vm({ ...SANDBOX, "expires-on": "2026-11-22" }))).messages).toEqual([]);
  });

  it("needs an expires-on tag on every resource of a sandbox", async () => {
    const { messages, levels } = await run(policy, vm(SANDBOX));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual([
      'gcp:compute/instance:Instance "sandbox-alice-vm" labels: a sandbox resource without an expires-on tag. Fix: tag it expires-on: <YYYY-MM-DD>, at most 90 days ahead (costTags(..., { "expires-on": ... }))',
    ]);
  });

  it("rejects dates that are malformed, past, or beyond the maximum lifetime", async () => {
    expect((await run(policy, vm({ ...SANDBOX, "expires-on": "2026-02-30" }))).messages[0]).toContain('expires-on "2026-02-30" is not a date YYYY-MM-DD');
    expect((await run(policy, vm({ ...SANDBOX, "expires-on": "2026-11-21" }))).messages[0]).toContain("the sandbox expired on 2026-11-21. Fix: destroy it");
    expect((await run(policy, vm({ ...SANDBOX, "expires-on": "2027-03-22" }))).messages[0]).toContain("expires-on 2027-03-22 is 120 days ahead, beyond the 90-day maximum lifetime");
  });

  it("takes the lifetime and what makes a sandbox from the stack's config", async () => {
    expect((await run(policy, vm({ ...SANDBOX, "expires-on": "2027-03-22" }), { maxLifetimeDays: 180 })).messages).toEqual([]);
    const lab = vm(tagged({ "budget-line": "rnd-poc", workload: "lab-bob" }));
    expect((await run(policy, lab, { sandboxWorkloadPrefix: "lab-" })).messages).toHaveLength(1);
  });

  it("does not apply to other workloads or to types that take no tags", async () => {
    const { notApplicable } = await run(policy, [vm(TAGS), vm(tagged({ "budget-line": "rnd-poc", workload: "poc" })), resource("gcp:compute/firewall:Firewall", {})]);
    expect(notApplicable).toEqual(["not a sandbox", "not a sandbox", "the type takes no tags (components/tagging/taggable.ts)"]);
  });
});
