/**
 * An indexer of the project's image on a chain it has no Maker address book for: staging's on hoodi, where Maker/Sky
 * has no public deployment. The plan warns naming the key and what is held (tests/tools/plan-cli.test.ts sees it),
 * and holds the workers and the read API at 0 replicas with no alarm tripped by that alone; the key clears all.
 */
import { addressBookGap, addressBookGaps } from "../../stacks/indexer-address-books";
import { formatProblem } from "../../stacks/config-reader";
import { Plan } from "../../tools/plan/plan";
import { renderEstate } from "../../tools/plan/render-estate";
import { readStackConfig } from "../../tools/plan/stack-file";
import { ROOT, planOf } from "../helpers/estate";
import { PLAN_DATE } from "../helpers/plans-cache";
import { parseStack, stackValues as stack } from "../helpers/stack-config";

const KEY = "core-unit-estate:indexers.maker.worker.env.MAKER_ADDRESSES";
const indexersOf = (raw: Record<string, unknown>, name: string) => {
  const result = parseStack(raw, name);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.config.indexers;
};

const plans: Record<string, Plan> = {};
beforeAll(async () => {
  plans.prod = await planOf("prod");
  plans.staging = await planOf("staging");
});
const named = (stack: string, name: string) => plans[stack].resources.find((r) => r.name === name);
const replicasOf = (stack: string, name: string) => (named(stack, name)!.inputs.spec as any).replicas;
const POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ofType = (stack: string, type: string) => plans[stack].resources.filter((r) => r.type === type);

test("staging's indexer on hoodi has no address book: one warning naming the key and what is missing", () => {
  const gaps = addressBookGaps(indexersOf(stack("staging"), "staging"));
  expect(gaps).toEqual([{ indexer: "maker", key: KEY, message: expect.stringContaining(`${KEY} is not set`) }]);
  expect(gaps[0].message).toContain("Maker's addresses on mainnet only");
  expect(gaps[0].message).toContain("no public deployment with a Chainlog on hoodi");
  expect(gaps[0].message).toContain("its workers (they would exit at start) and its read API (no schema to serve) are planned with 0 replicas");
  expect(gaps[0].message).toContain("without autoscaler or disruption budget, and its indexer-not-ready alarm disabled");
  expect(gaps[0].message).not.toContain("forwards");
});

test("the warning names what still alarms: each API service that forwards to the held read API", () => {
  const [gap] = addressBookGaps(indexersOf(stack("staging"), "staging"), { "public-api": "maker", other: undefined });
  expect(gap.message).toMatch(/ public-api forwards to the read API: those requests fail \(5xx\), and its api-5xx-rate alarm fires when they pass 5% of its requests\.$/);
  expect(gap.message.match(/forwards/g)).toHaveLength(1);
});

test("an address book, mainnet, or another image: no warning", () => {
  const raw = stack("staging");
  raw.indexers.maker.worker.env = { MAKER_ADDRESSES: "/app/addresses/hoodi.json" };
  expect(addressBookGaps(indexersOf(raw, "staging"))).toEqual([]);
  expect(addressBookGaps(indexersOf(stack("prod"), "prod"))).toEqual([]);
  const [staging] = indexersOf(stack("staging"), "staging");
  expect(addressBookGap({ ...staging, deployments: [{ id: "v1", image: "ghcr.io/someone/other-indexer:1.0" }] })).toBeUndefined();
});

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const REPOSITORY = "ghcr.io/techops-example/core-unit-estate-indexer";

test.each([
  ["a tag", `${REPOSITORY}:0.1.1`],
  ["a digest", `${REPOSITORY}@${DIGEST}`],
  ["a tag and a digest", `${REPOSITORY}:0.1.1@${DIGEST}`],
  ["a registry with a port", `registry.internal:5000/core-unit-estate-indexer@${DIGEST}`],
])("the project's image pinned by %s, on hoodi without an address book: the warning and the hold", (_, image) => {
  const [staging] = indexersOf(stack("staging"), "staging");
  expect(addressBookGap({ ...staging, deployments: [{ id: "v1", image }] })?.key).toBe(KEY);
});

test.each([
  `ghcr.io/someone/core-unit-estate-indexer-fork:0.1.1`,
  `ghcr.io/someone/my-core-unit-estate-indexer@${DIGEST}`,
  `ghcr.io/core-unit-estate-indexer/other:0.1.1`,
  `core-unit-estate-indexer:5000/other:0.1.1`,
])("another repository whose name merely contains the project's (%s): no warning", (image) => {
  const [staging] = indexersOf(stack("staging"), "staging");
  expect(addressBookGap({ ...staging, deployments: [{ id: "v1", image }] })).toBeUndefined();
});

