import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { EstateConfig } from "./config";

export interface CloudProviders {
  readonly aws?: aws.Provider;
  readonly gcp?: gcp.Provider;
}

/** Explicit providers, so the region and project come from the validated config and nothing ambient. */
export function cloudProviders(config: EstateConfig): CloudProviders {
  return {
    aws: config.aws && new aws.Provider("aws", { region: config.aws.region as aws.Region }),
    gcp: config.gcp && new gcp.Provider("gcp", { project: config.gcp.project, region: config.gcp.region }),
  };
}

/**
 * For a component with children in both clouds (a database on RDS or Cloud SQL, a certificate in ACM, a DNS record):
 * each child, and each lookup it makes, takes the provider of its package. The Kubernetes provider stays explicit.
 */
export function componentProviders(providers: CloudProviders): pulumi.ProviderResource[] {
  return [providers.aws, providers.gcp].filter((p): p is aws.Provider | gcp.Provider => p !== undefined);
}
