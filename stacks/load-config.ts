import * as pulumi from "@pulumi/pulumi";
import { EstateConfig, PROJECT, formatProblems, parseEstateConfig } from "./config";
import type { SandboxOptions } from "./config-sandboxes";
import { decodeNamespace } from "./raw-config";

/**
 * Reads and validates the running stack's config once. Invalid config ends the program with the list of
 * problems and no stack trace (RunError is reported by the engine as a plain message).
 */
export function loadEstateConfig(options: Partial<SandboxOptions> = {}): EstateConfig {
  const raw = decodeNamespace(pulumi.runtime.allConfig(), PROJECT);
  const result = parseEstateConfig(raw, pulumi.getStack(), options);
  if (!result.ok) throw new pulumi.RunError(formatProblems(result.problems));
  return result.config;
}
