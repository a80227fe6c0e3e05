/**
 * A reader over untrusted stack configuration that collects every problem instead of stopping at the first.
 * Each problem names the full key (`core-unit-estate:networks.main.cidr`), the value found and what is allowed.
 */
export interface ConfigProblem {
  readonly key: string;
  readonly value: unknown;
  readonly allowed: string;
}

export function formatProblem(p: ConfigProblem): string {
  const shown = p.value === undefined ? "nothing (the key is missing)" : describeValue(p.value);
  return `${p.key}: got ${shown}; allowed: ${p.allowed}`;
}

function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export type Obj = Record<string, unknown>;

/** True when every field was read successfully (each reader returns undefined after reporting a problem). */
export function complete<T extends object>(value: T): value is { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.values(value).every((v) => v !== undefined);
}

export class ConfigReader {
  readonly problems: ConfigProblem[] = [];

  constructor(readonly namespace: string) {}

  key(path: string): string {
    return `${this.namespace}:${path}`;
  }

  fail(path: string, value: unknown, allowed: string): undefined {
    this.problems.push({ key: this.key(path), value, allowed });
    return undefined;
  }

  isObject(value: unknown): value is Obj {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /** An object whose keys must all be in `allowed`; unknown keys are problems (typos must not pass). */
  object(path: string, value: unknown, allowed: readonly string[], what: string): Obj | undefined {
    if (!this.isObject(value)) return this.fail(path, value, `${what}: an object with keys ${allowed.join(", ")}`);
    for (const k of Object.keys(value)) {
      if (!allowed.includes(k)) this.fail(`${path}.${k}`, value[k], `no such key; known keys here: ${allowed.join(", ")}`);
    }
    return value;
  }

  /** A map of named entries (`name: {...}`), each name checked against `namePattern`. */
  entries(path: string, value: unknown, namePattern: RegExp, nameRule: string): [string, unknown][] {
    if (value === undefined) return [];
    if (!this.isObject(value)) {
      this.fail(path, value, `a map of named entries (name: { ... }), names ${nameRule}`);
      return [];
    }
    return Object.entries(value).filter(([name, entry]) => {
      if (namePattern.test(name)) return true;
      this.fail(`${path}.${name}`, entry, `an entry name of ${nameRule}`);
      return false;
    });
  }

  string(path: string, value: unknown, rule: { pattern?: RegExp; allowed: string; fallback?: string }): string | undefined {
    if (value === undefined && rule.fallback !== undefined) return rule.fallback;
    if (typeof value !== "string" || (rule.pattern && !rule.pattern.test(value))) return this.fail(path, value, rule.allowed);
    return value;
  }

  oneOf<T extends string>(path: string, value: unknown, options: readonly T[], fallback?: T): T | undefined {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === "string" && (options as readonly string[]).includes(value)) return value as T;
    return this.fail(path, value, `one of ${options.join(", ")}`);
  }

  /** A number within [min, max]; stack files hand top-level scalars over as strings, so "42" reads as 42. */
  number(path: string, value: unknown, rule: { min: number; max: number; integer?: boolean; fallback?: number }): number | undefined {
    if (value === undefined && rule.fallback !== undefined) return rule.fallback;
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    const kind = rule.integer ? "a whole number" : "a number";
    if (typeof n !== "number" || !Number.isFinite(n) || (rule.integer && !Number.isInteger(n)) || n < rule.min || n > rule.max) {
      return this.fail(path, value, `${kind} from ${rule.min} to ${rule.max}`);
    }
    return n;
  }

  boolean(path: string, value: unknown, fallback: boolean): boolean | undefined {
    if (value === undefined) return fallback;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    return this.fail(path, value, "true or false");
  }

  list<T>(path: string, value: unknown, item: (itemPath: string, v: unknown) => T | undefined, rule: { min: number; max: number; fallback?: T[] }): T[] | undefined {
    if (value === undefined && rule.fallback !== undefined) return rule.fallback;
    if (!Array.isArray(value) || value.length < rule.min || value.length > rule.max) {
      return this.fail(path, value, `a list of ${rule.min} to ${rule.max} items`);
    }
    const items = value.map((v, i) => item(`${path}[${i}]`, v));
    return items.every((v) => v !== undefined) ? (items as T[]) : undefined;
  }
}
