import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChainIndexer, ChainIndexerArgs } from "../../../components/indexer";
import { AWS_CLI_IMAGE, PGPASS_FILE } from "../../../components/indexer/credentials-aws";
import { MIGRATION_CONTAINER, MIGRATION_IMAGE } from "../../../components/indexer/migration";
import { WAIT_CONTAINER } from "../../../components/indexer/workers";
import { CA_COPY_CONTAINER, CA_COPY_SCRIPT, RDS_CA_BUNDLE } from "../../../components/indexer/ca-bundle";
import { CLOUD_SQL_PROXY_IMAGE } from "../../../components/indexer/credentials-gcp";
import { DNS_EGRESS } from "../../../components/api-service/network-policy";
import { RPC_CLIENT_LABEL } from "../../../components/ethereum-node/kubernetes";
import { INDEXER_POD_LABEL, SCRAPER_NAMESPACES } from "../../../components/metrics/scrape";
import { METRICS_PORT_NAME, SCRAPE_LABEL } from "../../../components/monitoring/targets";
import { COST_TAG_KEYS } from "../../../components/tagging";
import { runPolicies } from "../../../policies/rules";
import { mockCall } from "../../../tools/plan/mock-outputs";
import { effectiveName } from "../../../tools/plan/autoname";
import { RecordedResource, SECRET_PLACEHOLDER, recordResources } from "../../../tools/plan/record";
import { readPackConfig } from "../../../tools/plan/violations";
import { cloudName, componentProblems, ofType, serviceAccountEmail, stateOf } from "../../helpers/resources";
import { below } from "../network/fixtures";
import {
  CONSUMERS,
  DB_SUBNETS,
  DEPLOYMENT,
  HPA,
  NAMESPACE,
  NETPOL,
  OIDC_ARN,
  OIDC_ISSUER,
  PDB,
  ROLE,
  ROLE_POLICY,
  SA_IAM_MEMBER,
  SERVICE,
  SERVICE_ACCOUNT,
  TAGS,
  WORKER_IMAGE,
  awsIndexerArgs,
  envOf,
  gcpIndexerArgs,
  mainContainer,
  only,
  podSpec,
  withProvider,
} from "./fixtures";

const ROOT = path.resolve(__dirname, "../../..");
const AWS = "mainnet-indexer";
const GCP = "gcp-indexer";
const RDS = "aws:rds/instance:Instance";
const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const STABLE_SELECTOR_KEYS = ["app.kubernetes.io/name", "app.kubernetes.io/instance"];
const tcp = (...ports: (number | string)[]) => ports.map((port) => ({ protocol: "TCP", port }));

type Variant = (args: ReturnType<typeof awsIndexerArgs>) => ReturnType<typeof awsIndexerArgs>;

/** The AWS indexer, as `variant` changes its arguments. */
async function recordAws(variant: Variant = (a) => a): Promise<RecordedResource[]> {
  const { resources } = await recordResources(() => {
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    new ChainIndexer(AWS, withProvider(variant(awsIndexerArgs()), provider));
  });
  return resources;
}

const JOB = "kubernetes:batch/v1:Job";
const workersOf = (resources: readonly RecordedResource[], name = AWS) => ofType(resources, DEPLOYMENT).filter((d) => d.name.startsWith(`${name}-worker-`));
const jobsOf = (resources: readonly RecordedResource[], name = AWS) => ofType(resources, JOB).filter((j) => j.name.startsWith(`${name}-db-roles-`));
/** Every pod template the indexers run: Deployments and the migration Jobs. */
const podsOf = (resources: readonly RecordedResource[]) => [...ofType(resources, DEPLOYMENT), ...ofType(resources, JOB)];
const containersOf = (r: RecordedResource): any[] => [...(podSpec(r).initContainers ?? []), ...podSpec(r).containers];
const apiDeployment = (resources: readonly RecordedResource[], name = AWS) => only(resources, DEPLOYMENT, `${name}-api-deployment`);
const inputs = (r: RecordedResource): any => r.inputs;


/** Each pod's service account: workers write, the read API reads, only the migration Jobs are the admin. */
const loginAccounts = (name: string) => ({
  [`${name}-worker-blue`]: `${name}-db-writer`,
  [`${name}-worker-green`]: `${name}-db-writer`,
  [`${name}-lag-exporter`]: undefined,
  [`${name}-api-deployment`]: `${name}-db-reader`,
  [`${name}-db-roles-blue`]: `${name}-db-admin`,
  [`${name}-db-roles-green`]: `${name}-db-admin`,
});

