import * as fc from "fast-check";
import * as path from "path";
import { PROJECT, ParseOptions, TOP_LEVEL_KEYS, formatProblems, parseEstateConfig } from "../../stacks/config";
import { formatProblem } from "../../stacks/config-reader";
import { decodeNamespace } from "../../stacks/raw-config";
import { AWS_REGIONS, GCP_REGIONS } from "../../stacks/regions";
import { readStackConfig } from "../../tools/plan/stack-file";
import { EKS_VERSION_CALENDAR, eksStandardSupport } from "../../components/cluster/eks-versions";
import { PLAN_DATE } from "../helpers/plans-cache";

/** The stacks' sandboxes expire: validate them as of a fixed date, not the machine's. */
const AS_OF = { today: PLAN_DATE };

const ROOT = path.resolve(__dirname, "../..");
const stackRaw = (stack: string): Record<string, unknown> => decodeNamespace(readStackConfig(ROOT, stack).config, PROJECT);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function problemsOf(raw: Record<string, unknown>, stack = "staging", options: Partial<ParseOptions> = {}): string[] {
  const result = parseEstateConfig(raw, stack, { ...AS_OF, ...options });
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe("the project's stacks", () => {
  it.each(["staging", "prod"])("%s parses into a typed config", (stack) => {
    const result = parseEstateConfig(stackRaw(stack), stack, AS_OF);
    if (!result.ok) throw new Error(formatProblems(result.problems));
    expect(result.config.environment).toBe(stack);
    expect(result.config.coreUnit).toBe("tocu-001");
    expect(result.config.networks.length).toBeGreaterThan(0);
    expect(result.config.clusters.length).toBeGreaterThan(0);
  });

  it("exercises AWS, GCP and Kubernetes between them", () => {
    const configs = ["staging", "prod"].map((s) => parseEstateConfig(stackRaw(s), s, AS_OF)).map((r) => (r.ok ? r.config : undefined));
    const kinds = new Set(configs.flatMap((c) => c!.clusters.map((k) => k.kind)));
    expect(kinds).toEqual(new Set(["eks", "gke"]));
  });
});

describe("validation", () => {
  const base = stackRaw("staging");

  it("rejects an unknown top-level key, naming it and the known keys", () => {
    expect(problemsOf({ ...base, budgetLine: {} })).toEqual([
      `core-unit-estate:budgetLine: got {}; allowed: no such key; known keys: ${TOP_LEVEL_KEYS.join(", ")}`,
    ]);
  });

  it("rejects a misspelt nested key", () => {
    const raw = clone(base) as any;
    raw.networks.main.natGateway = "single";
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^core-unit-estate:networks\.main\.natGateway: got "single"; allowed: no such key; known keys here: .*natGateways/)]);
  });

  it("reports every problem at once", () => {
    const raw = clone(base) as any;
    raw.environment = "production";
    raw.owner = "Tech Ops";
    raw.networks.main.cidr = "10.20.0.1/16";
    raw.clusters.core.nodeGroups.general.minSize = 5;
    const problems = problemsOf(raw);
    expect(problems).toEqual([
      'core-unit-estate:environment: got "production"; allowed: one of staging, prod',
      expect.stringMatching(/^core-unit-estate:owner: got "Tech Ops"; allowed: the owning team/),
      expect.stringMatching(/^core-unit-estate:networks\.main\.cidr: got "10\.20\.0\.1\/16"; allowed: an IPv4 CIDR block with no host bits set/),
      expect.stringMatching(/^core-unit-estate:clusters\.core\.nodeGroups\.general: got .*"minSize":5.*; allowed: minSize <= desiredSize <= maxSize/),
    ]);
    expect(formatProblems(parseEstateConfig(raw, "staging", AS_OF).ok ? [] : (parseEstateConfig(raw, "staging", AS_OF) as any).problems)).toMatch(/^Stack configuration has 4 problems:/);
  });

  it("names the missing required keys", () => {
    expect(problemsOf({})).toEqual([
      "core-unit-estate:coreUnit: got nothing (the key is missing); allowed: the Core Unit id (lowercase letters, digits, '-' and '_', 1-63 characters, starting and ending with a letter or digit), e.g. tocu-001",
      "core-unit-estate:environment: got nothing (the key is missing); allowed: one of staging, prod",
      expect.stringMatching(/^core-unit-estate:owner: got nothing/),
      expect.stringMatching(/^core-unit-estate:budgetLines: got nothing .*infrastructure-tools, rnd-poc, third-party-integrations/),
    ]);
  });

  describe("budget lines", () => {
    it("rejects a line that is not in MIP40c3-SP53", () => {
      expect(problemsOf({ ...base, budgetLines: { ...(base.budgetLines as object), "cloud-stuff": { monthlyCapDai: 10 } } })).toEqual([
        expect.stringMatching(/^core-unit-estate:budgetLines\.cloud-stuff: .*allowed: a budget line of MIP40c3-SP53 that may carry cloud spend/),
      ]);
    });

    it("rejects a line that may not carry cloud spend", () => {
      expect(problemsOf({ ...base, budgetLines: { ...(base.budgetLines as object), travel: { monthlyCapDai: 10 } } })).toEqual([
        expect.stringMatching(/^core-unit-estate:budgetLines\.travel: /),
      ]);
    });

    it("rejects caps above the MIP's monthly total, alone or together", () => {
      expect(problemsOf({ ...base, budgetLines: { "infrastructure-tools": { monthlyCapDai: 213_851 }, "rnd-poc": { monthlyCapDai: 1 } } })).toEqual([
        expect.stringMatching(/^core-unit-estate:budgetLines\.infrastructure-tools\.monthlyCapDai: got 213851; allowed: a number from 1 to 213850/),
      ]);
      const sum = problemsOf({ ...base, budgetLines: { "infrastructure-tools": { monthlyCapDai: 200_000 }, "rnd-poc": { monthlyCapDai: 20_000 } } });
      expect(sum).toEqual([expect.stringMatching(/^core-unit-estate:budgetLines: .*at most 213850 DAI.*add up to 220000/)]);
    });

    it("rejects a workload charged to a line the stack has not configured", () => {
      const raw = clone(base) as any;
      raw.clusters.core.namespaces.indexer.budgetLine = "third-party-integrations";
      expect(problemsOf(raw)).toEqual([
        'core-unit-estate:clusters.core.namespaces.indexer.budgetLine: got "third-party-integrations"; allowed: a budget line configured under budgetLines: infrastructure-tools, rnd-poc',
      ]);
    });
  });

  describe("references", () => {
    it("rejects a cluster on a network that does not exist or is of the other cloud", () => {
      const raw = clone(base) as any;
      raw.clusters.core.network = "lab";
      raw.clusters.lab.network = "nowhere";
      expect(problemsOf(raw)).toEqual([
        'core-unit-estate:clusters.core.network: got "lab"; allowed: the name of a aws network declared under networks: main',
        'core-unit-estate:clusters.lab.network: got "nowhere"; allowed: the name of a gcp network declared under networks: lab',
      ]);
    });

    it("rejects a network of a cloud that is not configured", () => {
      const raw = clone(base) as any;
      delete raw.gcp;
      expect(problemsOf(raw)).toEqual([expect.stringMatching(/^core-unit-estate:networks\.lab\.cloud: got "gcp"; allowed: aws, unless the gcp section/)]);
    });

    it("needs a kubeconfig secret for an existing cluster, and no stray ones", () => {
      const raw = clone(base) as any;
      raw.clusters.onprem = { kind: "existing", namespaces: { poc: { budgetLine: "rnd-poc" } } };
      expect(problemsOf(raw)).toEqual([expect.stringMatching(/^core-unit-estate:kubeconfigs\.onprem: got nothing .*pulumi config set --secret --path 'kubeconfigs\.onprem'/)]);
      raw.kubeconfigs = { onprem: "apiVersion: v1", typo: "apiVersion: v1" };
      expect(problemsOf(raw, "staging", { secretKeys: ["kubeconfigs"] })).toEqual([expect.stringMatching(/^core-unit-estate:kubeconfigs\.typo: got "\[secret\]"; allowed: a kubeconfig for a cluster declared with kind: existing \(onprem\)/)]);
    });

    it("refuses a kubeconfig in plain text, as it refuses a plain webhook URL", () => {
      const raw = clone(base) as any;
      raw.clusters.onprem = { kind: "existing", namespaces: { poc: { budgetLine: "rnd-poc" } } };
      raw.kubeconfigs = { onprem: "apiVersion: v1\nusers: [{ name: admin, user: { token: abc } }]" };
      const refusal = `core-unit-estate:kubeconfigs.onprem: got "[not shown]"; allowed: a secret: pulumi config set --secret --path 'kubeconfigs.onprem' "$(cat kubeconfig.yaml)" (a kubeconfig carries the cluster's credentials; remove the plain text from the stack file)`;
      expect(problemsOf(raw)).toEqual([refusal]);
      // The stack file can mix an encrypted entry with a plain one: the whole key is secret, the entry is not.
      expect(problemsOf(raw, "staging", { secretKeys: ["kubeconfigs"], secretPaths: ["kubeconfigs.other"] })).toEqual([refusal]);
      expect(problemsOf(raw, "staging", { secretKeys: ["kubeconfigs"], secretPaths: ["kubeconfigs.onprem"] })).toEqual([]);
      expect(problemsOf(raw, "staging", { secretKeys: ["kubeconfigs"] })).toEqual([]);
    });

    it("rejects GCP ranges that overlap", () => {
      const raw = clone(base) as any;
      raw.networks.lab.servicesCidr = "10.48.0.0/20";
      expect(problemsOf(raw)).toEqual([expect.stringMatching(/^core-unit-estate:networks\.lab: .*do not overlap/)]);
    });
  });

  describe("prod demands HA", () => {
    const prod = stackRaw("prod");
    it("per-AZ NAT, regional GKE, two nodes per group at least", () => {
      const raw = clone(prod) as any;
      raw.networks.main.natGateways = "single";
      raw.clusters.analytics.regional = false;
      raw.clusters.core.nodeGroups.system.minSize = 1;
      raw.clusters.core.nodeGroups.system.desiredSize = 1;
      expect(problemsOf(raw, "prod").map((p) => p.split(":")[1])).toEqual([
        "networks.main.natGateways",
        "clusters.core.nodeGroups.system.minSize",
        "clusters.analytics.regional",
      ]);
    });
  });

  describe("regions", () => {
    it("takes the regions the clouds offer, and only those", () => {
      const raw = clone(base) as any;
      raw.aws.region = "us-east-9";
      raw.gcp.region = "us-central9";
      expect(problemsOf(raw)).toEqual([
        expect.stringMatching(/^core-unit-estate:aws\.region: got "us-east-9"; allowed: an AWS region \(stacks\/regions\.ts\): af-south-1, .*, us-east-1, /),
        expect.stringMatching(/^core-unit-estate:gcp\.region: got "us-central9"; allowed: a GCP region \(stacks\/regions\.ts\): africa-south1, .*, us-central1, /),
      ]);
    });

    it("accepts a real region the price tables do not cover (the plan warns about its cost instead)", () => {
      const raw = clone(base) as any;
      raw.aws.region = "eu-west-1";
      raw.gcp.region = "europe-west4";
      expect(problemsOf(raw)).toEqual([]);
    });

    it("lists the AWS regions the installed provider knows", () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Region } = require("@pulumi/aws/types/enums") as { Region: Record<string, string> };
      expect([...AWS_REGIONS].sort()).toEqual(Object.values(Region).sort());
      expect(new Set(GCP_REGIONS).size).toBe(GCP_REGIONS.length);
    });
  });

  describe("networks that could be peered", () => {
    it("refuses two networks with overlapping ranges, in one cloud or across clouds", () => {
      const raw = clone(base) as any;
      raw.networks.second = { cloud: "aws", cidr: "10.20.0.0/16" };
      raw.networks.lab.podsCidr = "10.20.0.0/14";
      expect(problemsOf(raw)).toEqual([
        'core-unit-estate:networks.lab.podsCidr: got "10.20.0.0/14"; allowed: a range that does not overlap networks.main.cidr (10.20.0.0/16), so the two can be peered; or neverPeered: true on a network that is never peered or connected to the others',
        'core-unit-estate:networks.second.cidr: got "10.20.0.0/16"; allowed: a range that does not overlap networks.main.cidr (10.20.0.0/16), so the two can be peered; or neverPeered: true on a network that is never peered or connected to the others',
        'core-unit-estate:networks.second.cidr: got "10.20.0.0/16"; allowed: a range that does not overlap networks.lab.podsCidr (10.20.0.0/14), so the two can be peered; or neverPeered: true on a network that is never peered or connected to the others',
      ]);
    });

    it("accepts the overlap when a network is marked as never peered", () => {
      const raw = clone(base) as any;
      raw.networks.second = { cloud: "aws", cidr: "10.20.0.0/16", neverPeered: true };
      const result = parseEstateConfig(raw, "staging", AS_OF);
      expect(result.ok && result.config.networks.map((n) => [n.name, n.neverPeered])).toEqual([["main", false], ["lab", false], ["second", true]]);
      raw.networks.second.neverPeered = "sometimes";
      expect(problemsOf(raw)).toEqual(['core-unit-estate:networks.second.neverPeered: got "sometimes"; allowed: true or false']);
    });

    it("accepts the project's stacks, whose networks do not overlap", () => {
      for (const stack of ["staging", "prod"]) expect(problemsOf(stackRaw(stack), stack)).toEqual([]);
    });
  });

  it.each(["0.0.0.0/0", "::/0"])("says %s is open to the internet", (open) => {
    const raw = clone(base) as any;
    raw.clusters.core.publicAccessCidrs = [open];
    raw.clusters.lab.masterAuthorizedCidrs = [open];
    expect(problemsOf(raw)).toEqual([
      `core-unit-estate:clusters.core.publicAccessCidrs[0]: got "${open}"; allowed: not ${open}, which is open to the internet: the ranges that may reach the endpoint (an office, a VPN, a CI runner's egress), each an IPv4 CIDR block with no host bits set, e.g. 10.20.0.0/16, prefix /8 to /32`,
      `core-unit-estate:clusters.lab.masterAuthorizedCidrs[0]: got "${open}"; allowed: not ${open}, which is open to the internet: the ranges that may reach the endpoint (an office, a VPN, a CI runner's egress), each an IPv4 CIDR block with no host bits set, e.g. 10.20.0.0/16, prefix /8 to /32`,
    ]);
  });

  it("accepts only the log retentions CloudWatch offers", () => {
    const raw = clone(base) as any;
    raw.networks.main.flowLogRetentionDays = 45;
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^core-unit-estate:networks\.main\.flowLogRetentionDays: got 45; allowed: a retention CloudWatch Logs offers, in days: 1, 3, 5, 7, 14, 30, 60, 90/)]);
  });

  it("reads scalars the CLI passes as strings", () => {
    const result = parseEstateConfig({ ...base, daiPerUsd: "1.02" }, "staging", AS_OF);
    expect(result.ok && result.config.daiPerUsd).toBe(1.02);
    expect(problemsOf({ ...base, daiPerUsd: "one" })).toEqual(['core-unit-estate:daiPerUsd: got "one"; allowed: a number from 0.5 to 2']);
  });

  it("accepts empty workload sections", () => {
    expect(problemsOf({ ...base, ethereumNodes: {}, indexers: {}, apiServices: {} })).toEqual([]);
  });
});

