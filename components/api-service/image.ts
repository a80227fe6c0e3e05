/**
 * Container image references must be pinned: a tag other than `latest`, or a sha256 digest. An unpinned image
 * changes under a running Deployment (a node pulling it later gets another build) and makes a rollback impossible.
 */

/** `name[:tag][@sha256:<64 hex>]`, the reference grammar of the distribution spec (registry host may carry a port). */
const REFERENCE = /^(?<name>(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+))?$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  /** Registry host (with its port) and repository path, as written: `ghcr.io/owner/app`. */
  readonly name: string;
  /** The last component of the repository path: `app`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The parts of `image`, or undefined when it is not an image reference. */
export function parseImage(image: string): ImageReference | undefined {
  const groups = typeof image === "string" ? REFERENCE.exec(image)?.groups : undefined;
  if (!groups) return undefined;
  const { name, tag, digest } = groups;
  return { name, repository: name.slice(name.lastIndexOf("/") + 1), ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Why `image` may not run, or undefined when it names a pinned tag or a sha256 digest. */
export function imageProblem(image: string): string | undefined {
  if (typeof image !== "string" || image.trim() === "") return "no image given";
  const parsed = parseImage(image);
  if (!parsed) return `"${image}" is not an image reference (registry/repository:tag or @sha256:digest)`;
  const { tag, digest } = parsed;
  if (digest !== undefined) return SHA256.test(digest) ? undefined : `"${image}" has a digest that is not sha256:<64 hex digits>`;
  if (tag === undefined) return `"${image}" has no tag or digest: pin a version tag or a sha256 digest`;
  if (tag === "latest") return `"${image}" uses the tag "latest": pin a version tag or a sha256 digest`;
  return undefined;
}
