/**
 * AWS: three logins, each with a Kubernetes service account and an IRSA role of its own, none able to act as another.
 *
 * - admin (the role migration's Job): its role may `secretsmanager:GetSecretValue` on the RDS-managed master secret
 *   and nothing else; its sidecar keeps the master password in a pgpass file in memory (rotation: re-read every
 *   minute). No other pod can read the secret: no other service account may assume that role.
 * - writer (the workers) and reader (the read API): their roles may only `rds-db:connect` as the indexer's writer or
 *   reader login role (db-roles.ts, `<indexer>_writer_login`), on the instances their pods dial; their sidecars write RDS IAM auth tokens
 *   (valid 15 minutes, rewritten every 5) into the pgpass file instead of a password.
 * - A native sidecar (pinned aws-cli image) in each pod is the only container holding the web-identity token. The
 *   token is projected by the pod itself (audience sts.amazonaws.com), not by the EKS webhook: the service accounts
 *   carry no role annotation, so the application containers get no AWS credentials at all.
 * - TLS to RDS always (`rds.force_ssl`, and IAM authentication refuses plain connections), and the server verified:
 *   `sslmode=verify-full` against Amazon's RDS CA bundle in the indexer image (ca-bundle.ts), so no one in the middle
 *   can take an IAM token (valid 15 minutes) or the master password.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "../cluster/aws-iam";
import { CostTags, awsTags } from "../tagging";
import { RDS_CA_BUNDLE } from "./ca-bundle";
import { Container, DATABASE_LOGINS, DatabaseAccess, DatabaseLogin, Volume, cidrEgress, libpqEnv, sidecarSecurityContext } from "./credentials";

/** aws-cli v2 on Amazon Linux 2023; its image has jq (2.28+). Bump the tag here. */
export const AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.36.7";
export const PGPASS_DIR = "/run/pgpass";
export const PGPASS_FILE = `${PGPASS_DIR}/pgpass`;
/** How often the sidecar re-reads the secret: RDS rotates it (every 7 days by default) without telling anyone. */
export const PGPASS_REFRESH_SECONDS = 60;
/** The sidecar is restarted when the file has not been refreshed for this long (the secret cannot be read). */
export const PGPASS_STALE_MINUTES = 10;
export const CREDENTIALS_CONTAINER = "db-credentials";
const TOKEN_DIR = "/var/run/secrets/eks.amazonaws.com/serviceaccount";
const TOKEN_AUDIENCE = "sts.amazonaws.com";
const PGPASS_VOLUME = "pgpass";
const TOKEN_VOLUME = "aws-iam-token";
const SIDECAR_TMP_VOLUME = "db-credentials-tmp";

/**
 * The sidecar's loop. libpq's escaping: `\` and `:` in a field are written `\\` and `\:`. The file is written next
 * to the old one and renamed over it, so a reader never sees half a file. (Kubernetes expands `$(NAME)` and `$$`
 * in commands: the script uses neither.)
 */
export const PGPASS_SCRIPT = [
  "set -euo pipefail",
  "umask 0077",
  "while true; do",
  `  if aws secretsmanager get-secret-value --secret-id "$DATABASE_SECRET_ARN" --query SecretString --output text \\`,
  String.raw`      | jq -er 'def pgpass: gsub("\\\\"; "\\\\") | gsub(":"; "\\:"); "*:*:*:\(.username | pgpass):\(.password | pgpass)"' > "$PGPASSFILE.new"; then`,
  `    mv -f "$PGPASSFILE.new" "$PGPASSFILE"`,
  "  else",
  `    rm -f "$PGPASSFILE.new"`,
  `    echo "db-credentials: could not read the database secret; keeping the previous password file" >&2`,
  "  fi",
  // Until the first file exists the application has not started: retry soon.
  `  if [ -s "$PGPASSFILE" ]; then sleep "$REFRESH_SECONDS"; else sleep 5; fi`,
  "done",
].join("\n");

