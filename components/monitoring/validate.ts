/** Argument checks of the Monitoring component: each returns problems as `<argument>: <what is wrong>`. */
import { integerProblems, tagArgProblems } from "../cluster/validation";
import { EMAIL_PATTERN } from "../cost-governance/validate";
import { CostTags } from "../tagging";
import { Cloud, cloudsOf, targetKey } from "./routing";
import { WEEKLY_CRON_EXAMPLE, isTimeZone, parseWeeklyCron } from "./schedule";
import { MonitoredTarget } from "./targets";

/** Pool, indexer and service names: they become resource names, CloudWatch dimension values and PromQL label values. */
export const TARGET_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** An alert policy notifies at most 16 channels: one per recipient plus the webhook. */
export const MAX_RECIPIENTS = 10;
const AWS_REGION = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const HTTPS_URL = /^https:\/\/[^\s#?]+$/;

export interface MonitoringArgsToCheck {
  stack: string;
  recipients: readonly string[];
  onCallWebhookUrl?: unknown;
  runbookBaseUrl: string;
  aws?: { region: string };
  gcp?: { project: string; region?: string };
  targets: readonly MonitoredTarget[];
  drill: { scheduleExpression: string; timezone: string };
  tags: CostTags;
}

function nameProblems(path: string, value: string): string[] {
  return TARGET_NAME_PATTERN.test(value) ? [] : [`${path}: "${value}" must be 1-40 lowercase letters, digits or '-', starting with a letter`];
}

function projectProblems(path: string, project: string, args: MonitoringArgsToCheck): string[] {
  if (!args.gcp) return [];
  return project === args.gcp.project ? [] : [`${path}: "${project}" is not the stack's project "${args.gcp.project}" (alert policies see the metrics of their own project only)`];
}

function targetProblems(t: MonitoredTarget, i: number, args: MonitoringArgsToCheck): string[] {
  const at = `targets[${i}]`;
  switch (t.kind) {
    case "ethereum-pool": {
      const problems = [...nameProblems(`${at}.pool`, t.pool), ...integerProblems(`${at}.count`, t.count, 1, 50)];
      if (t.platform === "aws-vm" && !t.aws) problems.push(`${at}.aws: an aws-vm pool needs its load balancer, target group and instances`);
      if (t.platform === "aws-vm" && t.aws && t.aws.instanceIds.length !== t.count) {
        problems.push(`${at}.aws.instanceIds: ${t.aws.instanceIds.length} instances for a pool of ${t.count}`);
      }
      if (t.platform === "gcp-vm" && !t.gcp) problems.push(`${at}.gcp: a gcp-vm pool needs its project and instance names`);
      if (t.platform === "gcp-vm" && t.gcp) {
        problems.push(...projectProblems(`${at}.gcp.project`, t.gcp.project, args));
        if (t.gcp.instanceNames.length !== t.count) problems.push(`${at}.gcp.instanceNames: ${t.gcp.instanceNames.length} instances for a pool of ${t.count}`);
      }
      if (t.platform === "kubernetes" && !t.metricsCloud) {
        problems.push(`${at}.metricsCloud: a pool on a cluster the estate does not create must say where its metrics land ("aws" or "gcp")`);
      }
      return problems;
    }
    case "indexer": {
      const problems = nameProblems(`${at}.indexer`, t.indexer);
      const db = t.database;
      if (db.kind === "rds" && !(db.maxStorageGiB > 0)) problems.push(`${at}.database.maxStorageGiB: ${db.maxStorageGiB} must be above 0`);
      if (db.kind === "cloud-sql") problems.push(...projectProblems(`${at}.database.project`, db.project, args));
      if (db.maxConnections !== undefined) problems.push(...integerProblems(`${at}.database.maxConnections`, db.maxConnections, 10, 100_000));
      return problems;
    }
    case "api-service": {
      const problems = nameProblems(`${at}.service`, t.service);
      if (!(t.latencyP95Ms > 0)) problems.push(`${at}.latencyP95Ms: ${t.latencyP95Ms} must be above 0`);
      const lb = t.loadBalancer;
      if (lb?.kind === "gcp-https-lb") {
        problems.push(...projectProblems(`${at}.loadBalancer.project`, lb.project, args));
        if (lb.urlMapNameRegex.trim() === "" || lb.urlMapNameRegex.includes('"')) problems.push(`${at}.loadBalancer.urlMapNameRegex: "${lb.urlMapNameRegex}" must be a non-empty RE2 regex without '"'`);
      }
      return problems;
    }
  }
}

function cloudProblems(args: MonitoringArgsToCheck): string[] {
  const needed = new Set<Cloud>(args.targets.flatMap(cloudsOf));
  const problems: string[] = [];
  if (needed.has("aws") && !args.aws) problems.push("aws: targets alarm in AWS (CloudWatch metrics, RDS or an ALB) but no aws region is given");
  if (needed.has("gcp") && !args.gcp) problems.push("gcp: targets alarm in GCP (Managed Prometheus, Cloud SQL or an HTTPS load balancer) but no gcp project is given");
  if (!args.aws && !args.gcp) problems.push("aws, gcp: at least one cloud to alarm in");
  if (args.aws && !AWS_REGION.test(args.aws.region)) problems.push(`aws.region: "${args.aws.region}" is not an AWS region`);
  if (args.gcp && !GCP_PROJECT.test(args.gcp.project)) problems.push(`gcp.project: "${args.gcp.project}" is not a GCP project id`);
  return problems;
}

export function monitoringProblems(args: MonitoringArgsToCheck): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(args.stack)) problems.push(`stack: "${args.stack}" must be 1-32 lowercase letters, digits or '-'`);
  if (args.recipients.length === 0 || args.recipients.length > MAX_RECIPIENTS) {
    problems.push(`recipients: ${args.recipients.length} addresses; 1 to ${MAX_RECIPIENTS} are allowed`);
  }
  for (const [i, email] of args.recipients.entries()) if (!EMAIL_PATTERN.test(email)) problems.push(`recipients[${i}]: "${email}" is not an email address`);
  for (const email of new Set(args.recipients.filter((e, i) => args.recipients.indexOf(e) !== i))) problems.push(`recipients: "${email}" appears more than once`);
  if (typeof args.onCallWebhookUrl === "string") {
    // A plain string would sit in the program or config in clear; the URL carries its token.
    problems.push("onCallWebhookUrl: pass it as a secret (pulumi config set --secret, config.requireSecret), never as a plain string");
  }
  if (!HTTPS_URL.test(args.runbookBaseUrl)) problems.push(`runbookBaseUrl: "${args.runbookBaseUrl}" must be an https URL without '#' or '?' (alarms append #<alarm id>)`);
  if (!parseWeeklyCron(args.drill.scheduleExpression)) {
    problems.push(`drill.scheduleExpression: "${args.drill.scheduleExpression}" is not a weekly schedule like ${WEEKLY_CRON_EXAMPLE} (one minute, hour and day of the week)`);
  }
  if (!isTimeZone(args.drill.timezone)) problems.push(`drill.timezone: "${args.drill.timezone}" is not an IANA time zone`);
  problems.push(...cloudProblems(args));
  problems.push(...args.targets.flatMap((t, i) => targetProblems(t, i, args)));
  const keys = args.targets.map(targetKey);
  for (const key of new Set(keys.filter((k, i) => keys.indexOf(k) !== i))) problems.push(`targets: "${key}" appears more than once`);
  return [...problems, ...tagArgProblems("tags", args.tags)];
}
