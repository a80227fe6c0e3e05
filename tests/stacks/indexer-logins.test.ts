/**
 * Who may log in to each indexer's database as what, as both stacks render it: only the role migration Jobs run as
 * the admin's service account, and only that account's cloud identity can read the master secret (AWS) or is
 * cloudsqlsuperuser (GCP); the workers log in as the writer, the read API as the reader, each identity bound to its
 * own Kubernetes service account alone. On AWS every container that connects verifies RDS's certificate against
 * Amazon's CA bundle, which node-postgres and psql read from the same URL and variables.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "pg-connection-string";
import { CA_COPY_CONTAINER, RDS_CA_BUNDLE } from "../../components/indexer/ca-bundle";
import { MIGRATION_IMAGE } from "../../components/indexer/migration";
import { Plan } from "../../tools/plan/plan";
import { certDir, issue } from "../helpers/certs";
import { planOf } from "../helpers/estate";

type Resource = Plan["resources"][number];
const plans: Record<string, Plan> = {};
beforeAll(async () => {
  plans.prod = await planOf("prod");
  plans.staging = await planOf("staging");
});

const POD_TEMPLATES = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:batch/v1:Job"];
const inputs = (r: Resource): any => r.inputs;
const podSpec = (r: Resource): any => inputs(r).spec.template.spec;
const containers = (r: Resource): any[] => [...(podSpec(r).initContainers ?? []), ...podSpec(r).containers];
const envOf = (c: any): Record<string, string> => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
const mainEnv = (r: Resource) => envOf(podSpec(r).containers[0]);
const ofType = (stack: string, type: string) => plans[stack].resources.filter((r) => r.type === type);
const named = (stack: string, name: string) => {
  const found = plans[stack].resources.find((r) => r.name === name);
  if (!found) throw new Error(`${stack} has no resource named ${name}`);
  return found;
};
/** The indexers of a stack, by the name of their role migration Jobs (`<name>-db-roles-<id>`). */
const awsIndexersOf = (stack: string) => indexersOf(stack).filter((n) => ofType(stack, "aws:iam/role:Role").some((r) => r.name === `${n}-db-admin`));
const gcpIndexersOf = (stack: string) => indexersOf(stack).filter((n) => ofType(stack, "gcp:sql/user:User").some((u) => u.name === `${n}-db-admin-iam-user`));
const indexersOf = (stack: string) => [...new Set(ofType(stack, "kubernetes:batch/v1:Job").map((j) => /^(.*)-db-roles-[^-]+$/.exec(j.name)?.[1]).filter((n): n is string => !!n))];