describe("malformed configs never crash (properties)", () => {
  const base = stackRaw("staging");
  const json = fc.jsonValue({ maxDepth: 3 });

  it("any value under any top-level key yields ok or problems, each naming a key", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TOP_LEVEL_KEYS, "budgetLine", "Network", "__proto__x"), json, (key, value) => {
        const result = parseEstateConfig({ ...base, [key]: value }, "staging", AS_OF);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) {
            expect(p.key.startsWith("core-unit-estate:")).toBe(true);
            expect(p.allowed.length).toBeGreaterThan(0);
            expect(typeof formatProblem(p)).toBe("string");
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a random value at a random existing path is accepted, or blamed on that path (or a reference to it)", () => {
    const paths: string[][] = [];
    const walk = (v: unknown, at: string[]): void => {
      if (at.length > 0) paths.push(at);
      if (v && typeof v === "object" && !Array.isArray(v)) for (const [k, child] of Object.entries(v)) walk(child, [...at, k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), json, (at, value) => {
        const raw = clone(base) as any;
        let node = raw;
        for (const k of at.slice(0, -1)) node = node[k];
        node[at[at.length - 1]] = value;
        const result = parseEstateConfig(raw, "staging", AS_OF);
        if (result.ok) return;
        const changed = `${PROJECT}:${at.join(".")}`;
        const related = (key: string): boolean => key === changed || changed.startsWith(`${key}.`) || key.startsWith(`${changed}.`) || key.startsWith(`${changed}[`);
        const reference = (allowed: string): boolean => /declared under|configured under|section|kind: existing| in prod/.test(allowed);
        for (const p of result.problems) expect(related(p.key) || reference(p.allowed)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("an unknown key is always named", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !(TOP_LEVEL_KEYS as readonly string[]).includes(k)), (key) => {
        const result = parseEstateConfig({ ...base, [key]: "x" }, "staging", AS_OF);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.problems.map((p) => p.key)).toContain(`${PROJECT}:${key}`);
      }),
    );
  });
});

