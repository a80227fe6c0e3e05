import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { EstateConfig, PROJECT, ParseOptions, formatProblems, parseEstateConfig } from "./config";
import { decodeNamespace } from "./raw-config";

/** The SDK's own test for a secret key (what Config.get uses to wrap a value as secret); marked internal in its types. */
const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/**
 * Reads and validates the running stack's config once. Invalid config ends the program with the list of
 * problems and no stack trace (RunError is reported by the engine as a plain message).
 */
export function loadEstateConfig(options: Partial<Omit<ParseOptions, "secretKeys">> = {}): EstateConfig {
  const raw = decodeNamespace(pulumi.runtime.allConfig(), PROJECT);
  const secretKeys = Object.keys(raw).filter((key) => isConfigSecret(`${PROJECT}:${key}`));
  const result = parseEstateConfig(raw, pulumi.getStack(), { ...options, secretKeys });
  if (!result.ok) throw new pulumi.RunError(formatProblems(result.problems));
  return result.config;
}
