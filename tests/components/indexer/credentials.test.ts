import { spawnSync } from "child_process";
import { parse } from "pg-connection-string";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PGPASS_SCRIPT, secretReadPolicy, workloadIdentityMember } from "../../../components/indexer";
import { libpqEnv } from "../../../components/indexer/credentials";
import { TOKEN_SCRIPT, rdsConnectPolicy } from "../../../components/indexer/credentials-aws";

/** The script needs bash and jq, as the aws-cli image has them; `aws` is replaced by a stub printing the secret. */
const hasTools = spawnSync("jq", ["--version"]).status === 0 && spawnSync("bash", ["--version"]).status === 0;

/** Runs one round of the sidecar's loop with `aws` answering `secret` (or failing when undefined). */
function runOnce(dir: string, secret: string | undefined): { status: number | null; stderr: string } {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const stub = secret === undefined ? "#!/bin/sh\necho 'AccessDenied' >&2\nexit 254\n" : `#!/bin/sh\ncat <<'EOF'\n${secret}\nEOF\n`;
  fs.writeFileSync(path.join(bin, "aws"), stub, { mode: 0o755 });
  const once = PGPASS_SCRIPT.replace("while true; do", "for round in 1; do");
  expect(once).not.toBe(PGPASS_SCRIPT);
  const result = spawnSync("bash", ["--noprofile", "--norc", "-c", once], {
    env: { PATH: `${bin}:${process.env.PATH}`, PGPASSFILE: path.join(dir, "pgpass"), DATABASE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-x", REFRESH_SECONDS: "0" },
    encoding: "utf8",
    timeout: 20000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe("the pgpass sidecar's script", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pgpass-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  (hasTools ? it : it.skip)("writes the RDS secret as a libpq password line, escaped, readable by its owner only", () => {
    expect(runOnce(dir, JSON.stringify({ username: "indexer", password: String.raw`a:b\c"d` })).status).toBe(0);
    const file = path.join(dir, "pgpass");
    expect(fs.readFileSync(file, "utf8")).toBe(String.raw`*:*:*:indexer:a\:b\\c"d` + "\n");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.new`)).toBe(false);
  });

  (hasTools ? it : it.skip)("keeps the previous file when the secret cannot be read, and says so", () => {
    runOnce(dir, JSON.stringify({ username: "indexer", password: "first" }));
    const failed = runOnce(dir, undefined);
    expect(failed.status).toBe(0);
    expect(failed.stderr).toContain("could not read the database secret; keeping the previous password file");
    expect(fs.readFileSync(path.join(dir, "pgpass"), "utf8")).toBe("*:*:*:indexer:first\n");
    // A secret that is not the RDS shape writes nothing either.
    runOnce(dir, JSON.stringify({ user: "x" }));
    expect(fs.readFileSync(path.join(dir, "pgpass"), "utf8")).toBe("*:*:*:indexer:first\n");
  });

  it("uses no `$(` or `$$`, which Kubernetes would expand in a container command", () => {
    expect(PGPASS_SCRIPT).not.toMatch(/\$\(|\$\$/);
  });
});

/** One round of the read API's token loop, `aws` stubbed to print a token (or fail) per host. */
function runTokensOnce(dir: string, fail: boolean) {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const stub = fail ? "#!/bin/sh\necho 'ExpiredToken' >&2\nexit 254\n" : '#!/bin/sh\nprintf \'%s:5432/?Action=connect&DBUser=r&X-Amz-Signature=a\\\\b\\n\' "$4"\n';
  fs.writeFileSync(path.join(bin, "aws"), stub, { mode: 0o755 });
  const once = TOKEN_SCRIPT.replace("while true; do", "for round in 1; do");
  expect(once).not.toBe(TOKEN_SCRIPT);
  const env = { PATH: `${bin}:${process.env.PATH}`, PGPASSFILE: path.join(dir, "pgpass"), DB_HOSTS: "r1.example,r2.example", DB_PORT: "5432", DB_USER: "mainnet_reader", AWS_REGION: "us-east-1", REFRESH_SECONDS: "0" };
  return spawnSync("bash", ["--noprofile", "--norc", "-c", once], { env, encoding: "utf8", timeout: 20000 });
}

describe("the read API's token sidecar's script", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokens-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  (hasTools ? it : it.skip)("writes one IAM auth token per host as a pgpass line for that host and the reader, escaped, owner-only", () => {
    expect(runTokensOnce(dir, false).status).toBe(0);
    const file = path.join(dir, "pgpass");
    const token = (host: string) => String.raw`${host}\:5432/?Action=connect&DBUser=r&X-Amz-Signature=a\\b`;
    expect(fs.readFileSync(file, "utf8")).toBe(`r1.example:5432:*:mainnet_reader:${token("r1.example")}\nr2.example:5432:*:mainnet_reader:${token("r2.example")}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  (hasTools ? it : it.skip)("keeps the previous file when a token cannot be made, and says so", () => {
    runTokensOnce(dir, false);
    const before = fs.readFileSync(path.join(dir, "pgpass"), "utf8");
    const failed = runTokensOnce(dir, true);
    expect(failed.stderr).toContain("could not make an IAM auth token; keeping the previous password file");
    expect(fs.readFileSync(path.join(dir, "pgpass"), "utf8")).toBe(before);
  });

  it("uses no `$(` or `$$`, which Kubernetes would expand in a container command", () => {
    expect(TOKEN_SCRIPT).not.toMatch(/\$\(|\$\$/);
  });
});

describe("DATABASE_URL as node-postgres reads it", () => {
  it("encrypts to RDS without checking its certificate against Node's CAs (libpq's require), and speaks plain to the Auth Proxy", async () => {
    const value = (v: unknown) => new Promise<string>((resolve) => (typeof v === "string" ? resolve(v) : (v as { apply(f: (x: string) => void): void }).apply(resolve)));
    const rds = await value(libpqEnv({ hosts: ["db.example"], ports: [5432], database: "db", user: "mainnet_writer", sslmode: "require" }).DATABASE_URL);
    expect(parse(rds).ssl).toEqual({ rejectUnauthorized: false });
    // Without the flag it would verify against Node's CAs, which do not hold RDS's: every connection would fail.
    expect(parse(rds.replace("uselibpqcompat=true&", "")).ssl).toEqual({});
    const proxy = await value(libpqEnv({ hosts: ["127.0.0.1"], ports: [5432], database: "db", user: "u@p.iam", sslmode: "disable" }).DATABASE_URL);
    expect(parse(proxy).ssl).toBe(false);
  });
});

describe("credential documents", () => {
  it("allow rds-db:connect as one database user on the named instances, nothing else", () => {
    expect(JSON.parse(rdsConnectPolicy("us-east-1", "123456789012", ["db-AAA", "db-BBB"], "mainnet_reader"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ConnectAsRole",
          Effect: "Allow",
          Action: "rds-db:connect",
          Resource: ["arn:aws:rds-db:us-east-1:123456789012:dbuser:db-AAA/mainnet_reader", "arn:aws:rds-db:us-east-1:123456789012:dbuser:db-BBB/mainnet_reader"],
        },
      ],
    });
  });

  it("allow reading one secret and nothing else", () => {
    expect(JSON.parse(secretReadPolicy("arn:aws:secretsmanager:us-east-1:1:secret:rds!db-x"))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "ReadDatabaseSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-x" }],
    });
  });

  it("name the Kubernetes service account in its cluster's workload pool", () => {
    expect(workloadIdentityMember("tocu-estate-prod", "indexer", "mainnet-db-client")).toBe("serviceAccount:tocu-estate-prod.svc.id.goog[indexer/mainnet-db-client]");
  });

  it("give libpq every server of a replica set but DATABASE_URL only the first, and never a password", async () => {
    const env = libpqEnv({ hosts: ["r1.example", "r2.example"], ports: [5432, 5432], database: "db", user: "indexer@x.iam", sslmode: "require", passfile: "/run/pgpass/pgpass" });
    const value = (v: unknown) => new Promise((resolve) => (typeof v === "string" ? resolve(v) : (v as { apply(f: (x: unknown) => void): void }).apply(resolve)));
    expect(await value(env.PGHOST)).toBe("r1.example,r2.example");
    expect(await value(env.DATABASE_URL)).toBe("postgresql://indexer%40x.iam@r1.example:5432/db?uselibpqcompat=true&sslmode=require");
    expect([env.PGPORT, env.PGLOADBALANCEHOSTS, env.PGPASSFILE, env.PGPASSWORD]).toEqual(["5432,5432", "random", "/run/pgpass/pgpass", undefined]);
  });
});
