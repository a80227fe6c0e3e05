import * as pulumi from "@pulumi/pulumi";
import {
  Monitoring,
  MonitoringArgs,
  awsWeeklyCron,
  connectionsThreshold,
  heartbeatSources,
  parseWeeklyCron,
  rdsFreeStorageThresholdBytes,
  unixWeeklyCron,
} from "../../../components/monitoring";
import { SECRET_PLACEHOLDER, recordResources } from "../../../tools/plan/record";
import { ofType } from "../../helpers/resources";
import { TAGS, WEBHOOK_URL, awsVmPool, cloudSqlIndexer, eksPool, gkePool, monitoringArgs, rdsIndexer } from "./fixtures";

const build = (more: Partial<MonitoringArgs>) => () => new Monitoring("monitoring", monitoringArgs(more));

describe("Monitoring arguments", () => {
  it("rejects bad recipients, runbook URL and drill schedule, naming each", () => {
    expect(build({ recipients: [] })).toThrow(/recipients: 0 addresses; 1 to 10 are allowed/);
    expect(build({ recipients: ["oncall@techops.example", "not-an-address", "oncall@techops.example"] })).toThrow(
      /recipients\[1\]: "not-an-address" is not an email address; recipients: "oncall@techops.example" appears more than once/,
    );
    expect(build({ runbookBaseUrl: "https://example.org/runbook.md#top" })).toThrow(/runbookBaseUrl: .* must be an https URL without '#'/);
    expect(build({ runbookBaseUrl: "http://example.org/runbook.md" })).toThrow(/runbookBaseUrl/);
    expect(build({ drill: { scheduleExpression: "cron(0 10 ? * MON-FRI *)", timezone: "UTC" } })).toThrow(/drill.scheduleExpression: .* is not a weekly schedule like cron\(0 10 \? \* TUE \*\)/);
    expect(build({ drill: { scheduleExpression: "rate(7 days)", timezone: "UTC" } })).toThrow(/is not a weekly schedule/);
    expect(build({ drill: { scheduleExpression: "cron(0 10 ? * TUE *)", timezone: "Mars/Olympus" } })).toThrow(/drill.timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect(build({ stack: "Prod" })).toThrow(/stack: "Prod"/);
  });

  it("rejects targets it could not alarm on, and clouds missing for them", () => {
    expect(build({ targets: [{ ...awsVmPool, aws: undefined }] })).toThrow(/targets\[0\].aws: an aws-vm pool needs its load balancer/);
    expect(build({ targets: [{ ...awsVmPool, count: 3 }] })).toThrow(/targets\[0\].aws.instanceIds: 2 instances for a pool of 3/);
    expect(build({ targets: [{ ...eksPool, platform: "kubernetes" }] })).toThrow(/targets\[0\].metricsCloud: a pool on a cluster the estate does not create must say where its metrics land/);
    expect(build({ aws: undefined, targets: [rdsIndexer] })).toThrow(/aws: targets alarm in AWS .* but no aws region is given/);
    expect(build({ gcp: undefined, targets: [gkePool] })).toThrow(/gcp: targets alarm in GCP/);
    expect(build({ aws: undefined, gcp: undefined, targets: [] })).toThrow(/aws, gcp: at least one cloud to alarm in/);
    expect(build({ targets: [{ ...cloudSqlIndexer, database: { ...cloudSqlIndexer.database, project: "another-project" } as never }] })).toThrow(
      /targets\[0\].database.project: "another-project" is not the stack's project "tocu-estate-prod"/,
    );
    expect(build({ targets: [eksPool, eksPool] })).toThrow(/targets: "pool-mainnet-k8s" appears more than once/);
    expect(build({ targets: [{ ...eksPool, pool: "Mainnet" }] })).toThrow(/targets\[0\].pool: "Mainnet" must be 1-40 lowercase letters/);
    expect(build({ tags: { ...TAGS, workload: "" } })).toThrow(/tags: tag "workload"/);
  });

  it("makes the webhook secret even when handed a plain Output", async () => {
    const { resources } = await recordResources(() => {
      new Monitoring("monitoring", monitoringArgs({ onCallWebhookUrl: pulumi.output(WEBHOOK_URL) }));
    });
    const subscription = ofType(resources, "aws:sns/topicSubscription:TopicSubscription").find((r) => (r.inputs as any).protocol === "https")!;
    expect(subscription.inputs.endpoint).toBe(SECRET_PLACEHOLDER);
    expect(JSON.stringify(resources.map((r) => r.inputs))).not.toContain(WEBHOOK_URL);
  });
});

describe("the drill's weekly schedule", () => {
  it("reads one weekly EventBridge Scheduler cron and renders it for both clouds", () => {
    expect(parseWeeklyCron("cron(0 10 ? * TUE *)")).toEqual({ minute: 0, hour: 10, dayOfWeek: 2 });
    // EventBridge numbers days 1 (Sunday) to 7; unix cron 0 (Sunday) to 6.
    const sunday = parseWeeklyCron("cron(30 9 ? * 1 *)")!;
    expect([awsWeeklyCron(sunday), unixWeeklyCron(sunday)]).toEqual(["cron(30 9 ? * SUN *)", "30 9 * * 0"]);
    expect(unixWeeklyCron(parseWeeklyCron("cron(5 23 ? * sat *)")!)).toBe("5 23 * * 6");
  });

  it("refuses anything that is not once a week", () => {
    for (const expression of ["cron(0 10 ? * MON-FRI *)", "cron(0 10 * * ? *)", "cron(0 10 ? * TUE 2027)", "cron(60 10 ? * TUE *)", "cron(0 24 ? * TUE *)", "cron(0 10 ? * 8 *)", "rate(7 days)"]) {
      expect(parseWeeklyCron(expression)).toBeUndefined();
    }
  });
});

describe("thresholds", () => {
  it("alarms on RDS free storage below the smaller of 20 GiB and 10% of the autoscaling ceiling", () => {
    expect(rdsFreeStorageThresholdBytes(100)).toBe(10 * 1024 ** 3);
    expect(rdsFreeStorageThresholdBytes(2000)).toBe(20 * 1024 ** 3);
  });

  it("alarms on connections at 80% of max_connections, PostgreSQL's 100 when unknown", () => {
    expect([connectionsThreshold(undefined), connectionsThreshold(1000), connectionsThreshold(5000)]).toEqual([80, 800, 4000]);
  });

  it("has a heartbeat source per pool and indexer, in the cloud its metrics land in", () => {
    expect(heartbeatSources([awsVmPool, gkePool, rdsIndexer, cloudSqlIndexer, { ...eksPool, platform: "kubernetes", metricsCloud: "gcp" }]).map((s) => [s.cloud, s.target, s.metric])).toEqual([
      ["aws", "pool-mainnet-rpc", "eth_ready"],
      ["gcp", "pool-sepolia-gke", "eth_ready"],
      ["aws", "indexer-vaults", "indexer_ready"],
      ["gcp", "indexer-analytics", "indexer_ready"],
      ["gcp", "pool-mainnet-k8s", "eth_ready"],
    ]);
  });
});
