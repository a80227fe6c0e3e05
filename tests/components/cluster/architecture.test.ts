import { al2023AmiType, architectureOf, sharedArchitecture } from "../../../components/cluster/architecture";

describe("architectureOf", () => {
  it.each(["m7g.large", "r7g.2xlarge", "c7g.xlarge", "t4g.medium", "m7gd.large", "c7gn.large", "x2gd.xlarge", "im4gn.large", "is4gen.large", "i8g.xlarge", "a1.large", "g5g.xlarge"])(
    "%s is Graviton (arm64)",
    (type) => expect(architectureOf(type)).toBe("arm64"),
  );

  it.each(["m7i.large", "m6i.xlarge", "r6i.2xlarge", "c6i.large", "i4i.4xlarge", "t3.medium", "m5.large", "g4dn.xlarge", "p5.48xlarge", "u-6tb1.metal", "mac2-m2.metal", "inf2.xlarge"])(
    "%s is x86_64",
    (type) => expect(architectureOf(type)).toBe("x86_64"),
  );

  it.each(["", "m7g", "M7G.large", ".large", "m7g.large "])("rejects %j", (type) => expect(() => architectureOf(type)).toThrow(/not an EC2 instance type/));
});

describe("sharedArchitecture", () => {
  it("returns the one architecture of a group", () => {
    expect(sharedArchitecture(["r7g.xlarge", "m7g.xlarge"])).toBe("arm64");
    expect(sharedArchitecture(["m7i.large", "m6i.large"])).toBe("x86_64");
  });

  it("throws on mixed or empty groups", () => {
    expect(() => sharedArchitecture(["m7i.large", "m7g.large"])).toThrow(/mix architectures \(m7i.large: x86_64, m7g.large: arm64\)/);
    expect(() => sharedArchitecture([])).toThrow(/no instance types/);
  });
});

describe("al2023AmiType", () => {
  it("maps architectures to AL2023 AMI types", () => {
    expect(al2023AmiType("arm64")).toBe("AL2023_ARM_64_STANDARD");
    expect(al2023AmiType("x86_64")).toBe("AL2023_x86_64_STANDARD");
  });
});
