import * as fc from "fast-check";
import {
  BUDGET_LINES,
  COST_TAG_KEYS,
  MIP_BUDGET,
  TAG_VALUE_PATTERN,
  TagError,
  awsAutoScalingTags,
  awsLaunchTemplateTagSpecifications,
  costTags,
  gcpLabels,
  kubernetesLabels,
  tagProblems,
} from "../../../components/tagging";

const input = { coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "ethereum-node", owner: "techops" };

describe("budget-line catalog", () => {
  it("holds every line of MIP40c3-SP53 once, with lowercase ids", () => {
    expect(BUDGET_LINES.map((l) => l.id)).toEqual([
      "people-cost",
      "infrastructure-tools",
      "rnd-poc",
      "third-party-integrations",
      "audits",
      "accounting",
      "recruiting-fees",
      "legal-consultancy",
      "travel",
      "conferences-education",
      "hardware",
      "contingency",
    ]);
    for (const line of BUDGET_LINES) expect(line.id).toMatch(TAG_VALUE_PATTERN);
  });

  it("lets cloud spend reach only the lines that pay for infrastructure", () => {
    expect(BUDGET_LINES.filter((l) => l.cloudSpend).map((l) => l.id)).toEqual(["infrastructure-tools", "rnd-poc", "third-party-integrations"]);
  });

  it("states the MIP totals", () => {
    expect(MIP_BUDGET.annualCapDai).toBe(2_566_200);
    expect(MIP_BUDGET.monthlyCapDai * 12).toBe(MIP_BUDGET.annualCapDai);
    expect(MIP_BUDGET.contingencyShare).toBe(0.25);
  });
});

describe("costTags", () => {
  it("computes the six cost tags", () => {
    expect(costTags(input)).toEqual({
      "core-unit": "tocu-001",
      "budget-line": "infrastructure-tools",
      environment: "prod",
      workload: "ethereum-node",
      owner: "techops",
      "managed-by": "pulumi",
    });
    expect(Object.keys(costTags(input)).sort()).toEqual([...COST_TAG_KEYS].sort());
  });

  it("adds extra tags under the same rules, and a date may start with a digit", () => {
    expect(costTags(input, { "expires-on": "2026-12-31" })["expires-on"]).toBe("2026-12-31");
    expect(() => costTags(input, { "Expires-On": "x" })).toThrow(/tag key "Expires-On"/);
  });

  it.each([
    ["uppercase", { workload: "Ethereum" }],
    ["a dot", { owner: "tech.ops" }],
    ["a space", { budgetLine: "rnd poc" }],
    ["a trailing dash (Kubernetes needs alphanumeric ends)", { workload: "node-" }],
    ["empty", { environment: "" }],
    ["64 characters", { workload: "a".repeat(64) }],
  ])("rejects a value with %s, naming the tag", (_what, bad) => {
    expect(() => costTags({ ...input, ...bad })).toThrow(TagError);
    expect(() => costTags({ ...input, ...bad })).toThrow(/tag "[a-z-]+" has value/);
  });

  it("accepts exactly the values that hold on AWS, GCP and Kubernetes (property)", () => {
    const gcpValue = /^[a-z0-9_-]{0,63}$/;
    const k8sValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (workload) => {
        let accepted = true;
        try {
          costTags({ ...input, workload });
        } catch {
          accepted = false;
        }
        if (accepted) {
          expect(workload).toMatch(gcpValue);
          expect(workload).toMatch(k8sValue);
          expect(workload.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe("tagProblems", () => {
  it("names each missing tag and each bad value", () => {
    const tags = { ...costTags(input) } as Record<string, unknown>;
    delete tags.owner;
    tags.workload = "API";
    expect(tagProblems(tags)).toEqual([expect.stringContaining('tag "workload" has value "API"'), 'missing tag "owner"']);
  });

  it("reports a missing or malformed tag map instead of throwing", () => {
    expect(tagProblems(undefined)).toEqual([expect.stringContaining("no tags")]);
    expect(tagProblems("tags" as unknown as Record<string, unknown>)).toEqual([expect.stringContaining("no tags")]);
  });

  it("leaves platform keys alone", () => {
    expect(tagProblems({ ...costTags(input), "kubernetes.io/role/elb": "1" })).toEqual([]);
  });
});

describe("platform rendering", () => {
  const tags = costTags(input);

  it("launch templates tag the instances and volumes they launch", () => {
    expect(awsLaunchTemplateTagSpecifications(tags)).toEqual([
      { resourceType: "instance", tags },
      { resourceType: "volume", tags },
    ]);
  });

  it("auto scaling groups propagate every tag at launch", () => {
    const asg = awsAutoScalingTags(tags);
    expect(asg).toHaveLength(6);
    expect(asg.every((t) => t.propagateAtLaunch)).toBe(true);
    expect(Object.fromEntries(asg.map((t) => [t.key, t.value]))).toEqual(tags);
  });

  it("GCP labels and Kubernetes labels are copies, never the shared object", () => {
    expect(gcpLabels(tags)).toEqual(tags);
    expect(kubernetesLabels(tags)).not.toBe(tags);
  });
});
