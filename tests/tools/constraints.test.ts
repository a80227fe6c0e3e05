/**
 * The provider constraint catalog, entry by entry: for every entry a compliant and a breaching resource, and the exact
 * breach the check reports (resource, field, value, length, limit). Hand-written cases cover each family of entry; a
 * family the catalog gains without a case here fails the last test.
 */
import { autoname, autonamedField, resourceUrn } from "../../tools/plan/autoname";
import { CONSTRAINTS, ConstraintRule, NameRule, SizeRule } from "../../tools/plan/constraints/catalog";
import { CheckedResource, ConstraintBreach, checkResource } from "../../tools/plan/constraints/check";

/** A concrete type for each entry: `kubernetes:*` entries are checked on a ConfigMap. */
const typeOf = (rule: ConstraintRule): string => (rule.type.endsWith("*") ? "kubernetes:core/v1:ConfigMap" : rule.type);

function resource(type: string, inputs: Record<string, unknown>, name = "r", custom = true): CheckedResource {
  return { urn: resourceUrn("test", "estate", type, name), type, name, custom, inputs };
}

const ARRAYS = new Set(["containers", "initContainers", "ports"]);

/** Inputs holding `value` at the catalog path `field`, and the concrete path the check reports for it. */
function at(field: string, value: unknown, extra: Record<string, unknown> = {}): { inputs: Record<string, unknown>; path: string } {
  const segments = field.split(".");
  const path: string[] = [];
  const build = (i: number, previous: string): unknown => {
    const segment = segments[i];
    if (segment === undefined) return value;
    if (segment === "~") {
      path.push(`.${String(value)} (key)`);
      return { [String(value)]: "v" };
    }
    if (segment === "*") {
      if (ARRAYS.has(previous)) {
        path.push("[0]");
        return [build(i + 1, segment)];
      }
      path.push(".k");
      return { k: build(i + 1, segment) };
    }
    path.push(path.length === 0 ? segment : `.${segment}`);
    return { [segment]: build(i + 1, segment) };
  };
  const inputs = build(0, "") as Record<string, unknown>;
  return { inputs: { ...extra, ...inputs }, path: path.join("") };
}

const shown = (value: string): string => (value.length > 120 ? `${value.slice(0, 119)}…` : value);

function breach(r: CheckedResource, rule: ConstraintRule, fields: Pick<ConstraintBreach, "field" | "value" | "length" | "limit"> & { autonamed?: boolean }): ConstraintBreach {
  return { urn: r.urn, type: r.type, name: r.name, autonamed: false, source: rule.source, ...fields };
}

/**
 * A value of `length` characters in each entry's character set, and one of a compliant length with a character it
 * refuses, keyed by the entry's `allowed` text: an entry with a character set not listed here fails a test.
 */
const CHARSETS: Readonly<Record<string, { valid?: (length: number) => string; refused: string }>> = {
  "letters, digits and '-', not starting or ending with '-', not starting with internal-": { refused: "-lb" },
  "letters, digits and +=,.@_-": { refused: "role/name" },
  "[a-z]([-a-z0-9]*[a-z0-9])?": { refused: "Upper-case" },
  "a DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?": { refused: "dotted.name" },
  "an RFC 1035 label: [a-z]([-a-z0-9]*[a-z0-9])?": { refused: "1starts-with-digit" },
  "a DNS-1123 subdomain: dot-separated DNS-1123 labels": { refused: "under_score" },
  "alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric": { refused: "ends-with-dash-" },
  "[prefix/]name: prefix a DNS-1123 subdomain of at most 253, name at most 63 alphanumerics, '-', '_' and '.'": {
    valid: (n) => (n <= 63 ? "a".repeat(n) : `${"a".repeat(n - 64)}/${"b".repeat(63)}`),
    refused: "Example.COM/name",
  },
  "an IANA service name: [a-z0-9-] with a letter, no leading, trailing or doubled '-'": { refused: "rpc--http" },
  "letters, digits and '-', starting with a letter, no trailing or doubled '-'": { refused: "db--main" },
  "lowercase letters, digits, '.' and '-', starting and ending with a letter or digit": { refused: "Bucket" },
  "lowercase letters, digits and '-', starting with a letter, no trailing or doubled '-'": { refused: "Params" },
  "lowercase letters, digits, spaces, '.', '_' and '-'": { refused: "Subnets" },
  "letters, digits, '-' and '_', starting with a letter or digit": { refused: "-cluster" },
  "letters, digits and ().-/_": { refused: "template:1" },
  "printable ASCII": { refused: "tab\there" },
  "letters, digits and ._-/#": { refused: "group name" },
  "letters, digits, '-' and '_'": { refused: "topic.name" },
  "letters, digits and _.-/": { refused: "param:name" },
  "letters, digits and -_.": { refused: "schedule/1" },
  "no ':' or '\\'": { refused: "budget:line" },
  "alias/ then letters, digits and /_-, not alias/aws/": { valid: (n) => `alias/${"a".repeat(n - 6)}`, refused: "alias/aws/ebs" },
  "a letter, then letters, digits and -_.~+%, not starting with goog": { refused: "google-topic" },
  "letters, digits and '_'": { refused: "billing-export" },
};

