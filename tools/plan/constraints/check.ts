/**
 * Checks every rendered resource against the provider constraints (catalog.ts), with the name the provider would
 * give it where the program gives none (autoname.ts): each breach names the resource, the field, the value, its
 * length and the limit. A breach fails the plan as a mandatory policy violation does.
 */
import { autoname, autonamedField } from "../autoname";
import { CONSTRAINTS, ConstraintRule, NameRule, SizeRule } from "./catalog";

export interface ConstraintBreach {
  readonly urn: string;
  readonly type: string;
  /** The resource's logical name. */
  readonly name: string;
  /** The concrete path, e.g. `spec.template.spec.containers[0].ports[1].name`. */
  readonly field: string;
  /** The value (cut to 120 characters); for an autoname, the name the provider would pick. */
  readonly value: string;
  /** Characters for a name, bytes for a size; null for a combination. */
  readonly length: number | null;
  /** What the provider allows, in words: `at most 32 characters`, `at most 16384 bytes`, the character set. */
  readonly limit: string;
  /** The field was left out and the provider would autoname it. */
  readonly autonamed: boolean;
  readonly source: string;
}

export interface CheckedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
}

type Found = { path: string; value: unknown; autonamed: boolean };

/** Every value at `field` (with `*` and `~` expanded), each with its concrete path. */
export function valuesAt(root: unknown, field: string): Found[] {
  let found: Found[] = [{ path: "", value: root, autonamed: false }];
  for (const segment of field.split(".")) {
    found = found.flatMap(({ path, value }): Found[] => {
      if (value === null || typeof value !== "object") return [];
      if (segment === "*") {
        return Array.isArray(value)
          ? value.map((v, i) => ({ path: `${path}[${i}]`, value: v, autonamed: false }))
          : Object.entries(value).map(([k, v]) => ({ path: `${path}.${k}`, value: v, autonamed: false }));
      }
      if (segment === "~") return Array.isArray(value) ? [] : Object.keys(value).map((k) => ({ path: `${path}.${k} (key)`, value: k, autonamed: false }));
      const v = (value as Record<string, unknown>)[segment];
      return v === undefined ? [] : [{ path: path ? `${path}.${segment}` : segment, value: v, autonamed: false }];
    });
  }
  return found;
}

const applies = (rule: ConstraintRule, type: string): boolean => (rule.type.endsWith("*") ? type.startsWith(rule.type.slice(0, -1)) : rule.type === type);
const shown = (value: string): string => (value.length > 120 ? `${value.slice(0, 119)}…` : value);

/** The field's values, or the autoname where the field is the one the provider fills and the program left it out. */
function effectiveValues(r: CheckedResource, field: string): Found[] {
  const found = valuesAt(r.inputs, field);
  if (found.length === 0 && autonamedField(r.type) === field) return [{ path: field, value: autoname(r.type, r.name, r.urn), autonamed: true }];
  return found;
}

function nameBreaches(r: CheckedResource, rule: NameRule): ConstraintBreach[] {
  const max = typeof rule.max === "function" ? rule.max(r.inputs) : rule.max;
  return effectiveValues(r, rule.field).flatMap(({ path, value, autonamed }) => {
    if (typeof value !== "string") return [];
    const problems = [
      value.length > max && `at most ${max} characters`,
      rule.min !== undefined && value.length < rule.min && `at least ${rule.min} characters`,
      rule.pattern && !rule.pattern.test(value) && (rule.allowed ?? String(rule.pattern)),
    ].filter((p): p is string => typeof p === "string");
    if (problems.length === 0) return [];
    return [{ urn: r.urn, type: r.type, name: r.name, field: path, value: shown(value), length: value.length, limit: problems.join("; "), autonamed, source: rule.source }];
  });
}

function measure(value: unknown, how: SizeRule["measure"]): number | undefined {
  if (how === "values") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    return Object.entries(value).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + (typeof v === "string" ? Buffer.byteLength(v) : 0), 0);
  }
  if (typeof value !== "string") return undefined;
  if (how === "base64") return Buffer.from(value, "base64").length;
  if (how === "json") {
    try {
      return Buffer.byteLength(JSON.stringify(JSON.parse(value)));
    } catch {
      return Buffer.byteLength(value.replace(/\s+/g, ""));
    }
  }
  return Buffer.byteLength(value);
}

function sizeBreaches(r: CheckedResource, rule: SizeRule): ConstraintBreach[] {
  return valuesAt(r.inputs, rule.field).flatMap(({ path, value }) => {
    const bytes = measure(value, rule.measure);
    if (bytes === undefined || bytes <= rule.maxBytes) return [];
    const what = rule.measure === "base64" ? "decoded bytes" : rule.measure === "json" ? "bytes without whitespace" : rule.measure === "values" ? "bytes of keys and values" : "bytes";
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return [{ urn: r.urn, type: r.type, name: r.name, field: path, value: shown(text), length: bytes, limit: `at most ${rule.maxBytes} ${what}`, autonamed: false, source: rule.source }];
  });
}

export function checkResource(r: CheckedResource, rules: readonly ConstraintRule[] = CONSTRAINTS): ConstraintBreach[] {
  if (!r.custom) return [];
  const breaches = rules
    .filter((rule) => applies(rule, r.type))
    .flatMap((rule): ConstraintBreach[] => {
      if (rule.kind === "name") return nameBreaches(r, rule);
      if (rule.kind === "size") return sizeBreaches(r, rule);
      const refused = rule.refused(r.inputs);
      return refused === undefined ? [] : [{ urn: r.urn, type: r.type, name: r.name, field: rule.field, value: shown(refused), length: null, limit: rule.limit, autonamed: false, source: rule.source }];
    });
  // A specific rule and the general one may both catch a field; the first (the catalog lists specific rules first) stands.
  const seen = new Set<string>();
  return breaches.filter((b) => (seen.has(b.field) ? false : (seen.add(b.field), true)));
}

/** Every breach of every custom resource, in the order of the resources. */
export function checkConstraints(resources: readonly CheckedResource[], rules: readonly ConstraintRule[] = CONSTRAINTS): ConstraintBreach[] {
  return resources.flatMap((r) => checkResource(r, rules));
}

/** One line: `type name: field "value" is 34 characters; allowed: at most 32 characters`. */
export function describeBreach(b: ConstraintBreach): string {
  const length = b.length === null ? "" : ` (${b.length}${b.limit.includes("bytes") ? " bytes" : " characters"}${b.autonamed ? ", autonamed" : ""})`;
  return `${b.type} ${b.name}: ${b.field} "${b.value}"${length}; allowed: ${b.limit}`;
}
