import { physicalName } from "../../../components/cluster/physical-name";

describe("physicalName", () => {
  const valid = /^[a-z][a-z0-9-]*[a-z0-9]$/;

  it("keeps the component name readable and adds a stable hash", () => {
    const name = physicalName("k8s-main", "estate/prod", 30);
    expect(name).toMatch(/^k8s-main-[0-9a-f]{6}$/);
    expect(physicalName("k8s-main", "estate/prod", 30)).toBe(name);
  });

  it("differs per stack and per component, even when truncation makes the slugs equal", () => {
    expect(physicalName("k8s-main", "estate/prod", 30)).not.toBe(physicalName("k8s-main", "estate/staging", 30));
    const long = "k8s-a-very-long-cluster-name-for-testing";
    expect(physicalName(`${long}-1`, "s", 30)).not.toBe(physicalName(`${long}-2`, "s", 30));
  });

  it.each(["k8s-main", "K8s_Main", "1-cluster", "---", "a", "x".repeat(80), "ab-----------------------cd"])(
    "makes a valid name of %j within the limit",
    (input) => {
      for (const max of [30, 40]) {
        const name = physicalName(input, "estate/test", max);
        expect(name).toMatch(valid);
        expect(name).not.toMatch(/--/);
        expect(name.length).toBeGreaterThanOrEqual(6);
        expect(name.length).toBeLessThanOrEqual(max);
      }
    },
  );
});