describe.each(["prod", "staging"])("stack %s: indexer database logins", (stack) => {
  it("has an indexer, and runs only its role migration Jobs as its admin service account; only they name the master secret", () => {
    const indexers = indexersOf(stack);
    expect(indexers.length).toBeGreaterThan(0);
    // Each is checked below for its cloud.
    expect([...awsIndexersOf(stack), ...gcpIndexersOf(stack)].sort()).toEqual([...indexers].sort());
    const pods = plans[stack].resources.filter((r) => POD_TEMPLATES.includes(r.type));
    for (const name of indexers) {
      const asAdmin = pods.filter((p) => podSpec(p).serviceAccountName === `${name}-db-admin`).map((p) => p.name);
      expect(asAdmin).toEqual(pods.filter((p) => p.name.startsWith(`${name}-db-roles-`)).map((p) => p.name));
      expect(pods.filter((p) => p.name.startsWith(`${name}-worker-`)).map((p) => podSpec(p).serviceAccountName)).toEqual(
        pods.filter((p) => p.name.startsWith(`${name}-worker-`)).map(() => `${name}-db-writer`),
      );
      expect(podSpec(named(stack, `${name}-api-deployment`)).serviceAccountName).toBe(`${name}-db-reader`);
    }
    const namingTheSecret = pods.flatMap((p) => containers(p).filter((c) => envOf(c).DATABASE_SECRET_ARN !== undefined).map(() => p.name));
    expect(namingTheSecret.every((n) => indexers.some((i) => n.startsWith(`${i}-db-roles-`)))).toBe(true);
  });

  it("lets each AWS login's IRSA role be assumed by its own service account only, with one permission: the secret, or rds-db:connect as its role", () => {
    for (const name of awsIndexersOf(stack)) {
      const writer = mainEnv(plans[stack].resources.find((r) => r.name.startsWith(`${name}-worker-`))!).PGUSER;
      const reader = mainEnv(named(stack, `${name}-api-deployment`)).PGUSER;
      // Login roles, members of the group roles the sessions act as (PGOPTIONS): only they have rds_iam.
      expect(writer).toMatch(/_writer_login$/);
      expect(reader).toBe(writer.replace(/_writer_login$/, "_reader_login"));
      expect(mainEnv(named(stack, `${name}-api-deployment`)).PGOPTIONS).toContain(`-c role=${reader.replace(/_login$/, "")} `);
      const sql = mainEnv(ofType(stack, "kubernetes:batch/v1:Job").find((r) => r.name.startsWith(`${name}-db-roles-`))!).MIGRATION_SQL;
      expect(sql).toContain(`GRANT rds_iam TO ${writer}, ${reader};`);
      const replicas = ofType(stack, "aws:rds/instance:Instance").filter((r) => r.name.startsWith(`${name}-db-`) && inputs(r).replicateSourceDb);
      const permission = (login: string) => JSON.parse(inputs(named(stack, `${name}-db-${login}-${login === "admin" ? "read" : "connect"}`)).policy).Statement;
      const trust = (login: string) => Object.values(JSON.parse(inputs(named(stack, `${name}-db-${login}`)).assumeRolePolicy).Statement[0].Condition.StringEquals);

      expect(permission("admin")).toEqual([{ Sid: "ReadDatabaseSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: expect.stringMatching(/^arn:aws:secretsmanager:.*:secret:rds!db-/) }]);
      for (const [login, user, instances] of [["writer", writer, 1], ["reader", reader, Math.max(replicas.length, 1)]] as const) {
        const [statement] = permission(login);
        expect([login, statement.Action, statement.Resource.length]).toEqual([login, "rds-db:connect", instances]);
        for (const arn of statement.Resource) expect(arn).toMatch(new RegExp(`^arn:aws:rds-db:[a-z0-9-]+:\\d{12}:dbuser:db-[A-Z0-9]+/${user}$`));
      }
      for (const login of ["admin", "writer", "reader"]) expect([login, trust(login)]).toEqual([login, [`system:serviceaccount:${inputs(named(stack, `${name}-${login}-sa`)).metadata.namespace}:${name}-db-${login}`, "sts.amazonaws.com"]]);
      // The only secret-reading policies of the indexer are the admin's.
      const readers = ofType(stack, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.startsWith(`${name}-`) && String(inputs(p).policy).includes("secretsmanager:"));
      expect(readers.map((p) => p.name)).toEqual([`${name}-db-admin-read`]);
    }
  });

  it("binds each GCP login's Google service account to its own Kubernetes service account; only the admin's IAM user is cloudsqlsuperuser, and the migration grants the others their role", () => {
    for (const name of gcpIndexersOf(stack)) {
      const users = Object.fromEntries(["admin", "writer", "reader"].map((login) => [login, inputs(named(stack, `${name}-db-${login}-iam-user`))]));
      expect(Object.entries(users).map(([login, u]) => [login, u.databaseRoles])).toEqual([["admin", ["cloudsqlsuperuser"]], ["writer", undefined], ["reader", undefined]]);
      for (const login of ["admin", "writer", "reader"]) {
        const ksa = inputs(named(stack, `${name}-${login}-sa`)).metadata;
        const email = ksa.annotations["iam.gke.io/gcp-service-account"];
        expect(email.replace(/\.gserviceaccount\.com$/, "")).toBe(users[login].name);
        const bindings = ofType(stack, "gcp:serviceaccount/iAMMember:IAMMember").filter((b) => String(inputs(b).serviceAccountId).endsWith(`/${email}`));
        expect(bindings.map((b) => [inputs(b).role, inputs(b).member])).toEqual([["roles/iam.workloadIdentityUser", expect.stringMatching(new RegExp(`\\[${ksa.namespace}/${name}-db-${login}\\]$`))]]);
      }
      const worker = mainEnv(plans[stack].resources.find((r) => r.name.startsWith(`${name}-worker-`))!);
      const api = mainEnv(named(stack, `${name}-api-deployment`));
      expect([worker.PGUSER, api.PGUSER]).toEqual([users.writer.name, users.reader.name]);
      const [, writerRole] = /role=(\S+)/.exec(worker.PGOPTIONS)!;
      const [, readerRole] = /role=(\S+)/.exec(api.PGOPTIONS)!;
      for (const job of ofType(stack, "kubernetes:batch/v1:Job").filter((j) => j.name.startsWith(`${name}-db-roles-`))) {
        const env = mainEnv(job);
        expect(env.PGUSER).toBe(users.admin.name);
        expect(env.MIGRATION_SQL).toContain(`GRANT ${writerRole} TO "${users.writer.name}";`);
        expect(env.MIGRATION_SQL).toContain(`GRANT ${readerRole} TO "${users.reader.name}";`);
      }
    }
  });

  it("starts each role migration Job only once the admin's cloud permission exists, and keeps its failed pods for their logs", () => {
    const urn = (name: string) => named(stack, name).urn;
    const jobs = ofType(stack, "kubernetes:batch/v1:Job").filter((j) => indexersOf(stack).some((n) => j.name.startsWith(`${n}-db-roles-`)));
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const name = /^(.*)-db-roles-[^-]+$/.exec(job.name)![1];
      const permission = awsIndexersOf(stack).includes(name) ? [urn(`${name}-db-admin`), urn(`${name}-db-admin-read`)] : [urn(`${name}-workload-identity-admin`)];
      expect([job.name, job.dependencies]).toEqual([job.name, expect.arrayContaining(permission)]);
      // OnFailure restarts the container in place and deletes the pod at backoffLimit: `kubectl logs job/...` shows nothing.
      expect([job.name, podSpec(job).restartPolicy]).toEqual([job.name, "Never"]);
    }
  });

  it("has every container that connects to RDS verify the server (verify-full, the RDS bundle in the container), and none behind the Auth Proxy", () => {
    const pods = plans[stack].resources.filter((r) => POD_TEMPLATES.includes(r.type));
    for (const [name, aws] of [...awsIndexersOf(stack).map((n) => [n, true] as const), ...gcpIndexersOf(stack).map((n) => [n, false] as const)]) {
      const own = pods.filter((p) => [`${name}-worker-`, `${name}-db-roles-`, `${name}-api-deployment`].some((prefix) => p.name.startsWith(prefix)));
      expect(own.length).toBeGreaterThanOrEqual(3);
      for (const pod of own) {
        const connecting = containers(pod).filter((c) => envOf(c).PGHOST !== undefined);
        const copy = containers(pod).find((c) => c.name === CA_COPY_CONTAINER);
        expect(connecting.length).toBeGreaterThan(0);
        for (const c of connecting) {
          const env = envOf(c);
          const where = `${pod.name}/${c.name}`;
          if (!aws) {
            expect([where, env.PGSSLMODE, env.PGSSLROOTCERT, env.DATABASE_URL.endsWith("?sslmode=disable")]).toEqual([where, "disable", undefined, true]);
            continue;
          }
          expect([where, env.PGSSLMODE, env.PGSSLROOTCERT]).toEqual([where, "verify-full", RDS_CA_BUNDLE]);
          expect([where, new URL(env.DATABASE_URL).search]).toEqual([where, `?uselibpqcompat=true&sslmode=verify-full&sslrootcert=${RDS_CA_BUNDLE}`]);
          // psql runs another image than the indexer's: it reads the copy the pod's init container made, at that path.
          if (c.image === MIGRATION_IMAGE) {
            const volume = copy.volumeMounts[0].name;
            expect([where, (c.volumeMounts ?? []).find((m: any) => m.name === volume)]).toEqual([where, { name: volume, mountPath: path.dirname(RDS_CA_BUNDLE), readOnly: true }]);
          }
        }
        const psql = connecting.some((c) => c.image === MIGRATION_IMAGE);
        expect([pod.name, copy !== undefined]).toEqual([pod.name, aws && psql]);
      }
    }
  });

  it("gives node-postgres, from the exact DATABASE_URL each AWS container gets, a CA and the default checks (rejectUnauthorized, checkServerIdentity)", () => {
    const dir = certDir();
    const ca = issue(dir, "ca", { subject: "/O=Test/OU=Amazon RDS/CN=Test RDS Root CA", ca: true });
    const urls = plans[stack].resources
      .filter((r) => POD_TEMPLATES.includes(r.type) && awsIndexersOf(stack).some((n) => r.name.startsWith(`${n}-`)))
      .flatMap((r) => containers(r).map((c) => envOf(c).DATABASE_URL))
      .filter((url): url is string => url !== undefined);
    // Per AWS indexer: a worker and its wait per deployment, a Job per deployment, the read API.
    expect(urls.length).toBeGreaterThanOrEqual(4 * awsIndexersOf(stack).length);
    // Prod's indexer is on EKS (RDS), staging's on GKE (Cloud SQL): prod must have some.
    if (stack === "prod") expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      // The plan's URL with the bundle's path (a file of the image) pointed at a stand-in CA: nothing else changes.
      const here = url.replace(`sslrootcert=${RDS_CA_BUNDLE}`, `sslrootcert=${ca.cert}`);
      expect(here).not.toBe(url);
      const config = parse(here);
      expect([url, config.ssl]).toEqual([url, { ca: fs.readFileSync(ca.cert, "utf8") }]);
      const ssl = config.ssl as { rejectUnauthorized?: boolean; checkServerIdentity?: unknown };
      expect([ssl.rejectUnauthorized, ssl.checkServerIdentity]).toEqual([undefined, undefined]);
    }
  });
});
