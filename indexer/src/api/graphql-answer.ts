/**
 * How the read API answers a GraphQL result. One GraphQL refuses as a whole (errors and no data: a syntax error, a
 * limit, aliases or depth over the maximum) is a 400, not a 200 with errors, so clients and load balancers see it.
 * One with errors beside its data (a statement timeout on a nullable field) stays 200. Either is no-store: the answer
 * of a moment, which neither the read API's cache nor one downstream may keep.
 */
export function graphqlAnswer(text: string): { status: 200 | 400; noStore: boolean } {
  const body = text.includes('"errors"') ? (JSON.parse(text) as { data?: unknown; errors?: unknown[] }) : {};
  if (!body.errors?.length) return { status: 200, noStore: false };
  return { status: body.data === null || body.data === undefined ? 400 : 200, noStore: true };
}
