/**
 * Schema naming of the indexer's blue/green deployments: every deployment writes its own Postgres schema,
 * `<indexer>_<deployment id>` in snake case, and the read API serves the schema of the live one.
 */

/** Postgres truncates identifiers longer than NAMEDATALEN - 1 bytes: two long names could silently collide. */
export const POSTGRES_IDENTIFIER_MAX_BYTES = 63;
/** An unquoted Postgres identifier as the indexer and the read API will spell it: never needs quoting. */
const UNQUOTED_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** Schemas the server owns or every database has: a deployment must never write into them. */
const RESERVED_SCHEMAS = ["public", "information_schema"];

/** `Mainnet-Indexer` -> `mainnet_indexer`: lowercase, anything but letters and digits becomes one `_`. */
export function snakeCase(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** The schema deployment `id` of indexer `indexer` writes, e.g. `vulcan`, `blue-2` -> `vulcan_blue_2`. */
export function deploymentSchema(indexer: string, id: string): string {
  return `${snakeCase(indexer)}_${snakeCase(id)}`;
}

/** Why `schema` cannot name a deployment's schema; [] when it can. */
export function schemaProblems(path: string, schema: string): string[] {
  const problems: string[] = [];
  if (!UNQUOTED_IDENTIFIER.test(schema)) problems.push(`${path}: schema "${schema}" is not a lowercase Postgres identifier (a-z, 0-9, _; not starting with a digit)`);
  if (Buffer.byteLength(schema, "utf8") > POSTGRES_IDENTIFIER_MAX_BYTES) {
    problems.push(`${path}: schema "${schema}" is longer than ${POSTGRES_IDENTIFIER_MAX_BYTES} bytes (Postgres would truncate it)`);
  }
  if (schema.startsWith("pg_") || RESERVED_SCHEMAS.includes(schema)) problems.push(`${path}: schema "${schema}" is reserved by Postgres`);
  return problems;
}