const nameRules = CONSTRAINTS.filter((r): r is NameRule => r.kind === "name");
const sizeRules = CONSTRAINTS.filter((r): r is SizeRule => r.kind === "size");
const fixedMax = (rule: NameRule): number => (typeof rule.max === "number" ? rule.max : rule.max({}));
const validName = (rule: NameRule, length: number): string => (rule.allowed && CHARSETS[rule.allowed]?.valid?.(length)) || "a".repeat(length);
const label = (rule: ConstraintRule): string => `${rule.type} ${rule.field}`;

describe("provider constraints: every name entry", () => {
  it.each(nameRules.map((rule) => [label(rule), rule] as const))("%s: passes at its maximum length, breaches one past it", (_label, rule) => {
    const max = fixedMax(rule);
    const type = typeOf(rule);
    const ok = at(rule.field, validName(rule, max));
    expect(checkResource(resource(type, ok.inputs))).toEqual([]);
    const long = validName(rule, max + 1);
    const bad = at(rule.field, long);
    const r = resource(type, bad.inputs);
    const problems = [`at most ${max} characters`, ...(rule.pattern && !rule.pattern.test(long) ? [rule.allowed] : [])].join("; ");
    expect(checkResource(r)).toEqual([breach(r, rule, { field: bad.path, value: shown(long), length: max + 1, limit: problems })]);
  });

  it.each(nameRules.filter((r) => r.min !== undefined).map((rule) => [label(rule), rule] as const))("%s: passes at its minimum length, breaches one short of it", (_label, rule) => {
    const min = rule.min!;
    const type = typeOf(rule);
    expect(checkResource(resource(type, at(rule.field, validName(rule, min)).inputs))).toEqual([]);
    const short = min === 1 ? "" : validName(rule, min - 1);
    const bad = at(rule.field, short);
    const r = resource(type, bad.inputs);
    const problems = [`at least ${min} characters`, ...(rule.pattern && !rule.pattern.test(short) ? [rule.allowed] : [])].join("; ");
    expect(checkResource(r)).toEqual([breach(r, rule, { field: bad.path, value: short, length: short.length, limit: problems })]);
  });

  it.each(nameRules.filter((r) => r.pattern).map((rule) => [label(rule), rule] as const))("%s: refuses a character outside its set, naming the set", (_label, rule) => {
    const charset = CHARSETS[rule.allowed!];
    expect([label(rule), charset]).toEqual([label(rule), expect.objectContaining({ refused: expect.any(String) })]);
    const bad = at(rule.field, charset.refused);
    const r = resource(typeOf(rule), bad.inputs);
    expect(checkResource(r)).toEqual([breach(r, rule, { field: bad.path, value: charset.refused, length: charset.refused.length, limit: rule.allowed! })]);
  });

  it("knows a character-set case for every character set of the catalog", () => {
    const sets = [...new Set(nameRules.flatMap((r) => (r.allowed ? [r.allowed] : [])))];
    expect(sets.filter((s) => !(s in CHARSETS))).toEqual([]);
    expect(nameRules.filter((r) => r.pattern && !r.allowed).map(label)).toEqual([]);
  });
});

