/**
 * The rules the Pulumi CLI applies to a project file (Pulumi.yaml) before it runs anything, restated for the
 * parts this project uses. Source: the CLI's JSON Schema for project files (pulumi/pulumi,
 * sdk/go/common/workspace/project.json), read 2026-12. Each problem names the path and what is allowed there.
 */
const CONFIG_TYPES = ["string", "integer", "boolean", "array"];
const DECLARATION_KEYS = ["type", "items", "description", "secret", "default"];
const STRING_OR_NULL = ["description", "author", "website", "license", "main", "stackConfigDir"];

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export function projectFileProblems(project: unknown): string[] {
  const problems: string[] = [];
  const fail = (path: string, allowed: string): void => void problems.push(`${path}: ${allowed}`);
  if (!isObject(project)) return ["(top level): a map"];

  if (typeof project.name !== "string" || project.name.length === 0) fail("name", "a non-empty string (required)");
  checkRuntime(project.runtime, fail);
  for (const key of STRING_OR_NULL) {
    if (project[key] !== undefined && project[key] !== null && typeof project[key] !== "string") fail(key, "a string or null");
  }
  if (project.config !== undefined && project.config !== null) {
    if (!isObject(project.config)) fail("config", "a map of config keys");
    else for (const [key, value] of Object.entries(project.config)) checkConfigValue(`config.${key}`, value, fail);
  }
  if (project.options !== undefined && project.options !== null) {
    if (!isObject(project.options)) fail("options", "a map");
    else
      for (const [key, value] of Object.entries(project.options)) {
        if (key !== "refresh") fail(`options.${key}`, "no such option; known: refresh");
        else if (value !== "always") fail("options.refresh", "always");
      }
  }
  if (project.backend !== undefined && project.backend !== null) {
    if (!isObject(project.backend)) fail("backend", "a map");
    else
      for (const [key, value] of Object.entries(project.backend)) {
        if (key !== "url") fail(`backend.${key}`, "no such key; known: url");
        else if (typeof value !== "string") fail("backend.url", "a string");
      }
  }
  if (project.plugins !== undefined) {
    if (!isObject(project.plugins)) fail("plugins", "a map of providers, analyzers, languages");
    else
      for (const kind of ["providers", "analyzers", "languages"]) {
        const list = project.plugins[kind];
        if (list === undefined) continue;
        if (!Array.isArray(list)) fail(`plugins.${kind}`, "a list of { name, path, version }");
        else list.forEach((p, i) => {
          if (!isObject(p) || ["name", "path", "version"].some((k) => p[k] !== undefined && typeof p[k] !== "string")) fail(`plugins.${kind}[${i}]`, "{ name, path, version }, each a string");
        });
      }
  }
  return problems;
}

function checkRuntime(runtime: unknown, fail: (path: string, allowed: string) => void): void {
  if (typeof runtime === "string") {
    if (runtime.length === 0) fail("runtime", "a non-empty runtime name");
    return;
  }
  if (!isObject(runtime)) return fail("runtime", "a runtime name or { name, options } (required)");
  for (const key of Object.keys(runtime)) if (key !== "name" && key !== "options") fail(`runtime.${key}`, "no such key; known: name, options");
  if (typeof runtime.name !== "string" || runtime.name.length === 0) fail("runtime.name", "a non-empty runtime name");
  if (runtime.options !== undefined && !isObject(runtime.options)) fail("runtime.options", "a map");
}

/** A config value: a plain string, integer or boolean (for keys of any namespace), or a typed declaration. */
function checkConfigValue(path: string, value: unknown, fail: (path: string, allowed: string) => void): void {
  if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value))) return;
  if (!isObject(value)) return fail(path, "a string, an integer, a boolean or { type, items, description, secret, default }");
  for (const key of Object.keys(value)) if (!DECLARATION_KEYS.includes(key)) fail(`${path}.${key}`, `no such key in a declaration; known: ${DECLARATION_KEYS.join(", ")}`);
  if (value.description !== undefined && typeof value.description !== "string") fail(`${path}.description`, "a string");
  if (value.secret !== undefined && typeof value.secret !== "boolean") fail(`${path}.secret`, "true or false");
  checkType(path, value, fail);
}

/** `type` among the CLI's config types (there is no object or decimal type); an array declares its `items`. */
function checkType(path: string, value: Obj, fail: (path: string, allowed: string) => void): void {
  if (typeof value.type !== "string" || !CONFIG_TYPES.includes(value.type)) return fail(`${path}.type`, `one of ${CONFIG_TYPES.join(", ")} (required)`);
  if (value.type !== "array") return;
  if (!isObject(value.items)) return fail(`${path}.items`, "the type of the array's items, { type } (required for an array)");
  for (const key of Object.keys(value.items)) if (key !== "type" && key !== "items") fail(`${path}.items.${key}`, "no such key; known: type, items");
  checkType(`${path}.items`, value.items, fail);
}
