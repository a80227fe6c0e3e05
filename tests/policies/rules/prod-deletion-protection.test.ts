import { prodDeletionProtection } from "../../../policies/rules/prod-deletion-protection";
import { TAGS, resource, run, tagged } from "../helpers";

const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const cloudSql = (props: Record<string, unknown>, labels: Record<string, string> = TAGS) => resource(SQL, { ...props, settings: { userLabels: labels, ...(props.settings as object) } }, "indexer-sql");

describe("prod-deletion-protection", () => {
  it("passes protected prod databases", async () => {
    const rds = resource("aws:rds/instance:Instance", { deletionProtection: true });
    const sql = cloudSql({ settings: { deletionProtectionEnabled: true } });
    expect((await run(prodDeletionProtection, [rds, sql], { environment: "prod" })).messages).toEqual([]);
  });

  it("rejects an unprotected prod database, on each side where protection is missing", async () => {
    const { messages, levels } = await run(prodDeletionProtection, [
      resource("aws:rds/cluster:Cluster", {}, "indexer"),
      cloudSql({ deletionProtection: false }),
    ], { environment: "prod" });
    expect(levels).toEqual(["mandatory", "mandatory", "mandatory"]);
    expect(messages).toEqual([
      'aws:rds/cluster:Cluster "indexer" (a prod database): deletionProtection is not true. Fix: set deletionProtection: true',
      'gcp:sql/databaseInstance:DatabaseInstance "indexer-sql" (a prod database): deletionProtection: false lets pulumi destroy it. Fix: remove it or set it to true',
      'gcp:sql/databaseInstance:DatabaseInstance "indexer-sql" (a prod database): settings.deletionProtectionEnabled is not true, so it can be deleted from the console or API. Fix: set settings.deletionProtectionEnabled: true',
    ]);
  });

  it("reads the environment from the resource's tag before the pack config", async () => {
    const staging = cloudSql({}, tagged({ environment: "staging" }));
    const { messages, notApplicable } = await run(prodDeletionProtection, staging, { environment: "prod" });
    expect([messages, notApplicable]).toEqual([[], ["environment staging, not prod"]]);
  });

  it("does not apply outside prod, where no environment is known, or to other types", async () => {
    const { notApplicable } = await run(prodDeletionProtection, [resource("aws:rds/instance:Instance", {}), resource("aws:ebs/volume:Volume", {})]);
    expect(notApplicable).toEqual(["environment unknown, not prod", "not a database"]);
  });
});
