import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChainIndexer, chainIndexerProblems, deploymentSchema, schemaProblems, snakeCase } from "../../../components/indexer";
import { WORKER_IMAGE, awsIndexerArgs, gcpIndexerArgs, withProvider } from "./fixtures";

type Args = ReturnType<typeof awsIndexerArgs>;
const PROVIDER = {} as k8s.Provider;
const PRIVATE_SERVICES = {} as pulumi.Resource;

const problems = (args: Args, name = "mainnet-indexer") => chainIndexerProblems(name, withProvider(args, PROVIDER));
const construct = (args: Args, name = "mainnet-indexer") => () => new ChainIndexer(name, withProvider(args, PROVIDER));
const worker = (more: Partial<Args["worker"]>): Partial<Args> => ({ worker: { ...awsIndexerArgs().worker, ...more } });

describe("ChainIndexer validation", () => {
  it("accepts the AWS and GCP fixtures", () => {
    expect(problems(awsIndexerArgs())).toEqual([]);
    expect(problems(gcpIndexerArgs(PRIVATE_SERVICES))).toEqual([]);
  });

  it("refuses a GCP project id that makes a login's IAM database user longer than 63 bytes, under database.placement.project", () => {
    const gcp = gcpIndexerArgs(PRIVATE_SERVICES);
    const project = "p".repeat(30);
    const args = { ...gcp, database: { ...gcp.database, placement: { ...gcp.database.placement, project } } } as Args;
    expect(problems(args)).toEqual([expect.stringMatching(new RegExp(`^database\\.placement\\.project: "${project}" makes the IAM database user "mainnet-indexer-db-[a-z0-9-]+@${project}\\.iam" 65 bytes long; allowed: at most 63`))]);
    expect(construct(args)).toThrow(/^ChainIndexer "mainnet-indexer": database\.placement\.project: /);
  });

  it("refuses a live deployment that is not among the deployments", () => {
    expect(problems(awsIndexerArgs({ live: "purple" }))).toEqual(['live: "purple" is not the id of one of the deployments ("blue", "green")']);
    expect(construct(awsIndexerArgs({ live: "purple" }))).toThrow(/^ChainIndexer "mainnet-indexer": live: "purple" is not the id of one of the deployments/);
  });

  it("refuses more than two deployments, and none", () => {
    const three = [...awsIndexerArgs().deployments, { id: "red", image: WORKER_IMAGE("1.6.0") }];
    expect(problems(awsIndexerArgs({ deployments: three }))).toEqual([
      "deployments: 3 given; at most 2 (the live one and one candidate): remove the old one after promoting",
    ]);
    expect(problems(awsIndexerArgs({ deployments: [] }))).toEqual([
      "deployments: at least one deployment { id, image } is required",
      'live: "blue" is not the id of one of the deployments ()',
    ]);
  });

  it("refuses duplicate deployment ids (two writers on one schema)", () => {
    const twice = [
      { id: "blue", image: WORKER_IMAGE("1.4.0") },
      { id: "blue", image: WORKER_IMAGE("1.5.0") },
    ];
    expect(problems(awsIndexerArgs({ deployments: twice }))).toEqual(['deployments.id: "blue" appears more than once']);
  });

  it("refuses images without a tag or digest, or on latest, naming the deployment", () => {
    const deployments = [
      { id: "blue", image: "ghcr.io/makerdao/chain-indexer" },
      { id: "green", image: "ghcr.io/makerdao/chain-indexer:latest" },
    ];
    expect(problems(awsIndexerArgs({ deployments }))).toEqual([
      'deployments[0].image: "ghcr.io/makerdao/chain-indexer" has no tag or digest: pin a version tag or a sha256 digest',
      'deployments[1].image: "ghcr.io/makerdao/chain-indexer:latest" uses the tag "latest": pin a version tag or a sha256 digest',
    ]);
    const digest = `ghcr.io/makerdao/chain-indexer@sha256:${"0f".repeat(32)}`;
    expect(problems(awsIndexerArgs({ deployments: [{ id: "blue", image: digest }], live: "blue" }))).toEqual([]);
    expect(problems(awsIndexerArgs({ api: { ...awsIndexerArgs().api, image: "ghcr.io/makerdao/api" } }))).toEqual([
      'api.image: "ghcr.io/makerdao/api" has no tag or digest: pin a version tag or a sha256 digest',
    ]);
  });

  it("refuses deployment ids that cannot end Kubernetes names or Postgres schemas", () => {
    const deployments = [
      { id: "Blue", image: WORKER_IMAGE("1.4.0") },
      { id: "a-very-long-deployment", image: WORKER_IMAGE("1.5.0") },
    ];
    expect(problems(awsIndexerArgs({ deployments, live: "Blue" }))).toEqual([
      'deployments[0].id: "Blue" must be 1-15 lowercase letters, digits or \'-\', starting with a letter (e.g. blue, green, v7)',
      'deployments[1].id: "a-very-long-deployment" must be 1-15 lowercase letters, digits or \'-\', starting with a letter (e.g. blue, green, v7)',
    ]);
  });

  it("refuses readiness, status and liveness paths that are not URL paths, and a bad status pointer", () => {
    expect(problems(awsIndexerArgs(worker({ readinessPath: "ready" })))).toEqual(['worker.readinessPath: "ready" must be a URL path starting with "/" (no query, no spaces)']);
    expect(problems(awsIndexerArgs(worker({ readinessPath: "/ready?strict=1", statusPath: "/st atus", livenessPath: "" })))).toEqual([
      'worker.readinessPath: "/ready?strict=1" must be a URL path starting with "/" (no query, no spaces)',
      'worker.statusPath: "/st atus" must be a URL path starting with "/" (no query, no spaces)',
      'worker.livenessPath: "" must be a URL path starting with "/" (no query, no spaces)',
    ]);
    expect(problems(awsIndexerArgs(worker({ statusBlockPointer: "mainnet.block.number" })))).toEqual([
      'worker.statusBlockPointer: "mainnet.block.number" is not a JSON pointer to the indexed block number (e.g. /mainnet/block/number)',
    ]);
  });

  it("refuses bad worker resources and ports, and ports the Auth Proxy takes on GCP", () => {
    expect(problems(awsIndexerArgs(worker({ cpu: "two", memory: "0Gi", port: 70000 })))).toEqual([
      "worker.port: 70000 must be an integer from 1 to 65535",
      'worker.cpu: "two" is not a positive CPU quantity (e.g. "500m", "2")',
      'worker.memory: "0Gi" is not a positive memory quantity (e.g. "2Gi")',
    ]);
    const gcp = gcpIndexerArgs(PRIVATE_SERVICES);
    expect(problems({ ...gcp, worker: { ...gcp.worker, port: 5432 }, api: { ...gcp.api, port: 9801 } })).toEqual([
      "worker.port: 5432 is taken by the Cloud SQL Auth Proxy in the pod (5432, 5433, 9801)",
      "api.port: 9801 is taken by the Cloud SQL Auth Proxy in the pod (5432, 5433, 9801)",
    ]);
  });

  it("refuses secrets and the component's own variables in env, and passwords in URLs", () => {
    expect(problems(awsIndexerArgs(worker({ env: { DB_PASSWORD: "hunter2", DATABASE_URL: "postgres://x", PGHOST: "db", ALCHEMY_URL: "https://u:p@eth.example" } })))).toEqual([
      "worker.env.DB_PASSWORD: looks like a credential; no secret value may be a resource input (read it at runtime from a cloud-managed secret)",
      "worker.env.DATABASE_URL: set by the component (database, schema, RPC and chain variables)",
      "worker.env.PGHOST: set by the component (database, schema, RPC and chain variables)",
      "worker.env.ALCHEMY_URL: carries a password in its URL; no secret value may be a resource input",
    ]);
    const rpc = { ...awsIndexerArgs().rpc, headUrl: "https://user:secret@rpc.example" };
    expect(problems(awsIndexerArgs({ rpc }))).toEqual(["rpc.headUrl: carries a password in its URL; no secret value may be a resource input"]);
    expect(problems(awsIndexerArgs({ api: { ...awsIndexerArgs().api, env: { API_TOKEN: "abc" } } }))).toEqual([
      "api.env.API_TOKEN: looks like a credential; no secret value may be a resource input (read it at runtime from a cloud-managed secret)",
    ]);
  });

  it("refuses a cluster identity of another cloud than the database, and workers with nowhere to reach the RPC pool", () => {
    const gcp = gcpIndexerArgs(PRIVATE_SERVICES);
    expect(problems({ ...gcp, kubernetes: awsIndexerArgs().kubernetes })).toEqual(['kubernetes.identity: aws-irsa reaches an RDS database only; database.placement.kind is "gcp"']);
    expect(problems(awsIndexerArgs({ rpc: { ...awsIndexerArgs().rpc, egress: [] } }))).toEqual([
      "rpc.egress: name where the RPC pool runs (a namespace with pod labels and ports, or a CIDR and ports): the workers may connect nowhere else",
    ]);
  });

  it("refuses a prod database without protection, under the component's argument names", () => {
    expect(problems(awsIndexerArgs({ protectData: false }))).toEqual(["protectData: false in prod; allowed: true (deletion protection, pulumi protect and retain on delete)"]);
    const database = { ...awsIndexerArgs().database, readReplicas: 3 };
    expect(problems(awsIndexerArgs({ database }))).toEqual(["database.readReplicas: 3; allowed: a whole number from 0 to 2"]);
  });

  it("requires the consumers, each with what it reads and how", () => {
    expect(problems(awsIndexerArgs({ consumers: [] }))).toEqual(["consumers: name who reads the indexer, what and how ({ name, reads, via })"]);
    expect(problems(awsIndexerArgs({ consumers: [{ name: "forum-badges", reads: "", via: "job" }, { name: "forum-badges", reads: "x", via: "y" }] }))).toEqual([
      "consumers[0].reads: required",
      'consumers.name: "forum-badges" appears more than once',
    ]);
  });

  it("reports every problem at once in one error, before creating anything", () => {
    const bad = awsIndexerArgs({ live: "purple", chainId: 0, deployments: [{ id: "blue", image: "indexer" }], ...worker({ readinessPath: "ready" }) });
    expect(construct(bad, "Mainnet")).toThrow(
      /^ChainIndexer "Mainnet": name: "Mainnet" must be .*; chainId: 0 must be an integer .*; worker\.readinessPath: "ready" .*; deployments\[0\]\.image: "indexer" has no tag or digest.*; live: "purple" is not the id/,
    );
  });
});

