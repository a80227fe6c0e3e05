/**
 * Reads a stack the way the Pulumi CLI hands it to a program: `Pulumi.<stack>.yaml` values under their full
 * keys, project defaults from `Pulumi.yaml`, objects as JSON strings. Secrets cannot be decrypted offline, so
 * each `secure:` value becomes a placeholder and is listed.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { encodeConfigValue } from "../../stacks/raw-config";

export const SECRET_STAND_IN = "offline-placeholder-secret";

export class StackFileError extends Error {}

export interface StackConfig {
  readonly project: string;
  readonly stack: string;
  /** Full key (`ns:key`) to the string the CLI would pass. */
  readonly config: Record<string, string>;
  /** Full keys whose values are (or contain) secrets. */
  readonly secretKeys: string[];
  /** Paths of the secret values replaced by a placeholder, e.g. `core-unit-estate:kubeconfigs.lab`. */
  readonly substitutedSecrets: string[];
}

export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function readYaml(file: string): unknown {
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function readStackConfig(projectDir: string, stack: string): StackConfig {
  if (!fs.existsSync(path.join(projectDir, "Pulumi.yaml"))) {
    const where = fs.existsSync(projectDir) ? `${projectDir} has no Pulumi.yaml` : `no directory ${projectDir}`;
    throw new StackFileError(`${where}: --cwd takes a Pulumi project directory (the one holding Pulumi.yaml and the Pulumi.<stack>.yaml files)`);
  }
  const projectFile = readYaml(path.join(projectDir, "Pulumi.yaml"));
  if (!isObject(projectFile) || typeof projectFile.name !== "string") throw new StackFileError("Pulumi.yaml has no project name");
  const project = projectFile.name;
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new StackFileError(`"${stack}" is not a stack name (letters, digits, '-', '_', '.')`);
  const file = ["yaml", "yml"].map((ext) => path.join(projectDir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
  if (!file) {
    const stacks = listStacks(projectDir);
    throw new StackFileError(`no stack file Pulumi.${stack}.yaml; the stacks of this project are: ${stacks.join(", ") || "none"}`);
  }
  const stackFile = readYaml(file) ?? {};
  if (!isObject(stackFile)) throw new StackFileError(`${path.basename(file)} must be a map with a config: section`);
  const rawConfig = stackFile.config ?? {};
  if (!isObject(rawConfig)) throw new StackFileError(`${path.basename(file)}: config must be a map of key: value`);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const substitutedSecrets: string[] = [];
  for (const [key, value] of Object.entries(rawConfig)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    const found: string[] = [];
    const plain = replaceSecrets(value, fullKey, found);
    config[fullKey] = encodeConfigValue(plain);
    if (found.length > 0) {
      secretKeys.push(fullKey);
      substitutedSecrets.push(...found);
    }
  }
  for (const [key, declaration] of Object.entries(isObject(projectFile.config) ? projectFile.config : {})) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    if (!(fullKey in config) && isObject(declaration) && declaration.default !== undefined) {
      config[fullKey] = encodeConfigValue(declaration.default);
    }
  }
  return { project, stack, config, secretKeys, substitutedSecrets };
}

function replaceSecrets(value: unknown, at: string, found: string[]): unknown {
  if (isObject(value)) {
    if (Object.keys(value).length === 1 && typeof value.secure === "string") {
      found.push(at);
      return SECRET_STAND_IN;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecrets(v, `${at}.${k}`, found)]));
  }
  if (Array.isArray(value)) return value.map((v, i) => replaceSecrets(v, `${at}[${i}]`, found));
  return value;
}
