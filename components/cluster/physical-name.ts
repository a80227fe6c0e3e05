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
