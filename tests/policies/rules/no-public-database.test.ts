import { noPublicDatabase } from "../../../policies/rules/no-public-database";
import { resource, run } from "../helpers";

const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const cloudSql = (ipConfiguration?: unknown) => resource(SQL, { databaseVersion: "POSTGRES_16", settings: { tier: "db-custom-2-7680", ipConfiguration } }, "indexer-sql");

describe("no-public-database", () => {
  it("passes private databases and public IPs limited to known networks", async () => {
    const resources = [
      resource("aws:rds/instance:Instance", { publiclyAccessible: false }),
      cloudSql({ ipv4Enabled: false, privateNetwork: "projects/p/global/networks/n" }),
      cloudSql({ ipv4Enabled: true, authorizedNetworks: [{ name: "office", value: "203.0.113.0/24" }] }),
      cloudSql(),
    ];
    expect((await run(noPublicDatabase, resources)).messages).toEqual([]);
  });

  it("rejects a publicly accessible RDS instance", async () => {
    const { messages, levels } = await run(noPublicDatabase, resource("aws:rds/instance:Instance", { publiclyAccessible: true }, "indexer-db"));
    expect(levels).toEqual(["mandatory"]);
    expect(messages).toEqual(['aws:rds/instance:Instance "indexer-db" publiclyAccessible: true gives the database a public address. Fix: set publiclyAccessible: false and reach it from the VPC']);
  });

  it("rejects a Cloud SQL public IP that authorizes the internet, also when ipv4Enabled is left to its default", async () => {
    const open = [{ name: "anyone", value: "0.0.0.0/0" }];
    const { messages } = await run(noPublicDatabase, [cloudSql({ ipv4Enabled: true, authorizedNetworks: open }), cloudSql({ authorizedNetworks: open })]);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toBe(
      'gcp:sql/databaseInstance:DatabaseInstance "indexer-sql" settings.ipConfiguration: the public IP authorizes 0.0.0.0/0. Fix: set ipv4Enabled: false (private IP) or authorize only known networks; connect through the Cloud SQL Auth Proxy',
    );
  });

  it("survives malformed settings and does not apply to other types", async () => {
    expect((await run(noPublicDatabase, [cloudSql({ authorizedNetworks: "0.0.0.0/0" }), resource(SQL, { settings: null })])).messages).toEqual([]);
    expect((await run(noPublicDatabase, resource("aws:ec2/vpc:Vpc", {}))).notApplicable).toEqual(["not a database instance"]);
  });
});
