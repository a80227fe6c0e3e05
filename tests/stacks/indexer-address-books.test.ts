/**
 * An indexer of the project's image on a chain it has no Maker address book for: staging's on hoodi, where Maker/Sky
 * has no public deployment. The plan warns naming the key (tests/tools/plan-cli.test.ts sees it) and holds the
 * workers at 0 replicas; the key clears both.
 */
import { addressBookGap, addressBookGaps } from "../../stacks/indexer-address-books";
import { formatProblem } from "../../stacks/config-reader";
import { Plan } from "../../tools/plan/plan";
import { planOf } from "../helpers/estate";
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
const replicasOf = (stack: string, name: string) => (plans[stack].resources.find((r) => r.name === name)!.inputs.spec as any).replicas;

test("staging's indexer on hoodi has no address book: one warning naming the key and what is missing", () => {
  const gaps = addressBookGaps(indexersOf(stack("staging"), "staging"));
  expect(gaps).toEqual([{ indexer: "maker", key: KEY, message: expect.stringContaining(`${KEY} is not set`) }]);
  expect(gaps[0].message).toContain("Maker's addresses on mainnet only");
  expect(gaps[0].message).toContain("no public deployment with a Chainlog on hoodi");
});

test("an address book, mainnet, or another image: no warning", () => {
  const raw = stack("staging");
  raw.indexers.maker.worker.env = { MAKER_ADDRESSES: "/app/addresses/hoodi.json" };
  expect(addressBookGaps(indexersOf(raw, "staging"))).toEqual([]);
  expect(addressBookGaps(indexersOf(stack("prod"), "prod"))).toEqual([]);
  const [staging] = indexersOf(stack("staging"), "staging");
  expect(addressBookGap({ ...staging, deployments: [{ id: "v1", image: "ghcr.io/someone/other-indexer:1.0" }] })).toBeUndefined();
});

test("the plan holds staging's workers at 0 replicas; prod's run", () => {
  expect(replicasOf("staging", "idx-maker-worker-v14")).toBe(0);
  expect(replicasOf("prod", "idx-maker-worker-v14")).toBe(1);
});
