import fc from "fast-check";
import { awsSubnetLayout } from "../../../components/network/aws-layout";
import { formatCidr, overlaps, parseCidr } from "../../../components/network/cidr";

describe("awsSubnetLayout", () => {
  it("puts /19 private subnets first and /22 public subnets in the last /19 of a /16", () => {
    expect(awsSubnetLayout("10.10.0.0/16", 3)).toEqual([
      { private: "10.10.0.0/19", public: "10.10.224.0/22" },
      { private: "10.10.32.0/19", public: "10.10.228.0/22" },
      { private: "10.10.64.0/19", public: "10.10.232.0/22" },
    ]);
  });

  it("fits six zones into a /20", () => {
    const layout = awsSubnetLayout("10.0.16.0/20", 6);
    expect(layout.map((z) => z.private)).toEqual(["10.0.16.0/23", "10.0.18.0/23", "10.0.20.0/23", "10.0.22.0/23", "10.0.24.0/23", "10.0.26.0/23"]);
    expect(layout.map((z) => z.public)).toEqual(["10.0.30.0/26", "10.0.30.64/26", "10.0.30.128/26", "10.0.30.192/26", "10.0.31.0/26", "10.0.31.64/26"]);
  });

  it("never overlaps and stays inside the network, for every prefix and zone count", () => {
    const arbitrary = fc.record({
      prefix: fc.integer({ min: 16, max: 20 }),
      block: fc.nat(),
      zones: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ prefix, block, zones }) => {
        const size = 2 ** (32 - prefix);
        const base = (block % 2 ** prefix) * size;
        const network = { base, prefix };
        const subnets = awsSubnetLayout(formatCidr(network), zones).flatMap((z) => [z.private, z.public]).map((c) => parseCidr(c)!);
        for (const [i, a] of subnets.entries()) {
          expect(a.base >= network.base && a.base + 2 ** (32 - a.prefix) <= network.base + size).toBe(true);
          for (const b of subnets.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
        }
      }),
    );
  });

  it("rejects what it cannot lay out", () => {
    expect(() => awsSubnetLayout("10.0.0.1/16", 2)).toThrow(/not an IPv4 CIDR block/);
    expect(() => awsSubnetLayout("10.0.0.0/16", 7)).toThrow(/zones/);
  });
});
