/**
 * Typed reads of a policy's configuration (`args.getConfig()`). The Pulumi CLI fills in the schema's defaults
 * and validates types before a rule runs; the fallbacks here keep a rule correct when it runs without the CLI.
 */
type Config = Readonly<Record<string, unknown>>;

function fail(key: string, value: unknown, expected: string): never {
  throw new Error(`policy config "${key}" is ${JSON.stringify(value)}; expected ${expected}`);
}

export function configStrings(config: Config, key: string, fallback: readonly string[]): readonly string[] {
  const value = config[key];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) fail(key, value, "a list of strings");
  return value as string[];
}

export function configNumber(config: Config, key: string, fallback: number): number {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) fail(key, value, "a non-negative number");
  return value;
}

export function configString(config: Config, key: string): string | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(key, value, "a string");
  return value;
}

export function configObject<T>(config: Config, key: string, fallback: T, isValid: (value: unknown) => value is T, expected: string): T {
  const value = config[key];
  if (value === undefined) return fallback;
  if (!isValid(value)) fail(key, value, expected);
  return value;
}

export function configNumbers(config: Config, key: string, fallback: readonly number[]): readonly number[] {
  const value = config[key];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "number")) fail(key, value, "a list of numbers");
  return value as number[];
}
