import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
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