describe("provider constraints: autonames", () => {
  const autonamed = nameRules.filter((rule) => !rule.type.endsWith("*") && autonamedField(rule.type) === rule.field);

  it.each(autonamed.map((rule) => [label(rule), rule] as const))("%s: the name the provider would pick counts, suffix included", (_label, rule) => {
    const max = fixedMax(rule);
    const suffix = rule.type.startsWith("kubernetes:") ? 9 : 8;
    const fits = resource(rule.type, {}, "a".repeat(max - suffix));
    expect(autoname(rule.type, fits.name, fits.urn)).toHaveLength(max);
    expect(checkResource(fits)).toEqual([]);
    const over = resource(rule.type, {}, "a".repeat(max - suffix + 1));
    const name = autoname(rule.type, over.name, over.urn);
    expect(checkResource(over)).toEqual([breach(over, rule, { field: rule.field, value: shown(name), length: max + 1, limit: `at most ${max} characters`, autonamed: true })]);
    // A name given explicitly is checked as given, not autonamed.
    expect(checkResource(resource(rule.type, at(rule.field, validName(rule, max)).inputs, over.name))).toEqual([]);
  });

  it("the prod finding: a target group named eth-mainnet-archive-rpc-tg autonames to 34 characters, over AWS's 32", () => {
    const rule = nameRules.find((r) => r.type === "aws:lb/targetGroup:TargetGroup" && r.field === "name")!;
    const r = resource(rule.type, { port: 8545, protocol: "HTTP" }, "eth-mainnet-archive-rpc-tg");
    const [found] = checkResource(r);
    expect(found).toEqual(breach(r, rule, { field: "name", value: expect.stringMatching(/^eth-mainnet-archive-rpc-tg-[0-9a-f]{7}$/), length: 34, limit: "at most 32 characters", autonamed: true }));
    expect(found.value).toBe(autoname(rule.type, r.name, r.urn));
  });

  it("a Kubernetes object autonames metadata.name with 8 characters: a StatefulSet of 44 fits 52, one of 44 + 1 does not", () => {
    const rule = nameRules.find((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.field === "metadata.name")!;
    expect(checkResource(resource(rule.type, { metadata: { labels: { app: "node" } } }, "s".repeat(43)))).toEqual([]);
    const r = resource(rule.type, {}, "s".repeat(44));
    expect(checkResource(r)).toEqual([breach(r, rule, { field: "metadata.name", value: expect.stringMatching(/^s{44}-[a-z0-9]{8}$/), length: 53, limit: "at most 52 characters", autonamed: true })]);
  });

  it("counts the S3 and RDS autonames lowercased, as those providers fold them", () => {
    const r = resource("aws:s3/bucket:Bucket", {}, "Exports");
    expect(autoname(r.type, r.name, r.urn)).toMatch(/^exports-[0-9a-f]{7}$/);
    expect(checkResource(r)).toEqual([]);
  });
});

describe("provider constraints: name prefixes", () => {
  it.each([
    ["aws:lb/loadBalancer:LoadBalancer", 6],
    ["aws:lb/targetGroup:TargetGroup", 6],
    ["aws:iam/role:Role", 38],
  ] as const)("%s namePrefix: at most %i characters", (type, max) => {
    const rule = nameRules.find((r) => r.type === type && r.field === "namePrefix")!;
    expect(rule.max).toBe(max);
    expect(checkResource(resource(type, { namePrefix: "p".repeat(max) }))).toEqual([]);
    const r = resource(type, { namePrefix: "p".repeat(max + 1) });
    expect(checkResource(r)).toEqual([breach(r, rule, { field: "namePrefix", value: "p".repeat(max + 1), length: max + 1, limit: `at most ${max} characters` })]);
  });
});

describe("provider constraints: a name given explicitly", () => {
  it("a GCP service account id is 6 to 30 characters", () => {
    const rule = nameRules.find((r) => r.type === "gcp:serviceaccount/account:Account" && r.field === "accountId")!;
    expect(checkResource(resource(rule.type, { accountId: "idx-api" }))).toEqual([]);
    const long = resource(rule.type, { accountId: "indexer-mainnet-read-api-workers" });
    expect(checkResource(long)).toEqual([breach(long, rule, { field: "accountId", value: "indexer-mainnet-read-api-workers", length: 32, limit: "at most 30 characters" })]);
    const short = resource(rule.type, { accountId: "idx" });
    expect(checkResource(short)).toEqual([breach(short, rule, { field: "accountId", value: "idx", length: 3, limit: "at least 6 characters" })]);
  });
});

describe("provider constraints: a limit computed from other inputs", () => {
  it("a Cloud SQL instance id leaves room for its project id: project:instance is at most 98 characters", () => {
    const rule = nameRules.find((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance")!;
    const project = "p".repeat(40);
    expect(checkResource(resource(rule.type, { project, name: "d".repeat(57) }))).toEqual([]);
    const r = resource(rule.type, { project, name: "d".repeat(58) });
    expect(checkResource(r)).toEqual([breach(r, rule, { field: "name", value: "d".repeat(58), length: 58, limit: "at most 57 characters" })]);
    expect(checkResource(resource(rule.type, { project: "p", name: "d".repeat(58) }))).toEqual([]);
  });
});

/** A value measuring exactly `bytes` the way the entry counts, and the text the breach shows. */
function sized(measure: SizeRule["measure"], bytes: number): { value: unknown; text: string } {
  if (measure === "utf8") {
    // Two bytes a character: the limit is in bytes, not characters.
    const text = "é".repeat(Math.floor(bytes / 2)) + "a".repeat(bytes % 2);
    return { value: text, text };
  }
  if (measure === "base64") {
    const text = Buffer.alloc(bytes, "#").toString("base64");
    return { value: text, text };
  }
  if (measure === "json") {
    const doc = (pad: number) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"b".repeat(pad)}` }] });
    const pad = bytes - JSON.stringify(doc(0)).length;
    // Pretty-printed: IAM does not count the whitespace.
    const text = JSON.stringify(doc(pad), null, 2);
    return { value: text, text };
  }
  // values: keys and values together, spread over keys that each stay under any per-value limit.
  const map: Record<string, string> = {};
  for (let left = bytes, i = 0; left > 0; i++) {
    const key = `k${i}`;
    const value = "v".repeat(Math.min(100_000, left - key.length));
    map[key] = value;
    left -= key.length + value.length;
  }
  return { value: map, text: JSON.stringify(map) };
}

const MEASURED_AS: Readonly<Record<SizeRule["measure"], string>> = { utf8: "bytes", base64: "decoded bytes", json: "bytes without whitespace", values: "bytes of keys and values" };

describe("provider constraints: size limits", () => {
  it.each(sizeRules.map((rule) => [`${label(rule)} (${rule.measure})`, rule] as const))("%s: passes at its limit, breaches one byte over", (_label, rule) => {
    const type = typeOf(rule);
    expect(checkResource(resource(type, at(rule.field, sized(rule.measure, rule.maxBytes).value).inputs))).toEqual([]);
    const over = sized(rule.measure, rule.maxBytes + 1);
    const bad = at(rule.field, over.value);
    const r = resource(type, bad.inputs);
    expect(checkResource(r)).toEqual([breach(r, rule, { field: bad.path, value: shown(over.text), length: rule.maxBytes + 1, limit: `at most ${rule.maxBytes} ${MEASURED_AS[rule.measure]}` })]);
  });

  it("EC2 user data: 16 KiB as given on an instance, decoded on a launch template", () => {
    const instance = sizeRules.find((r) => r.type === "aws:ec2/instance:Instance" && r.field === "userData")!;
    const template = sizeRules.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.field === "userData")!;
    expect([instance.maxBytes, template.maxBytes]).toEqual([16384, 16384]);
    const script = `#!/bin/bash\n${"#".repeat(16384 - 12)}`;
    expect(checkResource(resource(instance.type, { userData: script }))).toEqual([]);
    // 16 KiB of script is ~21.8 KiB of base64: a launch template counts the decoded bytes.
    expect(checkResource(resource(template.type, { userData: Buffer.from(script).toString("base64") }))).toEqual([]);
    const r = resource(instance.type, { userData: `${script}\n` });
    expect(checkResource(r)).toEqual([breach(r, instance, { field: "userData", value: shown(`${script}\n`), length: 16385, limit: "at most 16384 bytes" })]);
  });

  it("GCE metadata: 256 KiB per value and 512 KiB in all", () => {
    const perValue = sizeRules.find((r) => r.type === "gcp:compute/instance:Instance" && r.field === "metadata.*")!;
    const total = sizeRules.find((r) => r.type === "gcp:compute/instance:Instance" && r.field === "metadata")!;
    const quarter = "x".repeat(262144);
    expect(checkResource(resource(perValue.type, { metadata: { a: quarter } }))).toEqual([]);
    const r = resource(perValue.type, { metadata: { "startup-script": `${quarter}x`, a: quarter } });
    expect(checkResource(r)).toEqual([
      breach(r, perValue, { field: "metadata.startup-script", value: shown(`${quarter}x`), length: 262145, limit: "at most 262144 bytes" }),
      breach(r, total, { field: "metadata", value: shown(JSON.stringify(r.inputs.metadata)), length: 14 + 262145 + 1 + 262144, limit: "at most 524288 bytes of keys and values" }),
    ]);
  });
});

