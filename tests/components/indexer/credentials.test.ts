import { spawn, spawnSync } from "child_process";
import { parse } from "pg-connection-string";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { PGPASS_SCRIPT, secretReadPolicy, workloadIdentityMember } from "../../../components/indexer";
import { libpqEnv } from "../../../components/indexer/credentials";
import { TOKEN_SCRIPT, rdsConnectPolicy } from "../../../components/indexer/credentials-aws";
import { certDir, issue } from "../../helpers/certs";

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
  const value = (v: unknown) => new Promise<string>((resolve) => (typeof v === "string" ? resolve(v) : (v as { apply(f: (x: string) => void): void }).apply(resolve)));
  const dir = certDir();
  const ca = issue(dir, "ca", { subject: "/O=Test/OU=Amazon RDS/CN=Test RDS Root CA", ca: true });
  const server = issue(dir, "server", { subject: "/O=Test/CN=localhost", ca: false, dnsName: "localhost", issuer: ca });
  const stranger = issue(dir, "stranger", { subject: "/O=Elsewhere/CN=Someone's CA", ca: true });
  const otherName = issue(dir, "other-name", { subject: "/O=Test/CN=db.elsewhere.example", ca: false, dnsName: "db.elsewhere.example", issuer: ca });
  const rdsUrl = (host: string, port: number, bundle: string) => value(libpqEnv({ hosts: [host], ports: [port], database: "db", user: "mainnet_writer", sslmode: "verify-full", sslrootcert: bundle }).DATABASE_URL);

  it("verifies RDS against the bundle alone and checks the host name (Node's defaults: rejectUnauthorized, checkServerIdentity), and speaks plain to the Auth Proxy", async () => {
    const url = await rdsUrl("db.example", 5432, ca.cert);
    expect(url).toBe(`postgresql://mainnet_writer@db.example:5432/db?uselibpqcompat=true&sslmode=verify-full&sslrootcert=${ca.cert}`);
    // The CA is the file's; nothing turns verification off (rejectUnauthorized: false) or skips the name check.
    expect(parse(url).ssl).toEqual({ ca: fs.readFileSync(ca.cert, "utf8") });
    // What `require` with the same bundle would be: verify-ca, no name check.
    expect(parse(url.replace("sslmode=verify-full", "sslmode=require")).ssl).toEqual({ ca: fs.readFileSync(ca.cert, "utf8"), checkServerIdentity: expect.any(Function) });
    const proxy = await value(libpqEnv({ hosts: ["127.0.0.1"], ports: [5432], database: "db", user: "u@p.iam", sslmode: "disable" }).DATABASE_URL);
    expect(parse(proxy).ssl).toBe(false);
  });

  /**
   * A stand-in server on a free port that declines GSS encryption, accepts the SSLRequest and then the TLS handshake
   * with `cert`, and hangs up once it is done: whether it was done is what the test asks.
   */
  async function standIn(cert: { cert: string; key: string }) {
    const context = tls.createSecureContext({ cert: fs.readFileSync(cert.cert), key: fs.readFileSync(cert.key) });
    const state = { secured: false };
    const srv = net.createServer((socket) => {
      const onRequest = (data: Buffer) => {
        // GSSENCRequest (80877104): "N", and the client goes on to the SSLRequest (80877103).
        if (data.length >= 8 && data.readUInt32BE(4) === 80877104) return void (socket.write("N"), socket.once("data", onRequest));
        socket.write("S");
        const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
        secure.on("secure", () => {
          state.secured = true;
          secure.end();
        });
        secure.on("error", () => socket.destroy());
      };
      socket.once("data", onRequest);
    });
    await new Promise<void>((resolve) => srv.listen(0, resolve));
    return { port: (srv.address() as net.AddressInfo).port, state, close: () => srv.close() };
  }

  /** node-postgres, as Ponder opens its pool (the URL alone): the client's error code, or "handshake done". */
  async function handshake(cert: { cert: string; key: string }, bundle: string): Promise<string> {
    // node-postgres, which Ponder brings (no types of its own).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require("pg") as { Client: new (opts: { connectionString: string; connectionTimeoutMillis: number }) => { connect(): Promise<void>; end(): Promise<void> } };
    const server = await standIn(cert);
    const client = new Client({ connectionString: await rdsUrl("localhost", server.port, bundle), connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      return "connected";
    } catch (e) {
      const err = e as { code?: string; message: string };
      // A refused certificate is the client's error code; after a handshake the stand-in hangs up, with no code.
      return err.code ?? (server.state.secured ? "handshake done" : err.message);
    } finally {
      await client.end().catch(() => undefined);
      server.close();
    }
  }

  /** psql (libpq), as the Job and wait-for-roles run it: from the PG* variables libpqEnv gives them. */
  async function psqlHandshake(cert: { cert: string; key: string }, bundle: string): Promise<string> {
    const server = await standIn(cert);
    const env = libpqEnv({ hosts: ["localhost"], ports: [server.port], database: "db", user: "indexer_admin", sslmode: "verify-full", sslrootcert: bundle });
    const pg = Object.fromEntries(await Promise.all(Object.entries(env).filter(([k]) => k.startsWith("PG")).map(async ([k, v]) => [k, await value(v)])));
    const child = spawn("psql", ["-X", "-q", "-w", "-c", "SELECT 1"], { env: { PATH: process.env.PATH ?? "", ...pg, PGCONNECT_TIMEOUT: "5" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    await new Promise((resolve) => child.on("close", resolve));
    server.close();
    // libpq checks the name once the handshake is done, then hangs up: its message decides.
    return /certificate/.test(stderr) || !server.state.secured ? stderr.trim() : "handshake done";
  }

  it("completes the TLS handshake with a server whose certificate the bundle issued for the host dialled", async () => {
    expect(await handshake(server, ca.cert)).toBe("handshake done");
  });

  it("refuses a server certificate the bundle did not issue, and one issued for another name (what a man in the middle would show)", async () => {
    expect(await handshake(server, stranger.cert)).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(await handshake(otherName, ca.cert)).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  const hasPsql = spawnSync("psql", ["--version"]).status === 0;
  (hasPsql ? it : it.skip)("makes psql (libpq) check the same: the bundle's certificate for the host passes, another CA's or another name's does not", async () => {
    expect(await psqlHandshake(server, ca.cert)).toBe("handshake done");
    expect(await psqlHandshake(server, stranger.cert)).toMatch(/certificate verify failed/);
    expect(await psqlHandshake(otherName, ca.cert)).toMatch(/server certificate for "db\.elsewhere\.example" does not match host name "localhost"/);
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
    const env = libpqEnv({ hosts: ["r1.example", "r2.example"], ports: [5432, 5432], database: "db", user: "indexer@x.iam", sslmode: "verify-full", sslrootcert: "/etc/ssl/rds/global-bundle.pem", passfile: "/run/pgpass/pgpass" });
    const value = (v: unknown) => new Promise((resolve) => (typeof v === "string" ? resolve(v) : (v as { apply(f: (x: unknown) => void): void }).apply(resolve)));
    expect(await value(env.PGHOST)).toBe("r1.example,r2.example");
    expect(await value(env.DATABASE_URL)).toBe("postgresql://indexer%40x.iam@r1.example:5432/db?uselibpqcompat=true&sslmode=verify-full&sslrootcert=/etc/ssl/rds/global-bundle.pem");
    expect([env.PGPORT, env.PGLOADBALANCEHOSTS, env.PGPASSFILE, env.PGPASSWORD]).toEqual(["5432,5432", "random", "/run/pgpass/pgpass", undefined]);
    expect([env.PGSSLMODE, env.PGSSLROOTCERT]).toEqual(["verify-full", "/etc/ssl/rds/global-bundle.pem"]);
  });
});
