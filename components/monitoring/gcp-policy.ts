/**
 * One Cloud Monitoring alert policy of a catalog kind: titled with the stack, the target and the kind, documented
 * with what it means and a link to its runbook section, notifying every channel when an incident opens and when it
 * closes, labelled with the monitoring workload's cost tags. Plus the condition shapes the builders use.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tagging";
import { AlarmId, AlarmSeverity, GCP_AUTO_CLOSE, HELD_NOTE, alarmKind, runbookUrl, severityPrefix } from "./catalog";

type Condition = gcp.types.input.monitoring.AlertPolicyCondition;

export interface GcpPolicyContext {
  readonly name: string;
  readonly stack: string;
  readonly project: string;
  readonly channels: pulumi.Input<string>[];
  readonly runbookBaseUrl: string;
  readonly tags: CostTags;
  readonly parent: pulumi.Resource;
}

export interface GcpPolicySpec {
  readonly id: AlarmId;
  readonly target: string;
  readonly subject: string;
  readonly conditions: Condition[];
  /** Overrides the title (the drill's says DRILL first). */
  readonly displayName?: string;
  /** Its target is held: the policy is planned disabled (opens no incident). */
  readonly held?: boolean;
}

export interface GcpPolicyRecord {
  readonly id: AlarmId;
  readonly cloud: "gcp";
  readonly target: string;
  readonly policy: gcp.monitoring.AlertPolicy;
}

const SEVERITY: Record<AlarmSeverity, string> = { critical: "CRITICAL", warning: "WARNING", info: "WARNING" };

/** The policy's documentation: what it means and where the runbook is, in markdown (sent with every notification). */
export function gcpPolicyDocumentation(id: AlarmId, subject: string, stack: string, runbookBaseUrl: string, held = false): gcp.types.input.monitoring.AlertPolicyDocumentation {
  const k = alarmKind(id);
  const url = runbookUrl(runbookBaseUrl, id);
  return {
    mimeType: "text/markdown",
    subject: `[${stack}] ${k.title}: ${subject}`.slice(0, 255),
    content: `**${severityPrefix(id)}${k.title}** (${subject})\n\n${k.meaning}${held ? ` ${HELD_NOTE}` : ""}\n\nStack: ${stack}. Runbook: [${id}](${url})`,
    links: [{ displayName: `Runbook: ${id}`, url }],
  };
}

export function gcpPolicy(ctx: GcpPolicyContext, spec: GcpPolicySpec): GcpPolicyRecord {
  const k = alarmKind(spec.id);
  const policy = new gcp.monitoring.AlertPolicy(
    `${ctx.name}-gcp-${spec.target}-${spec.id}`,
    {
      project: ctx.project,
      displayName: spec.displayName ?? `[${ctx.stack}] ${k.title}: ${spec.subject}`,
      combiner: "OR",
      conditions: spec.conditions,
      severity: SEVERITY[k.severity],
      documentation: gcpPolicyDocumentation(spec.id, spec.subject, ctx.stack, ctx.runbookBaseUrl, spec.held),
      notificationChannels: ctx.channels,
      // Notifies when an incident opens and when it closes.
      alertStrategy: { autoClose: GCP_AUTO_CLOSE, notificationPrompts: ["OPENED", "CLOSED"] },
      userLabels: { ...gcpLabels(ctx.tags), "alarm-id": spec.id },
      enabled: !spec.held,
    },
    { parent: ctx.parent },
  );
  return { id: spec.id, cloud: "gcp", target: spec.target, policy };
}

/** A PromQL condition over Managed Service for Prometheus, true for `forMinutes` before it fires. */
export function promqlCondition(displayName: string, query: string, forMinutes: number): Condition {
  return {
    displayName,
    conditionPrometheusQueryLanguage: {
      query,
      duration: `${forMinutes * 60}s`,
      evaluationInterval: "60s",
      // The exporters' series may not exist yet when the policy is created (a pool still syncing, a new collector).
      disableMetricValidation: true,
    },
  };
}

export interface ThresholdSpec {
  readonly filter: pulumi.Input<string>;
  readonly aggregations: gcp.types.input.monitoring.AlertPolicyConditionConditionThresholdAggregation[];
  readonly comparison: "COMPARISON_GT" | "COMPARISON_LT";
  readonly thresholdValue: number;
  readonly forMinutes: number;
  readonly denominatorFilter?: pulumi.Input<string>;
  readonly denominatorAggregations?: gcp.types.input.monitoring.AlertPolicyConditionConditionThresholdDenominatorAggregation[];
}

/** A metric-threshold condition; no data is not a violation (the incident closes). */
export function thresholdCondition(displayName: string, spec: ThresholdSpec): Condition {
  return {
    displayName,
    conditionThreshold: {
      filter: spec.filter,
      aggregations: spec.aggregations,
      denominatorFilter: spec.denominatorFilter,
      denominatorAggregations: spec.denominatorAggregations,
      comparison: spec.comparison,
      thresholdValue: spec.thresholdValue,
      duration: `${spec.forMinutes * 60}s`,
      trigger: { count: 1 },
      evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
    },
  };
}

/** A Monitoring filter term matching any of `values` exactly. */
export function oneOf(field: string, values: readonly pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.all([...values]).apply((vs: string[]) => `${field} = one_of(${vs.map((v) => JSON.stringify(v)).join(", ")})`);
}
