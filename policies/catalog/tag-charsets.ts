/**
 * What each platform accepts as a tag or label key and value (AWS tags, GCP labels, Kubernetes labels).
 * The cost tags meet all three at once (components/tagging); other keys need only meet their own platform's.
 */
export interface TagCharset {
  readonly platform: string;
  /** Why a key is rejected, or undefined when it is accepted. */
  keyProblem(key: string): string | undefined;
  valueProblem(value: unknown): string | undefined;
}

const AWS_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const GCP_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCP_VALUE = /^[a-z0-9_-]{0,63}$/;
const K8S_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

const notString = (value: unknown) => (typeof value === "string" ? undefined : "must be a string");

export const AWS_TAGS: TagCharset = {
  platform: "AWS",
  keyProblem: (key) =>
    key.length < 1 || key.length > 128 || !AWS_CHARS.test(key)
      ? "1-128 letters, digits, spaces and _ . : / = + - @"
      : key.toLowerCase().startsWith("aws:")
        ? "the aws: prefix is reserved for AWS"
        : undefined,
  valueProblem: (value) =>
    notString(value) ?? ((value as string).length > 256 || !AWS_CHARS.test(value as string) ? "0-256 letters, digits, spaces and _ . : / = + - @" : undefined),
};

export const GCP_LABELS: TagCharset = {
  platform: "GCP",
  keyProblem: (key) => (GCP_KEY.test(key) ? undefined : "1-63 lowercase letters, digits, _ and -, starting with a letter"),
  valueProblem: (value) => notString(value) ?? (GCP_VALUE.test(value as string) ? undefined : "0-63 lowercase letters, digits, _ and -"),
};

export const KUBERNETES_LABELS: TagCharset = {
  platform: "Kubernetes",
  keyProblem: (key) => {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) return "the prefix must be a DNS subdomain (lowercase, at most 253 characters)";
    return K8S_NAME.test(key.slice(slash + 1)) ? undefined : "a name of 1-63 letters, digits, - _ and ., alphanumeric at both ends";
  },
  valueProblem: (value) =>
    notString(value) ?? (value === "" || K8S_NAME.test(value as string) ? undefined : "at most 63 letters, digits, - _ and ., alphanumeric at both ends"),
};

/** The charset of the platform a type token belongs to; undefined for other providers. */
export function charsetOf(type: string): TagCharset | undefined {
  if (type.startsWith("aws:")) return AWS_TAGS;
  if (type.startsWith("gcp:")) return GCP_LABELS;
  if (type.startsWith("kubernetes:")) return KUBERNETES_LABELS;
  return undefined;
}
