import { dataVolumeSize } from "../../../policies/rules/data-volume-size";
import { requiredCostTags } from "../../../policies/rules/required-cost-tags";
import { resource, run, tagged } from "../helpers";

const big = resource("aws:ebs/volume:Volume", { size: 4000, encrypted: true, tags: tagged({ workload: "analytics" }) }, "analytics-scratch");
const untagged = resource("aws:ec2/vpc:Vpc", {}, "imported-vpc");

describe("exemptions, per policy in the stack's pack config", () => {
  it("exempts a resource by name pattern, with the reason as the not-applicable reason", async () => {
    const reason = "one-off backfill of 2025 data, removed after 2026-12-31";
    const outcome = await run(dataVolumeSize, big, { exemptions: [{ name: "analytics-*", reason }] });
    expect(outcome).toEqual({ messages: [], levels: [], notApplicable: [`exempted: ${reason}`] });
  });

  it("exempts by exact URN, and only from the policy whose config lists it", async () => {
    const exemptions = [{ urn: untagged.urn, reason: "imported VPC owned by the networking team, tagged there" }];
    expect((await run(requiredCostTags, untagged, { exemptions })).messages).toEqual([]);
    expect((await run(requiredCostTags, resource("aws:ec2/vpc:Vpc", {}, "other-vpc"), { exemptions })).messages).toHaveLength(1);
    expect((await run(dataVolumeSize, big, { exemptions: [{ name: "analytics", reason: "an exact name does not match a longer one" }] })).messages).toHaveLength(1);
  });

  it("refuses an exemption without a reason, or naming neither or both of urn and name", async () => {
    for (const entry of [{ name: "analytics-*" }, { name: "x", reason: "short" }, { reason: "no resource named at all" }, { urn: big.urn, name: "x", reason: "both at once is ambiguous" }]) {
      await expect(run(dataVolumeSize, big, { exemptions: [entry] })).rejects.toThrow(/policy config "exemptions\[0\]" is .*; expected \{ urn \} or \{ name \} \(one of them\) and a reason of at least 10 characters/);
    }
  });
});
