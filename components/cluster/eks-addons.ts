/**
 * What an EKS cluster lacks out of the box for the estate's workloads: metrics-server (without it no
 * HorizontalPodAutoscaler scales) and the AWS Load Balancer Controller (without it no Ingress of class `alb` gets a load
 * balancer). ApiService relies on both.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { CostTags, awsTags, kubernetesLabels } from "../tagging";
import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
  AWS_LOAD_BALANCER_CONTROLLER_POLICY,
  AWS_LOAD_BALANCER_CONTROLLER_VERSION,
} from "./aws-lb-controller-policy";
import { irsaTrustPolicy, roleWithPolicies } from "./aws-iam";

export const EKS_CHARTS_REPOSITORY = "https://aws.github.io/eks-charts";
export const LB_CONTROLLER_CHART = "aws-load-balancer-controller";
/** The chart's service account, which the controller's IRSA role trusts (and nothing else). */
export const LB_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;
/**
 * Namespaces with this label get the controller's pod readiness gates: a new pod is Ready only once its ALB target is
 * healthy, so a rolling update never drains old pods before the new ones receive traffic.
 */
export const POD_READINESS_GATE_LABEL: Readonly<Record<string, string>> = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" };

export interface AddonContext {
  readonly componentName: string;
  readonly region: string;
  readonly cluster: aws.eks.Cluster;
  readonly vpcId: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly issuerUrl: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** Add-on pods need nodes to run on before they turn ready. */
  readonly nodeGroups: pulumi.Resource[];
  readonly tags: CostTags;
  readonly parent: pulumi.Resource;
}

/**
 * The VPC CNI's settings: its network policy agent enforces NetworkPolicies (without it EKS accepts them and enforces
 * nothing; the estate's node pools, indexers, APIs and sandboxes all rely on them).
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/**
 * The VPC CNI as a managed add-on (EKS otherwise installs it unmanaged, with network policy off). Created before the
 * node groups, so nodes join with policy enforcement on; its version is left to EKS, as for the other add-ons.
 */
export function vpcCniAddon(ctx: Pick<AddonContext, "componentName" | "region" | "cluster" | "tags" | "parent">): aws.eks.Addon {
  return new aws.eks.Addon(
    `${ctx.componentName}-vpc-cni`,
    {
      region: ctx.region,
      clusterName: ctx.cluster.name,
      addonName: "vpc-cni",
      // Takes over the unmanaged DaemonSet EKS installed with the cluster.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      tags: awsTags(ctx.tags),
    },
    { parent: ctx.parent },
  );
}

/**
 * metrics-server as an EKS community add-on. Its version is left to EKS (the default version for the cluster's
 * Kubernetes version), as with the EBS CSI driver: no version could be confirmed per Kubernetes minor from a source.
 */
export function metricsServerAddon(ctx: AddonContext): aws.eks.Addon {
  return new aws.eks.Addon(
    `${ctx.componentName}-metrics-server`,
    {
      region: ctx.region,
      clusterName: ctx.cluster.name,
      addonName: "metrics-server",
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: awsTags(ctx.tags),
    },
    { parent: ctx.parent, dependsOn: ctx.nodeGroups },
  );
}

/** The chart's values: everything the controller needs to know, and how its pods run. */
export function loadBalancerControllerValues(
  clusterName: pulumi.Input<string>,
  region: string,
  vpcId: pulumi.Input<string>,
  roleArn: pulumi.Input<string>,
  tags: CostTags,
): Record<string, unknown> {
  const selector = { "app.kubernetes.io/name": LB_CONTROLLER_CHART, "app.kubernetes.io/instance": LB_CONTROLLER_SERVICE_ACCOUNT.name };
  return {
    clusterName,
    region,
    // Given, so the controller needs no instance metadata to find its VPC.
    vpcId,
    replicaCount: 2,
    serviceAccount: { create: true, name: LB_CONTROLLER_SERVICE_ACCOUNT.name, annotations: { "eks.amazonaws.com/role-arn": roleArn } },
    // Every ALB/NLB (and its target groups, listeners, security groups) the controller creates carries the cluster's
    // cost tags at least; with the feature gate, an Ingress's own `alb.ingress.kubernetes.io/tags` (ApiService puts the
    // service's cost tags there) take precedence over them, as by default the defaults would win.
    defaultTags: awsTags(tags),
    controllerConfig: { featureGates: { EnableDefaultTagsLowPriority: "true" } },
    // Services of type LoadBalancer stay with EKS's built-in cloud provider unless they ask for this controller
    // (`loadBalancerClass: service.k8s.aws/nlb`): the chart's default mutating webhook would move every new one to an
    // internal NLB (changing what the estate's P2P services get) and, with failurePolicy Fail, refuse any Service while
    // the controller is down.
    enableServiceMutatorWebhook: false,
    additionalLabels: kubernetesLabels(tags),
    podLabels: kubernetesLabels(tags),
    // The controller caches the cluster's pods, services and endpoints: memory grows with the cluster.
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    podDisruptionBudget: { maxUnavailable: 1 },
    podSecurityContext: { fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
    ],
  };
}

export interface LoadBalancerController {
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.Policy;
  readonly release: k8s.helm.v3.Release;
}

/**
 * The AWS Load Balancer Controller: an IRSA role with upstream's IAM policy, and the eks-charts chart in kube-system.
 * A v3 Release is one resource: Helm runs in the Kubernetes provider at deploy time (the offline plan downloads nothing).
 */
export function loadBalancerController(ctx: AddonContext, clusterName: string): LoadBalancerController {
  const prefix = `${ctx.componentName}-lb-controller`;
  const policy = new aws.iam.Policy(
    `${prefix}-policy`,
    {
      description: `AWS Load Balancer Controller of EKS cluster ${clusterName} (upstream iam_policy.json)`,
      policy: JSON.stringify(AWS_LOAD_BALANCER_CONTROLLER_POLICY),
      tags: awsTags(ctx.tags),
    },
    { parent: ctx.parent },
  );
  const { namespace, name: serviceAccount } = LB_CONTROLLER_SERVICE_ACCOUNT;
  const role = roleWithPolicies(
    `${prefix}-role`,
    pulumi.all([ctx.oidcProviderArn, ctx.issuerUrl]).apply(([arn, url]) => irsaTrustPolicy(arn, url, namespace, serviceAccount)),
    { "lb-controller": policy.arn },
    ctx.tags,
    ctx.parent,
  );
  const release = new k8s.helm.v3.Release(
    prefix,
    {
      name: LB_CONTROLLER_SERVICE_ACCOUNT.name,
      namespace,
      chart: LB_CONTROLLER_CHART,
      version: AWS_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
      repositoryOpts: { repo: EKS_CHARTS_REPOSITORY },
      description: `AWS Load Balancer Controller ${AWS_LOAD_BALANCER_CONTROLLER_VERSION}`,
      values: loadBalancerControllerValues(ctx.cluster.name, ctx.region, ctx.vpcId, role.role.arn, ctx.tags),
      // Waits for the controller to be ready; a failed install or upgrade rolls back rather than leave it half done.
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
    },
    { parent: ctx.parent, provider: ctx.provider, dependsOn: [...ctx.nodeGroups, ...role.attachments] },
  );
  return { role: role.role, policy, release };
}
