import * as pulumi from "@pulumi/pulumi";
import { IndexerDatabase, IndexerDatabaseArgs } from "../../../components/indexer/database";
import { MAX_NAME_LENGTH, databaseNameProblems, databaseSafetyProblems, indexerDatabaseProblems } from "../../../components/indexer/database-validate";
import { performanceInsightsSupported } from "../../../components/indexer/database-aws";
import { iamDatabaseUser } from "../../../components/indexer/database-gcp";
import { iamUserName, loginAccountId } from "../../../components/indexer/gcp-iam-user";
import { awsArgs, tagsFor } from "./database-fixtures";

const gcpPlacement = { kind: "gcp" as const, project: "tocu-estate-prod", region: "us-central1", network: "net", privateServices: undefined as never };
const gcpArgs = (overrides: Partial<IndexerDatabaseArgs> = {}): IndexerDatabaseArgs => awsArgs({ instanceClass: "db-custom-2-8192", placement: gcpPlacement, ...overrides });
const problemsOf = (overrides: Partial<IndexerDatabaseArgs>, base = awsArgs) => databaseSafetyProblems(base(overrides));

describe("databaseSafetyProblems", () => {
  it("accepts the prod and staging shapes on both clouds", () => {
    expect(databaseSafetyProblems(awsArgs())).toEqual([]);
    expect(databaseSafetyProblems(gcpArgs())).toEqual([]);
    expect(problemsOf({ instanceClass: "db.t4g.medium", highAvailability: false, readReplicas: 0, protect: false, tags: tagsFor("staging") })).toEqual([]);
    expect(problemsOf({ engineVersion: "17", instanceClass: "db-custom-1-3840", readReplicas: 0 }, gcpArgs)).toEqual([]);
  });

  it("refuses backups kept less than 7 days (or more than RDS's 35), naming the value and what is allowed", () => {
    expect(problemsOf({ backupRetentionDays: 3 })).toEqual([
      "backupRetentionDays: 3; allowed: a whole number of days from 7 to 35 (automated backups with point-in-time recovery)",
    ]);
    expect(problemsOf({ backupRetentionDays: 0 })).toHaveLength(1);
    expect(problemsOf({ backupRetentionDays: 36 })[0]).toMatch(/^backupRetentionDays: 36;/);
    expect(problemsOf({ backupRetentionDays: 7.5 })[0]).toMatch(/^backupRetentionDays: 7.5;/);
  });

  it("refuses a storage ceiling below the storage (or within 10% of it) and storage out of range", () => {
    expect(problemsOf({ storageGiB: 100, maxStorageGiB: 50 })).toEqual([
      "maxStorageGiB: 50 is below storageGiB 100 plus 10%; allowed: at least 110 (the storage autoscaling ceiling must exceed the allocated storage by 10% or more)",
    ]);
    expect(problemsOf({ storageGiB: 100, maxStorageGiB: 105 })).toHaveLength(1);
    expect(problemsOf({ storageGiB: 100, maxStorageGiB: 110 })).toEqual([]);
    expect(problemsOf({ storageGiB: 10 })[0]).toBe("storageGiB: 10; allowed: a whole number of GiB from 20 to 65536");
    expect(problemsOf({ maxStorageGiB: 100000 })[0]).toBe("maxStorageGiB: 100000; allowed: a whole number of GiB up to 65536");
  });

  it("refuses read replicas out of 0..2", () => {
    expect(problemsOf({ readReplicas: 3 })).toEqual(["readReplicas: 3; allowed: a whole number from 0 to 2"]);
    expect(problemsOf({ readReplicas: -1 })).toEqual(["readReplicas: -1; allowed: a whole number from 0 to 2"]);
  });

  it("refuses engine versions older than 16, minor versions and nonsense", () => {
    for (const engineVersion of ["15", "14", "16.4", "postgres16", ""]) {
      expect(problemsOf({ engineVersion })).toEqual([
        `engineVersion: ${JSON.stringify(engineVersion)} is not supported; allowed: a PostgreSQL major version, 16 or newer, that both RDS and Cloud SQL offer (16, 17)`,
      ]);
    }
  });

  it("checks the instance class's shape per cloud", () => {
    expect(problemsOf({ instanceClass: "r7g.large" })).toEqual([
      'instanceClass: "r7g.large" is not an RDS instance class; allowed: db.<family>.<size>, e.g. db.r7g.large, db.m7g.large, db.t4g.medium',
    ]);
    expect(problemsOf({ instanceClass: "db.serverless" })).toHaveLength(1);
    expect(problemsOf({ instanceClass: "db-custom-2-8192" })).toHaveLength(1);
    expect(problemsOf({ instanceClass: "db.r7g.large" }, gcpArgs)[0]).toMatch(/^instanceClass: "db.r7g.large" is not a Cloud SQL custom tier; allowed: db-custom-/);
    expect(problemsOf({ instanceClass: "db-f1-micro" }, gcpArgs)).toHaveLength(1);
    expect(problemsOf({ instanceClass: "db-custom-3-12288" }, gcpArgs)[0]).toMatch(/\(3 vCPUs\)/);
    expect(problemsOf({ instanceClass: "db-custom-2-8000" }, gcpArgs)[0]).toMatch(/8000 MiB is not a multiple of 256/);
    expect(problemsOf({ instanceClass: "db-custom-4-2048" }, gcpArgs)[0]).toMatch(/2048 MiB is below 3840, 0.50 GiB per vCPU/);
    expect(problemsOf({ instanceClass: "db-custom-2-16384" }, gcpArgs)[0]).toMatch(/8.00 GiB per vCPU/);
  });

  it("requires protection and high availability in prod, not elsewhere", () => {
    expect(problemsOf({ protect: false, highAvailability: false })).toEqual([
      "protect: false in prod; allowed: true (deletion protection, pulumi protect and retain on delete)",
      "highAvailability: false in prod; allowed: true (RDS Multi-AZ, Cloud SQL regional)",
    ]);
    expect(problemsOf({ protect: false, highAvailability: false, tags: tagsFor("staging") })).toEqual([]);
  });

  it("keeps the database private: two subnets at least, clients from private ranges only", () => {
    const placement = { kind: "aws" as const, vpcId: "vpc", privateSubnetIds: ["subnet-a"], clientCidrs: ["0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24", "192.168.1.0/24", "nope"] };
    expect(problemsOf({ placement })).toEqual([
      "placement.privateSubnetIds: 1 subnets; allowed: private subnets in at least 2 availability zones (an RDS subnet group needs two)",
      'placement.clientCidrs[0]: "0.0.0.0/0" is not a private IPv4 CIDR block; allowed: blocks inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10',
      expect.stringMatching(/^placement.clientCidrs\[2\]: "8.8.8.0\/24" is not a private/),
      expect.stringMatching(/^placement.clientCidrs\[4\]: "nope" is not a private/),
    ]);
    expect(problemsOf({ placement: { ...placement, privateSubnetIds: ["a", "b"], clientCidrs: [] } })).toEqual([
      "placement.clientCidrs: []; allowed: at least one private CIDR block the clients connect from",
    ]);
    expect(problemsOf({ placement: { ...gcpPlacement, project: "X", region: "central" } }, gcpArgs)).toEqual([
      'placement.project: "X" is not a GCP project id; allowed: 6-30 lowercase letters, digits and \'-\'',
      'placement.region: "central" is not a GCP region; allowed: e.g. us-central1',
    ]);
  });

  it("refuses database names the engines keep or cannot take, and bad tags", () => {
    expect(problemsOf({ databaseName: "postgres" })).toEqual(['databaseName: "postgres" is reserved by the engine; allowed: any other name, e.g. the indexer\'s']);
    expect(problemsOf({ databaseName: "Mainnet-Indexer" })[0]).toMatch(/^databaseName: "Mainnet-Indexer" is not a database name; allowed: 1-63 lowercase/);
    expect(problemsOf({ tags: { ...tagsFor("prod"), owner: "" } })).toEqual([expect.stringMatching(/^tags: tag "owner" has value ""/)]);
  });

  it("reports every problem at once", () => {
    expect(problemsOf({ backupRetentionDays: 1, readReplicas: 5, engineVersion: "13", maxStorageGiB: 1 })).toHaveLength(4);
  });
});

