/** The price tables: valid, cited, dated, and holding the reference's public figures. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AWS_MACHINE_TYPES, GCP_MACHINE_TYPES } from "../../components/ethereum-node/machine-types";
import { addMachine } from "../../cost/gcp";
import { Bill, TableLookup } from "../../cost/model";
import { PRICES_DIR, PriceTableError, defaultPriceTables, loadPriceTables, priceTableProblems } from "../../cost/prices";
import { DEFAULT_ALLOWED_TYPES } from "../../policies/catalog/instance-types";

const tables = defaultPriceTables();
const aws = tables.table("aws", "us-east-1")!;
const gcp = tables.table("gcp", "us-central1")!;

function tableDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
  for (const [file, json] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
  return dir;
}

describe("the price tables in cost/prices", () => {
  it("are one JSON per provider and region, valid, every price with a unit, a listed source and a date", () => {
    expect(fs.readdirSync(PRICES_DIR).filter((f) => f.endsWith(".json")).sort()).toEqual(["aws-us-east-1.json", "gcp-us-central1.json"]);
    for (const file of ["aws-us-east-1.json", "gcp-us-central1.json"]) {
      expect(priceTableProblems(JSON.parse(fs.readFileSync(path.join(PRICES_DIR, file), "utf8")), file)).toEqual([]);
    }
    expect(fs.existsSync(path.join(PRICES_DIR, "README.md"))).toBe(true);
  });

  it("fail to load, naming the file and key, when a price lacks its unit, source or date", () => {
    const good = JSON.parse(fs.readFileSync(path.join(PRICES_DIR, "aws-us-east-1.json"), "utf8"));
    const bad = { ...good, prices: { ...good.prices, "ebs.gp3.storage": { usd: 0.08 }, "eks.cluster.standard": { usd: 0.1, unit: "cluster-hour", source: "somewhere", date: "last year" } } };
    expect(() => loadPriceTables(tableDir({ "aws-us-east-1.json": bad }))).toThrow(PriceTableError);
    expect(priceTableProblems(bad, "aws-us-east-1.json")).toEqual([
      "aws-us-east-1.json: prices.ebs.gp3.storage: no unit",
      "aws-us-east-1.json: prices.ebs.gp3.storage: no source",
      "aws-us-east-1.json: prices.ebs.gp3.storage: no date (YYYY-MM-DD)",
      'aws-us-east-1.json: prices.eks.cluster.standard: source "somewhere" is not in the table\'s sources',
      "aws-us-east-1.json: prices.eks.cluster.standard: no date (YYYY-MM-DD)",
    ]);
    expect(priceTableProblems({ ...good, region: "eu-west-1", ec2Instances: { "m7g.large": { usd: -1, unit: "instance-hour", source: "karpenter-2026-01-19", date: "2026-01-19" } } }, "aws-us-east-1.json")).toEqual([
      "aws-us-east-1.json: provider and region must match the file name",
      "aws-us-east-1.json: ec2Instances.m7g.large: no usd (or factor): a non-negative number",
      "aws-us-east-1.json: ec2Instances.m7g.large: no vcpu and memoryGiB",
    ]);
    expect(priceTableProblems("[]", "x.json")).toEqual(["x.json: not a JSON object"]);
  });

  it("hold the reference's AWS us-east-1 figures (shared/reference/cost-and-tags.md)", () => {
    const ec2 = (type: string) => aws.ec2Instances![type].usd;
    expect([ec2("r7g.large"), ec2("r7g.xlarge"), ec2("r7g.2xlarge"), ec2("r7g.4xlarge")]).toEqual([0.1071, 0.2142, 0.4284, 0.8568]);
    expect([ec2("m6i.large"), ec2("m7i.8xlarge"), ec2("r6i.4xlarge"), ec2("i4i.4xlarge"), ec2("c6i.xlarge")]).toEqual([0.096, 1.6128, 1.008, 1.373, 0.17]);
    expect([ec2("t3.medium"), ec2("m5.large"), ec2("c7i.large"), ec2("r7i.large"), ec2("m7g.large")]).toEqual([0.0416, 0.096, 0.08925, 0.1323, 0.0816]);
    const price = (key: string) => aws.prices[key];
    expect(price("ebs.gp3.storage")).toMatchObject({ usd: 0.08, unit: "GiB-month" });
    expect(price("ebs.gp3.iops")).toMatchObject({ usd: 0.005, includedQuantity: 3000 });
    expect(price("ebs.gp3.throughput")).toMatchObject({ usd: 0.04, includedQuantity: 125 });
    expect([price("eks.cluster.standard").usd, price("natGateway.hour").usd, price("natGateway.dataProcessed").usd, price("elb.network.hour").usd]).toEqual([0.1, 0.045, 0.045, 0.0225]);
    expect([price("rds.postgres.db.t3.large").usd, price("rds.postgres.db.t4g.micro").usd, price("rds.gp3.storage").usd]).toEqual([0.145, 0.016, 0.115]);
  });

  it("hold the reference's GCP us-central1 figures", () => {
    expect(gcp.machineFamilies!.n2).toMatchObject({ vcpu: { usd: 0.031611 }, memory: { usd: 0.004237 } });
    expect(gcp.machineFamilies!.c3).toMatchObject({ vcpu: { usd: 0.03465 }, memory: { usd: 0.003938 } });
    expect(gcp.machineTypes!["e2-medium"].usd).toBe(0.033507);
    expect(["disk.pd-standard", "disk.pd-balanced", "disk.pd-ssd", "gke.cluster", "cloudNat.vm", "cloudSql.ssd.zonal"].map((k) => gcp.prices[k].usd)).toEqual([0.04, 0.1, 0.17, 0.1, 0.0014, 0.17]);
    // n2-standard-8 and n2-highmem-8 by the N2 rates, as the reference states them.
    const hourly = (machineType: string) => {
      const bill = new Bill();
      addMachine(bill, new TableLookup(gcp, "gcp", "us-central1"), machineType, 1, "vm");
      return bill.cost().costComponents.reduce((n, c) => n + c.unitPriceUsd * (c.quantity / 730), 0);
    };
    expect(hourly("n2-standard-8")).toBeCloseTo(0.388472, 6);
    expect(hourly("n2-highmem-8")).toBeCloseTo(0.5241, 4);
  });

  it("price every machine shape the node sizing catalog and the default allow-lists can pick", () => {
    const lookupAws = new TableLookup(aws, "aws", "us-east-1");
    const lookupGcp = new TableLookup(gcp, "gcp", "us-central1");
    for (const t of AWS_MACHINE_TYPES) expect({ type: t.name, priced: aws.ec2Instances![t.name]?.usd !== undefined }).toEqual({ type: t.name, priced: true });
    for (const t of AWS_MACHINE_TYPES) expect([t.name, aws.ec2Instances![t.name].vcpu, aws.ec2Instances![t.name].memoryGiB]).toEqual([t.name, t.vcpu, t.memoryGiB]);
    for (const t of GCP_MACHINE_TYPES) expect([t.name, "reason" in addMachine(new Bill(), lookupGcp, t.name, 1, "vm")]).toEqual([t.name, false]);
    const allowed = Object.values(DEFAULT_ALLOWED_TYPES).flatMap((byLine) => Object.values(byLine).flat());
    const ec2Allowed = [...new Set(allowed.filter((t) => /^[a-z0-9]+\.(large|xlarge|2xlarge|4xlarge|8xlarge)$/.test(t)))];
    expect(ec2Allowed.filter((t) => aws.ec2Instances![t] === undefined)).toEqual([]);
    expect(lookupAws.missing).toBeUndefined();
  });

  it("cite each source with a title and a URL, and date each price", () => {
    for (const table of tables.tables) {
      for (const source of Object.values(table.sources)) expect(source.url).toMatch(/^https:\/\//);
      const entries = [...Object.values(table.prices), ...Object.values(table.ec2Instances ?? {}), ...Object.values(table.machineTypes ?? {})];
      for (const e of entries) expect(e.date <= "2026-11-22").toBe(true);
    }
  });
});