describe("provider constraints: input combinations a provider refuses", () => {
  const rule = CONSTRAINTS.find((r) => r.kind === "combination" && r.type === "aws:ec2/instance:Instance")!;
  const ami = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

  it("a resolve:ssm: AMI on an instance with a root block device or EBS block devices", () => {
    for (const [devices, which] of [
      [{ rootBlockDevice: { volumeSize: 30 } }, "rootBlockDevice"],
      [{ ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 100 }] }, "ebsBlockDevices"],
    ] as const) {
      const r = resource(rule.type, { ami, instanceType: "t4g.small", ...devices });
      expect(checkResource(r)).toEqual([breach(r, rule, { field: "ami + rootBlockDevice/ebsBlockDevices", value: `ami "${ami}" with ${which}`, length: null, limit: (rule as { limit: string }).limit })]);
    }
  });

  it("accepts the SSM reference alone, an image id with block devices, and the sandbox VM's launch template", () => {
    expect(checkResource(resource(rule.type, { ami, instanceType: "t4g.small" }))).toEqual([]);
    expect(checkResource(resource(rule.type, { ami, ebsBlockDevices: [] }))).toEqual([]);
    expect(checkResource(resource(rule.type, { ami: "ami-0123456789abcdef0", rootBlockDevice: { volumeSize: 30 } }))).toEqual([]);
    expect(checkResource(resource(rule.type, { launchTemplate: { id: "lt-0123456789abcdef0", version: "$Latest" }, instanceType: "t4g.small" }))).toEqual([]);
  });
});

