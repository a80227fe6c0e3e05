/** Prices of the indexer's databases: RDS for PostgreSQL classes and replicas, Cloud SQL custom tiers, and what stays unpriced. */
import { estimateCosts, pricingOf } from "../../cost/estimate";
import { defaultPriceTables } from "../../cost/prices";
import { AWS_PROVIDER, GCP_PROVIDER, onAws, res } from "./helpers";

const tables = defaultPriceTables();
const aws = tables.table("aws", "us-east-1")!;
const gcp = tables.table("gcp", "us-central1")!;

const costOf = (resources: Parameters<typeof estimateCosts>[0], name: string) => {
  const costs = estimateCosts([AWS_PROVIDER, GCP_PROVIDER, ...resources]);
  return costs.get(resources.find((r) => r.name === name)!.urn)!;
};
const components = (cost: { costComponents: readonly { name: string; monthlyUsd: number }[] }) => cost.costComponents.map((c) => [c.name, c.monthlyUsd]);
const postgres = (name: string, inputs: Record<string, unknown>, more = {}) =>
  res("aws:rds/instance:Instance", name, { engine: "postgres", storageType: "gp3", allocatedStorage: 100, backupRetentionPeriod: 14, ...inputs }, { ...onAws, ...more });

describe("RDS for PostgreSQL prices (aws-us-east-1.json)", () => {
  it("hold the reference's classes and the Graviton2 classes of the AWS Price List API, each cited and dated", () => {
    const usd = (key: string) => aws.prices[key]?.usd;
    expect(["db.t3.large", "db.t4g.micro", "db.t4g.small", "db.t4g.medium"].map((c) => usd(`rds.postgres.${c}`))).toEqual([0.145, 0.016, 0.032, 0.065]);
    expect(["db.m6g.large", "db.m6g.xlarge", "db.m6g.2xlarge", "db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge"].map((c) => usd(`rds.postgres.${c}`))).toEqual([
      0.159, 0.318, 0.636, 0.225, 0.45, 0.899,
    ]);
    expect([usd("rds.postgres.multiAz.db.m7g.large"), usd("rds.postgres.multiAz.db.t4g.large")]).toEqual([0.337, 0.258]);
    expect([usd("rds.gp3.storage"), aws.prices["rds.multiAz.factor"].factor]).toEqual([0.115, 2]);
    for (const [key, entry] of Object.entries(aws.prices).filter(([k]) => k.startsWith("rds.postgres."))) {
      expect([key, entry.unit, aws.sources[entry.source]?.url]).toEqual([key, "instance-hour", expect.stringMatching(/^https:\/\/github\.com\//)]);
    }
    expect(aws.prices["rds.postgres.db.r6g.large"]).toMatchObject({ source: "vantage-rds-2021-08-03", date: "2021-08-03" });
    expect(aws.sources["vantage-rds-2021-08-03"].url).toContain("14ede5a54df6e33be6ccf96ae9cb60e168635844");
  });

  it("the sources agree where they overlap: the Multi-AZ example is twice the Price List API's single-AZ figures", () => {
    // From the cited example (Multi-AZ, July 2024) against the tables' single-AZ entries.
    const multiAz = { "db.t3.large": 0.29, "db.m6g.large": 0.318 };
    for (const [cls, hourly] of Object.entries(multiAz)) expect([cls, aws.prices[`rds.postgres.${cls}`].usd! * 2]).toEqual([cls, hourly]);
  });

  it("leave db.r7g and single-AZ db.m7g unpriced rather than guess, naming what is missing", () => {
    expect(aws.prices["rds.postgres.db.r7g.large"]).toBeUndefined();
    expect(costOf([postgres("db", { instanceClass: "db.r7g.large", multiAz: true })], "db")).toEqual({
      monthlyUsd: null,
      costComponents: [],
      unpricedReason: "RDS PostgreSQL db.r7g.large is not in aws-us-east-1.json",
    });
    expect(costOf([postgres("db", { instanceClass: "db.m7g.large", multiAz: false })], "db").unpricedReason).toBe(
      "RDS PostgreSQL db.m7g.large single-AZ is not in aws-us-east-1.json (only its Multi-AZ price is)",
    );
  });

  it("price a Multi-AZ instance at the table's Multi-AZ rate where it has one, else twice the single-AZ rate", () => {
    expect(components(costOf([postgres("db", { instanceClass: "db.m7g.large", multiAz: true })], "db"))).toEqual([
      ["instance hours: db.m7g.large, Multi-AZ", 246.01],
      ["storage: 100 GiB gp3 × 2 (Multi-AZ)", 23],
    ]);
    expect(components(costOf([postgres("db", { instanceClass: "db.m6g.large", multiAz: true })], "db"))).toEqual([
      ["instance hours: db.m6g.large, Multi-AZ (2 × single-AZ)", 232.14],
      ["storage: 100 GiB gp3 × 2 (Multi-AZ)", 23],
    ]);
  });

  it("price a read replica as an instance of its own class, with its source's engine and storage", () => {
    const primary = postgres("primary", { instanceClass: "db.r6g.large", multiAz: true, allocatedStorage: 250 });
    const replica = res(
      "aws:rds/instance:Instance",
      "replica",
      { replicateSourceDb: "primary", instanceClass: "db.r6g.xlarge", storageType: "gp3", backupRetentionPeriod: 0 },
      { ...onAws, dependencies: [primary.urn] },
    );
    expect(costOf([primary, replica], "replica")).toEqual({
      monthlyUsd: 357.25,
      costComponents: [
        { name: "instance hours: db.r6g.xlarge, single-AZ, read replica", unit: "hours", quantity: 730, unitPriceUsd: 0.45, monthlyUsd: 328.5, price: "aws-us-east-1.json#rds.postgres.db.r6g.xlarge" },
        { name: "storage: 250 GiB gp3, as its source", unit: "GiB-months", quantity: 250, unitPriceUsd: 0.115, monthlyUsd: 28.75, price: "aws-us-east-1.json#rds.gp3.storage" },
      ],
    });
    const orphan = res("aws:rds/instance:Instance", "orphan", { replicateSourceDb: "elsewhere", instanceClass: "db.r6g.large" }, onAws);
    expect(costOf([orphan], "orphan").unpricedReason).toBe("a read replica whose source is not among its dependencies: its engine is unknown");
  });

  it("quote backups as usage only where the instance keeps them", () => {
    expect(costOf([postgres("db", { instanceClass: "db.t4g.medium" })], "db").unpricedReason).toBe("backups beyond the free allowance unpriced: usage-based (0.095 USD/GiB-month)");
    expect(costOf([postgres("db", { instanceClass: "db.t4g.medium", backupRetentionPeriod: 0 })], "db").unpricedReason).toBeUndefined();
  });
});

describe("Cloud SQL for PostgreSQL prices (gcp-us-central1.json)", () => {
  it("price custom tiers per vCPU-hour and GB-hour, zonal and regional (twice), with SSD storage, from a cited fixture", () => {
    const usd = (key: string) => gcp.prices[key].usd!;
    expect([usd("cloudSql.enterprise.vcpu.zonal"), usd("cloudSql.enterprise.memory.zonal"), usd("cloudSql.ssd.zonal")]).toEqual([0.0413, 0.007, 0.17]);
    expect(usd("cloudSql.enterprise.vcpu.regional")).toBeCloseTo(2 * usd("cloudSql.enterprise.vcpu.zonal"), 10);
    expect(usd("cloudSql.enterprise.memory.regional")).toBeCloseTo(2 * usd("cloudSql.enterprise.memory.zonal"), 10);
    expect(usd("cloudSql.ssd.regional")).toBeCloseTo(2 * usd("cloudSql.ssd.zonal"), 10);
    expect(gcp.sources[gcp.prices["cloudSql.enterprise.vcpu.zonal"].source].url).toMatch(/infracost/);
  });

  it("price a read replica (masterInstanceName) like any instance of its tier", () => {
    const replica = res("gcp:sql/databaseInstance:DatabaseInstance", "replica", {
      region: "us-central1",
      masterInstanceName: "primary",
      settings: { tier: "db-custom-4-16384", availabilityType: "ZONAL", diskSize: 200, edition: "ENTERPRISE" },
    });
    expect(components(costOf([replica], "replica"))).toEqual([
      ["vCPUs: 4 (zonal)", 120.6],
      ["memory: 16 GB (zonal)", 81.76],
      ["storage: 200 GB SSD (zonal)", 34],
    ]);
  });
});

describe("the databases' other resource types", () => {
  it("are free or usage-based, with the reason", () => {
    for (const type of [
      "aws:rds/subnetGroup:SubnetGroup",
      "aws:rds/parameterGroup:ParameterGroup",
      "gcp:sql/database:Database",
      "gcp:sql/user:User",
      "gcp:servicenetworking/connection:Connection",
    ]) {
      expect([type, pricingOf(type)]).toEqual([type, "free"]);
    }
    const range = res("gcp:compute/globalAddress:GlobalAddress", "range", { purpose: "VPC_PEERING", addressType: "INTERNAL", prefixLength: 20 });
    expect(costOf([range], "range")).toMatchObject({ monthlyUsd: 0, costComponents: [] });
    expect(costOf([range], "range").unpricedReason ?? null).toBeNull();
    const external = res("gcp:compute/globalAddress:GlobalAddress", "ip", { addressType: "EXTERNAL" });
    expect(costOf([external], "ip").unpricedReason).toContain("billed by the hour while unused");
  });
});