describe("the component's name", () => {
  it("must fit RDS identifiers and Cloud SQL instance names with its longest part", () => {
    expect(databaseNameProblems("idx-mainnet")).toEqual([]);
    expect(databaseNameProblems("x".repeat(MAX_NAME_LENGTH))).toEqual([]);
    for (const bad of ["x".repeat(MAX_NAME_LENGTH + 1), "Idx", "1idx", "idx--a", "idx-", "idx_a"]) expect(databaseNameProblems(bad)).toHaveLength(1);
  });
});

describe("the logins' Cloud SQL IAM users", () => {
  const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;
  const withProject = (project: string) => gcpArgs({ placement: { ...gcpPlacement, project } });
  const longestUser = (name: string, project: string) =>
    Math.max(...(["admin", "writer", "reader"] as const).map((l) => iamUserName(loginAccountId(name, l, scope), project).length));

  it("refuses at plan time a project id that would make one longer than PostgreSQL's 63-byte names, naming the key and the limit", () => {
    // Account ids are 30 characters for this name: `<30>@<project>.iam` fits up to a 28-character project id.
    const fits = "p".repeat(28);
    const tooLong = "p".repeat(30);
    expect([longestUser("idx-mainnet-indexers-db", fits), longestUser("idx-mainnet-indexers-db", tooLong)]).toEqual([63, 65]);
    expect(indexerDatabaseProblems("idx-mainnet-indexers-db", withProject(fits))).toEqual([]);
    expect(indexerDatabaseProblems("idx-mainnet-indexers-db", withProject(tooLong))).toEqual([
      expect.stringMatching(new RegExp(`^placement\\.project: "${tooLong}" makes the IAM database user "idx-mainnet-indexers-db[a-z-]*-[0-9a-f]{6}@${tooLong}\\.iam" 65 bytes long; allowed: at most 63 \\(PostgreSQL's name limit\\)`)),
    ]);
    expect(() => new IndexerDatabase("idx-mainnet-indexers-db", withProject(tooLong))).toThrow(/^IndexerDatabase "idx-mainnet-indexers-db": placement\.project: .* 65 bytes long; allowed: at most 63/);
    // A short component name leaves room: its account ids are shorter.
    expect(indexerDatabaseProblems("idx", withProject(tooLong))).toEqual([]);
  });

  it("names a domain-scoped project's users as Cloud SQL does", () => {
    expect(iamUserName("idx-admin-abc123", "example.com:proj")).toBe("idx-admin-abc123@proj.example.com.iam");
    expect(iamUserName("idx-admin-abc123", "proj")).toBe(iamDatabaseUser("idx-admin-abc123@proj.iam.gserviceaccount.com"));
  });
});

describe("IndexerDatabase", () => {
  it("throws one error naming the component and every bad argument before creating anything", () => {
    expect(() => new IndexerDatabase("idx-bad", awsArgs({ backupRetentionDays: 1, readReplicas: 3 }))).toThrow(
      'IndexerDatabase "idx-bad": backupRetentionDays: 1; allowed: a whole number of days from 7 to 35 (automated backups with point-in-time recovery); readReplicas: 3; allowed: a whole number from 0 to 2',
    );
    expect(() => new IndexerDatabase("Idx", awsArgs())).toThrow(/IndexerDatabase "Idx": name: "Idx" is not usable/);
  });
});

describe("helpers", () => {
  it("turns Performance Insights off only where RDS does not offer it", () => {
    expect(["db.t4g.micro", "db.t3.small", "db.t4g.small"].map(performanceInsightsSupported)).toEqual([false, false, false]);
    expect(["db.t4g.medium", "db.r7g.large", "db.m6g.xlarge"].map(performanceInsightsSupported)).toEqual([true, true, true]);
  });

  it("names a service account's IAM database user as Cloud SQL does", () => {
    expect(iamDatabaseUser("idx@proj.iam.gserviceaccount.com")).toBe("idx@proj.iam");
  });
});