describe("provider constraints: Kubernetes paths and precedence", () => {
  it("a container port name over 15 characters, in a Deployment's pod template", () => {
    const rule = nameRules.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.field === "spec.template.spec.containers.*.ports.*.name")!;
    const ports = [{ name: "rpc-http", containerPort: 8545 }, { name: "consensus-metric", containerPort: 5054 }];
    const r = resource(rule.type, { metadata: { name: "node" }, spec: { template: { spec: { containers: [{ name: "execution", ports }] } } } });
    expect(checkResource(r)).toEqual([breach(r, rule, { field: "spec.template.spec.containers[0].ports[1].name", value: "consensus-metric", length: 16, limit: "at most 15 characters" })]);
  });

  it("a CronJob's pod template sits under its job template", () => {
    const rule = nameRules.find((r) => r.type === "kubernetes:batch/v1:CronJob" && r.field === "spec.jobTemplate.spec.template.metadata.labels.*")!;
    const r = resource(rule.type, { metadata: { name: "drill" }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { tier: "t".repeat(64) } } } } } } });
    expect(checkResource(r)).toEqual([breach(r, rule, { field: "spec.jobTemplate.spec.template.metadata.labels.tier", value: "t".repeat(64), length: 64, limit: "at most 63 characters" })]);
  });

  it("the specific entry for a kind stands over the general one for the same field", () => {
    const specific = nameRules.find((r) => r.type === "kubernetes:core/v1:Service" && r.field === "metadata.name")!;
    // Both the RFC 1035 label (63) and the DNS-1123 subdomain (253) refuse an underscore: one breach, the Service's.
    const r = resource(specific.type, { metadata: { name: "rpc_endpoint" } });
    expect(checkResource(r)).toEqual([breach(r, specific, { field: "metadata.name", value: "rpc_endpoint", length: 12, limit: specific.allowed! })]);
  });

  it("checks cloud resources only: a component's inputs are never a provider's", () => {
    expect(checkResource(resource("aws:lb/targetGroup:TargetGroup", { name: "n".repeat(40) }, "c", false))).toEqual([]);
  });
});

