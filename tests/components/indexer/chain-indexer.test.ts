import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChainIndexer, ChainIndexerArgs } from "../../../components/indexer";
import { AWS_CLI_IMAGE, PGPASS_FILE } from "../../../components/indexer/credentials-aws";
import { MIGRATION_CONTAINER } from "../../../components/indexer/workers";
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
import { cloudName, componentProblems, ofType, serviceAccountEmail } from "../../helpers/resources";
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

const workersOf = (resources: readonly RecordedResource[], name = AWS) => ofType(resources, DEPLOYMENT).filter((d) => d.name.startsWith(`${name}-worker-`));
const apiDeployment = (resources: readonly RecordedResource[], name = AWS) => only(resources, DEPLOYMENT, `${name}-api-deployment`);
const inputs = (r: RecordedResource): any => r.inputs;

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
      // Same worker inputs before and after: Kubernetes rolls no worker pod.
      expect(workersOf(promoted).map((w) => w.inputs)).toEqual(workersOf(aws).map((w) => w.inputs));
      const live = (resources: RecordedResource[]) => inputs(only(resources, SERVICE, `${AWS}-live`)).spec.selector;
      expect(live(aws)).toEqual(inputs(workersOf(aws)[0]).spec.selector.matchLabels);
      expect(live(promoted)).toEqual(inputs(workersOf(aws)[1]).spec.selector.matchLabels);
    });

    it("retires the old deployment by removing its entry: its worker goes, the database and everything in it stays", () => {
      expect(workersOf(retired).map((w) => w.name)).toEqual([`${AWS}-worker-green`]);
      expect(workersOf(retired)[0].inputs).toEqual(workersOf(aws)[1].inputs);
      const database = (resources: RecordedResource[]) => below(resources, `${AWS}-db`).map((r) => [r.name, r.inputs, r.protect, r.retainOnDelete]);
      expect(database(retired)).toEqual(database(aws));
      // Pulumi manages no schema: nothing runs SQL on a deploy (no Job), and the primary survives a mistaken delete.
      expect(all.filter((r) => r.type.startsWith("kubernetes:batch/"))).toEqual([]);
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

    it("runs the role migration in every worker pod, after the credentials sidecar and before the worker, for its own schema", () => {
      for (const d of deployments().filter((d) => d.name.includes("-worker-"))) {
        const spec = podSpec(d);
        const names = spec.initContainers.map((c: any) => c.name);
        expect(names[names.length - 1]).toBe(MIGRATION_CONTAINER);
        expect(names.length).toBeGreaterThan(1);
        const migration = spec.initContainers.find((c: any) => c.name === MIGRATION_CONTAINER);
        expect(migration.restartPolicy).toBeUndefined();
        const env = Object.fromEntries(migration.env.map((e: any) => [e.name, e.value]));
        const schema = Object.fromEntries(spec.containers[0].env.map((e: any) => [e.name, e.value])).DATABASE_SCHEMA;
        expect(env.MIGRATION_SQL).toContain(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION `);
        expect(env.MIGRATION_SQL.match(/CREATE SCHEMA/g)).toHaveLength(1);
        // It connects as the worker does (the admin login), from the same sidecar's password file or proxy.
        expect(env.PGUSER).toBe(Object.fromEntries(spec.containers[0].env.map((e: any) => [e.name, e.value])).PGUSER);
        expect(migration.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
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
        for (const c of (spec.initContainers ?? []).filter((c: any) => c.name !== MIGRATION_CONTAINER)) {
          expect([`${d.name}/${c.name}`, c.restartPolicy, !!c.startupProbe, !!c.readinessProbe, !!c.livenessProbe]).toEqual([`${d.name}/${c.name}`, "Always", true, true, true]);
        }
      }
    });

    it("runs non-root, without privilege escalation or capabilities, read-only, with the runtime's seccomp profile", () => {
      for (const d of deployments()) {
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
      for (const d of deployments()) {
        const { metadata, spec } = inputs(d);
        for (const labels of [metadata.labels, spec.template.metadata.labels]) expect(labels).toMatchObject(TAGS);
        const keys = Object.keys(spec.selector.matchLabels);
        expect([d.name, keys.every((k) => STABLE_SELECTOR_KEYS.includes(k)), keys.some((k) => (COST_TAG_KEYS as readonly string[]).includes(k))]).toEqual([d.name, true, false]);
      }
    });
  });

  describe("credentials, AWS", () => {
    const serviceAccount = `${AWS}-db-client`;
    const sidecar = (d: RecordedResource) => podSpec(d).initContainers.find((c: any) => c.name === "db-credentials");

    it("allows the workers' IRSA role only secretsmanager:GetSecretValue on the RDS-managed secret", () => {
      const policy = JSON.parse(inputs(only(aws, ROLE_POLICY, `${AWS}-db-credentials-read`)).policy);
      const secretArn = envOf(sidecar(workersOf(aws)[0])).DATABASE_SECRET_ARN;
      expect(secretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
      expect(policy.Statement).toEqual([{ Sid: "ReadDatabaseSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn }]);
      expect(ofType(aws, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
    });

    it("allows the read API's role only rds-db:connect as the reader role, on the primary and its replicas", () => {
      const policy = JSON.parse(inputs(only(aws, ROLE_POLICY, `${AWS}-db-reader-connect`)).policy);
      const ids = ofType(aws, RDS).map((r) => `db-${cloudName(aws, r.name).toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(26, "0").slice(0, 26)}`);
      expect(ids.length).toBeGreaterThan(1);
      expect(policy.Statement).toEqual([
        { Sid: "ConnectAsRole", Effect: "Allow", Action: "rds-db:connect", Resource: ids.map((id) => `arn:aws:rds-db:us-east-1:123456789012:dbuser:${id}/mainnet_reader`) },
      ]);
      const trust = JSON.parse(inputs(only(aws, ROLE, `${AWS}-db-reader`)).assumeRolePolicy);
      expect(trust.Statement[0].Condition.StringEquals[`${OIDC_ISSUER.replace("https://", "")}:sub`]).toBe(`system:serviceaccount:${NAMESPACE}:${AWS}-db-reader`);
    });

    it("logs the read API in as the reader role with IAM auth tokens, never with the master secret", () => {
      const api = apiDeployment(aws);
      expect(podSpec(api).serviceAccountName).toBe(`${AWS}-db-reader`);
      const c = sidecar(api);
      const env = envOf(c);
      expect(env).toMatchObject({ AWS_ROLE_ARN: expect.stringContaining(`${AWS}-db-reader`), DB_USER: "mainnet_reader", DB_PORT: "5432", REFRESH_SECONDS: "300" });
      expect(env.DATABASE_SECRET_ARN).toBeUndefined();
      expect(c.command[2]).toContain("aws rds generate-db-auth-token");
      expect(c.command[2]).not.toMatch(/\$\$|\$\(/);
      expect(envOf(mainContainer(api, "api")).PGUSER).toBe("mainnet_reader");
    });

    it("lets exactly the indexer's service account assume the role, through the cluster's OIDC provider", () => {
      const trust = JSON.parse(inputs(only(aws, ROLE, `${AWS}-db-credentials`)).assumeRolePolicy);
      const issuer = OIDC_ISSUER.replace("https://", "");
      expect(trust.Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${NAMESPACE}:${serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
        },
      ]);
      const sa = inputs(only(aws, SERVICE_ACCOUNT, `${AWS}-sa`));
      expect([sa.metadata.name, sa.metadata.namespace, sa.automountServiceAccountToken]).toEqual([serviceAccount, NAMESPACE, false]);
      for (const d of workersOf(aws)) expect([d.name, podSpec(d).serviceAccountName]).toEqual([d.name, serviceAccount]);
    });

    it("keeps the password in a pgpass file in memory, written by a pinned aws-cli sidecar that alone holds the web identity", () => {
      for (const d of [...workersOf(aws), apiDeployment(aws)]) {
        const spec = podSpec(d);
        const c = sidecar(d);
        expect([c.image, c.restartPolicy]).toEqual([AWS_CLI_IMAGE, "Always"]);
        const role = d === apiDeployment(aws) ? `${AWS}-db-reader` : `${AWS}-db-credentials`;
        expect(envOf(c)).toMatchObject({ AWS_ROLE_ARN: expect.stringContaining(role), AWS_WEB_IDENTITY_TOKEN_FILE: expect.any(String), PGPASSFILE: PGPASS_FILE });
        const volumes = Object.fromEntries(spec.volumes.map((v: any) => [v.name, v]));
        expect(volumes.pgpass.emptyDir).toEqual({ medium: "Memory", sizeLimit: "1Mi" });
        expect(volumes["aws-iam-token"].projected.sources).toEqual([{ serviceAccountToken: { audience: "sts.amazonaws.com", expirationSeconds: 86400, path: "token" } }]);
        const main = spec.containers[0];
        expect(main.volumeMounts).toContainEqual({ name: "pgpass", mountPath: "/run/pgpass", readOnly: true });
        expect(main.volumeMounts.map((m: any) => m.name)).not.toContain("aws-iam-token");
        expect(envOf(main).PGPASSFILE).toBe(PGPASS_FILE);
        expect(Object.keys(envOf(main)).filter((n) => n.startsWith("AWS_"))).toEqual([]);
      }
    });

    it("connects the workers to the primary and the read API to the replica, over TLS, without a password", () => {
      const rds = ofType(aws, RDS);
      const address = (r: RecordedResource) => `${effectiveName(r)}.c0mock0db0.us-east-1.rds.amazonaws.com`;
      const primary = rds.find((r) => !inputs(r).replicateSourceDb)!;
      const replica = rds.find((r) => inputs(r).replicateSourceDb)!;
      const worker = envOf(mainContainer(workersOf(aws)[0], "indexer"));
      const api = envOf(mainContainer(apiDeployment(aws), "api"));
      expect(worker).toMatchObject({ PGHOST: address(primary), PGPORT: "5432", PGDATABASE: "mainnet_indexer", PGSSLMODE: "require" });
      expect(api).toMatchObject({ PGHOST: address(replica), PGSSLMODE: "require" });
      expect(worker.DATABASE_URL).toBe(`postgresql://${worker.PGUSER}@${address(primary)}:5432/mainnet_indexer?sslmode=require`);
      expect(api.DATABASE_URL).toBe(`postgresql://${api.PGUSER}@${address(replica)}:5432/mainnet_indexer?sslmode=require`);
    });
  });

  describe("credentials, GCP", () => {
    const proxy = (d: RecordedResource) => podSpec(d).initContainers.find((c: any) => c.name === "cloud-sql-proxy");
    const connection = (r: RecordedResource) => `tocu-estate-prod:us-central1:${effectiveName(r)}`;

    it("logs in with IAM through a Cloud SQL Auth Proxy native sidecar: the primary for workers, the replicas for the API", () => {
      const instances = ofType(gcp, SQL);
      const primary = instances.find((r) => !inputs(r).masterInstanceName)!;
      const replicas = instances.filter((r) => inputs(r).masterInstanceName);
      expect(replicas).toHaveLength(2);
      const worker = proxy(workersOf(gcp, GCP)[0]);
      expect([worker.image, worker.restartPolicy]).toEqual([CLOUD_SQL_PROXY_IMAGE, "Always"]);
      expect(worker.args).toEqual(expect.arrayContaining(["--auto-iam-authn", "--private-ip"]));
      expect(worker.args.filter((a: string) => a.includes("?port="))).toEqual([`${connection(primary)}?port=5432`]);
      expect(proxy(apiDeployment(gcp, GCP)).args.filter((a: string) => a.includes("?port="))).toEqual(replicas.map((r, i) => `${connection(r)}?port=${5432 + i}`));

      const env = envOf(mainContainer(workersOf(gcp, GCP)[0], "indexer"));
      const account = only(gcp, "gcp:serviceaccount/account:Account");
      const email = serviceAccountEmail(gcp, account.name);
      expect(env).toMatchObject({ PGHOST: "127.0.0.1", PGPORT: "5432", PGSSLMODE: "disable", PGUSER: email.replace(/\.gserviceaccount\.com$/, "") });
      expect(env.PGPASSFILE).toBeUndefined();
      expect(env.DATABASE_URL).toBe(`postgresql://${encodeURIComponent(env.PGUSER)}@127.0.0.1:5432/mainnet_indexer?sslmode=disable`);
      expect(envOf(mainContainer(apiDeployment(gcp, GCP), "api"))).toMatchObject({ PGHOST: "127.0.0.1,127.0.0.1", PGPORT: "5432,5433", PGLOADBALANCEHOSTS: "random" });
    });

    it("binds the Kubernetes service account to the database's Google service account with Workload Identity", () => {
      const email = serviceAccountEmail(gcp, only(gcp, "gcp:serviceaccount/account:Account").name);
      const sa = inputs(only(gcp, SERVICE_ACCOUNT));
      expect(sa.metadata).toMatchObject({ name: `${GCP}-db-client`, annotations: { "iam.gke.io/gcp-service-account": email } });
      const bindings = ofType(gcp, SA_IAM_MEMBER).filter((b) => inputs(b).role === "roles/iam.workloadIdentityUser");
      expect(bindings.map((b) => b.inputs)).toEqual([
        {
          serviceAccountId: `projects/tocu-estate-prod/serviceAccounts/${email}`,
          role: "roles/iam.workloadIdentityUser",
          member: `serviceAccount:tocu-estate-prod.svc.id.goog[${NAMESPACE}/${GCP}-db-client]`,
        },
      ]);
      expect(ofType(gcp, ROLE)).toEqual([]);
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
    const envNames = ofType(all, DEPLOYMENT).flatMap((d) => [...podSpec(d).containers, ...(podSpec(d).initContainers ?? [])].flatMap((c: any) => (c.env ?? []).map((e: any) => e.name)));
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