/** How often the writer's and reader's sidecars write fresh IAM auth tokens: RDS accepts one for 15 minutes. */
export const TOKEN_REFRESH_SECONDS = 300;

/**
 * The writer's and reader's sidecar loop: an RDS IAM auth token per host (a local signature with the role's
 * credentials), as pgpass lines for that host only; `\` and `:` escaped as libpq reads them. No `$(` or `$$`, which
 * Kubernetes would expand in a container command: backquotes substitute.
 */
export const TOKEN_SCRIPT = [
  "set -euo pipefail",
  "umask 0077",
  String.raw`escape() { sed -e 's/\\/\\\\/g' -e 's/:/\\:/g'; }`,
  'IFS=, read -ra hosts <<< "$DB_HOSTS"',
  "while true; do",
  '  : > "$PGPASSFILE.new"',
  "  failed=0",
  '  for host in "${hosts[@]}"; do',
  '    if token=`aws rds generate-db-auth-token --hostname "$host" --port "$DB_PORT" --username "$DB_USER" --region "$AWS_REGION"`; then',
  `      printf '%s:%s:*:%s:' "$host" "$DB_PORT" "$DB_USER" >> "$PGPASSFILE.new"`,
  `      printf '%s\\n' "$token" | escape >> "$PGPASSFILE.new"`,
  "    else",
  "      failed=1",
  "    fi",
  "  done",
  '  if [ "$failed" -eq 0 ]; then',
  '    mv -f "$PGPASSFILE.new" "$PGPASSFILE"',
  "  else",
  '    rm -f "$PGPASSFILE.new"',
  '    echo "db-credentials: could not make an IAM auth token; keeping the previous password file" >&2',
  "  fi",
  '  if [ -s "$PGPASSFILE" ]; then sleep "$REFRESH_SECONDS"; else sleep 5; fi',
  "done",
].join("\n");

/** The IAM policy document: log in to these RDS instances as `user` with IAM authentication, nothing else. */
export function rdsConnectPolicy(region: string, account: string, resourceIds: readonly string[], user: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "ConnectAsRole", Effect: "Allow", Action: "rds-db:connect", Resource: resourceIds.map((id) => `arn:aws:rds-db:${region}:${account}:dbuser:${id}/${user}`) },
    ],
  });
}

/** What this module needs of the database (IndexerDatabase's AWS credentials and addresses). */
export interface AwsDatabase {
  readonly host: pulumi.Input<string>;
  readonly readerHosts: pulumi.Input<string>[];
  readonly port: number;
  readonly databaseName: string;
  readonly credentials: {
    readonly kind: "aws-secrets-manager";
    readonly username: string;
    readonly secretArn: pulumi.Input<string>;
    /** The secret's region; default: the cluster's. */
    readonly region?: pulumi.Input<string>;
    /** The primary's DbiResourceId, then the replicas' (in `readerHosts` order), for RDS IAM authentication. */
    readonly resourceIds: pulumi.Input<string>[];
  };
  /** The database's subnets: the pods may reach these CIDRs on the database port only. */
  readonly subnetIds: pulumi.Input<string>[];
}

export interface AwsDatabaseAccessArgs {
  readonly namespace: pulumi.Input<string>;
  /** The Kubernetes service account of each login. */
  readonly serviceAccounts: Record<DatabaseLogin, string>;
  /** The login roles the workers and the read API log in as (db-roles.ts: `<indexer>_writer_login`, `_reader_login`). */
  readonly users: { readonly writer: string; readonly reader: string };
  readonly identity: { readonly oidcProviderArn: pulumi.Input<string>; readonly oidcIssuerUrl: pulumi.Input<string>; readonly region: string };
  readonly database: AwsDatabase;
  readonly tags: CostTags;
}

export interface AwsDatabaseAccess extends DatabaseAccess {
  /** The IRSA role of each login. */
  readonly roles: Record<DatabaseLogin, aws.iam.Role>;
}

/**
 * The IAM policy document: read this one secret. RDS encrypts it with the account's `aws/secretsmanager` key, which
 * Secrets Manager uses on the caller's behalf: no KMS permission is needed (a customer key would need kms:Decrypt).
 */
