/** The project's stack files as the program reads them, and the problems the config parser finds in them. */
import * as path from "path";
import { PROJECT, ParseOptions, parseEstateConfig } from "../../stacks/config";
import { formatProblem } from "../../stacks/config-reader";
import { decodeNamespace } from "../../stacks/raw-config";
import { readStackConfig } from "../../tools/plan/stack-file";

const ROOT = path.resolve(__dirname, "../..");
/** The stacks' sandboxes expire: parse as of a fixed day, not the machine's. */
export const CONFIG_DAY = new Date("2026-11-22T10:00:00Z");

/** A fresh, mutable copy of a stack's `core-unit-estate:` values. */
export const stackValues = (name: string): any => JSON.parse(JSON.stringify(decodeNamespace(readStackConfig(ROOT, name).config, PROJECT)));

export function parseStack(raw: Record<string, unknown>, name: string, options: Partial<ParseOptions> = {}): ReturnType<typeof parseEstateConfig> {
  return parseEstateConfig(raw, name, { today: CONFIG_DAY, ...options });
}

/** Each problem as `key: got value; allowed: rule`; [] when the config parses. */
export function configProblems(raw: Record<string, unknown>, name: string, options: Partial<ParseOptions> = {}): string[] {
  const result = parseStack(raw, name, options);
  return result.ok ? [] : result.problems.map(formatProblem);
}
