/** Pieces of violation messages. */

/** How a violation names its resource: type token and Pulumi name. */
export function subject(resource: { readonly type: string; readonly name: string }): string {
  return `${resource.type} "${resource.name}"`;
}

/** A list for a message, cut after `max` items. */
export function listed(items: readonly string[], max = 8): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