export function secretReadPolicy(secretArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "ReadDatabaseSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn }],
  });
}

/** The sidecar's job: the master secret's password (the migration), or IAM auth tokens for one database role. */
type SidecarSource =
  | { readonly kind: "secret"; readonly secretArn: pulumi.Input<string> }
  | { readonly kind: "iam-token"; readonly hosts: pulumi.Input<string>[]; readonly port: number; readonly user: string };

function credentialsSidecar(roleArn: pulumi.Input<string>, region: pulumi.Input<string>, source: SidecarSource): Container {
  const fileCheck = { exec: { command: ["test", "-s", PGPASS_FILE] } };
  const sourceEnv =
    source.kind === "secret"
      ? [
          { name: "DATABASE_SECRET_ARN", value: source.secretArn },
          { name: "REFRESH_SECONDS", value: String(PGPASS_REFRESH_SECONDS) },
        ]
      : [
          { name: "DB_HOSTS", value: pulumi.all(source.hosts.map((h) => pulumi.output(h))).apply((hosts) => hosts.join(",")) },
          { name: "DB_PORT", value: String(source.port) },
          { name: "DB_USER", value: source.user },
          { name: "REFRESH_SECONDS", value: String(TOKEN_REFRESH_SECONDS) },
        ];
  return {
    name: CREDENTIALS_CONTAINER,
    image: AWS_CLI_IMAGE,
    imagePullPolicy: "IfNotPresent",
    // A native sidecar: running before the application starts (once its startup probe passes) and as long as it runs.
    restartPolicy: "Always",
    command: ["/bin/bash", "-c", source.kind === "secret" ? PGPASS_SCRIPT : TOKEN_SCRIPT],
    env: [
      { name: "AWS_ROLE_ARN", value: roleArn },
      { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: `${TOKEN_DIR}/token` },
      { name: "AWS_REGION", value: region },
      { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
      ...sourceEnv,
      { name: "PGPASSFILE", value: PGPASS_FILE },
      { name: "HOME", value: "/tmp" },
    ],
    resources: { requests: { cpu: "10m", memory: "128Mi" }, limits: { memory: "128Mi" } },
    startupProbe: { ...fileCheck, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 150 },
    readinessProbe: { ...fileCheck, periodSeconds: 30, timeoutSeconds: 2, failureThreshold: 2 },
    livenessProbe: {
      exec: { command: ["/bin/bash", "-c", `find ${PGPASS_FILE} -mmin -${PGPASS_STALE_MINUTES} | grep -q .`] },
      periodSeconds: 60,
      timeoutSeconds: 10,
      failureThreshold: 3,
    },
    securityContext: sidecarSecurityContext(),
    volumeMounts: [
      { name: PGPASS_VOLUME, mountPath: PGPASS_DIR },
      { name: TOKEN_VOLUME, mountPath: TOKEN_DIR, readOnly: true },
      { name: SIDECAR_TMP_VOLUME, mountPath: "/tmp" },
    ],
  };
}

function volumes(): Volume[] {
  return [
    // In memory, per pod, gone with the pod: the password never touches a disk, a Secret or the state.
    { name: PGPASS_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    {
      name: TOKEN_VOLUME,
      projected: { sources: [{ serviceAccountToken: { audience: TOKEN_AUDIENCE, expirationSeconds: 86400, path: "token" } }] },
    },
    { name: SIDECAR_TMP_VOLUME, emptyDir: { sizeLimit: "64Mi" } },
  ];
}

const roleDescription: Record<DatabaseLogin, (indexer: string) => string> = {
  admin: (indexer) => `Reads the master secret of the database of indexer ${indexer}, for its role migration (IRSA)`,
  writer: (indexer) => `Logs in to the database of indexer ${indexer} as its writer login role, with IAM authentication (IRSA)`,
  reader: (indexer) => `Logs in to the database of indexer ${indexer} as its reader login role, with IAM authentication (IRSA)`,
};

export function awsDatabaseAccess(name: string, args: AwsDatabaseAccessArgs, parent: pulumi.Resource): AwsDatabaseAccess {
  const { identity, database } = args;
  const region = database.credentials.region ?? identity.region;
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  // The workers (and the migration) dial the primary; the read API the replicas when there are any.
  const instancesOf = (login: DatabaseLogin) => {
    const replicas = login === "reader" && database.readerHosts.length > 0;
    return {
      hosts: replicas ? database.readerHosts : [database.host],
      resourceIds: replicas ? database.credentials.resourceIds.slice(1) : database.credentials.resourceIds.slice(0, 1),
    };
  };
  const userOf = (login: DatabaseLogin) => (login === "admin" ? database.credentials.username : args.users[login]);
  const policyOf = (login: DatabaseLogin): pulumi.Input<string> => {
    if (login === "admin") return pulumi.output(database.credentials.secretArn).apply(secretReadPolicy);
    const ids = instancesOf(login).resourceIds.map((id) => pulumi.output(id));
    return pulumi.all([pulumi.output(region), account, pulumi.all(ids)]).apply(([r, a, resolved]) => rdsConnectPolicy(r, a, resolved, args.users[login]));
  };

  const roles = {} as Record<DatabaseLogin, aws.iam.Role>;
  const policies = {} as Record<DatabaseLogin, aws.iam.RolePolicy>;
  const sidecars = {} as Record<DatabaseLogin, Container>;
  for (const login of DATABASE_LOGINS) {
    const trust = pulumi
      .all([identity.oidcProviderArn, identity.oidcIssuerUrl, args.namespace])
      .apply(([arn, url, namespace]) => irsaTrustPolicy(arn, url, namespace, args.serviceAccounts[login]));
    const role = new aws.iam.Role(
      `${name}-db-${login}`,
      { description: roleDescription[login](name), assumeRolePolicy: trust, maxSessionDuration: 3600, tags: awsTags(args.tags) },
      { parent },
    );
    policies[login] = new aws.iam.RolePolicy(`${name}-db-${login}-${login === "admin" ? "read" : "connect"}`, { role: role.name, policy: policyOf(login) }, { parent });
    roles[login] = role;
    sidecars[login] = credentialsSidecar(
      role.arn,
      region,
      login === "admin"
        ? { kind: "secret", secretArn: database.credentials.secretArn }
        : { kind: "iam-token", hosts: instancesOf(login).hosts, port: database.port, user: args.users[login] },
    );
  }

  const subnetCidrs = database.subnetIds.map((id) => aws.ec2.getSubnetOutput({ id, region: identity.region }, { parent }).cidrBlock);
  const serviceAccount = (login: DatabaseLogin) => ({ name: args.serviceAccounts[login], annotations: {} });
  return {
    cloud: "aws",
    roles,
    serviceAccounts: { admin: serviceAccount("admin"), writer: serviceAccount("writer"), reader: serviceAccount("reader") },
    members: { writer: [], reader: [] },
    adminReady: [roles.admin, policies.admin],
    // STS (web identity) and Secrets Manager, or their VPC endpoints, over HTTPS.
    cloudEgress: [{ cidr: "0.0.0.0/0", ports: [443] }],
    reservedPorts: [],
    pod: (login: DatabaseLogin) => {
      const { hosts } = instancesOf(login);
      return {
        initContainers: [sidecars[login]],
        volumes: volumes(),
        volumeMounts: [{ name: PGPASS_VOLUME, mountPath: PGPASS_DIR, readOnly: true }],
        env: libpqEnv({
          hosts,
          ports: hosts.map(() => database.port),
          database: database.databaseName,
          user: userOf(login),
          sslmode: "verify-full",
          sslrootcert: RDS_CA_BUNDLE,
          passfile: PGPASS_FILE,
        }),
        caBundle: RDS_CA_BUNDLE,
        databaseEgress: [cidrEgress(subnetCidrs, [database.port])],
      };
    },
  };
}
