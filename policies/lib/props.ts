/** Reading resource props that may be missing or malformed, without throwing: the readers the estimator uses too. */
export { asArray, asNumber, asObject, at, isTrue } from "../../cost/read";
export type { Props } from "../../cost/read";

/** Any string, the empty one included (a rule decides what an empty value means). */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