describe("schema naming", () => {
  it("is <indexer>_<id> in snake case", () => {
    expect(deploymentSchema("mainnet", "blue")).toBe("mainnet_blue");
    expect(deploymentSchema("mainnet-v2", "green-2")).toBe("mainnet_v2_green_2");
    expect(snakeCase("Mainnet--Indexer.")).toBe("mainnet_indexer");
  });

  it("is a valid, unquoted Postgres identifier of at most 63 bytes, never a reserved schema", () => {
    expect(schemaProblems("id", "mainnet_blue")).toEqual([]);
    expect(schemaProblems("id", `a${"b".repeat(63)}`)).toEqual([`id: schema "a${"b".repeat(63)}" is longer than 63 bytes (Postgres would truncate it)`]);
    expect(schemaProblems("id", "1st")).toEqual(['id: schema "1st" is not a lowercase Postgres identifier (a-z, 0-9, _; not starting with a digit)']);
    expect(schemaProblems("id", "public")).toEqual(['id: schema "public" is reserved by Postgres']);
    expect(schemaProblems("id", "pg_temp")).toEqual(['id: schema "pg_temp" is reserved by Postgres']);
  });

  it("stays within 63 bytes for the longest names validation allows", () => {
    const schema = deploymentSchema(`a${"b".repeat(31)}`, `c${"d".repeat(14)}`);
    expect(schema.length).toBeLessThanOrEqual(63);
    expect(schemaProblems("id", schema)).toEqual([]);
  });
});