/** The family of an entry: what kind of limit it is and how it is counted. */
function family(rule: ConstraintRule): string {
  if (rule.kind === "combination") return `combination: ${rule.type} ${rule.field}`;
  if (rule.kind === "size") return `size: ${rule.measure}`;
  if (typeof rule.max === "function") return "name: computed limit";
  if (rule.field === "namePrefix") return "name: prefix";
  if (rule.type.startsWith("kubernetes:") && /\.\*|~/.test(rule.field)) return "name: Kubernetes nested path";
  return autonamedField(typeOf(rule)) === rule.field ? "name: autonamed field" : "name: given field";
}

/** The families the hand-written cases above cover. */
const COVERED = [
  "name: autonamed field",
  "name: given field",
  "name: prefix",
  "name: computed limit",
  "name: Kubernetes nested path",
  "size: utf8",
  "size: base64",
  "size: json",
  "size: values",
  "combination: aws:ec2/instance:Instance ami + rootBlockDevice/ebsBlockDevices",
];

describe("provider constraints: coverage", () => {
  it("every family of entry in the catalog has hand-written cases here", () => {
    const families = [...new Set(CONSTRAINTS.map(family))];
    expect(families.filter((f) => !COVERED.includes(f))).toEqual([]);
    expect(COVERED.filter((f) => !families.includes(f))).toEqual([]);
  });

  it("holds the limits the providers document", () => {
    const limits = (type: string, field: string) => nameRules.filter((r) => r.type === type && r.field === field).map((r) => [r.min ?? 0, fixedMax(r)]);
    expect([
      limits("aws:lb/loadBalancer:LoadBalancer", "name"),
      limits("aws:lb/targetGroup:TargetGroup", "name"),
      limits("aws:iam/role:Role", "name"),
      limits("aws:iam/role:Role", "namePrefix"),
      limits("aws:s3/bucket:Bucket", "bucket"),
      limits("aws:rds/instance:Instance", "identifier"),
      limits("gcp:compute/instance:Instance", "name"),
      limits("gcp:serviceaccount/account:Account", "accountId"),
      limits("kubernetes:core/v1:Namespace", "metadata.name"),
      limits("kubernetes:apps/v1:StatefulSet", "metadata.name"),
      limits("kubernetes:apps/v1:StatefulSet", "spec.template.spec.containers.*.ports.*.name"),
    ]).toEqual([[[1, 32]], [[1, 32]], [[1, 64]], [[0, 38]], [[3, 63]], [[1, 63]], [[1, 63]], [[6, 30]], [[1, 63]], [[1, 52]], [[1, 15]]]);
  });

  it("every entry states its source", () => {
    expect(CONSTRAINTS.filter((r) => !/^https:\/\//.test(r.source)).map(label)).toEqual([]);
  });
});
