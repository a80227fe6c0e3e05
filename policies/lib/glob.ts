/** Shell-style patterns for names and instance types: `*` matches any run of characters, nothing else is special. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`);
}

export function matchesAny(value: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(value));
}