test("the plan holds staging's workers at 0 replicas; prod's run", () => {
  expect(replicasOf("staging", "idx-maker-worker-v14")).toBe(0);
  expect(replicasOf("prod", "idx-maker-worker-v14")).toBe(1);
});

test("staging holds its read API too: a Deployment of 0 replicas, no autoscaler, no disruption budget", () => {
  expect(replicasOf("staging", "idx-maker-api-deployment")).toBe(0);
  expect(named("staging", "idx-maker-api-hpa")).toBeUndefined();
  expect(named("staging", "idx-maker-api-pdb")).toBeUndefined();
  // Forced over the HPA's controller, which owns `.spec.replicas` once it has scaled the running API: without it the
  // first update after the hold fails with a server-side apply conflict.
  expect(named("staging", "idx-maker-api-deployment")!.inputs.metadata).toMatchObject({ annotations: { "pulumi.com/patchForce": "true" } });
  // Its Service stays, so public-api's upstream URL and NetworkPolicies do not change when the hold is lifted.
  expect(named("staging", "idx-maker-api-service")?.type).toBe("kubernetes:core/v1:Service");
  // The public API in front of it is not held.
  expect((named("staging", "api-public-api-hpa")!.inputs.spec as any).minReplicas).toBe(1);
  expect(named("staging", "api-public-api-pdb")?.type).toBe("kubernetes:policy/v1:PodDisruptionBudget");
});

test("staging plans only the held indexer's not-ready policy disabled; public-api's 5xx policy stays on, as the warning says", () => {
  const disabled = ofType("staging", POLICY).filter((p) => p.inputs.enabled !== true).map((p) => p.name);
  expect(disabled).toEqual(["monitoring-gcp-indexer-maker-indexer-not-ready"]);
  expect(named("staging", "monitoring-gcp-api-public-api-api-5xx-rate")!.inputs.enabled).toBe(true);
});

test("prod is not held: workers at 1, the read API's count left to its autoscaler, its PDB, every alarm on", () => {
  expect(replicasOf("prod", "idx-maker-api-deployment")).toBeUndefined();
  expect((named("prod", "idx-maker-api-deployment")!.inputs.metadata as any).annotations).toBeUndefined();
  expect((named("prod", "idx-maker-api-hpa")!.inputs.spec as any).minReplicas).toBe(2);
  expect(named("prod", "idx-maker-api-pdb")?.type).toBe("kubernetes:policy/v1:PodDisruptionBudget");
  expect(ofType("prod", ALARM).filter((a) => a.inputs.actionsEnabled !== true).map((a) => a.name)).toEqual([]);
  expect(ofType("prod", POLICY).filter((p) => p.inputs.enabled !== true).map((p) => p.name)).toEqual([]);
  expect(ofType("prod", ALARM).length + ofType("prod", POLICY).length).toBeGreaterThan(20);
});

test("an address book lifts the hold: the read API gets its autoscaler and disruption budget back", async () => {
  const config = readStackConfig(ROOT, "staging");
  const indexers = JSON.parse(config.config["core-unit-estate:indexers"]);
  indexers.maker.worker.env = { MAKER_ADDRESSES: "/app/addresses/hoodi.json" };
  config.config["core-unit-estate:indexers"] = JSON.stringify(indexers);
  const { resources } = await renderEstate(config, "us-east-1", { today: PLAN_DATE, allowExpired: true, secretsAreStandIns: true });
  const find = (name: string) => resources.find((r) => r.name === name);
  expect((find("idx-maker-worker-v14")!.inputs.spec as any).replicas).toBe(1);
  expect(find("idx-maker-api-deployment")!.inputs.spec).not.toHaveProperty("replicas");
  // Both given up at once: a field dropped from the apply never conflicts, and nothing is forced any longer.
  expect((find("idx-maker-api-deployment")!.inputs.metadata as any).annotations).toBeUndefined();
  expect((find("idx-maker-api-hpa")!.inputs.spec as any).minReplicas).toBe(1);
  expect(find("idx-maker-api-pdb")?.type).toBe("kubernetes:policy/v1:PodDisruptionBudget");
  expect(find("monitoring-gcp-indexer-maker-indexer-not-ready")!.inputs.enabled).toBe(true);
});
