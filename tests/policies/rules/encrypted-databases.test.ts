import { encryptedDatabases } from "../../../policies/rules/encrypted-databases";
import { resource, run } from "../helpers";

describe("encrypted-databases", () => {
  it("passes encrypted RDS instances and clusters", async () => {
    expect((await run(encryptedDatabases, [resource("aws:rds/instance:Instance", { storageEncrypted: true }), resource("aws:rds/cluster:Cluster", { storageEncrypted: true })])).messages).toEqual([]);
  });

  it("rejects unencrypted or unset storage, naming the database", async () => {
    const { messages, levels } = await run(encryptedDatabases, [resource("aws:rds/instance:Instance", {}, "indexer-db"), resource("aws:rds/cluster:Cluster", { storageEncrypted: "no" }, "c")]);
    expect(levels).toEqual(["mandatory", "mandatory"]);
    expect(messages).toEqual([
      'aws:rds/instance:Instance "indexer-db" storageEncrypted: null, so its storage, backups and snapshots are not encrypted. Fix: set storageEncrypted: true',
      'aws:rds/cluster:Cluster "c" storageEncrypted: "no", so its storage, backups and snapshots are not encrypted. Fix: set storageEncrypted: true',
    ]);
  });

  it("does not apply to Cloud SQL, which is always encrypted", async () => {
    expect((await run(encryptedDatabases, resource("gcp:sql/databaseInstance:DatabaseInstance", {}))).notApplicable).toEqual(["not an RDS database (Cloud SQL is always encrypted)"]);
  });
});
