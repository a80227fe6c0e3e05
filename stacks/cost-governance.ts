/** Cost governance after deploy: one AwsCostGovernance when the stack configures aws, one GcpCostGovernance for gcp. */
import { AwsCostGovernance, GcpCostGovernance } from "../components/cost-governance";
import { EstateConfig } from "./config";
import { CloudProviders } from "./providers";
import { workloadTags } from "./tags";

export const COST_GOVERNANCE_WORKLOAD = "cost-governance";

export interface CostGovernance {
  readonly aws?: AwsCostGovernance;
  readonly gcp?: GcpCostGovernance;
}

/** Budgets for every budget line of the stack, in each cloud it configures; nothing without `costGovernance`. */
export function buildCostGovernance(config: EstateConfig, providers: CloudProviders): CostGovernance {
  const governance = config.costGovernance;
  if (!governance) return {};
  const common = {
    budgetLines: config.budgetLines.map((line) => ({ id: line.id, monthlyCapDai: line.monthlyCapDai })),
    daiPerUsd: config.daiPerUsd,
    recipients: [...governance.recipients],
    tags: workloadTags(config, { budgetLine: governance.budgetLine, workload: COST_GOVERNANCE_WORKLOAD }),
    // Billing history is never lost by accident in prod.
    protectExports: config.environment === "prod",
  };
  return {
    aws:
      config.aws &&
      new AwsCostGovernance(
        "cost-aws",
        {
          ...common,
          region: config.aws.region,
          exportRetentionDays: governance.exportRetentionDays,
          anomalyThresholdUsd: governance.anomalyThresholdUsd,
          activateCostAllocationTags: governance.activateCostAllocationTags,
        },
        { provider: providers.aws },
      ),
    gcp:
      config.gcp &&
      new GcpCostGovernance(
        "cost-gcp",
        // The config requires the billing account whenever gcp is configured.
        { ...common, project: config.gcp.project, billingAccount: governance.gcpBillingAccount!, bigQueryLocation: governance.bigQueryLocation },
        { provider: providers.gcp },
      ),
  };
}
