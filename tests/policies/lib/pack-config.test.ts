import { PackConfigError, reconcilePackConfig } from "../../../policies/lib/pack-config";
import { POLICIES } from "../../../policies/rules";

const level = (config: ReturnType<typeof reconcilePackConfig>, policy: string) => config.get(policy)?.enforcementLevel;

describe("the pack config, reconciled as the Pulumi CLI does", () => {
  it("starts every policy at its own level with its schema's defaults", () => {
    const config = reconcilePackConfig(POLICIES, undefined);
    expect([...config.keys()]).toEqual(POLICIES.map((p) => p.name));
    expect(level(config, "required-cost-tags")).toBe("mandatory");
    expect(config.get("data-volume-size")?.properties).toEqual({ maxGiB: 1000, largeVolumeWorkloads: ["ethereum-node", "indexer"], exemptions: [] });
  });

  it("lets `all` set every level and a policy's own entry override it, as a string or an object", () => {
    const config = reconcilePackConfig(POLICIES, { all: "advisory", "tag-charset": "mandatory", "data-volume-size": { enforcementLevel: "disabled", maxGiB: 2000 } });
    expect([level(config, "required-cost-tags"), level(config, "tag-charset"), level(config, "data-volume-size")]).toEqual(["advisory", "mandatory", "disabled"]);
    expect(config.get("data-volume-size")?.properties).toMatchObject({ maxGiB: 2000, largeVolumeWorkloads: ["ethereum-node", "indexer"] });
    expect(level(reconcilePackConfig(POLICIES, { all: { enforcementLevel: "advisory" } }), "imdsv2-required")).toBe("advisory");
  });

  it("reports every problem at once: unknown policies and settings, bad levels, bad shapes", () => {
    const config = { "required-cost-tag": "mandatory", "tag-charset": "blocking", "data-volume-size": { maxGB: 5 }, "imdsv2-required": 3, all: { maxGiB: 1 } };
    expect(() => reconcilePackConfig(POLICIES, config, "policies/config.qa.json")).toThrow(PackConfigError);
    expect(() => reconcilePackConfig(POLICIES, config, "policies/config.qa.json")).toThrow(
      [
        "policies/config.qa.json has 5 problems:",
        '  - "required-cost-tag": no such policy; the pack\'s policies are required-cost-tags, budget-line-allowed, tag-charset, cost-tags-propagate, allowed-instance-types, sandbox-expiry, data-volume-size, budget-cap, no-public-private-ports, imdsv2-required, encrypted-disks, encrypted-databases, encrypted-buckets, no-public-database, prod-deletion-protection',
        '  - "tag-charset": enforcement level "blocking"; allowed: advisory, mandatory, remediate, disabled',
        '  - "imdsv2-required": 3; expected an enforcement level or an object',
        '  - "all": only an enforcement level applies to all policies',
        '  - "data-volume-size.maxGB": no such setting; the policy\'s settings are maxGiB, largeVolumeWorkloads, exemptions',
      ].join("\n"),
    );
    expect(() => reconcilePackConfig(POLICIES, ["mandatory"])).toThrow("expected a JSON object of policy name -> level or settings");
  });
});
