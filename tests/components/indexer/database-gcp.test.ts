import * as pulumi from "@pulumi/pulumi";
import { IndexerDatabase, IndexerDatabaseArgs } from "../../../components/indexer/database";
import { CLOUD_SQL_CLIENT_ROLES, IAM_USER_DATABASE_ROLES } from "../../../components/indexer/database-gcp";
import { GcpNetwork } from "../../../components/network";
import { estimateCosts } from "../../../cost/estimate";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { settled } from "../cluster/fixtures";
import { cloudName, componentProblems, ofType, serviceAccountEmail } from "../../helpers/resources";
import { TAGS as NETWORK_TAGS, below } from "../network/fixtures";
import { policyMessages, secretInputs, tagsFor } from "./database-fixtures";

const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const PROJECT = "tocu-estate-prod";

const named = (resources: readonly RecordedResource[], name: string): RecordedResource => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
};

function gcpArgs(network: GcpNetwork, overrides: Partial<IndexerDatabaseArgs> = {}): IndexerDatabaseArgs {
  return {
    engineVersion: "17",
    instanceClass: "db-custom-2-8192",
    storageGiB: 100,
    maxStorageGiB: 500,
    backupRetentionDays: 14,
    highAvailability: true,
    readReplicas: 1,
    databaseName: "mainnet_indexer",
    protect: true,
    tags: tagsFor("prod"),
    placement: { kind: "gcp", project: PROJECT, region: "us-central1", network: network.networkSelfLink, privateServices: network.privateServices },
    ...overrides,
  };
}

