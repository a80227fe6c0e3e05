/** Composition: what this stack's configuration asks for, built from the components. */
import * as pulumi from "@pulumi/pulumi";
import { EstateConfig } from "./config";
import { buildPlatform } from "./platform";
import { cloudProviders } from "./providers";

export interface EstateOutputs {
  coreUnit: string;
  environment: string;
  budgetLines: { id: string; monthlyCapDai: number }[];
  networks: Record<string, pulumi.Output<string>>;
  clusters: Record<string, { kubeconfig?: pulumi.Output<string> }>;
}

export function buildEstate(config: EstateConfig): EstateOutputs {
  const providers = cloudProviders(config);
  const platform = buildPlatform(config, providers);
  return {
    coreUnit: config.coreUnit,
    environment: config.environment,
    budgetLines: config.budgetLines.map((l) => ({ id: l.id, monthlyCapDai: l.monthlyCapDai })),
    networks: {
      ...Object.fromEntries(Object.entries(platform.awsNetworks).map(([n, net]) => [n, net.vpcId])),
      ...Object.fromEntries(Object.entries(platform.gcpNetworks).map(([n, net]) => [n, net.networkId])),
    },
    clusters: Object.fromEntries(
      Object.entries(platform.clusters).map(([n, c]) => [n, { kubeconfig: "kubeconfig" in c ? (c.kubeconfig as pulumi.Output<string>) : undefined }]),
    ),
  };
}