describe("ChainIndexer", () => {
  let all: RecordedResource[];
  let aws: RecordedResource[];
  let gcp: RecordedResource[];
  let promoted: RecordedResource[];
  let retired: RecordedResource[];
  let componentOutputs: Record<string, any>;
  let awsIndexer: ChainIndexer;

  beforeAll(async () => {
    ({ resources: all } = await recordResources(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const privateServices = new pulumi.ComponentResource("test:index:PrivateServices", "private-services");
      awsIndexer = new ChainIndexer(AWS, withProvider(awsIndexerArgs(), provider));
      const gcpArgs = gcpIndexerArgs(privateServices);
      new ChainIndexer(GCP, withProvider({ ...gcpArgs, indexer: "mainnet-gcp", worker: { ...gcpArgs.worker, readinessPath: "/v1/backfill-complete" } }, provider));
    }));
    aws = below(all, AWS);
    gcp = below(all, GCP);
    componentOutputs = all.find((r) => r.name === AWS && !r.custom)!.outputs as Record<string, any>;
    promoted = below(await recordAws((a) => ({ ...a, live: "green" })), AWS);
    retired = below(await recordAws((a) => ({ ...a, deployments: [a.deployments[1]], live: "green" })), AWS);
  });

  it("coexists with another indexer, names its children from its own name, tags every child and classifies every type", () => {
    expect(componentProblems(all, [AWS, GCP])).toEqual([]);
    expect(ofType(aws, "estate:indexer:IndexerDatabase").map((r) => r.name)).toEqual([`${AWS}-db`]);
    expect(ofType(aws, "estate:api-service:ApiService").map((r) => r.name)).toEqual([`${AWS}-api`]);
  });

  describe("blue/green by schema", () => {
    it("runs one single-writer worker Deployment per deployment, each writing its own schema", () => {
      const workers = workersOf(aws);
      expect(workers.map((w) => [w.name, inputs(w).metadata.name, envOf(mainContainer(w, "indexer")).DATABASE_SCHEMA, mainContainer(w, "indexer").image])).toEqual([
        [`${AWS}-worker-blue`, `${AWS}-worker-blue`, "mainnet_blue", WORKER_IMAGE("1.4.0")],
        [`${AWS}-worker-green`, `${AWS}-worker-green`, "mainnet_green", WORKER_IMAGE("1.5.0")],
      ]);
      for (const w of workers) {
        expect(inputs(w).spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
        // A backfill takes hours: `pulumi up` must not wait for it.
        expect(inputs(w).metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
      }
      const selectors = workers.map((w) => inputs(w).spec.selector.matchLabels);
      expect(selectors[0]).not.toEqual(selectors[1]);
      expect(componentOutputs.schemas).toEqual({ blue: "mainnet_blue", green: "mainnet_green" });
    });

    it("serves the live deployment's schema from the read API, read-only", () => {
      const api = mainContainer(apiDeployment(aws), "api");
      expect(envOf(api).DATABASE_SCHEMA).toBe("mainnet_blue");
      expect(envOf(api).DATABASE_SCHEMA).toBe(awsIndexer.liveSchema);
      expect(envOf(api).PGOPTIONS).toBe("-c role=mainnet_reader -c default_transaction_read_only=on -c search_path=mainnet_blue");
      expect(componentOutputs.liveSchema).toBe("mainnet_blue");
      expect(envOf(mainContainer(apiDeployment(gcp, GCP), "api")).DATABASE_SCHEMA).toBe("mainnet_gcp_blue");
    });

    it("promotes by changing `live`: the read API and the lag exporter's target move, no worker restarts", () => {
      expect(envOf(mainContainer(apiDeployment(promoted), "api")).DATABASE_SCHEMA).toBe("mainnet_green");
      // Same worker and migration inputs before and after: Kubernetes rolls no worker pod, no migration reruns.
      expect(workersOf(promoted).map((w) => w.inputs)).toEqual(workersOf(aws).map((w) => w.inputs));
      expect(jobsOf(promoted).map((j) => j.inputs)).toEqual(jobsOf(aws).map((j) => j.inputs));
      const live = (resources: RecordedResource[]) => inputs(only(resources, SERVICE, `${AWS}-live`)).spec.selector;
      expect(live(aws)).toEqual(inputs(workersOf(aws)[0]).spec.selector.matchLabels);
      expect(live(promoted)).toEqual(inputs(workersOf(aws)[1]).spec.selector.matchLabels);
    });

    it("retires the old deployment by removing its entry: its worker goes, the database and everything in it stays", () => {
      expect(workersOf(retired).map((w) => w.name)).toEqual([`${AWS}-worker-green`]);
      expect(workersOf(retired)[0].inputs).toEqual(workersOf(aws)[1].inputs);
      const database = (resources: RecordedResource[]) => below(resources, `${AWS}-db`).map((r) => [r.name, r.inputs, r.protect, r.retainOnDelete]);
      expect(database(retired)).toEqual(database(aws));
      // Its migration Job goes too; no SQL the estate runs ever drops anything, and the primary survives a mistaken delete.
      expect(jobsOf(retired).map((j) => j.name)).toEqual([`${AWS}-db-roles-green`]);
      expect(all.filter((r) => r.type.startsWith("kubernetes:batch/") && r.type !== JOB)).toEqual([]);
      for (const job of ofType(all, JOB)) {
        const sql: string = envOf(podSpec(job).containers[0]).MIGRATION_SQL;
        expect(sql).not.toMatch(/DROP|TRUNCATE|DELETE/);
        // The one REVOKE takes rds_iam off the group roles (an earlier layout's), never a privilege on data.
        expect(sql.split("\n").filter((l) => l.includes("REVOKE")).every((l) => /^REVOKE rds_iam FROM \w+_writer, \w+_reader;$/.test(l))).toBe(true);
      }
      const primary = ofType(aws, RDS).find((r) => !inputs(r).replicateSourceDb)!;
      expect([primary.protect, primary.retainOnDelete, inputs(primary).deletionProtection]).toEqual([true, true, true]);
    });
  });

  describe("workers", () => {
    it("are Ready only when the backfill reached the chain head: the readiness probe is worker.readinessPath", () => {
      for (const w of workersOf(aws)) {
        const c = mainContainer(w, "indexer");
        expect(c.readinessProbe.httpGet).toEqual({ path: "/ready", port: "http", scheme: "HTTP" });
        expect(c.livenessProbe.httpGet).toEqual({ path: "/health", port: "http", scheme: "HTTP" });
        expect(c.ports).toEqual([{ name: "http", containerPort: 42069, protocol: "TCP" }]);
        expect(c.resources).toEqual({ requests: { cpu: "2", memory: "4Gi" }, limits: { memory: "4Gi" } });
      }
      for (const w of workersOf(gcp, GCP)) expect(mainContainer(w, "indexer").readinessProbe.httpGet.path).toBe("/v1/backfill-complete");
      // The rollout waits as long as a backfill takes; `kubectl rollout status` reports readiness.
      expect(inputs(workersOf(aws)[0]).spec.progressDeadlineSeconds).toBeGreaterThanOrEqual(7 * 24 * 3600);
    });

    it("read the estate's RPC pool (archive node for backfills), and carry the RPC client label", () => {
      const w = workersOf(aws)[0];
      const env = envOf(mainContainer(w, "indexer"));
      expect([env.RPC_URL, env.BACKFILL_RPC_URL, env.CHAIN, env.CHAIN_ID]).toEqual([
        "http://eth-mainnet-rpc.ethereum.svc.cluster.local:8545",
        "http://eth-archive-rpc.ethereum.svc.cluster.local:8545",
        "mainnet",
        "1",
      ]);
      // The caller's variables come after the component's, so `$(RPC_URL)` expands.
      const names = mainContainer(w, "indexer").env.map((e: any) => e.name);
      expect(names.indexOf("PONDER_RPC_URL_1")).toBeGreaterThan(names.indexOf("RPC_URL"));
      expect(inputs(w).spec.template.metadata.labels).toMatchObject(RPC_CLIENT_LABEL);
    });
  });

  describe("every pod", () => {
    const deployments = () => ofType(all, DEPLOYMENT);

    it("runs the role migration for each deployment in a Job of its own, which its worker waits for, logged in as the writer", () => {
      for (const [indexer, name] of [[aws, AWS], [gcp, GCP]] as const) {
        const jobs = jobsOf(indexer, name);
        expect(jobs.map((j) => inputs(j).metadata.name)).toEqual([`${name}-db-roles-blue`, `${name}-db-roles-green`]);
        for (const [job, worker] of jobs.map((j, i) => [j, workersOf(indexer, name)[i]] as const)) {
          const schema = envOf(mainContainer(worker, "indexer")).DATABASE_SCHEMA;
          const migration = podSpec(job).containers[0];
          expect([migration.name, migration.image, podSpec(job).restartPolicy, inputs(job).spec.backoffLimit]).toEqual([MIGRATION_CONTAINER, MIGRATION_IMAGE, "Never", 6]);
          const sql = envOf(migration).MIGRATION_SQL;
          expect(sql).toContain(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION `);
          expect(sql.match(/CREATE SCHEMA IF NOT EXISTS [a-z_]+_(blue|green) /g)).toHaveLength(1);
          // `pulumi up` waits for it (no skipAwait): a failed migration fails the update, and the next one reruns it.
          expect(inputs(job).metadata.annotations).toEqual({ "pulumi.com/replaceUnready": "true" });

          const names = podSpec(worker).initContainers.map((c: any) => c.name);
          expect(names[names.length - 1]).toBe(WAIT_CONTAINER);
          const wait = podSpec(worker).initContainers.find((c: any) => c.name === WAIT_CONTAINER);
          const waitEnv = envOf(wait);
          expect([wait.restartPolicy, wait.image, waitEnv.MIGRATION_JOB]).toEqual([undefined, MIGRATION_IMAGE, inputs(job).metadata.name]);
          expect(waitEnv.MIGRATION_DONE_SQL).toBe(`SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = '${schema}' AND nspowner = '${schema.replace(/_(blue|green)$/, "")}_writer'::regrole);`);
          // It logs in exactly as the worker will.
          const workerEnv = envOf(mainContainer(worker, "indexer"));
          for (const key of ["PGHOST", "PGPORT", "PGUSER", "PGOPTIONS", "PGSSLMODE", "PGPASSFILE"]) expect([key, waitEnv[key]]).toEqual([key, workerEnv[key]]);
          expect(wait.command[2]).not.toMatch(/\$\(|\$\$/);
        }
      }
    });

    it("sizes every container and probes every one that keeps running", () => {
      expect(deployments().length).toBe(8); // per indexer: 2 workers, the lag exporter, the read API
      for (const d of deployments()) {
        const spec = podSpec(d);
        for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
          const where = `${d.name}/${c.name}`;
          expect([where, c.resources.requests.cpu, c.resources.requests.memory, c.resources.limits.memory].every(Boolean)).toBe(true);
        }
        for (const c of spec.containers) expect([`${d.name}/${c.name}`, !!c.readinessProbe, !!c.livenessProbe]).toEqual([`${d.name}/${c.name}`, true, true]);
        // Native sidecars run all along: probed too, and started (startup probe) before the application.
        for (const c of (spec.initContainers ?? []).filter((c: any) => c.name !== WAIT_CONTAINER && c.name !== CA_COPY_CONTAINER)) {
          expect([`${d.name}/${c.name}`, c.restartPolicy, !!c.startupProbe, !!c.readinessProbe, !!c.livenessProbe]).toEqual([`${d.name}/${c.name}`, "Always", true, true, true]);
        }
      }
    });

    it("runs non-root, without privilege escalation or capabilities, read-only, with the runtime's seccomp profile", () => {
      for (const d of podsOf(all)) {
        const spec = podSpec(d);
        expect([d.name, spec.securityContext.runAsNonRoot, spec.securityContext.seccompProfile]).toEqual([d.name, true, { type: "RuntimeDefault" }]);
        for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
          const s = c.securityContext;
          expect([`${d.name}/${c.name}`, s.runAsNonRoot, s.allowPrivilegeEscalation, s.capabilities, s.readOnlyRootFilesystem]).toEqual([
            `${d.name}/${c.name}`,
            true,
            false,
            { drop: ["ALL"] },
            true,
          ]);
        }
      }
    });

    it("carries the cost labels on the object and the pod template, and selects on stable labels only", () => {
      for (const job of ofType(all, JOB)) for (const labels of [inputs(job).metadata.labels, inputs(job).spec.template.metadata.labels]) expect(labels).toMatchObject(TAGS);
      for (const d of deployments()) {
        const { metadata, spec } = inputs(d);
        for (const labels of [metadata.labels, spec.template.metadata.labels]) expect(labels).toMatchObject(TAGS);
        const keys = Object.keys(spec.selector.matchLabels);
        expect([d.name, keys.every((k) => STABLE_SELECTOR_KEYS.includes(k)), keys.some((k) => (COST_TAG_KEYS as readonly string[]).includes(k))]).toEqual([d.name, true, false]);
      }
    });
  });

  describe("logins, AWS", () => {
    const issuer = OIDC_ISSUER.replace("https://", "");
    const LOGINS = ["admin", "writer", "reader"] as const;
    const sidecar = (r: RecordedResource) => podSpec(r).initContainers.find((c: any) => c.name === "db-credentials");
    const rdsId = (r: RecordedResource) => `db-${cloudName(aws, r.name).toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(26, "0").slice(0, 26)}`;
    const address = (r: RecordedResource) => `${effectiveName(r)}.c0mock0db0.us-east-1.rds.amazonaws.com`;
    const primary = () => ofType(aws, RDS).find((r) => !inputs(r).replicateSourceDb)!;
    const replica = () => ofType(aws, RDS).find((r) => inputs(r).replicateSourceDb)!;
    const secretArn = () => envOf(sidecar(jobsOf(aws)[0])).DATABASE_SECRET_ARN;
    const roleArn = (login: string) => stateOf(all, `${AWS}-db-${login}`).arn;

    it("gives each login an IRSA role that exactly its service account may assume, with exactly one permission", () => {
      expect(secretArn()).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
      const connect = (instance: RecordedResource, user: string) => [
        { Sid: "ConnectAsRole", Effect: "Allow", Action: "rds-db:connect", Resource: [`arn:aws:rds-db:us-east-1:123456789012:dbuser:${rdsId(instance)}/${user}`] },
      ];
      const permissions = {
        admin: [{ Sid: "ReadDatabaseSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn() }],
        writer: connect(primary(), "mainnet_writer_login"),
        reader: connect(replica(), "mainnet_reader_login"),
      };
      expect(ofType(aws, ROLE).map((r) => r.name)).toEqual(LOGINS.map((l) => `${AWS}-db-${l}`));
      expect(ofType(aws, ROLE_POLICY).map((r) => r.name)).toEqual([`${AWS}-db-admin-read`, `${AWS}-db-writer-connect`, `${AWS}-db-reader-connect`]);
      for (const [login, policy] of [["admin", "read"], ["writer", "connect"], ["reader", "connect"]] as const) {
        const trust = JSON.parse(inputs(only(aws, ROLE, `${AWS}-db-${login}`)).assumeRolePolicy);
        expect(trust.Statement).toEqual([
          {
            Effect: "Allow",
            Principal: { Federated: OIDC_ARN },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${NAMESPACE}:${AWS}-db-${login}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
          },
        ]);
        expect([login, JSON.parse(inputs(only(aws, ROLE_POLICY, `${AWS}-db-${login}-${policy}`)).policy).Statement]).toEqual([login, permissions[login]]);
      }
      expect(ofType(aws, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
    });

    it("lets only the migration Jobs read the master secret: no other pod runs as the admin's service account or names the secret", () => {
      const accounts = Object.fromEntries(podsOf(aws).map((p) => [p.name, podSpec(p).serviceAccountName]));
      expect(accounts).toEqual(loginAccounts(AWS));
      const withSecret = podsOf(aws).flatMap((p) => containersOf(p).filter((c) => envOf(c).DATABASE_SECRET_ARN !== undefined).map((c) => `${p.name}/${c.name}`));
      expect(withSecret).toEqual([`${AWS}-db-roles-blue/db-credentials`, `${AWS}-db-roles-green/db-credentials`]);
      const sa = ofType(aws, SERVICE_ACCOUNT).map((r) => [inputs(r).metadata.name, inputs(r).metadata.namespace, inputs(r).metadata.annotations, inputs(r).automountServiceAccountToken]);
      expect(sa).toEqual(LOGINS.map((l) => [`${AWS}-db-${l}`, NAMESPACE, {}, false]));
    });

    it("logs the Jobs in as the master user, the workers as the writer and the read API as the reader, the two with IAM auth tokens", () => {
      const login = (pod: RecordedResource, main: string) => {
        const c = sidecar(pod);
        const env = envOf(c);
        const m = envOf(mainContainer(pod, main));
        return { role: env.AWS_ROLE_ARN, script: c.command[2].includes("generate-db-auth-token") ? "iam-token" : "secret", tokenUser: env.DB_USER, tokenHosts: env.DB_HOSTS, user: m.PGUSER, options: m.PGOPTIONS };
      };
      for (const job of jobsOf(aws)) {
        expect(login(job, MIGRATION_CONTAINER)).toEqual({ role: roleArn("admin"), script: "secret", tokenUser: undefined, tokenHosts: undefined, user: "indexer_admin", options: undefined });
      }
      for (const worker of workersOf(aws)) {
        expect(login(worker, "indexer")).toEqual({ role: roleArn("writer"), script: "iam-token", tokenUser: "mainnet_writer_login", tokenHosts: address(primary()), user: "mainnet_writer_login", options: "-c role=mainnet_writer" });
      }
      expect(login(apiDeployment(aws), "api")).toEqual({
        role: roleArn("reader"),
        script: "iam-token",
        tokenUser: "mainnet_reader_login",
        tokenHosts: address(replica()),
        user: "mainnet_reader_login",
        options: "-c role=mainnet_reader -c default_transaction_read_only=on -c search_path=mainnet_blue",
      });
      // Tokens are valid 15 minutes: rewritten every 5, and the sidecar restarted when its file is 10 minutes old.
      for (const pod of [workersOf(aws)[0], apiDeployment(aws)]) {
        expect(envOf(sidecar(pod))).toMatchObject({ DB_PORT: "5432", REFRESH_SECONDS: "300" });
        expect(sidecar(pod).livenessProbe.exec.command[2]).toContain("-mmin -10");
      }
    });

    it("keeps the password or token in a pgpass file in memory, written by a pinned aws-cli sidecar that alone holds the web identity", () => {
      for (const d of [...workersOf(aws), apiDeployment(aws), ...jobsOf(aws)]) {
        const spec = podSpec(d);
        const c = sidecar(d);
        expect([c.image, c.restartPolicy]).toEqual([AWS_CLI_IMAGE, "Always"]);
        expect(envOf(c)).toMatchObject({ AWS_WEB_IDENTITY_TOKEN_FILE: expect.any(String), PGPASSFILE: PGPASS_FILE });
        const volumes = Object.fromEntries(spec.volumes.map((v: any) => [v.name, v]));
        expect(volumes.pgpass.emptyDir).toEqual({ medium: "Memory", sizeLimit: "1Mi" });
        expect(volumes["aws-iam-token"].projected.sources).toEqual([{ serviceAccountToken: { audience: "sts.amazonaws.com", expirationSeconds: 86400, path: "token" } }]);
        for (const other of containersOf(d).filter((x) => x !== c && x.name !== CA_COPY_CONTAINER)) {
          const where = `${d.name}/${other.name}`;
          expect([where, other.volumeMounts]).toEqual([where, expect.arrayContaining([{ name: "pgpass", mountPath: "/run/pgpass", readOnly: true }])]);
          expect([where, other.volumeMounts.map((m: any) => m.name)]).toEqual([where, expect.not.arrayContaining(["aws-iam-token"])]);
          expect([where, envOf(other).PGPASSFILE, Object.keys(envOf(other)).filter((n) => n.startsWith("AWS_"))]).toEqual([where, PGPASS_FILE, []]);
        }
      }
    });

    it("connects the workers and the Jobs to the primary and the read API to the replica, over TLS, without a password", () => {
      const worker = envOf(mainContainer(workersOf(aws)[0], "indexer"));
      const job = envOf(mainContainer(jobsOf(aws)[0], MIGRATION_CONTAINER));
      const api = envOf(mainContainer(apiDeployment(aws), "api"));
      const tls = { PGSSLMODE: "verify-full", PGSSLROOTCERT: RDS_CA_BUNDLE };
      for (const env of [worker, job]) expect(env).toMatchObject({ PGHOST: address(primary()), PGPORT: "5432", PGDATABASE: "mainnet_indexer", ...tls });
      expect(api).toMatchObject({ PGHOST: address(replica()), ...tls });
      const params = `uselibpqcompat=true&sslmode=verify-full&sslrootcert=${RDS_CA_BUNDLE}`;
      expect(worker.DATABASE_URL).toBe(`postgresql://mainnet_writer_login@${address(primary())}:5432/mainnet_indexer?${params}`);
      expect(api.DATABASE_URL).toBe(`postgresql://mainnet_reader_login@${address(replica())}:5432/mainnet_indexer?${params}`);
    });

    it("gives every container that connects the RDS CA bundle at sslrootcert: the indexer image's own, or a copy from the deployment's image for psql", () => {
      const images = new Map([...workersOf(aws).map((w) => [w, mainContainer(w, "indexer").image] as const), ...jobsOf(aws).map((j, i) => [j, mainContainer(workersOf(aws)[i], "indexer").image] as const)]);
      for (const [pod, image] of images) {
        const spec = podSpec(pod);
        const copy = spec.initContainers.find((c: any) => c.name === CA_COPY_CONTAINER);
        // A run-to-completion init container of the deployment's own image, after the credentials sidecar.
        expect([pod.name, copy.image, copy.restartPolicy, copy.command, envOf(copy).CA_BUNDLE]).toEqual([pod.name, image, undefined, ["sh", "-c", CA_COPY_SCRIPT], RDS_CA_BUNDLE]);
        expect(spec.initContainers.indexOf(copy)).toBe(1);
        const volume = spec.volumes.find((v: any) => v.name === copy.volumeMounts[0].name);
        expect(volume.emptyDir).toEqual({ medium: "Memory", sizeLimit: "1Mi" });
        // It reads no credential and mounts nothing but the volume it writes.
        expect([copy.volumeMounts.length, Object.keys(envOf(copy)).filter((k) => k.startsWith("PG"))]).toEqual([1, []]);
        for (const c of containersOf(pod).filter((c) => envOf(c).PGSSLROOTCERT !== undefined)) {
          const mount = (c.volumeMounts ?? []).find((m: any) => m.name === volume.name);
          // psql (another image) reads the copy at the path; the worker its image's own file, not shadowed.
          const expected = c.image === MIGRATION_IMAGE ? { name: volume.name, mountPath: path.dirname(RDS_CA_BUNDLE), readOnly: true } : undefined;
          expect([`${pod.name}/${c.name}`, envOf(c).PGSSLROOTCERT, mount]).toEqual([`${pod.name}/${c.name}`, RDS_CA_BUNDLE, expected]);
        }
      }
      // Its pods have one image only (the API's, which has the bundle): no copy.
      const api = apiDeployment(aws);
      expect(containersOf(api).map((c) => c.name)).not.toContain(CA_COPY_CONTAINER);
      expect(envOf(mainContainer(api, "api")).PGSSLROOTCERT).toBe(RDS_CA_BUNDLE);
    });
  });

  describe("logins, GCP", () => {
    const LOGINS = ["admin", "writer", "reader"] as const;
    const proxy = (d: RecordedResource) => podSpec(d).initContainers.find((c: any) => c.name === "cloud-sql-proxy");
    const connection = (r: RecordedResource) => `tocu-estate-prod:us-central1:${effectiveName(r)}`;
    const email = (login: string) => serviceAccountEmail(gcp, `${GCP}-db-${login}-sa`);
    const iamUser = (login: string) => email(login).replace(/\.gserviceaccount\.com$/, "");

    it("maps each login's Kubernetes service account to a Google service account of its own with Workload Identity, and nothing else", () => {
      const sa = ofType(gcp, SERVICE_ACCOUNT).map((r) => [inputs(r).metadata.name, inputs(r).metadata.annotations]);
      expect(sa).toEqual(LOGINS.map((l) => [`${GCP}-db-${l}`, { "iam.gke.io/gcp-service-account": email(l) }]));
      expect(ofType(gcp, SA_IAM_MEMBER).map((b) => b.inputs)).toEqual(
        LOGINS.map((l) => ({
          serviceAccountId: `projects/tocu-estate-prod/serviceAccounts/${email(l)}`,
          role: "roles/iam.workloadIdentityUser",
          member: `serviceAccount:tocu-estate-prod.svc.id.goog[${NAMESPACE}/${GCP}-db-${l}]`,
        })),
      );
      const accounts = Object.fromEntries(podsOf(gcp).map((p) => [p.name, podSpec(p).serviceAccountName]));
      expect(accounts).toEqual(loginAccounts(GCP));
      expect(ofType(gcp, ROLE)).toEqual([]);
    });

    it("logs each pod in as its login's IAM user through its own Auth Proxy; only the migration's is cloudsqlsuperuser, and it grants the others their role", () => {
      const instances = ofType(gcp, SQL);
      const primary = instances.find((r) => !inputs(r).masterInstanceName)!;
      const replicas = instances.filter((r) => inputs(r).masterInstanceName);
      expect(replicas).toHaveLength(2);
      const login = (pod: RecordedResource, main: string) => {
        const p = proxy(pod);
        const m = envOf(mainContainer(pod, main));
        return { image: p.image, iam: p.args.includes("--auto-iam-authn"), instances: p.args.filter((a: string) => a.includes("?port=")), user: m.PGUSER, options: m.PGOPTIONS };
      };
      const onPrimary = [`${connection(primary)}?port=5432`];
      for (const job of jobsOf(gcp, GCP)) expect(login(job, MIGRATION_CONTAINER)).toEqual({ image: CLOUD_SQL_PROXY_IMAGE, iam: true, instances: onPrimary, user: iamUser("admin"), options: undefined });
      for (const worker of workersOf(gcp, GCP)) {
        expect(login(worker, "indexer")).toEqual({ image: CLOUD_SQL_PROXY_IMAGE, iam: true, instances: onPrimary, user: iamUser("writer"), options: "-c role=mainnet_gcp_writer" });
      }
      expect(login(apiDeployment(gcp, GCP), "api")).toEqual({
        image: CLOUD_SQL_PROXY_IMAGE,
        iam: true,
        instances: replicas.map((r, i) => `${connection(r)}?port=${5432 + i}`),
        user: iamUser("reader"),
        options: "-c role=mainnet_gcp_reader -c default_transaction_read_only=on -c search_path=mainnet_gcp_blue",
      });

      const superusers = ofType(gcp, "gcp:sql/user:User").filter((u) => inputs(u).databaseRoles !== undefined);
      expect(superusers.map((u) => [inputs(u).name, inputs(u).databaseRoles])).toEqual([[iamUser("admin"), ["cloudsqlsuperuser"]]]);
      for (const job of jobsOf(gcp, GCP)) {
        const grants = envOf(podSpec(job).containers[0]).MIGRATION_SQL.split("\n").filter((l: string) => /^GRANT \S+ TO /.test(l));
        expect(grants).toEqual(["GRANT mainnet_gcp_writer TO CURRENT_USER;", `GRANT mainnet_gcp_writer TO "${iamUser("writer")}";`, `GRANT mainnet_gcp_reader TO "${iamUser("reader")}";`]);
      }
      const env = envOf(mainContainer(workersOf(gcp, GCP)[0], "indexer"));
      expect(env).toMatchObject({ PGHOST: "127.0.0.1", PGPORT: "5432", PGSSLMODE: "disable" });
      expect(env.PGPASSFILE).toBeUndefined();
      expect(env.DATABASE_URL).toBe(`postgresql://${encodeURIComponent(iamUser("writer"))}@127.0.0.1:5432/mainnet_indexer?sslmode=disable`);
      // The Auth Proxy verifies the instance itself: no CA bundle, no copy of it.
      for (const d of [...workersOf(gcp, GCP), ...jobsOf(gcp, GCP), apiDeployment(gcp, GCP)]) {
        expect([d.name, containersOf(d).filter((c) => c.name === CA_COPY_CONTAINER || envOf(c).PGSSLROOTCERT !== undefined)]).toEqual([d.name, []]);
      }
      expect(envOf(mainContainer(apiDeployment(gcp, GCP), "api"))).toMatchObject({ PGHOST: "127.0.0.1,127.0.0.1", PGPORT: "5432,5433", PGLOADBALANCEHOSTS: "random" });
    });
  });

  describe("network", () => {
    const policy = (resources: RecordedResource[], name: string): any => inputs(only(resources, NETPOL, name)).spec;
    const rpcRule = { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ethereum" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "ethereum-node" } } }], ports: tcp(8545) };
    const subnetCidrs = DB_SUBNETS.map((id) => ({ ipBlock: { cidr: mockCall("aws:ec2/getSubnet:getSubnet", { id }, "us-east-1").cidrBlock } }));

    it("lets AWS workers reach DNS, the RPC pool, the database subnets on 5432 and HTTPS for the secret, nothing else", () => {
      const workers = policy(aws, `${AWS}-workers-netpol`);
      expect(workers.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "chain-indexer-worker", "app.kubernetes.io/part-of": AWS });
      expect(workers.policyTypes).toEqual(["Ingress", "Egress"]);
      expect(workers.egress).toEqual([DNS_EGRESS, rpcRule, { to: subnetCidrs, ports: tcp(5432) }, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(443) }]);
      // Only the lag exporter calls the workers (kubelet probes are not subject to NetworkPolicy).
      expect(workers.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "chain-indexer-lag", "app.kubernetes.io/instance": AWS } } }], ports: tcp("http") }]);
    });

    it("lets GCP workers reach DNS, the RPC pool, the primary's private IP on 3307, Google APIs and the metadata server", () => {
      const primaryIp = (name: string) => `10.100.0.${name.length % 250}`;
      const primary = ofType(gcp, SQL).find((r) => !inputs(r).masterInstanceName)!;
      expect(policy(gcp, `${GCP}-workers-netpol`).egress).toEqual([
        DNS_EGRESS,
        rpcRule,
        { to: [{ ipBlock: { cidr: `${primaryIp(primary.name)}/32` } }], ports: tcp(3307) },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(443) },
        { to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: tcp(80) },
        { to: [{ ipBlock: { cidr: "169.254.169.252/32" } }], ports: tcp(988) },
      ]);
      const replicas = ofType(gcp, SQL).filter((r) => inputs(r).masterInstanceName);
      expect(policy(gcp, `${GCP}-api-database-netpol`).egress).toEqual([{ to: replicas.map((r) => ({ ipBlock: { cidr: `${primaryIp(r.name)}/32` } })), ports: tcp(3307) }]);
    });

    it("lets the read API reach the database and the credential endpoints only, besides DNS", () => {
      const api = policy(aws, `${AWS}-api-netpol`);
      expect(api.egress).toEqual([DNS_EGRESS, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(443) }]);
      const database = policy(aws, `${AWS}-api-database-netpol`);
      expect(database).toEqual({
        podSelector: { matchLabels: { "app.kubernetes.io/name": "api-service", "app.kubernetes.io/instance": `${AWS}-api` } },
        policyTypes: ["Egress"],
        egress: [{ to: subnetCidrs, ports: tcp(5432) }],
      });
    });

    it("lets the migration Jobs reach DNS, the database and the credential endpoints only, and nothing reach them", () => {
      const jobs = policy(aws, `${AWS}-db-roles-netpol`);
      expect(jobs.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "chain-indexer-db-roles", "app.kubernetes.io/part-of": AWS });
      for (const job of jobsOf(aws)) expect(inputs(job).spec.template.metadata.labels).toMatchObject(jobs.podSelector.matchLabels);
      expect([jobs.policyTypes, jobs.ingress]).toEqual([["Ingress", "Egress"], []]);
      expect(jobs.egress).toEqual([DNS_EGRESS, { to: subnetCidrs, ports: tcp(5432) }, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(443) }]);
      const primary = ofType(gcp, SQL).find((r) => !inputs(r).masterInstanceName)!;
      expect(policy(gcp, `${GCP}-db-roles-netpol`).egress[1]).toEqual({ to: [{ ipBlock: { cidr: `10.100.0.${primary.name.length % 250}/32` } }], ports: tcp(3307) });
    });

    it("lets only the metrics collectors scrape the lag exporter, which reaches DNS, the RPC pool and the workers", () => {
      const lag = policy(aws, `${AWS}-lag-netpol`);
      expect(lag.ingress).toEqual([
        { from: SCRAPER_NAMESPACES.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })), ports: tcp(METRICS_PORT_NAME) },
      ]);
      expect(lag.egress).toEqual([DNS_EGRESS, rpcRule, { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "chain-indexer-worker", "app.kubernetes.io/part-of": AWS } } }], ports: tcp(42069) }]);
    });
  });

  describe("monitoring", () => {
    it("exports the live deployment's lag from one exporter, through a Service that includes a worker still catching up", () => {
      const lag = only(aws, DEPLOYMENT, `${AWS}-lag-exporter`);
      expect(inputs(lag).spec.template.metadata.labels).toMatchObject({ ...SCRAPE_LABEL, [INDEXER_POD_LABEL]: "mainnet" });
      expect(inputs(lag).spec.replicas).toBe(1);
      const container = podSpec(lag).containers[0];
      expect(container.ports.map((p: any) => p.name)).toEqual([METRICS_PORT_NAME]);
      const base = `http://${AWS}-live.${NAMESPACE}.svc.cluster.local:42069`;
      expect(envOf(container)).toMatchObject({ INDEXER: "mainnet", STATUS_URL: `${base}/status`, READY_URL: `${base}/ready`, STATUS_BLOCK_POINTER: "/mainnet/block/number" });
      expect(inputs(only(aws, SERVICE, `${AWS}-live`)).spec).toMatchObject({ publishNotReadyAddresses: true, ports: [{ port: 42069, targetPort: "http" }] });
      // The workers themselves are not scraped: one series per indexer, never one from a deployment still backfilling.
      for (const w of workersOf(aws)) expect(Object.keys(inputs(w).spec.template.metadata.labels)).not.toContain(Object.keys(SCRAPE_LABEL)[0]);
    });

    it("describes itself to Monitoring: the indexer, where its metrics land, and its database", () => {
      expect(awsIndexer.monitoringTarget).toMatchObject({ kind: "indexer", indexer: "mainnet", metricsCloud: "aws", database: { kind: "rds", maxStorageGiB: 2000 } });
      expect(awsIndexer.monitoringTarget.database).toBe(awsIndexer.database.monitoringTarget);
    });
  });

  it("scales the read API with an autoscaler and keeps it up through drains with a disruption budget", () => {
    const api = below(all, `${AWS}-api`);
    expect(inputs(only(api, HPA)).spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(inputs(only(api, PDB)).spec).toMatchObject({ maxUnavailable: 1 });
  });

  it("names its consumers: what each reads and how, as an output", () => {
    expect(componentOutputs.consumers).toEqual(CONSUMERS);
    expect(componentOutputs.consumers.map((c: any) => c.name)).toEqual(["emergency-shutdown", "liquidations", "public-api", "analytics", "forum-badges"]);
  });

  it("puts no secret value in any input", () => {
    const found: string[] = [];
    const walk = (where: string, value: unknown): void => {
      if (value === SECRET_PLACEHOLDER) found.push(`${where}: secret`);
      if (typeof value === "string" && /:\/\/[^/@\s:]*:[^/@\s]+@/.test(value)) found.push(`${where}: URL with a password`);
      if (Array.isArray(value)) value.forEach((v, i) => walk(`${where}[${i}]`, v));
      else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(`${where}.${k}`, v);
    };
    for (const r of all) walk(`${r.type} ${r.name}`, r.inputs);
    expect(found).toEqual([]);
    expect(all.filter((r) => r.type === "kubernetes:core/v1:Secret" || r.type.startsWith("random:"))).toEqual([]);
    // Variables that would hold a credential: only paths and ARNs to one.
    const envNames = podsOf(all).flatMap((d) => containersOf(d).flatMap((c: any) => (c.env ?? []).map((e: any) => e.name)));
    expect(envNames.filter((n: string) => /PASS|SECRET|TOKEN|KEY/.test(n) && !/(_FILE|FILE|_ARN)$/.test(n))).toEqual([]);
    for (const r of ofType(all, RDS)) expect([r.name, inputs(r).password, inputs(r).manageMasterUserPassword ?? "replica"]).toEqual([r.name, undefined, inputs(r).replicateSourceDb ? "replica" : true]);
  });

  it("passes the prod policy pack with no mandatory violation", async () => {
    // A stack registers its AWS provider (stacks/providers.ts): budget-cap prices the databases in its region.
    const provider: RecordedResource = { urn: "urn:pulumi:test::core-unit-estate::pulumi:providers:aws::aws", type: "pulumi:providers:aws", name: "aws", inputs: { region: "us-east-1" }, custom: true, protect: false, retainOnDelete: false, outputs: {} };
    const violations = await runPolicies([provider, ...all], {}, readPackConfig(ROOT, "prod"));
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});

describe("ChainIndexer held (worker.replicas 0: a worker that cannot start yet)", () => {
  let held: RecordedResource[];
  let running: RecordedResource[];
  let indexer: ChainIndexer;
  beforeAll(async () => {
    const { resources } = await recordResources(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const args = awsIndexerArgs();
      indexer = new ChainIndexer(AWS, withProvider({ ...args, worker: { ...args.worker, replicas: 0 } }, provider));
    });
    held = below(resources, AWS);
    running = below(await recordAws(), AWS);
  });
  const kinds = (resources: readonly RecordedResource[]) => resources.map((r) => `${r.type} ${r.name}`).sort();

  it("runs no worker and no read-API pod, with neither autoscaler nor disruption budget for the API", () => {
    expect(workersOf(held).map((w) => inputs(w).spec.replicas)).toEqual([0, 0]);
    expect(inputs(apiDeployment(held)).spec.replicas).toBe(0);
    expect(ofType(held, HPA)).toEqual([]);
    expect(ofType(held, PDB)).toEqual([]);
  });

  it("keeps everything else as a running indexer has it: the database, logins, migrations, Services, NetworkPolicies, the lag exporter", () => {
    const dropped = [`${HPA} ${AWS}-api-hpa`, `${PDB} ${AWS}-api-pdb`];
    expect(kinds(held)).toEqual(kinds(running).filter((k) => !dropped.includes(k)));
    expect(inputs(only(held, DEPLOYMENT, `${AWS}-lag-exporter`)).spec.replicas).toBe(1);
    expect(inputs(only(held, SERVICE, `${AWS}-api-service`)).spec.selector).toEqual(inputs(only(running, SERVICE, `${AWS}-api-service`)).spec.selector);
  });

  it("tells Monitoring it is held, and so does its read API", () => {
    expect(indexer.held).toBe(true);
    expect(indexer.monitoringTarget).toMatchObject({ kind: "indexer", indexer: "mainnet", held: true });
    expect(indexer.readApi.monitoringTarget.held).toBe(true);
  });

  it("a running indexer leaves the count to the read API's autoscaler and says nothing of holding", () => {
    expect(workersOf(running).map((w) => inputs(w).spec.replicas)).toEqual([1, 1]);
    expect(inputs(apiDeployment(running)).spec).not.toHaveProperty("replicas");
    expect(ofType(running, HPA).map((r) => r.name)).toEqual([`${AWS}-api-hpa`]);
    expect(ofType(running, PDB).map((r) => r.name)).toEqual([`${AWS}-api-pdb`]);
  });
});

describe("ChainIndexer with one deployment", () => {
  it("runs its single worker on its own schema and serves it", async () => {
    const { resources } = await recordResources(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      new ChainIndexer("one-deployment", withProvider(awsIndexerArgs({ deployments: [{ id: "v1", image: WORKER_IMAGE("1.0.0") }], live: "v1" }), provider) as ChainIndexerArgs);
    });
    expect(workersOf(resources, "one-deployment").map((w) => envOf(mainContainer(w, "indexer")).DATABASE_SCHEMA)).toEqual(["mainnet_v1"]);
    expect(envOf(mainContainer(apiDeployment(resources, "one-deployment"), "api")).DATABASE_SCHEMA).toBe("mainnet_v1");
  });
});
