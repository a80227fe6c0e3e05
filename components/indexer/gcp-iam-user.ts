/**
 * The Cloud SQL IAM database users of the indexer's logins, computed before anything exists, so a name PostgreSQL
 * cannot hold is refused at plan time: `<account id>@<project>.iam`, the service account's email without
 * `.gserviceaccount.com`. A domain-scoped project `example.com:proj` puts `proj.example.com` there.
 */
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../cluster/physical-name";
import { DATABASE_LOGINS, DatabaseLogin } from "./credentials";
import { POSTGRES_IDENTIFIER_MAX_BYTES } from "./schema";

/** GCP's limit on a service account id. */
export const SERVICE_ACCOUNT_ID_MAX_LENGTH = 30;

/** What makes the service account ids unique: the Pulumi project and stack. */
export function accountScope(): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** The service account id of `login` of the database component `name` (unique per Pulumi project and stack). */
export function loginAccountId(name: string, login: DatabaseLogin, scope: string): string {
  return physicalName(`${name}-${login}`, scope, SERVICE_ACCOUNT_ID_MAX_LENGTH);
}

/** The IAM database user of a service account: its email without `.gserviceaccount.com`. */
export function iamDatabaseUser(email: string): string {
  return email.replace(/\.gserviceaccount\.com$/, "");
}

/** `<account id>@<project>.iam`, as Cloud SQL names the user of `<account id>@<project>.iam.gserviceaccount.com`. */
export function iamUserName(accountId: string, project: string): string {
  const [domain, id] = project.includes(":") ? project.split(":", 2) : [undefined, project];
  return `${accountId}@${domain ? `${id}.${domain}` : id}.iam`;
}

/** `placement.project` problems: a login's IAM user longer than PostgreSQL's names (it would fail inside an apply). */
export function iamUserProblems(name: string, project: string, scope: string): string[] {
  const users = DATABASE_LOGINS.map((login) => iamUserName(loginAccountId(name, login, scope), project));
  const longest = users.reduce((a, b) => (Buffer.byteLength(b, "utf8") > Buffer.byteLength(a, "utf8") ? b : a));
  const bytes = Buffer.byteLength(longest, "utf8");
  if (bytes <= POSTGRES_IDENTIFIER_MAX_BYTES) return [];
  return [
    `placement.project: ${JSON.stringify(project)} makes the IAM database user ${JSON.stringify(longest)} ${bytes} bytes long; allowed: at most ${POSTGRES_IDENTIFIER_MAX_BYTES} (PostgreSQL's name limit): a project id ${bytes - POSTGRES_IDENTIFIER_MAX_BYTES} characters shorter, or a shorter component name`,
  ];
}
