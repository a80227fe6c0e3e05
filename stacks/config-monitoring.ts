/**
 * The `monitoring` section (alarms, their recipients, the weekly drill) and `onCallWebhookUrl`, a secret of its own:
 * `pulumi config set --secret onCallWebhookUrl https://...` (a secret in a section would make the whole section secret).
 */
import { EMAIL_PATTERN } from "../components/cost-governance/validate";
import { ConfigReader, complete } from "./config-reader";

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface MonitoringConfig {
  readonly recipients: readonly string[];
  /** Where docs/runbook.md is published; every alarm links its section. */
  readonly runbookUrl: string;
  /** When the weekly drill trips the test alarm, in UTC. */
  readonly drill: { readonly weekday: Weekday; readonly hourUtc: number };
  /** A secret: an https endpoint of the on-call tool (PagerDuty, Opsgenie, ...); none without it. */
  readonly onCallWebhookUrl?: string;
}

export const MONITORING_KEYS = ["recipients", "runbookUrl", "drill"] as const;
export const WEBHOOK_KEY = "onCallWebhookUrl";
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(?::\d+)?(?:\/\S*)?$/;

/** `secret`: whether the key is a Pulumi secret; `standIn`: the offline plan's placeholder, whose format cannot be checked. */
export interface WebhookValue {
  readonly value: unknown;
  readonly secret: boolean;
  readonly standIn: boolean;
}

export function readMonitoring(r: ConfigReader, value: unknown, webhook: WebhookValue, prod: boolean): MonitoringConfig | undefined {
  if (value === undefined) {
    if (prod) r.fail("monitoring", value, "a monitoring section in prod: { recipients, runbookUrl }; production runs with alarms");
    if (webhook.value !== undefined) r.fail(WEBHOOK_KEY, "[not shown]", "only with a monitoring section");
    return undefined;
  }
  const obj = r.object("monitoring", value, MONITORING_KEYS, "monitoring settings");
  if (!obj) return undefined;
  const drill = obj.drill === undefined ? {} : r.object("monitoring.drill", obj.drill, ["weekday", "hourUtc"], "the weekly drill");
  const monitoring = {
    recipients: r.list("monitoring.recipients", obj.recipients, (p, v) => r.string(p, v, { pattern: EMAIL_PATTERN, allowed: "an email address" }), { min: 1, max: 20 }),
    runbookUrl: r.string("monitoring.runbookUrl", obj.runbookUrl, { pattern: HTTPS_URL, allowed: "the https URL where docs/runbook.md is published, e.g. https://github.com/<org>/core-unit-estate/blob/main/docs/runbook.md" }),
    drill: drill && readDrill(r, drill),
  };
  const url = readWebhook(r, webhook);
  if (!complete(monitoring) || url === null) return undefined;
  return url === undefined ? monitoring : { ...monitoring, onCallWebhookUrl: url };
}

function readDrill(r: ConfigReader, obj: Record<string, unknown>): MonitoringConfig["drill"] | undefined {
  const drill = {
    weekday: r.oneOf("monitoring.drill.weekday", obj.weekday, WEEKDAYS, "tuesday"),
    hourUtc: r.number("monitoring.drill.hourUtc", obj.hourUtc, { min: 0, max: 23, integer: true, fallback: 10 }),
  };
  return complete(drill) ? drill : undefined;
}

/** The webhook URL, undefined when not set, null after reporting a problem. The value itself is never shown. */
function readWebhook(r: ConfigReader, webhook: WebhookValue): string | undefined | null {
  if (webhook.value === undefined) return undefined;
  if (!webhook.secret) {
    r.fail(WEBHOOK_KEY, "[not shown]", `a secret: pulumi config set --secret ${WEBHOOK_KEY} <url> (it carries the on-call tool's key)`);
    return null;
  }
  if (typeof webhook.value !== "string" || (!webhook.standIn && !HTTPS_URL.test(webhook.value))) {
    r.fail(WEBHOOK_KEY, "[secret, not shown]", "an https URL of the on-call tool's webhook");
    return null;
  }
  return webhook.value;
}
