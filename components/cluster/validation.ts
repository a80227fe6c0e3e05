/** Argument checks shared by the cluster components: each returns problems as `<argument>: <what is wrong>`. */
import { parseCidr } from "../network/cidr";
import { tagProblems } from "../tagging";

/** Node group and pool names become part of resource names. */
const PART_NAME = /^[a-z](?:[a-z0-9-]{0,22}[a-z0-9])?$/;

export function partNameProblems(path: string, value: string): string[] {
  return PART_NAME.test(value) ? [] : [`${path}: "${value}" must be 1-24 lowercase letters, digits or '-', starting with a letter`];
}

export function duplicateProblems(path: string, names: readonly string[]): string[] {
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  return duplicates.map((n) => `${path}: "${n}" appears more than once`);
}

export function cidrProblems(path: string, cidrs: readonly string[]): string[] {
  return cidrs.flatMap((c, i) => (parseCidr(c) ? [] : [`${path}[${i}]: "${c}" is not an IPv4 CIDR block`]));
}

export function tagArgProblems(path: string, tags: Readonly<Record<string, unknown>>): string[] {
  return tagProblems(tags).map((p) => `${path}: ${p}`);
}

export function integerProblems(path: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): string[] {
  return Number.isInteger(value) && value >= min && value <= max ? [] : [`${path}: ${value} must be an integer from ${min} to ${max}`];
}

/** Throws one Error listing every problem, naming the component. */
export function throwIfAny(component: string, name: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`${component} "${name}": ${problems.join("; ")}`);
}
