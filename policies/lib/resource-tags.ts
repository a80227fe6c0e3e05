/** A resource's own cost tags, read where TAGGABLE says its type keeps them. */
import { readTags } from "../../components/tagging";
import { configString } from "./config-values";

/** The first tag map TAGGABLE lists for the type (the resource's own); undefined for a type without tags. */
export function ownTags(type: string, props: unknown): Readonly<Record<string, unknown>> | undefined {
  return readTags(type, props)[0]?.tags;
}

export function ownTag(type: string, props: unknown, key: string): string | undefined {
  const value = ownTags(type, props)?.[key];
  return typeof value === "string" ? value : undefined;
}

/** The stack environment: the resource's `environment` tag, else the policy's `environment` config. */
export function environmentOf(type: string, props: unknown, config: Readonly<Record<string, unknown>>): string | undefined {
  return ownTag(type, props, "environment") ?? configString(config, "environment");
}
