/**
 * The indexer, API services and monitoring as both stacks render them: what the reviewers look for in
 * `npm run plan -- --stack prod` (database safety, workers, APIs with HPA/PDB/TLS, alarms, heartbeat, drill), and
 * the rules every pod of the estate keeps.
 */
import { Plan } from "../../tools/plan/plan";
import { planOf } from "../helpers/estate";

const plans: Record<string, Plan> = {};
beforeAll(async () => {
  plans.prod = await planOf("prod");
  plans.staging = await planOf("staging");
});
const ofType = (stack: string, type: string) => plans[stack].resources.filter((r) => r.type === type);
const named = (stack: string, name: string) => {
  const found = plans[stack].resources.find((r) => r.name === name);
  if (!found) throw new Error(`${stack} has no resource named ${name}`);
  return found;
};
const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet"];
type Container = { name: string; readinessProbe?: unknown; livenessProbe?: unknown; startupProbe?: unknown; restartPolicy?: string; resources?: any; securityContext?: any };
const podSpec = (r: { inputs: Record<string, unknown> }): { containers: Container[]; initContainers?: Container[]; securityContext?: any } => (r.inputs.spec as any).template.spec;

describe.each(["prod", "staging"])("stack %s: every pod", (stack) => {
  it("probes every pod's readiness and every container's liveness; gives every container cpu and memory requests and a memory limit", () => {
    const problems: string[] = [];
    for (const r of plans[stack].resources.filter((x) => WORKLOADS.includes(x.type))) {
      const spec = podSpec(r);
      // A node pod is Ready when its health sidecar says the clients are synced: one readiness probe decides for the pod.
      if (!spec.containers.some((c) => c.readinessProbe)) problems.push(`${r.name}: no readiness probe on any container`);
      for (const c of spec.containers) {
        if (!c.livenessProbe) problems.push(`${r.name}/${c.name}: a liveness probe`);
      }
      for (const c of (spec.initContainers ?? []).filter((i) => i.restartPolicy === "Always")) {
        if (!(c.startupProbe || c.readinessProbe || c.livenessProbe)) problems.push(`${r.name}/${c.name}: a probe on the native sidecar`);
      }
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const where = `${r.name}/${c.name}`;
        if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push(`${where}: cpu and memory requests`);
        if (!c.resources?.limits?.memory) problems.push(`${where}: a memory limit`);
        if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation false`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("carries no password, token or private key in any input", () => {
    const text = JSON.stringify(plans[stack].resources.map((r) => r.inputs));
    expect(text).not.toMatch(/"(?:password|masterPassword|rootPassword|masterUserPassword)"\s*:/i);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(text).not.toMatch(/postgres(?:ql)?:\/\/[^:@/"]+:[^@/"]+@/);
    expect(text).not.toMatch(/\b[0-9a-f]{64}\b/);
  });
});

describe("stack prod: the indexer", () => {
  it("keeps its data on an encrypted, Multi-AZ, deletion-protected RDS PostgreSQL 16 with 14 days of point-in-time backups", () => {
    const primary = named("prod", "idx-maker-db-primary");
    expect(primary.type).toBe("aws:rds/instance:Instance");
    expect(primary.inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "16",
      multiAz: true,
      storageEncrypted: true,
      publiclyAccessible: false,
      deletionProtection: true,
      backupRetentionPeriod: 14,
      copyTagsToSnapshot: true,
      manageMasterUserPassword: true,
      allocatedStorage: 500,
      maxAllocatedStorage: 2000,
      skipFinalSnapshot: false,
    });
    expect(primary.protect).toBe(true);
    expect(primary.retainOnDelete).toBe(true);
    expect(named("prod", "idx-maker-db-replica-0").inputs).toMatchObject({ replicateSourceDb: expect.stringMatching(/^idx-maker-db-primary-[0-9a-f]{7}$/), storageEncrypted: true, deletionProtection: true });
  });

  it("runs the live worker, Ready only once its backfill reached the head, from the estate's own nodes", () => {
    const worker = podSpec(named("prod", "idx-maker-worker-v14")).containers[0] as any;
    expect(worker.readinessProbe.httpGet).toMatchObject({ path: "/ready", port: "http" });
    expect(worker.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: "http", containerPort: 42069 })]));
    const env = Object.fromEntries(worker.env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ DATABASE_SCHEMA: "maker_v14", CHAIN_ID: "1" });
    expect(env.RPC_URL).toMatch(/^http:\/\//);
    expect(env.BACKFILL_RPC_URL).toMatch(/^http:\/\//);
    expect(env.RPC_URL).not.toBe(env.BACKFILL_RPC_URL);
  });

  it("serves a read API on the live schema with an autoscaler and a disruption budget", () => {
    const api = podSpec(named("prod", "idx-maker-api-deployment")).containers[0] as any;
    expect(api.env.find((e: any) => e.name === "DATABASE_SCHEMA").value).toBe("maker_v14");
    expect((named("prod", "idx-maker-api-hpa").inputs.spec as any).minReplicas).toBe(2);
    expect(named("prod", "idx-maker-api-pdb").type).toBe("kubernetes:policy/v1:PodDisruptionBudget");
  });
});

describe("stack prod: API services", () => {
  it.each(["api-public-api", "api-analytics", "api-forum-badges", "idx-maker-api"])("%s has a Deployment, an HPA from 2 pods and a PDB", (name) => {
    expect(named("prod", `${name}-deployment`).type).toBe("kubernetes:apps/v1:Deployment");
    expect((named("prod", `${name}-hpa`).inputs.spec as any).minReplicas).toBeGreaterThanOrEqual(2);
    expect(named("prod", `${name}-pdb`).type).toBe("kubernetes:policy/v1:PodDisruptionBudget");
  });

  it("publishes the public API over TLS on an ALB with an ACM certificate, and its DNS record in Route 53", () => {
    const annotations = (named("prod", "api-public-api-ingress").inputs.metadata as any).annotations;
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).toMatch(/^arn:aws:acm:/);
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
    expect(named("prod", "api-public-api-cert").type).toBe("aws:acm/certificate:Certificate");
    expect(ofType("prod", "aws:route53/record:Record").map((r) => r.name)).toEqual(expect.arrayContaining(["api-public-api-dns"]));
  });

  it("publishes the analytics site and forum badges on GKE with Google-managed certificates", () => {
    for (const name of ["api-analytics", "api-forum-badges"]) {
      const annotations = (named("prod", `${name}-ingress`).inputs.metadata as any).annotations;
      expect(annotations["networking.gke.io/managed-certificates"]).toBe(`${name}-cert`);
      expect(named("prod", `${name}-cert`).type).toBe("kubernetes:networking.gke.io/v1:ManagedCertificate");
    }
  });

  it("hands the gateway the indexer's read API as its upstream", () => {
    const env = (podSpec(named("prod", "api-public-api-deployment")).containers[0] as any).env;
    expect(env.find((e: any) => e.name === "UPSTREAM_URL").value).toMatch(/^http:\/\/idx-maker-api\.indexer\.svc\.cluster\.local/);
  });
});

describe("stack prod: monitoring", () => {
  const alarms = () => ofType("prod", "aws:cloudwatch/metricAlarm:MetricAlarm");
  const policies = () => ofType("prod", "gcp:monitoring/alertPolicy:AlertPolicy");

  it("notifies by SNS email and GCP email channels", () => {
    expect(ofType("prod", "aws:sns/topic:Topic")).toHaveLength(1);
    expect(ofType("prod", "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.endpoint)).toContain("oncall@techops.example");
    const channels = ofType("prod", "gcp:monitoring/notificationChannel:NotificationChannel").filter((c) => c.name.startsWith("monitoring-"));
    expect(channels.map((c) => (c.inputs.labels as any).email_address)).toContain("oncall@techops.example");
  });

  it("alarms on every pool, the indexer and its database, and the APIs, each linking its runbook section", () => {
    const names = alarms().map((a) => a.name);
    for (const pool of ["mainnet-rpc", "mainnet-archive", "mainnet-k8s"]) {
      for (const kind of ["eth-head-stale", "eth-peers-low", "eth-disk-full", "eth-node-not-ready", "metrics-heartbeat"]) {
        expect(names).toContain(`monitoring-aws-pool-${pool}-${kind}`);
      }
    }
    for (const kind of ["indexer-lag", "indexer-not-ready", "indexer-db-cpu-primary", "indexer-db-storage-primary", "indexer-db-connections-primary", "indexer-db-replica-lag-replica-0"]) {
      expect(names).toContain(`monitoring-aws-indexer-maker-${kind}`);
    }
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/public-api-api-5xx-rate$/), expect.stringMatching(/public-api-api-latency-p95$/)]));
    expect(policies().map((p) => p.name)).toEqual(expect.arrayContaining([expect.stringMatching(/analytics-api-5xx-rate$/), expect.stringMatching(/forum-badges-api-latency-p95$/)]));
    for (const a of alarms()) expect(a.inputs.alarmDescription).toContain("https://github.com/techops-example/core-unit-estate/blob/main/docs/runbook.md#");
    for (const p of policies()) expect(JSON.stringify(p.inputs.documentation)).toContain("docs/runbook.md#");
  });

  it("runs a weekly drill through the real notification path in each cloud", () => {
    const [schedule] = ofType("prod", "aws:scheduler/schedule:Schedule").filter((s) => s.name === "monitoring-drill");
    expect(schedule.inputs.scheduleExpression).toBe("cron(0 10 ? * TUE *)");
    const [job] = ofType("prod", "gcp:cloudscheduler/job:Job");
    expect(job.inputs.schedule).toBe("0 10 * * 2");
    expect(alarms().find((a) => a.name.endsWith("notification-drill"))?.inputs.alarmActions).toBeDefined();
    expect(policies().some((p) => p.name.endsWith("notification-drill"))).toBe(true);
  });
});

describe("stack staging: the smaller single-zone copy", () => {
  it("keeps the indexer's data on a zonal Cloud SQL with private IP only, point-in-time recovery and IAM authentication", () => {
    const primary = named("staging", "idx-maker-db-primary");
    expect(primary.type).toBe("gcp:sql/databaseInstance:DatabaseInstance");
    expect(primary.inputs).toMatchObject({
      databaseVersion: "POSTGRES_16",
      settings: {
        availabilityType: "ZONAL",
        tier: "db-custom-1-3840",
        ipConfiguration: { ipv4Enabled: false, sslMode: "ENCRYPTED_ONLY" },
        backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: 7 } },
        databaseFlags: expect.arrayContaining([{ name: "cloudsql.iam_authentication", value: "on" }]),
        userLabels: expect.objectContaining({ workload: "indexer-maker", "budget-line": "infrastructure-tools" }),
      },
    });
    expect(ofType("staging", "aws:rds/instance:Instance")).toEqual([]);
  });

  it("alarms in GCP only, where its workloads' metrics land", () => {
    expect(ofType("staging", "aws:cloudwatch/metricAlarm:MetricAlarm")).toEqual([]);
    expect(ofType("staging", "gcp:monitoring/alertPolicy:AlertPolicy").length).toBeGreaterThan(5);
  });
});
