/**
 * AWS: the indexer's pods read the RDS-managed master secret (Secrets Manager, rotated by RDS) through IRSA and
 * keep a libpq password file in memory. Nothing secret is in config, state or the plan: only the secret's ARN.
 *
 * - An IAM role that only `system:serviceaccount:<namespace>:<service account>` tokens of the cluster's OIDC
 *   provider may assume, allowed `secretsmanager:GetSecretValue` on that one secret and nothing else.
 * - A native sidecar (pinned aws-cli image) in each pod, the only container holding the web-identity token: it
 *   writes `*:*:*:<user>:<password>` (mode 0600) into an in-memory emptyDir before the application starts, then
 *   rewrites it every minute, so a rotated password reaches new connections within a minute.
 * - The token is projected by the pod itself (audience sts.amazonaws.com), not by the EKS webhook: the service
 *   account carries no role annotation, so the application containers get no AWS credentials at all.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "../cluster/aws-iam";
import { CostTags, awsTags } from "../tagging";
import { Container, DatabaseAccess, DatabaseRole, Volume, cidrEgress, libpqEnv, sidecarSecurityContext } from "./credentials";

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
  };
  /** The database's subnets: the pods may reach these CIDRs on the database port only. */
  readonly subnetIds: pulumi.Input<string>[];
}

export interface AwsDatabaseAccessArgs {
  readonly namespace: pulumi.Input<string>;
  readonly serviceAccountName: string;
  readonly identity: { readonly oidcProviderArn: pulumi.Input<string>; readonly oidcIssuerUrl: pulumi.Input<string>; readonly region: string };
  readonly database: AwsDatabase;
  readonly tags: CostTags;
}

export interface AwsDatabaseAccess extends DatabaseAccess {
  readonly role: aws.iam.Role;
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

function credentialsSidecar(roleArn: pulumi.Input<string>, region: pulumi.Input<string>, secretArn: pulumi.Input<string>): Container {
  const fileCheck = { exec: { command: ["test", "-s", PGPASS_FILE] } };
  return {
    name: CREDENTIALS_CONTAINER,
    image: AWS_CLI_IMAGE,
    imagePullPolicy: "IfNotPresent",
    // A native sidecar: running before the application starts (once its startup probe passes) and as long as it runs.
    restartPolicy: "Always",
    command: ["/bin/bash", "-c", PGPASS_SCRIPT],
    env: [
      { name: "AWS_ROLE_ARN", value: roleArn },
      { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: `${TOKEN_DIR}/token` },
      { name: "AWS_REGION", value: region },
      { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
      { name: "DATABASE_SECRET_ARN", value: secretArn },
      { name: "PGPASSFILE", value: PGPASS_FILE },
      { name: "REFRESH_SECONDS", value: String(PGPASS_REFRESH_SECONDS) },
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

export function awsDatabaseAccess(name: string, args: AwsDatabaseAccessArgs, parent: pulumi.Resource): AwsDatabaseAccess {
  const { identity, database } = args;
  const trust = pulumi
    .all([identity.oidcProviderArn, identity.oidcIssuerUrl, args.namespace])
    .apply(([arn, url, namespace]) => irsaTrustPolicy(arn, url, namespace, args.serviceAccountName));
  const role = new aws.iam.Role(
    `${name}-db-credentials`,
    { description: `Reads the database secret of indexer ${name} (IRSA)`, assumeRolePolicy: trust, maxSessionDuration: 3600, tags: awsTags(args.tags) },
    { parent },
  );
  new aws.iam.RolePolicy(
    `${name}-db-credentials-read`,
    { role: role.name, policy: pulumi.output(database.credentials.secretArn).apply(secretReadPolicy) },
    { parent },
  );

  const subnetCidrs = database.subnetIds.map((id) => aws.ec2.getSubnetOutput({ id, region: identity.region }, { parent }).cidrBlock);
  const hostsFor = (target: DatabaseRole) => (target === "reader" && database.readerHosts.length > 0 ? database.readerHosts : [database.host]);
  const sidecar = credentialsSidecar(role.arn, database.credentials.region ?? identity.region, database.credentials.secretArn);
  return {
    cloud: "aws",
    role,
    serviceAccountAnnotations: {},
    // STS (web identity) and Secrets Manager, or their VPC endpoints, over HTTPS.
    cloudEgress: [{ cidr: "0.0.0.0/0", ports: [443] }],
    reservedPorts: [],
    pod: (target: DatabaseRole) => ({
      initContainers: [sidecar],
      volumes: volumes(),
      volumeMounts: [{ name: PGPASS_VOLUME, mountPath: PGPASS_DIR, readOnly: true }],
      env: libpqEnv({
        hosts: hostsFor(target),
        ports: hostsFor(target).map(() => database.port),
        database: database.databaseName,
        user: database.credentials.username,
        sslmode: "require",
        passfile: PGPASS_FILE,
      }),
      databaseEgress: [cidrEgress(subnetCidrs, [database.port])],
    }),
  };
}
