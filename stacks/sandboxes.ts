/** Sandboxes: each config entry becomes one Sandbox on its cluster, with its VM in its network and its budgets. */
import { GcpScheduleAgent, SANDBOX_BUDGET_LINE, Sandbox, SandboxVmPlacement } from "../components/sandbox";
import { EstateConfig, SandboxConfig } from "./config";
import { Platform } from "./platform";
import { CloudProviders } from "./providers";
import { workloadTags } from "./tags";

export const sandboxWorkload = (name: string): string => `sandbox-${name}`;

export function buildSandboxes(config: EstateConfig, providers: CloudProviders, platform: Platform): Record<string, Sandbox> {
  const sandboxes = Object.fromEntries(config.sandboxes.map((s) => [s.name, buildSandbox(config, providers, platform, s)]));
  if (config.sandboxes.some((s) => s.vm?.cloud === "gcp")) {
    new GcpScheduleAgent(
      "sandbox-gcp-schedule-agent",
      { project: config.gcp!.project, tags: workloadTags(config, { budgetLine: SANDBOX_BUDGET_LINE, workload: "vm-scheduling" }) },
      { provider: providers.gcp },
    );
  }
  return sandboxes;
}

function buildSandbox(config: EstateConfig, providers: CloudProviders, platform: Platform, sandbox: SandboxConfig): Sandbox {
  const name = sandboxWorkload(sandbox.name);
  const cluster = config.clusters.find((c) => c.name === sandbox.cluster)!;
  const vm = placement(config, platform, sandbox);
  const clouds = new Set([cluster.kind === "eks" ? "aws" : cluster.kind === "gke" ? "gcp" : undefined, sandbox.vm?.cloud]);
  return new Sandbox(
    name,
    {
      namespace: name,
      owner: sandbox.owner,
      ownerEmail: sandbox.ownerEmail,
      purpose: sandbox.purpose,
      expiresOn: sandbox.expiresOn,
      monthlyBudgetUsd: sandbox.monthlyBudgetUsd,
      size: sandbox.size,
      tags: workloadTags(config, { budgetLine: SANDBOX_BUDGET_LINE, workload: name, owner: sandbox.owner }, { "expires-on": sandbox.expiresOn }),
      kubernetesProvider: platform.clusters[sandbox.cluster].provider,
      vm,
      budgets: {
        aws: clouds.has("aws") && config.aws !== undefined,
        // The config requires the billing account for a sandbox spending in GCP.
        gcp: clouds.has("gcp") && config.gcp ? { billingAccount: config.costGovernance!.gcpBillingAccount!, project: config.gcp.project } : undefined,
      },
    },
    { providers: [providers.aws, providers.gcp].filter((p) => p !== undefined) },
  );
}

function placement(config: EstateConfig, platform: Platform, sandbox: SandboxConfig): SandboxVmPlacement | undefined {
  if (sandbox.vm?.cloud === "aws") {
    const network = platform.awsNetworks[sandbox.vm.network];
    return { kind: "aws", region: config.aws!.region, vpcId: network.vpcId, privateSubnetId: network.privateSubnetIds[0] };
  }
  if (sandbox.vm?.cloud === "gcp") {
    const network = platform.gcpNetworks[sandbox.vm.network];
    return { kind: "gcp", project: config.gcp!.project, region: config.gcp!.region, network: network.networkSelfLink, subnetwork: network.subnetworkSelfLink };
  }
  return undefined;
}
