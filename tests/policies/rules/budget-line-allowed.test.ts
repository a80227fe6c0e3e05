import { budgetLineAllowed } from "../../../policies/rules/budget-line-allowed";
import { UNKNOWN } from "../../../policies/lib/unknowns";
import { TAGS, resource, run, tagged } from "../helpers";

const disk = (tags: Record<string, string>) => resource("gcp:compute/disk:Disk", { labels: tags }, "node-0-data");

describe("budget-line-allowed", () => {
  it("passes a line the stack allows, by default any line that may carry cloud spend", async () => {
    expect((await run(budgetLineAllowed, disk(TAGS))).messages).toEqual([]);
    expect((await run(budgetLineAllowed, disk(tagged({ "budget-line": "third-party-integrations" })))).messages).toEqual([]);
  });

  it("rejects a cloud line the stack's config does not list, naming the allowed ones", async () => {
    const { messages, levels } = await run(budgetLineAllowed, disk(TAGS), { allowedBudgetLines: ["rnd-poc"] });
    expect(messages).toEqual([
      'gcp:compute/disk:Disk "node-0-data" labels: budget-line "infrastructure-tools" is not configured for this stack; allowed here: rnd-poc. Fix: charge it to one of those, or add the line to the stack\'s budgetLines and to allowedBudgetLines in policies/config.<stack>.json',
    ]);
    expect(levels).toEqual(["mandatory"]);
  });

  it("says why a line is never allowed: not cloud spend, or not a line of the MIP", async () => {
    expect((await run(budgetLineAllowed, disk(tagged({ "budget-line": "people-cost" })))).messages[0]).toContain('budget-line "people-cost" (People cost) may not carry cloud spend');
    expect((await run(budgetLineAllowed, disk(tagged({ "budget-line": "marketing" })))).messages[0]).toContain('budget-line "marketing" is not a budget line of MIP40c3-SP53');
  });

  it("leaves a missing or malformed budget-line to required-cost-tags", async () => {
    expect((await run(budgetLineAllowed, disk(tagged({ "budget-line": undefined })))).messages).toEqual([]);
    expect((await run(budgetLineAllowed, resource("gcp:compute/disk:Disk", { labels: "none" }))).messages).toEqual([]);
  });

  it("does not apply to types that take no tags", async () => {
    expect((await run(budgetLineAllowed, resource("gcp:compute/firewall:Firewall", {}))).notApplicable).toEqual(["the type takes no tags (components/tagging/taggable.ts)"]);
  });

  it("fails closed on a budget line unknown during preview", async () => {
    const { levels, messages } = await run(budgetLineAllowed, disk(tagged({ "budget-line": UNKNOWN.string })));
    expect(levels).toEqual(["mandatory"]);
    expect(messages[0]).toMatch(/labels: budget-line unknown during preview .*must be a literal string from config/);
  });

  it("runs at the level the stack's config gives it", async () => {
    expect((await run(budgetLineAllowed, disk(tagged({ "budget-line": "travel" })), "advisory")).levels).toEqual(["advisory"]);
    expect((await run(budgetLineAllowed, disk(tagged({ "budget-line": "travel" })), { enforcementLevel: "disabled" })).messages).toEqual([]);
  });
});
