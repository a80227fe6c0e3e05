import { AwsCostGovernanceArgs, GcpCostGovernanceArgs } from "../../../components/cost-governance";
import { CostTags, costTags } from "../../../components/tagging";

export const TAGS: CostTags = costTags({
  coreUnit: "tocu-001",
  budgetLine: "infrastructure-tools",
  environment: "prod",
  workload: "cost-governance",
  owner: "techops",
});

const COMMON = {
  budgetLines: [
    { id: "infrastructure-tools", monthlyCapDai: 45_000 },
    { id: "third-party-integrations", monthlyCapDai: 5_000 },
  ],
  daiPerUsd: 1.25,
  recipients: ["finance@techops.example", "ops@techops.example"],
  tags: TAGS,
  protectExports: true,
};

export const AWS_ARGS: AwsCostGovernanceArgs = { ...COMMON, region: "eu-west-1", exportRetentionDays: 1095, anomalyThresholdUsd: 250 };
export const GCP_ARGS: GcpCostGovernanceArgs = { ...COMMON, project: "tocu-estate-prod", billingAccount: "012345-6789AB-CDEF01", bigQueryLocation: "EU" };
