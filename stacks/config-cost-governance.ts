/** The `costGovernance` section of the stack config: who is alerted, thresholds, export retention, GCP billing. */
import { BIGQUERY_LOCATION_PATTERN, BILLING_ACCOUNT_PATTERN, EMAIL_PATTERN, MAX_AWS_RECIPIENTS, MAX_GCP_RECIPIENTS } from "../components/cost-governance/validate";
import { ConfigReader } from "./config-reader";

export interface CostGovernanceConfig {
  /** Who receives budget and anomaly alerts. */
  readonly recipients: readonly string[];
  /** AWS: an anomaly is mailed when its total impact reaches this many USD. */
  readonly anomalyThresholdUsd: number;
  /** AWS: days a CUR 2.0 export is kept in its bucket. */
  readonly exportRetentionDays: number;
  /** GCP: the Cloud Billing account budgets are created on; set when the stack configures gcp. */
  readonly gcpBillingAccount?: string;
  /** GCP: where the billing-export dataset lives. */
  readonly bigQueryLocation: string;
  /** The budget line the governance resources themselves are charged to. */
  readonly budgetLine: string;
  /** AWS: activate the cost tag keys as cost allocation tags from this stack (phase two of the rollout). */
  readonly activateCostAllocationTags: boolean;
}

export const COST_GOVERNANCE_KEYS = ["recipients", "anomalyThresholdUsd", "exportRetentionDays", "gcpBillingAccount", "bigQueryLocation", "budgetLine", "activateCostAllocationTags"] as const;

const EMAIL_EXAMPLE = "finance@techops.example";
const BILLING_ACCOUNT_RULE = "a Cloud Billing account id: three groups of 6 uppercase hexadecimal digits, e.g. 012345-6789AB-CDEF01";

export interface CostGovernanceReferences {
  /** Whether the stack configures GCP (the gcp section is present, valid or not). */
  gcp: boolean;
  budgetLineRef: (path: string, value: unknown) => string | undefined;
}

export function readCostGovernance(r: ConfigReader, value: unknown, refs: CostGovernanceReferences): CostGovernanceConfig | undefined {
  if (value === undefined) return undefined;
  const obj = r.object("costGovernance", value, COST_GOVERNANCE_KEYS, "cost governance settings");
  if (!obj) return undefined;
  const recipients = readRecipients(r, obj.recipients, refs.gcp ? MAX_GCP_RECIPIENTS : MAX_AWS_RECIPIENTS, refs.gcp);
  const anomalyThresholdUsd = r.number("costGovernance.anomalyThresholdUsd", obj.anomalyThresholdUsd, { min: 1, max: 1_000_000, fallback: 100 });
  const exportRetentionDays = r.number("costGovernance.exportRetentionDays", obj.exportRetentionDays, { min: 365, max: 3653, integer: true, fallback: 1095 });
  const bigQueryLocation = r.string("costGovernance.bigQueryLocation", obj.bigQueryLocation, {
    pattern: BIGQUERY_LOCATION_PATTERN,
    allowed: "a BigQuery location: US, EU or a region such as us-central1",
    fallback: "US",
  });
  // Checked whenever given; required when the stack configures gcp (a stack without it keeps it for later).
  let gcpBillingAccount: string | undefined;
  if (obj.gcpBillingAccount !== undefined) {
    gcpBillingAccount = r.string("costGovernance.gcpBillingAccount", obj.gcpBillingAccount, { pattern: BILLING_ACCOUNT_PATTERN, allowed: BILLING_ACCOUNT_RULE });
  } else if (refs.gcp) {
    r.fail("costGovernance.gcpBillingAccount", undefined, `${BILLING_ACCOUNT_RULE}; required because the stack configures the gcp section (the GCP budgets are created on it)`);
  }
  const budgetLine = refs.budgetLineRef("costGovernance.budgetLine", obj.budgetLine);
  const activateCostAllocationTags = r.boolean("costGovernance.activateCostAllocationTags", obj.activateCostAllocationTags, false);
  if (!recipients || anomalyThresholdUsd === undefined || exportRetentionDays === undefined || !bigQueryLocation || !budgetLine) return undefined;
  if (activateCostAllocationTags === undefined) return undefined;
  if ((refs.gcp || obj.gcpBillingAccount !== undefined) && !gcpBillingAccount) return undefined;
  return { recipients, anomalyThresholdUsd, exportRetentionDays, bigQueryLocation, budgetLine, activateCostAllocationTags, ...(gcpBillingAccount ? { gcpBillingAccount } : {}) };
}

function readRecipients(r: ConfigReader, value: unknown, max: number, gcp: boolean): string[] | undefined {
  const path = "costGovernance.recipients";
  const limit = gcp ? `at most ${max} (a Cloud Billing budget notifies at most ${max} channels)` : `at most ${max} (AWS Budgets mails at most ${max} subscribers)`;
  if (value === undefined) return r.fail(path, value, `a list of the email addresses that receive budget and anomaly alerts, ${limit}, e.g. [${EMAIL_EXAMPLE}]`);
  if (!Array.isArray(value) || value.length === 0 || value.length > max) {
    return r.fail(path, value, `a list of 1 to ${max} email addresses, ${limit}, e.g. [${EMAIL_EXAMPLE}]`);
  }
  const emails = value.map((v, i) => r.string(`${path}[${i}]`, v, { pattern: EMAIL_PATTERN, allowed: `an email address, e.g. ${EMAIL_EXAMPLE}` }));
  if (emails.some((e) => e === undefined)) return undefined;
  const lower = emails.map((e) => e!.toLowerCase());
  const duplicates = [...new Set(lower.filter((e, i) => lower.indexOf(e) !== i))];
  if (duplicates.length > 0) return r.fail(path, value, `each address once (${duplicates.join(", ")} appears more than once)`);
  return emails as string[];
}
