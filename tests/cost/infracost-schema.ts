/**
 * The required shape of Infracost's JSON output (version 0.2), written from its public definition
 * (infracost/infracost, schema/infracost.schema.json at cffbc23d, read 2026-12): which properties each object must
 * have, their types, and no others where the definition forbids others. Amounts are decimal strings or null.
 */
const amount = { type: ["string", "null"], pattern: "^-?\\d+(\\.\\d+)?$" };
const counts = { type: "object", additionalProperties: { type: "integer", minimum: 0 } };
const stringMap = { type: "object", additionalProperties: { type: "string" } };

const costComponent = {
  type: "object",
  required: ["name", "unit", "hourlyQuantity", "monthlyQuantity", "price", "hourlyCost", "monthlyCost", "priceNotFound"],
  additionalProperties: false,
  properties: {
    name: { type: "string" },
    unit: { type: "string" },
    hourlyQuantity: amount,
    monthlyQuantity: amount,
    price: amount,
    hourlyCost: amount,
    monthlyCost: amount,
    usageBased: { type: "boolean" },
    priceNotFound: { type: "boolean" },
  },
};

const resourceProperties = {
  name: { type: "string" },
  resourceType: { type: "string" },
  tags: stringMap,
  defaultTags: stringMap,
  providerSupportsDefaultTags: { type: "boolean" },
  providerLink: { type: "string" },
  metadata: { type: "object" },
  hourlyCost: amount,
  monthlyCost: amount,
  monthlyUsageCost: amount,
  costComponents: { type: "array", items: costComponent },
  subresources: { type: "array", items: { type: "object" } },
};

const resource = { type: "object", required: ["name", "metadata"], additionalProperties: false, properties: resourceProperties };

const breakdown = {
  type: "object",
  required: ["resources", "totalHourlyCost", "totalMonthlyCost", "totalMonthlyUsageCost"],
  additionalProperties: false,
  properties: {
    resources: { type: "array", items: resource },
    freeResources: { type: "array", items: resource },
    totalHourlyCost: amount,
    totalMonthlyCost: amount,
    totalMonthlyUsageCost: amount,
  },
};

const summary = {
  type: "object",
  additionalProperties: false,
  properties: {
    totalResources: { type: "integer" },
    totalDetectedResources: { type: "integer" },
    totalSupportedResources: { type: "integer" },
    totalUnsupportedResources: { type: "integer" },
    totalUsageBasedResources: { type: "integer" },
    totalNoPriceResources: { type: "integer" },
    supportedResourceCounts: counts,
    unsupportedResourceCounts: counts,
    noPriceResourceCounts: counts,
  },
};

const dateTime = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$" };

const vcsMetadata = {
  type: "object",
  required: ["infracostCommand", "vcsBranch", "vcsCommitSha", "vcsCommitAuthorName", "vcsCommitAuthorEmail", "vcsCommitTimestamp", "vcsCommitMessage"],
  additionalProperties: false,
  properties: {
    infracostCommand: { type: "string" },
    vcsBranch: { type: "string" },
    vcsBaseCommitSha: { type: "string" },
    vcsCommitSha: { type: "string" },
    vcsCommitAuthorName: { type: "string" },
    vcsCommitAuthorEmail: { type: "string" },
    vcsCommitTimestamp: dateTime,
    vcsCommitMessage: { type: "string" },
    vcsRepositoryUrl: { type: "string" },
    vcsProvider: { type: "string" },
    vcsBaseBranch: { type: "string" },
    vcsPullRequestTitle: { type: "string" },
    vcsPullRequestUrl: { type: "string" },
  },
};

const project = {
  type: "object",
  required: ["name", "displayName", "metadata", "pastBreakdown", "breakdown", "diff", "summary"],
  additionalProperties: false,
  properties: {
    name: { type: "string" },
    displayName: { type: "string" },
    metadata: {
      type: "object",
      required: ["path", "type"],
      additionalProperties: false,
      properties: { path: { type: "string" }, type: { type: "string" }, vcsSubPath: { type: "string" }, terraformWorkspace: { type: "string" } },
    },
    pastBreakdown: breakdown,
    breakdown,
    diff: breakdown,
    summary,
  },
};

export const INFRACOST_OUTPUT_SCHEMA = {
  type: "object",
  required: [
    "version",
    "metadata",
    "currency",
    "projects",
    "totalHourlyCost",
    "totalMonthlyCost",
    "pastTotalHourlyCost",
    "pastTotalMonthlyCost",
    "diffTotalHourlyCost",
    "diffTotalMonthlyCost",
    "timeGenerated",
    "summary",
  ],
  additionalProperties: false,
  properties: {
    version: { type: "string" },
    metadata: vcsMetadata,
    runId: { type: "string" },
    shareUrl: { type: "string" },
    cloudUrl: { type: "string" },
    currency: { type: "string" },
    projects: { type: "array", items: project },
    totalHourlyCost: amount,
    totalMonthlyCost: amount,
    totalMonthlyUsageCost: amount,
    pastTotalHourlyCost: amount,
    pastTotalMonthlyCost: amount,
    pastTotalMonthlyUsageCost: amount,
    diffTotalHourlyCost: amount,
    diffTotalMonthlyCost: amount,
    diffTotalMonthlyUsageCost: amount,
    timeGenerated: dateTime,
    summary,
  },
};
