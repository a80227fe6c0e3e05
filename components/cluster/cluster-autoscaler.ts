/**
 * Cluster Autoscaler on EKS: without it a node group never leaves its desired size, and pods a
 * HorizontalPodAutoscaler adds stay Pending. It finds the cluster's managed node groups by the tags EKS puts on their
 * Auto Scaling groups (auto-discovery), scales each within the minSize..maxSize the stack config gives, and may change
 * only Auto Scaling groups carrying this cluster's tag (IRSA role, tag-conditioned policy).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { CostTags, awsTags, kubernetesLabels } from "../tagging";
import { irsaTrustPolicy, roleWithPolicies } from "./aws-iam";
import type { AddonContext } from "./eks-addons";

export const CLUSTER_AUTOSCALER_CHART = {
  repository: "https://kubernetes.github.io/autoscaler",
  name: "cluster-autoscaler",
  // The first chart release whose default is Cluster Autoscaler 1.35.0 (kubernetes/autoscaler#9193, #10097).
  version: "9.54.0",
} as const;

/**
 * The autoscaler's image per Kubernetes minor: its minor must match the cluster's (kubernetes/autoscaler's
 * compatibility rule). Add the next one with the next EKS version.
 */
export const CLUSTER_AUTOSCALER_IMAGES: Readonly<Record<string, string>> = {
  "1.35": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0",
};

export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "cluster-autoscaler" } as const;

/** The tags auto-discovery looks for; EKS tags every managed node group's Auto Scaling group with both. */
export function autoDiscoveryTags(clusterName: string): Record<string, string> {
  return { "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned" };
}

/** Its pod's requests: what the offline plan charges it on the nodes. */
export const CLUSTER_AUTOSCALER_RESOURCES = { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } } as const;

/** Read anything it needs to simulate scaling; change only this cluster's node groups (upstream's least-privilege policy). */
export function clusterAutoscalerPolicy(clusterName: string): Record<string, unknown> {
  const owned = Object.fromEntries(Object.entries(autoDiscoveryTags(clusterName)).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: { StringEquals: owned },
      },
    ],
  };
}

/** Why `version` cannot run the autoscaler; [] when it can. */
export function clusterAutoscalerProblems(version: string): string[] {
  return CLUSTER_AUTOSCALER_IMAGES[version]
    ? []
    : [`version: "${version}" has no Cluster Autoscaler image (its minor must match the cluster's); known: ${Object.keys(CLUSTER_AUTOSCALER_IMAGES).join(", ")}`];
}

export function clusterAutoscalerValues(clusterName: string, region: string, version: string, roleArn: pulumi.Input<string>, tags: CostTags): Record<string, unknown> {
  const [repository, tag] = CLUSTER_AUTOSCALER_IMAGES[version].split(/:(?=[^:]+$)/);
  return {
    cloudProvider: "aws",
    awsRegion: region,
    // The two tags EKS puts on the Auto Scaling group of every managed node group (also the chart's default).
    autoDiscovery: { clusterName, tags: Object.keys(autoDiscoveryTags(clusterName)) },
    image: { repository, tag },
    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name, annotations: { "eks.amazonaws.com/role-arn": roleArn } } },
    // One active instance at a time (leader election); a restart resumes where it left off.
    replicaCount: 1,
    resources: CLUSTER_AUTOSCALER_RESOURCES,
    extraArgs: {
      // Spreads scale-ups over node groups of the same shape (one per zone) and picks the one wasting least.
      "balance-similar-node-groups": true,
      expander: "least-waste",
      // kube-system pods (the controllers, CoreDNS) do not pin a node: it can still be removed when they fit elsewhere.
      "skip-nodes-with-system-pods": false,
    },
    additionalLabels: kubernetesLabels(tags),
    podLabels: kubernetesLabels(tags),
    containerSecurityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  };
}

export interface ClusterAutoscaler {
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.Policy;
  readonly release: k8s.helm.v3.Release;
}

/** The IRSA role and policy, and the chart in kube-system, installed as the AWS Load Balancer Controller is. */
export function clusterAutoscaler(ctx: AddonContext, clusterName: string, version: string): ClusterAutoscaler {
  const prefix = `${ctx.componentName}-cluster-autoscaler`;
  const policy = new aws.iam.Policy(
    `${prefix}-policy`,
    {
      description: `Cluster Autoscaler of EKS cluster ${clusterName}: scales only its node groups`,
      policy: JSON.stringify(clusterAutoscalerPolicy(clusterName)),
      tags: awsTags(ctx.tags),
    },
    { parent: ctx.parent },
  );
  const { namespace, name: serviceAccount } = CLUSTER_AUTOSCALER_SERVICE_ACCOUNT;
  const role = roleWithPolicies(
    `${prefix}-role`,
    pulumi.all([ctx.oidcProviderArn, ctx.issuerUrl]).apply(([arn, url]) => irsaTrustPolicy(arn, url, namespace, serviceAccount)),
    { "cluster-autoscaler": policy.arn },
    ctx.tags,
    ctx.parent,
  );
  const release = new k8s.helm.v3.Release(
    prefix,
    {
      name: serviceAccount,
      namespace,
      chart: CLUSTER_AUTOSCALER_CHART.name,
      version: CLUSTER_AUTOSCALER_CHART.version,
      repositoryOpts: { repo: CLUSTER_AUTOSCALER_CHART.repository },
      description: `Cluster Autoscaler for Kubernetes ${version}`,
      values: clusterAutoscalerValues(clusterName, ctx.region, version, role.role.arn, ctx.tags),
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
    },
    { parent: ctx.parent, provider: ctx.provider, dependsOn: [...ctx.nodeGroups, ...role.attachments] },
  );
  return { role: role.role, policy, release };
}
