/**
 * The workload of an ApiService: the Deployment, its ClusterIP Service, a HorizontalPodAutoscaler and a
 * PodDisruptionBudget, each named after the component and carrying the cost labels. A held service has a Deployment
 * of 0 replicas and its Service, and neither autoscaler nor disruption budget.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../tagging";
import type { ApiServiceArgs } from "./index";
import { PORT_NAME, SERVICE_PORT, podTemplate } from "./pod";

/** The HPA's CPU target when none is given: % of the CPU request, averaged over the pods. */
export const DEFAULT_TARGET_CPU_PERCENT = 70;
/** Container-native load balancing on GKE: the Ingress sends to pod IPs through network endpoint groups. */
export const GKE_NEG_ANNOTATION = { "cloud.google.com/neg": JSON.stringify({ ingress: true }) };

/**
 * On a held Deployment: Pulumi's server-side apply takes `.spec.replicas` from the HPA's controller (field manager
 * kube-controller-manager, subresource scale), which owns it once it has scaled a running service; without it the
 * first update after the hold fails with a field conflict. Lifting the hold drops the field and the annotation: a
 * field given up never conflicts.
 */
export const HELD_PATCH_FORCE = { "pulumi.com/patchForce": "true" };

/** The labels a selector may use: stable for the life of the service (never the cost labels, which may change). */
export function selectorLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": "api-service", "app.kubernetes.io/instance": name };
}

export interface ApiServiceWorkload {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  /** Absent while the service is held. */
  readonly autoscaler?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  readonly disruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
}

/** GKE's BackendConfig for the Service, by name (ingress-gke.ts creates it). */
export const backendConfigName = (name: string): string => `${name}-backend`;

export function apiServiceWorkload(name: string, args: ApiServiceArgs, parent: pulumi.Resource): ApiServiceWorkload {
  const opts = { parent, provider: args.provider };
  const selector = selectorLabels(name);
  const labels = { ...kubernetesLabels(args.tags), ...selector, "app.kubernetes.io/component": "api" };
  const meta = (annotations?: Record<string, string>) => ({ name, namespace: args.namespace, labels, ...(annotations ? { annotations } : {}) });

  const deployment = new k8s.apps.v1.Deployment(
    `${name}-deployment`,
    {
      metadata: meta(args.held ? HELD_PATCH_FORCE : undefined),
      spec: {
        // No `replicas`: the autoscaler owns the count. A value here would be re-applied on every update and
        // scale the service down to it; a new Deployment starts one pod and the autoscaler raises it to `min`.
        // Held, 0 and no autoscaler; lifting the hold drops the field, so the Deployment starts one pod as if new.
        ...(args.held ? { replicas: 0 } : {}),
        selector: { matchLabels: selector },
        // Never below the current capacity during a rollout: one extra pod at a time, an old one leaves when it is Ready.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        minReadySeconds: 5,
        revisionHistoryLimit: 5,
        template: podTemplate({ args, selector, labels: { ...(args.podLabels ?? {}), ...labels } }),
      },
    },
    opts,
  );

  const gke = args.ingress?.tls.kind === "gke-managed";
  const service = new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: meta(gke ? { ...GKE_NEG_ANNOTATION, "cloud.google.com/backend-config": JSON.stringify({ default: backendConfigName(name) }) } : undefined),
      spec: { type: "ClusterIP", selector, ports: [{ name: PORT_NAME, port: SERVICE_PORT, targetPort: PORT_NAME, protocol: "TCP" }] },
    },
    opts,
  );
  if (args.held) return { deployment, service };

  const autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${name}-hpa`,
    {
      metadata: meta(),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
        minReplicas: args.replicas.min,
        maxReplicas: args.replicas.max,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: args.replicas.targetCpuPercent ?? DEFAULT_TARGET_CPU_PERCENT } } },
        ],
        // Up at once, down gently: one pod a minute after five quiet minutes.
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0 },
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
        },
      },
    },
    opts,
  );

  // At most one pod evicted at a time, whatever the count: with min >= 2 the service keeps serving through node
  // drains and upgrades; with a single replica a drain may still proceed (minAvailable: 1 would block it forever).
  const disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    {
      metadata: meta(),
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: selector },
        // A pod that is not Ready serves nothing: evicting it never costs capacity, and must not block a drain.
        unhealthyPodEvictionPolicy: "AlwaysAllow",
      },
    },
    opts,
  );

  return { deployment, service, autoscaler, disruptionBudget };
}
