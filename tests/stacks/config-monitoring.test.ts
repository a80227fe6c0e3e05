import { configProblems, parseStack, stackValues as stack } from "../helpers/stack-config";

const WEBHOOK = "https://events.oncall.example/integration/0123456789abcdef/enqueue";
const parse = (raw: Record<string, unknown>, options: { secretKeys?: string[]; secretsAreStandIns?: boolean } = {}, name = "prod") => parseStack(raw, name, options);
const problemsOf = (raw: Record<string, unknown>, options: { secretKeys?: string[]; secretsAreStandIns?: boolean } = {}, name = "prod"): string[] => configProblems(raw, name, options);

describe("monitoring config", () => {
  it("reads prod's recipients, runbook and weekly drill", () => {
    const result = parse(stack("prod"));
    expect(result.ok && result.config.monitoring).toEqual({
      recipients: ["oncall@techops.example"],
      runbookUrl: "https://github.com/techops-example/core-unit-estate/blob/main/docs/runbook.md",
      drill: { weekday: "tuesday", hourUtc: 10 },
    });
  });

  it("takes the on-call webhook only as a secret, and never shows its value", () => {
    const withWebhook = { ...stack("prod"), onCallWebhookUrl: WEBHOOK };
    const result = parse(withWebhook, { secretKeys: ["onCallWebhookUrl"] });
    expect(result.ok && result.config.monitoring?.onCallWebhookUrl).toBe(WEBHOOK);
    const problems = problemsOf(withWebhook);
    expect(problems).toEqual(['core-unit-estate:onCallWebhookUrl: got "[not shown]"; allowed: a secret: pulumi config set --secret onCallWebhookUrl <url> (it carries the on-call tool\'s key)']);
    expect(problems.join()).not.toContain("0123456789abcdef");
  });

  it("checks the secret's format, except for the offline plan's stand-in", () => {
    const withStandIn = { ...stack("prod"), onCallWebhookUrl: "offline-placeholder-secret" };
    expect(problemsOf(withStandIn, { secretKeys: ["onCallWebhookUrl"] })).toEqual(['core-unit-estate:onCallWebhookUrl: got "[secret, not shown]"; allowed: an https URL of the on-call tool\'s webhook']);
    expect(problemsOf(withStandIn, { secretKeys: ["onCallWebhookUrl"], secretsAreStandIns: true })).toEqual([]);
  });

  it.each<[string, (raw: any) => void, string[]]>([
    ["prod without monitoring", (raw) => delete raw.monitoring, ["core-unit-estate:monitoring: got nothing (the key is missing); allowed: a monitoring section in prod: { recipients, runbookUrl }; production runs with alarms"]],
    ["no recipients", (raw) => (raw.monitoring.recipients = []), ["core-unit-estate:monitoring.recipients: got []; allowed: a list of 1 to 20 items"]],
    ["a recipient that is not an address", (raw) => (raw.monitoring.recipients = ["oncall"]), ['core-unit-estate:monitoring.recipients[0]: got "oncall"; allowed: an email address']],
    ["a runbook over http", (raw) => (raw.monitoring.runbookUrl = "http://wiki.example/runbook"), [expect.stringMatching(/^core-unit-estate:monitoring\.runbookUrl: got "http:\/\/wiki\.example\/runbook"; allowed: the https URL where docs\/runbook\.md is published/)] as any],
    ["a drill on a day that does not exist", (raw) => (raw.monitoring.drill.weekday = "tue"), ['core-unit-estate:monitoring.drill.weekday: got "tue"; allowed: one of monday, tuesday, wednesday, thursday, friday, saturday, sunday']],
    ["a drill at hour 24", (raw) => (raw.monitoring.drill.hourUtc = 24), ["core-unit-estate:monitoring.drill.hourUtc: got 24; allowed: a whole number from 0 to 23"]],
    ["a misspelt key", (raw) => (raw.monitoring.recipient = ["a@b.example"]), [expect.stringMatching(/^core-unit-estate:monitoring\.recipient: got \["a@b\.example"\]; allowed: no such key; known keys here: recipients, runbookUrl, drill/)] as any],
  ])("rejects %s", (_, change, expected) => {
    const raw = stack("prod");
    change(raw);
    expect(problemsOf(raw)).toEqual(expected);
  });

  it("lets staging run without monitoring", () => {
    const raw = stack("staging");
    delete raw.monitoring;
    const result = parse(raw, {}, "staging");
    expect(result.ok && result.config.monitoring).toBeUndefined();
  });
});
