import * as pulumi from "@pulumi/pulumi";
import { IndexerDatabase } from "../../../components/indexer/database";
import { RDS_MASTER_USERNAME, RDS_PARAMETERS } from "../../../components/indexer/database-aws";
import { estimateCosts } from "../../../cost/estimate";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { settled } from "../cluster/fixtures";
import { cloudName, componentProblems, ofType } from "../../helpers/resources";
import { below } from "../network/fixtures";
import { AWS_PLACEMENT, awsArgs, policyMessages, secretInputs, tagsFor } from "./database-fixtures";

const RDS = "aws:rds/instance:Instance";

const named = (resources: readonly RecordedResource[], name: string): RecordedResource => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
};

describe("IndexerDatabase on AWS (RDS for PostgreSQL)", () => {
  let all: RecordedResource[];
  let prod: RecordedResource[];
  let staging: RecordedResource[];
  let prodDb: IndexerDatabase;
  let stagingDb: IndexerDatabase;
  beforeAll(async () => {
    ({ resources: all } = await recordResources(() => {
      prodDb = new IndexerDatabase("idx-prod", awsArgs());
      stagingDb = new IndexerDatabase(
        "idx-staging",
        awsArgs({ instanceClass: "db.t4g.medium", highAvailability: false, readReplicas: 0, protect: false, backupRetentionDays: 7, tags: tagsFor("staging") }),
      );
    }));
    prod = below(all, "idx-prod");
    staging = below(all, "idx-staging");
  });

  it("coexists with another instance, names its children from its own name, and tags and classifies everything", () => {
    expect(componentProblems(all, ["idx-prod", "idx-staging"])).toEqual([]);
    expect(all.find((r) => r.name === "idx-prod" && !r.custom)!.outputs.costTags).toEqual(tagsFor("prod"));
    expect(ofType(prod, RDS).map((r) => r.name)).toEqual(["idx-prod-primary", "idx-prod-replica-0", "idx-prod-replica-1"]);
    expect(ofType(staging, RDS).map((r) => r.name)).toEqual(["idx-staging-primary"]);
  });

  it("lives in private subnets only, reachable on 5432 from the client ranges only, with no public address", () => {
    expect(named(prod, "idx-prod-subnets").inputs.subnetIds).toEqual(AWS_PLACEMENT.privateSubnetIds);
    const group = named(prod, "idx-prod-sg").inputs;
    expect(group).toMatchObject({ vpcId: "vpc-0123" });
    expect([group.ingress, group.egress]).toEqual([undefined, undefined]);
    const rules = ofType(prod, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    expect(rules.map((r) => [r.ipProtocol, r.fromPort, r.toPort, r.cidrIpv4])).toEqual(AWS_PLACEMENT.clientCidrs.map((c) => ["tcp", 5432, 5432, c]));
    expect(ofType(prod, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toEqual([]);
    for (const db of ofType(all, RDS)) {
      expect([db.name, db.inputs.publiclyAccessible, db.inputs.vpcSecurityGroupIds]).toEqual([db.name, false, [`${db.name.replace(/-(primary|replica-\d)$/, "")}-sg-id`]]);
    }
    expect(named(prod, "idx-prod-primary").inputs.dbSubnetGroupName).toBe(cloudName(prod, "idx-prod-subnets"));
  });

  it("forces TLS and logs slow statements through its own parameter group, of the engine's family", () => {
    const params = named(prod, "idx-prod-params").inputs;
    expect(params.family).toBe("postgres16");
    expect(params.parameters).toEqual(expect.arrayContaining([{ name: "rds.force_ssl", value: "1" }, { name: "log_min_duration_statement", value: "1000" }]));
    expect(params.parameters).toHaveLength(RDS_PARAMETERS.length);
    for (const db of ofType(all, RDS)) expect(db.inputs.parameterGroupName).toBe(cloudName(all, `${db.name.replace(/-(primary|replica-\d)$/, "")}-params`));
    expect(named(staging, "idx-staging-params").inputs.family).toBe("postgres16");
  });

  it("runs PostgreSQL 16, encrypted gp3 with autoscaling, daily backups kept 7+ days, tags copied to snapshots, IAM auth", () => {
    const primary = named(prod, "idx-prod-primary").inputs;
    expect(primary).toMatchObject({
      engine: "postgres",
      engineVersion: "16",
      instanceClass: "db.r6g.large",
      dbName: "mainnet_indexer",
      storageType: "gp3",
      allocatedStorage: 100,
      maxAllocatedStorage: 1000,
      storageEncrypted: true,
      backupRetentionPeriod: 14,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: true,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      applyImmediately: false,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      port: 5432,
      tags: tagsFor("prod"),
    });
    // Point-in-time recovery is on whenever automated backups are: a retention of at least 7 days, never 0.
    for (const p of [primary, named(staging, "idx-staging-primary").inputs]) expect(p.backupRetentionPeriod as number).toBeGreaterThanOrEqual(7);
    expect(primary.backupWindow).toBeDefined();
    expect(primary.maintenanceWindow).toBeDefined();
  });

  it("in prod: Multi-AZ, deletion protection, Pulumi protect and retain-on-delete, a final snapshot, backups kept after deletion", () => {
    const primary = named(prod, "idx-prod-primary");
    expect(primary.inputs).toMatchObject({ multiAz: true, deletionProtection: true, skipFinalSnapshot: false, deleteAutomatedBackups: false });
    expect(primary.inputs.finalSnapshotIdentifier).toMatch(/^idx-prod-[0-9a-f]{6}-final$/);
    expect([primary.protect, primary.retainOnDelete]).toEqual([true, true]);
    for (const replica of ofType(prod, RDS).slice(1)) expect(replica.inputs.deletionProtection).toBe(true);
  });

  it("in staging: single-AZ and deletable, without a final snapshot", () => {
    const primary = named(staging, "idx-staging-primary");
    expect(primary.inputs).toMatchObject({ multiAz: false, deletionProtection: false, skipFinalSnapshot: true, deleteAutomatedBackups: true });
    expect(primary.inputs.finalSnapshotIdentifier).toBeUndefined();
    expect([primary.protect, primary.retainOnDelete]).toEqual([false, false]);
  });

  it("creates read replicas of the primary: same class, encrypted, private, single-AZ, no backups or final snapshot of their own", () => {
    const primary = named(prod, "idx-prod-primary");
    for (const replica of ofType(prod, RDS).slice(1)) {
      expect(replica.inputs).toMatchObject({
        replicateSourceDb: cloudName(prod, "idx-prod-primary"),
        instanceClass: "db.r6g.large",
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: false,
        backupRetentionPeriod: 0,
        skipFinalSnapshot: true,
        copyTagsToSnapshot: true,
        maxAllocatedStorage: 1000,
      });
      // Engine, database, master user and subnet group come from the source.
      expect([replica.inputs.engine, replica.inputs.dbName, replica.inputs.username, replica.inputs.dbSubnetGroupName]).toEqual([undefined, undefined, undefined, undefined]);
      expect(replica.dependencies).toContain(primary.urn);
    }
  });

  it("lets RDS keep the master password in Secrets Manager: no password, and no secret at all, in any input", () => {
    const primary = named(prod, "idx-prod-primary").inputs;
    expect(primary).toMatchObject({ manageMasterUserPassword: true, username: RDS_MASTER_USERNAME });
    expect(primary.password).toBeUndefined();
    expect(secretInputs(all)).toEqual([]);
  });

  it("exposes the writer and reader addresses, the port, the managed secret and what monitoring watches", async () => {
    expect(await settled(prodDb.host)).toBe(`${cloudName(prod, "idx-prod-primary")}.c0mock0db0.us-east-1.rds.amazonaws.com`);
    expect(await Promise.all(prodDb.readerHosts.map(settled))).toEqual([0, 1].map((i) => `${cloudName(prod, `idx-prod-replica-${i}`)}.c0mock0db0.us-east-1.rds.amazonaws.com`));
    expect(stagingDb.readerHosts).toEqual([]);
    expect([prodDb.port, prodDb.databaseName]).toEqual([5432, "mainnet_indexer"]);
    const credentials = prodDb.credentials;
    if (credentials.kind !== "aws-secrets-manager") throw new Error(credentials.kind);
    expect(credentials.username).toBe(RDS_MASTER_USERNAME);
    expect(await settled(credentials.secretArn)).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:rds!db-idx-prod-primary/);
    expect(await settled(credentials.region)).toBe("us-east-1");
    const target = prodDb.monitoringTarget;
    if (target.kind !== "rds") throw new Error(target.kind);
    expect(target.maxStorageGiB).toBe(1000);
    expect(await settled(pulumi.output(target.primaryId))).toBe(cloudName(prod, "idx-prod-primary"));
    expect(await Promise.all(target.replicaIds.map((id) => settled(pulumi.output(id))))).toEqual([cloudName(prod, "idx-prod-replica-0"), cloudName(prod, "idx-prod-replica-1")]);
  });

  it("passes the encrypted-databases, no-public-database, prod-deletion-protection, cost-tags-propagate and required-cost-tags policies", async () => {
    expect(await policyMessages(all)).toEqual([]);
    // The same rules do fire on a primary stripped of its safety settings.
    const primary = named(prod, "idx-prod-primary");
    const unsafe = { ...primary, inputs: { ...primary.inputs, storageEncrypted: false, publiclyAccessible: true, deletionProtection: false, copyTagsToSnapshot: false } };
    const messages = await policyMessages([unsafe]);
    expect(messages).toHaveLength(4);
    for (const [i, text] of ["storageEncrypted", "publiclyAccessible", "deletionProtection", "copyTagsToSnapshot"].entries()) expect(messages[i]).toContain(text);
  });

  it("would notice a password among the inputs", () => {
    const primary = named(prod, "idx-prod-primary");
    expect(secretInputs([{ ...primary, inputs: { ...primary.inputs, password: "hunter2" } }])).toEqual([`${RDS} idx-prod-primary.password`]);
  });

  it("is priced: the Multi-AZ primary at twice the single-AZ rate with its storage twice, each replica as a single-AZ instance", () => {
    const costs = estimateCosts(all, { awsRegion: "us-east-1" });
    const components = (name: string) => costs.get(named(all, name).urn)!.costComponents.map((c) => [c.name, c.monthlyUsd]);
    expect(components("idx-prod-primary")).toEqual([
      ["instance hours: db.r6g.large, Multi-AZ (2 × single-AZ)", 328.5],
      ["storage: 100 GiB gp3 × 2 (Multi-AZ)", 23],
    ]);
    expect(components("idx-prod-replica-0")).toEqual([
      ["instance hours: db.r6g.large, single-AZ, read replica", 164.25],
      ["storage: 100 GiB gp3, as its source", 11.5],
    ]);
    expect(costs.get(named(all, "idx-prod-replica-1").urn)!.unpricedReason).toBeUndefined();
    expect(components("idx-staging-primary")).toEqual([
      ["instance hours: db.t4g.medium, single-AZ", 47.45],
      ["storage: 100 GiB gp3", 11.5],
    ]);
    for (const r of [...prod, ...staging].filter((x) => x.custom && x.type !== RDS)) expect([r.name, costs.get(r.urn)!.monthlyUsd]).toEqual([r.name, 0]);
  });
});

