/** Reads a priced plan JSON (`npm run plan -- --format json`) back, checking it is one before anything trusts it. */
import { CostedPlan } from "./costed-plan";
import { InputFileError } from "./errors";
import { readJsonFile } from "./input-json";

type Check = [path: string, ok: boolean, expected: string];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === "string";

/** Every problem that keeps `value` from being a priced plan, by JSON path; empty when it is one. */
export function planProblems(value: unknown, max = 5): string[] {
  if (!isObject(value)) return [`the top level is ${Array.isArray(value) ? "an array" : typeof value}, not a plan object`];
  const checks: Check[] = [
    ["project", isString(value.project), "a string"],
    ["stack", isString(value.stack), "a string"],
    ["resources", Array.isArray(value.resources), "an array"],
    ["budgetLines", Array.isArray(value.budgetLines), "an array"],
    ["unpriced", Array.isArray(value.unpriced), "an array (a plan priced by the estimator)"],
    ["daiPerUsd", isNumber(value.daiPerUsd), "a number"],
    ["totalMonthlyUsd", isNumber(value.totalMonthlyUsd), "a number"],
  ];
  (Array.isArray(value.resources) ? value.resources : []).forEach((r: unknown, i) => {
    const at = `resources[${i}]`;
    if (!isObject(r)) {
      checks.push([at, false, "an object"]);
      return;
    }
    checks.push(
      [`${at}.urn`, isString(r.urn), "a string"],
      [`${at}.type`, isString(r.type), "a string"],
      [`${at}.name`, isString(r.name), "a string"],
      [`${at}.custom`, typeof r.custom === "boolean", "true or false"],
      [`${at}.budgetLine`, r.budgetLine === null || isString(r.budgetLine), "a string or null"],
      [`${at}.monthlyUsd`, r.monthlyUsd === null || isNumber(r.monthlyUsd), "a number or null"],
      [`${at}.costComponents`, Array.isArray(r.costComponents), "an array"],
    );
  });
  (Array.isArray(value.budgetLines) ? value.budgetLines : []).forEach((l: unknown, i) => {
    const at = `budgetLines[${i}]`;
    if (!isObject(l)) {
      checks.push([at, false, "an object"]);
      return;
    }
    checks.push(
      [`${at}.id`, isString(l.id), "a string"],
      [`${at}.name`, isString(l.name), "a string"],
      ...(["monthlyCapDai", "estimatedMonthlyUsd", "estimatedMonthlyDai", "utilization"] as const).map((k): Check => [`${at}.${k}`, isNumber(l[k]), "a number"]),
    );
  });
  const failed = checks.filter(([, ok]) => !ok).map(([path, , expected]) => `${path}: expected ${expected}`);
  return failed.length > max ? [...failed.slice(0, max), `… and ${failed.length - max} more`] : failed;
}

/** The plan in `file`, or an InputFileError naming the file and what is wrong with it. */
export function readPlanFile(file: string, what = "--compare"): CostedPlan {
  return checkedPlan(readJsonFile(file, what, "a plan written by `npm run plan -- --format json`"), file, what);
}

/** `value` (read from `file`) as a plan, or an InputFileError listing what keeps it from being one. */
export function checkedPlan(value: unknown, file: string, what = "--compare"): CostedPlan {
  const problems = planProblems(value);
  if (problems.length > 0) {
    throw new InputFileError(`${what} ${file}: not a priced plan written by \`npm run plan -- --format json\`:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return value as CostedPlan;
}
