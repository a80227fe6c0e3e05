/** Arguments and helpers shared by the ApiService tests. */
import * as k8s from "@pulumi/kubernetes";
import { ApiServiceArgs } from "../../../components/api-service";
import { costTags } from "../../../components/tagging";
import { RecordedResource } from "../../../tools/plan/record";

export const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "api", owner: "techops" });
export const IMAGE = "ghcr.io/makerdao/vault-api:1.4.2";

/** A valid ApiService without a provider (the test's program adds it) and without ingress. */
export function apiArgs(more: Partial<ApiServiceArgs> = {}): Omit<ApiServiceArgs, "provider"> {
  return {
    namespace: "api",
    image: IMAGE,
    port: 8080,
    env: { LOG_LEVEL: "info" },
    probes: { readinessPath: "/ready", livenessPath: "/healthz" },
    resources: { cpu: "250m", memory: "256Mi" },
    replicas: { min: 2, max: 6 },
    tags: TAGS,
    ...more,
  };
}

/** For validation tests: a full argument set whose provider is never used (the constructor throws first). */
export function invalid(more: Partial<ApiServiceArgs>): ApiServiceArgs {
  return { ...apiArgs(more), provider: {} as k8s.Provider };
}

export function only(resources: readonly RecordedResource[], type: string): RecordedResource {
  const found = resources.filter((r) => r.type === type);
  if (found.length !== 1) throw new Error(`${found.length} resources of ${type}`);
  return found[0];
}

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const SERVICE = "kubernetes:core/v1:Service";
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
export const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
export const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const ROUTE53 = "aws:route53/record:Record";
