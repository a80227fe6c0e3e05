/**
 * The reports the docs quote are the ones the plan prints today: every line of a quoted excerpt (but "…" and the
 * generation time) is a line of the rendered report, and the README's counts and totals are the plans'.
 */
import { renderMarkdown } from "../../cost/report-markdown";
import { renderText } from "../../tools/plan/report-text";
import type { Plan } from "../../tools/plan/plan";
import { planOf } from "../helpers/estate";
import { readDoc, split } from "./markdown";

const usd = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The lines of a doc's fence of `lang` that begins with `first`, without elisions. */
function quoted(file: string, lang: string, first: RegExp): string[] {
  const fence = split(readDoc(file)).fences.find((f) => f.lang === lang && first.test(f.lines[0] ?? ""));
  if (!fence) throw new Error(`${file}: no ${lang} block beginning ${first}`);
  return fence.lines.filter((l) => l.trim() !== "…" && l.trim() !== "");
}

/** Lines compared without runs of spaces (the text report pads its columns to the widest type). */
const squeeze = (l: string) => l.replace(/\s+/g, " ").replace(/Plan generated \S+;/, "Plan generated <time>;").trim();

describe("the sample reports in the docs", () => {
  let staging: Plan;
  let prod: Plan;
  beforeAll(async () => {
    [staging, prod] = await Promise.all([planOf("staging"), planOf("prod")]);
  });

  it("README's excerpt of `npm run plan` is staging's text report, line for line", () => {
    const report = new Set(renderText(staging).split("\n").map(squeeze));
    const excerpt = quoted("README.md", "text", /^core-unit-estate · stack staging/);
    expect(excerpt.length).toBeGreaterThanOrEqual(5);
    expect(excerpt.map(squeeze).filter((l) => !report.has(l))).toEqual([]);
  });

  it("README's figures for both stacks are the plans' resource counts and totals", () => {
    const readme = readDoc("README.md").replace(/\s+/g, " ");
    const sentence = /As rendered today: .*? DAI; .*? DAI\./.exec(readme)?.[0] ?? "no 'As rendered today' sentence";
    for (const [stack, plan] of [["staging", staging], ["prod", prod]] as const) {
      expect(sentence).toContain(`${stack} ${plan.counts?.cloudResources} cloud resources, ${usd(plan.totalMonthlyUsd)} USD a month`);
    }
  });

  it("docs/finance.md's markdown of prod is prod's markdown report, line for line", () => {
    const report = new Set(renderMarkdown(prod).split("\n").map(squeeze));
    const excerpt = quoted("docs/finance.md", "markdown", /^## Cost estimate · core-unit-estate · stack prod/);
    expect(excerpt.length).toBeGreaterThanOrEqual(6);
    expect(excerpt.map(squeeze).filter((l) => !report.has(l))).toEqual([]);
  });
});
