/**
 * Names as long as the config validator accepts render into names the providers accept: every stack, with each
 * network, cluster, node group, node pool, Ethereum pool, API service, sandbox, indexer and indexer deployment id
 * renamed to a random name of its maximum length and accepted character set, renders with 0 constraint breaches; one character more and the
 * validator refuses the name, naming its key.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { parse } from "yaml";
import { ConfigError, validateStack } from "../../tools/plan/plan";
import { checkConstraints } from "../../tools/plan/constraints/check";
import { describeBreach } from "../../tools/plan/constraints/check";
import { readStackConfig } from "../../tools/plan/stack-file";
import { ROOT } from "../helpers/estate";
import { MAX_NAME_LENGTH, withMaxLengthNames } from "../helpers/max-names";
import { PLAN_DATE } from "../helpers/plans-cache";
import { projectWithStacks } from "../helpers/project-dir";

type Kind = keyof typeof MAX_NAME_LENGTH;
const KINDS = Object.keys(MAX_NAME_LENGTH) as Kind[];
const STACKS = ["staging", "prod"];

const stackConfig = (stack: string): Record<string, any> => parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")).config;

/** How many entries of each kind the stack has. */
function entryCounts(config: Record<string, any>): Record<Kind, number> {
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  withMaxLengthNames(config, (kind, i) => {
    counts[kind] = Math.max(counts[kind], i + 1);
    return `${kind}-${i}`;
  });
  return counts;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz".split("");
const DIGITS = "0123456789".split("");

/** Indexer names take single '-' only (they are part of RDS identifiers); the other names take any run of '-'. */
const SINGLE_DASH: readonly Kind[] = ["indexers"];

/** A name of `length` in the validator's character set: a letter, then letters, digits and '-', not ending in '-'. */
const nameOf = (length: number, singleDash: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...LETTERS), fc.array(fc.constantFrom(...LETTERS, ...DIGITS, "-"), { minLength: length - 2, maxLength: length - 2 }), fc.constantFrom(...LETTERS, ...DIGITS))
    .map(([first, middle, last]) => `${first}${middle.join("")}${last}`)
    .map((name) => (singleDash ? name.replace(/-(?=-)/g, "x") : name));

/** Distinct maximum-length names for every entry of every kind. */
const namesFor = (counts: Record<Kind, number>): fc.Arbitrary<Record<Kind, string[]>> =>
  fc.record(Object.fromEntries(KINDS.map((k) => [k, fc.uniqueArray(nameOf(MAX_NAME_LENGTH[k], SINGLE_DASH.includes(k)), { minLength: counts[k], maxLength: counts[k] })])) as Record<Kind, fc.Arbitrary<string[]>>);

/** The stack, renamed, as the plan reads it from its own project directory. */
function renamed(stack: string, name: (kind: Kind, index: number) => string) {
  const dir = projectWithStacks({ [stack]: { config: withMaxLengthNames(stackConfig(stack), name) } });
  return readStackConfig(dir, stack);
}

async function breachesOf(stack: string, names: Record<Kind, string[]>): Promise<string[]> {
  const config = renamed(stack, (kind, i) => names[kind][i]);
  const estate = validateStack(config, PLAN_DATE);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderEstate } = require("../../tools/plan/render-estate") as typeof import("../../tools/plan/render-estate");
  const { resources } = await renderEstate(config, estate.aws?.region, { today: PLAN_DATE, allowExpired: true, secretsAreStandIns: true });
  expect(resources.length).toBeGreaterThan(100);
  return checkConstraints(resources).map(describeBreach);
}

/** The extreme the random names rarely hit: every name a letter, '-' all the way, and a digit. */
const dashes = (counts: Record<Kind, number>): Record<Kind, string[]> =>
  Object.fromEntries(
    KINDS.map((k) => [k, Array.from({ length: counts[k] }, (_, i) => `${LETTERS[i]}${(SINGLE_DASH.includes(k) ? "-x" : "-").repeat(MAX_NAME_LENGTH[k]).slice(0, MAX_NAME_LENGTH[k] - 2)}${i % 10}`)]),
  ) as Record<Kind, string[]>;

/** The validator's refusal of `config`, one line per problem; "" where it accepts it. */
function refusal(config: ReturnType<typeof readStackConfig>): string {
  try {
    validateStack(config, PLAN_DATE);
    return "";
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

it("renames entries of every kind between the stacks", () => {
  expect(KINDS.filter((k) => STACKS.every((stack) => entryCounts(stackConfig(stack))[k] === 0))).toEqual([]);
});

describe.each(STACKS)("stack %s with every bounded name at its maximum length", (stack) => {
  const counts = entryCounts(stackConfig(stack));

  it("renders with 0 constraint breaches, whatever the names", async () => {
    // A render takes a second or two: the all-dashes example and one random draw per run.
    await fc.assert(
      fc.asyncProperty(namesFor(counts), async (names) => {
        expect(await breachesOf(stack, names)).toEqual([]);
      }),
      { numRuns: 2, examples: [[dashes(counts)]] },
    );
  });

  it.each(KINDS.filter((k) => counts[k] > 0))("refuses a %s name one character longer, naming the key", (kind) => {
    const max = MAX_NAME_LENGTH[kind];
    const long = `${"n".repeat(max)}1`;
    const fits = (k: Kind, i: number): string => `${k.slice(0, 1)}${"x".repeat(MAX_NAME_LENGTH[k] - 2)}${i}`;
    expect(refusal(renamed(stack, fits))).toBe("");
    const message = refusal(renamed(stack, (k, i) => (k === kind && i === 0 ? long : fits(k, i))));
    const line = message.split("\n").find((l) => l.includes(`.${long}: got `));
    expect(line).toMatch(new RegExp(`^ {2}- core-unit-estate:[a-zA-Z.\\d-]*\\b${long}: got .*; allowed: an entry name of .*\\b1-${max} characters`));
  });
});

it("refuses an indexer name with a doubled '-', which RDS identifiers refuse, naming the key", () => {
  const message = refusal(renamed("prod", (k, i) => (k === "indexers" ? "maker--vaults" : `${k.slice(0, 1)}${i}`)));
  expect(message).toMatch(/^ {2}- core-unit-estate:indexers\.maker--vaults: got .*; allowed: an entry name of lowercase letters, digits and single '-', 1-16 characters/m);
});