describe("IndexerDatabase on GCP (Cloud SQL for PostgreSQL)", () => {
  let all: RecordedResource[];
  let prod: RecordedResource[];
  let dev: RecordedResource[];
  let prodDb: IndexerDatabase;
  let devDb: IndexerDatabase;
  beforeAll(async () => {
    ({ resources: all } = await recordResources(() => {
      const network = new GcpNetwork("edge", { region: "us-central1", cidr: "10.30.0.0/20", podsCidr: "10.32.0.0/14", servicesCidr: "10.36.0.0/20", tags: NETWORK_TAGS });
      prodDb = new IndexerDatabase("idx-gcp", gcpArgs(network));
      devDb = new IndexerDatabase(
        "idx-gcp-staging",
        gcpArgs(network, { highAvailability: false, readReplicas: 0, protect: false, backupRetentionDays: 7, engineVersion: "16", tags: tagsFor("staging") }),
      );
    }));
    prod = below(all, "idx-gcp");
    dev = below(all, "idx-gcp-staging");
  });

  it("coexists with another instance, names its children from its own name, and labels and classifies everything", () => {
    expect(componentProblems(all, ["idx-gcp", "idx-gcp-staging", "edge"])).toEqual([]);
    expect(ofType(prod, SQL).map((r) => r.name)).toEqual(["idx-gcp-primary", "idx-gcp-replica-0"]);
    expect(ofType(dev, SQL).map((r) => r.name)).toEqual(["idx-gcp-staging-primary"]);
    for (const db of ofType(all, SQL)) expect(db.inputs.settings).toMatchObject({ userLabels: db.name.startsWith("idx-gcp-staging") ? tagsFor("staging") : tagsFor("prod") });
  });

  it("has a private IP on the network's private services range only, TLS only, and waits for the peering", () => {
    const peering = named(all, "edge-services-peering");
    for (const db of ofType(all, SQL)) {
      expect(db.inputs.settings).toMatchObject({ ipConfiguration: { ipv4Enabled: false, privateNetwork: `https://www.googleapis.com/compute/v1/projects/mock-project/global/networks/${cloudName(all, "edge-network")}`, sslMode: "ENCRYPTED_ONLY" } });
      expect((db.inputs.settings as any).ipConfiguration.authorizedNetworks).toBeUndefined();
      expect(db.dependencies).toContain(peering.urn);
    }
  });

  it("runs POSTGRES_<version> on the Enterprise edition: custom tier, SSD that grows to its ceiling, IAM authentication, slow-statement logs", () => {
    const primary = named(prod, "idx-gcp-primary").inputs;
    expect(primary).toMatchObject({ project: PROJECT, region: "us-central1", databaseVersion: "POSTGRES_17" });
    expect(primary.settings).toMatchObject({
      tier: "db-custom-2-8192",
      edition: "ENTERPRISE",
      diskType: "PD_SSD",
      diskSize: 100,
      diskAutoresize: true,
      diskAutoresizeLimit: 500,
      insightsConfig: { queryInsightsEnabled: true },
    });
    expect((primary.settings as any).databaseFlags).toEqual(expect.arrayContaining([{ name: "cloudsql.iam_authentication", value: "on" }, { name: "log_min_duration_statement", value: "1000" }]));
    expect(named(dev, "idx-gcp-staging-primary").inputs.databaseVersion).toBe("POSTGRES_16");
  });

  it("keeps daily backups for the retention asked, with point-in-time recovery", () => {
    expect((named(prod, "idx-gcp-primary").inputs.settings as any).backupConfiguration).toEqual({
      enabled: true,
      startTime: "03:00",
      pointInTimeRecoveryEnabled: true,
      transactionLogRetentionDays: 7,
      backupRetentionSettings: { retainedBackups: 14, retentionUnit: "COUNT" },
    });
    expect((named(dev, "idx-gcp-staging-primary").inputs.settings as any).backupConfiguration).toMatchObject({ enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: 7 } });
  });

  it("in prod: regional, deletion protection on both sides, Pulumi protect and retain-on-delete, backups kept after deletion", () => {
    const primary = named(prod, "idx-gcp-primary");
    expect(primary.inputs).toMatchObject({ deletionProtection: true, settings: { availabilityType: "REGIONAL", deletionProtectionEnabled: true, retainBackupsOnDelete: true } });
    expect([primary.protect, primary.retainOnDelete]).toEqual([true, true]);
    const database = named(prod, "idx-gcp-database");
    expect(database.inputs).toMatchObject({ name: "mainnet_indexer", instance: cloudName(prod, "idx-gcp-primary"), deletionPolicy: "ABANDON" });
    expect([database.protect, database.retainOnDelete]).toEqual([true, true]);
  });

  it("in staging: zonal and deletable", () => {
    const primary = named(dev, "idx-gcp-staging-primary");
    expect(primary.inputs).toMatchObject({ deletionProtection: false, settings: { availabilityType: "ZONAL", deletionProtectionEnabled: false, retainBackupsOnDelete: false } });
    expect([primary.protect, primary.retainOnDelete]).toEqual([false, false]);
    expect(named(dev, "idx-gcp-staging-database").inputs.deletionPolicy).toBe("DELETE");
  });

  it("creates read replicas of the primary, private and deletion-protected like it, without backups of their own", () => {
    const replica = named(prod, "idx-gcp-replica-0");
    expect(replica.inputs).toMatchObject({
      masterInstanceName: cloudName(prod, "idx-gcp-primary"),
      databaseVersion: "POSTGRES_17",
      deletionProtection: true,
      settings: { tier: "db-custom-2-8192", availabilityType: "ZONAL", backupConfiguration: { enabled: false }, deletionProtectionEnabled: true, ipConfiguration: { ipv4Enabled: false } },
    });
    expect(replica.dependencies).toContain(named(prod, "idx-gcp-primary").urn);
  });

  it("authenticates one service account per login through IAM, each on the instances it dials only; only the admin's user is cloudsqlsuperuser", () => {
    const instance = (name: string) => `resource.name == "projects/${PROJECT}/instances/${cloudName(prod, name)}"`;
    const dials = { admin: instance("idx-gcp-primary"), writer: instance("idx-gcp-primary"), reader: instance("idx-gcp-replica-0") };
    const bindings = ofType(prod, "gcp:projects/iAMMember:IAMMember").map((r) => r.inputs as any);
    expect(bindings).toHaveLength(3 * CLOUD_SQL_CLIENT_ROLES.length);
    const users = ofType(prod, "gcp:sql/user:User");
    expect(users.map((u) => u.name)).toEqual(["idx-gcp-admin-iam-user", "idx-gcp-writer-iam-user", "idx-gcp-reader-iam-user"]);
    for (const login of ["admin", "writer", "reader"] as const) {
      const account = named(prod, `idx-gcp-${login}-sa`);
      expect(account.inputs.accountId).toMatch(new RegExp(`^idx-gcp-${login}-[0-9a-f]{6}$`));
      const member = `serviceAccount:${serviceAccountEmail(prod, account.name)}`;
      const own = bindings.filter((b) => b.member === member);
      expect(own.map((b) => [b.role, b.project, b.condition.expression])).toEqual(CLOUD_SQL_CLIENT_ROLES.map((role) => [role, PROJECT, dials[login]]));
      const user = named(prod, `idx-gcp-${login}-iam-user`).inputs;
      expect(user).toMatchObject({
        instance: cloudName(prod, "idx-gcp-primary"),
        name: serviceAccountEmail(prod, account.name).replace(/\.gserviceaccount\.com$/, ""),
        type: "CLOUD_IAM_SERVICE_ACCOUNT",
        deletionPolicy: "ABANDON",
      });
      expect([login, user.databaseRoles]).toEqual([login, login === "admin" ? ["cloudsqlsuperuser"] : undefined]);
    }
    expect(IAM_USER_DATABASE_ROLES).toEqual({ admin: ["cloudsqlsuperuser"], writer: [], reader: [] });
    // Without replicas the reader dials the primary.
    const devReader = ofType(dev, "gcp:projects/iAMMember:IAMMember").find((r) => (r.inputs as any).member.includes("reader"))!;
    expect((devReader.inputs as any).condition.expression).toBe(`resource.name == "projects/${PROJECT}/instances/${cloudName(dev, "idx-gcp-staging-primary")}"`);
    // Cloud SQL runs one operation per instance at a time: the users are created one after the other.
    expect(users[1].dependencies).toContain(users[0].urn);
    expect(users[2].dependencies).toContain(users[1].urn);
  });

  it("has no password anywhere: no root password, no built-in user, no secret in any input", () => {
    for (const db of ofType(all, SQL)) expect([db.inputs.rootPassword, db.inputs.rootPasswordWo]).toEqual([undefined, undefined]);
    for (const user of ofType(all, "gcp:sql/user:User")) expect(user.inputs.type).toBe("CLOUD_IAM_SERVICE_ACCOUNT");
    expect(secretInputs(all)).toEqual([]);
  });

  it("exposes the private addresses, the Auth Proxy's connection names, the IAM user and what monitoring watches", async () => {
    expect(await settled(prodDb.host)).toMatch(/^10\.100\.0\.\d+$/);
    expect(prodDb.readerHosts).toHaveLength(1);
    expect(devDb.readerHosts).toEqual([]);
    expect([prodDb.port, prodDb.databaseName]).toEqual([5432, "mainnet_indexer"]);
    const credentials = prodDb.credentials;
    if (credentials.kind !== "gcp-iam") throw new Error(credentials.kind);
    expect(await settled(credentials.instanceConnectionName)).toBe(`${PROJECT}:us-central1:${cloudName(prod, "idx-gcp-primary")}`);
    expect(await Promise.all(credentials.replicaConnectionNames.map(settled))).toEqual([`${PROJECT}:us-central1:${cloudName(prod, "idx-gcp-replica-0")}`]);
    for (const login of ["admin", "writer", "reader"] as const) {
      const email = serviceAccountEmail(prod, `idx-gcp-${login}-sa`);
      expect(await settled(credentials.logins[login].serviceAccountEmail)).toBe(email);
      expect(await settled(credentials.logins[login].username)).toBe(email.replace(/\.gserviceaccount\.com$/, ""));
    }
    const target = prodDb.monitoringTarget;
    if (target.kind !== "cloud-sql") throw new Error(target.kind);
    expect(target.project).toBe(PROJECT);
    expect(await settled(pulumi.output(target.primaryId))).toBe(`${PROJECT}:${cloudName(prod, "idx-gcp-primary")}`);
    expect(await Promise.all(target.replicaIds.map((id) => settled(pulumi.output(id))))).toEqual([`${PROJECT}:${cloudName(prod, "idx-gcp-replica-0")}`]);
  });

  it("passes the encrypted-databases, no-public-database, prod-deletion-protection, cost-tags-propagate and required-cost-tags policies", async () => {
    expect(await policyMessages(all)).toEqual([]);
    const primary = named(prod, "idx-gcp-primary");
    const settings = primary.inputs.settings as Record<string, unknown>;
    const unsafe = { ...primary, inputs: { ...primary.inputs, deletionProtection: false, settings: { ...settings, deletionProtectionEnabled: false, ipConfiguration: { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/0" }] } } } };
    expect(await policyMessages([unsafe])).toHaveLength(3);
  });

  it("is priced: the regional primary at the regional vCPU, memory and SSD rates, the replica at the zonal ones", () => {
    const costs = estimateCosts(all, { gcpRegion: "us-central1" });
    const components = (name: string) => costs.get(named(all, name).urn)!.costComponents.map((c) => [c.name, c.monthlyUsd]);
    expect(components("idx-gcp-primary")).toEqual([
      ["vCPUs: 2 (regional)", 120.6],
      ["memory: 8 GB (regional)", 81.76],
      ["storage: 100 GB SSD (regional)", 34],
    ]);
    expect(components("idx-gcp-replica-0")).toEqual([
      ["vCPUs: 2 (zonal)", 60.3],
      ["memory: 8 GB (zonal)", 40.88],
      ["storage: 100 GB SSD (zonal)", 17],
    ]);
    for (const r of [...prod, ...dev].filter((x) => x.custom && x.type !== SQL)) expect([r.name, costs.get(r.urn)!.monthlyUsd]).toEqual([r.name, 0]);
  });
});
