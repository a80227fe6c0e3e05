import { createHash } from "node:crypto";

/**
 * A cloud-side name for the component `name` that no other instance shares: `<slug>-<hash>`, where the hash covers
 * `scope` (project and stack) and the full name, so truncation and a second stack in the same account stay distinct.
 * Lowercase letters, digits and '-', starting with a letter, at most `maxLength` characters.
 */
export function physicalName(name: string, scope: string, maxLength: number): string {
  const hash = createHash("sha256").update(`${scope}/${name}`).digest("hex").slice(0, 6);
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, Math.max(0, maxLength - hash.length - 1))
    .replace(/-+$/, "")
    .replace(/-{2,}/g, "-");
  return `${slug || "k"}-${hash}`;
}

/** What Pulumi appends to an autonamed physical name: '-' and 7 random hex characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/**
 * An explicit physical name for the child `name` only where the provider's autoname (`<name>-<7 hex>`) would pass
 * `maxLength`; undefined (autonamed, as before) where it fits, so resources already deployed keep their names.
 * `scope` should cover whatever replaces the resource, so a replacement gets a new name and can be created first.
 */
export function nameWithin(name: string, scope: string, maxLength: number): string | undefined {
  return name.length + AUTONAME_SUFFIX_LENGTH <= maxLength ? undefined : physicalName(name, scope, maxLength);
}