describe("EKS versions", () => {
  const base = stackRaw("prod");
  const withVersion = (version: unknown, today: string) => {
    const raw = clone(base) as any;
    raw.clusters.core.version = version;
    const result = parseEstateConfig(raw, "prod", { today: new Date(`${today}T12:00:00Z`) });
    return result.ok ? [] : result.problems.map(formatProblem);
  };

  it("pins both stacks to a version in standard support, with months to go", () => {
    for (const stack of ["staging", "prod"]) {
      const version = (stackRaw(stack) as any).clusters.core.version;
      const entry = EKS_VERSION_CALENDAR.versions.find((v) => v.version === version)!;
      expect(eksStandardSupport(version, PLAN_DATE)).toBe(entry);
      expect(entry.standardSupportEnds > EKS_VERSION_CALENDAR.checked).toBe(true);
    }
  });

  it("keeps the calendar as data, with its source, each support period 14 months and extended support 12 more", () => {
    expect(EKS_VERSION_CALENDAR.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/eks\//);
    for (const v of EKS_VERSION_CALENDAR.versions) {
      const months = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
      expect([v.version, months(v.released, v.standardSupportEnds)]).toEqual([v.version, 14]);
      expect([v.version, months(v.standardSupportEnds, v.extendedSupportEnds)]).toEqual([v.version, 12]);
    }
  });

  it("rejects a version past standard support from its end date on, naming the key, the dates and the source", () => {
    expect(withVersion("1.34", "2026-12-01")).toEqual([]);
    const [problem] = withVersion("1.34", "2026-12-02");
    expect(problem).toMatch(/^core-unit-estate:clusters\.core\.version: got "1\.34"; allowed: an EKS version in standard support on 2026-12-02: 1\.35 \(standard support until 2027-03-27\); past standard support: 1\.34 \(ended 2026-12-02\), 1\.33 \(ended 2026-07-29\), 1\.32 \(ended 2026-03-23\) \(calendar checked 2026-12-02: https:\/\/docs\.aws\.amazon\.com/);
    expect(withVersion("1.33", "2026-11-22")).toEqual([expect.stringMatching(/clusters\.core\.version: got "1\.33"; allowed: an EKS version in standard support on 2026-11-22: 1\.35 \(standard support until 2027-03-27\), 1\.34 \(standard support until 2026-12-02\)/)]);
    // After the last day of the newest entry nothing is allowed: the calendar needs the next version.
    expect(withVersion("1.35", "2027-03-27")).toEqual([expect.stringMatching(/got "1\.35"; allowed: an EKS version in standard support on 2027-03-27: none in the calendar/)]);
  });

  it("rejects versions the calendar does not know and values that are no version", () => {
    for (const bad of ["1.36", "1.35.1", 1.35, undefined]) {
      expect(withVersion(bad, "2026-12-02")).toEqual([expect.stringMatching(/^core-unit-estate:clusters\.core\.version: got .*; allowed: an EKS version in standard support on 2026-12-02: 1\.35 /)]);
    }
  });
});
