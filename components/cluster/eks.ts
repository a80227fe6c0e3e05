/** An EKS cluster from @pulumi/aws primitives: encrypted secrets, private endpoint, IRSA, tagged managed node groups. */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { CostTags, awsTags, kubernetesLabels } from "../tagging";
import { irsaTrustPolicy, managedPolicyArn, roleWithPolicies, serviceTrustPolicy } from "./aws-iam";
import { AddonContext, POD_READINESS_GATE_LABEL, loadBalancerController, metricsServerAddon, vpcCniAddon } from "./eks-addons";
import { autoDiscoveryTags, clusterAutoscaler } from "./cluster-autoscaler";
import { eksNodeGroup } from "./eks-node-group";
import { eksArgProblems } from "./eks-validate";
import { eksKubeconfig } from "./kubeconfig";
import { WorkloadNamespace, createNamespaces } from "./namespaces";
import { physicalName } from "./physical-name";
import { throwIfAny } from "./validation";

export interface EksNodeGroupArgs {
  name: string;
  /** All of one architecture: the group's AL2023 AMI type follows from them. */
  instanceTypes: string[];
  capacityType: "on-demand" | "spot";
  minSize: number;
  desiredSize: number;
  maxSize: number;
  diskGiB: number;
}

export interface EksClusterArgs {
  region: string;
  /** Kubernetes minor version, e.g. "1.35". */
  version: string;
  /** The VPC of `subnetIds`; EKS derives it from the subnets. */
  vpcId: pulumi.Input<string>;
  /** Private subnets, in at least two availability zones. */
  subnetIds: pulumi.Input<string>[];
  /** CIDRs allowed to reach the public API endpoint; empty = private endpoint only. */
  publicAccessCidrs: string[];
  nodeGroups: EksNodeGroupArgs[];
  namespaces: WorkloadNamespace[];
  tags: CostTags;
  /** The cluster cannot be deleted, and its secrets key is protected: without the key every secret is lost. */
  deletionProtection: boolean;
  /** What workloads rely on that EKS does not install; each defaults to true. */
  addons?: {
    /** metrics-server (EKS community add-on): HorizontalPodAutoscalers need it to scale. */
    metricsServer?: boolean;
    /**
     * AWS Load Balancer Controller (eks-charts Helm chart, IRSA): gives Ingresses of class `alb` their ALBs, tagged with
     * the cluster's cost tags unless the Ingress sets its own; namespaces get its pod readiness gates.
     */
    loadBalancerController?: boolean;
    /**
     * Cluster Autoscaler (kubernetes/autoscaler Helm chart, IRSA): scales each node group between its minSize and
     * maxSize as pods wait for room or nodes sit idle; Pulumi then leaves desiredSize to it.
     */
    clusterAutoscaler?: boolean;
  };
}

const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"];
const CONTROL_PLANE_LOG_RETENTION_DAYS = 90;
const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" };

export class EksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly namespaces: Record<string, k8s.core.v1.Namespace>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("EksCluster", name, eksArgProblems(args));
    super("estate:cluster:EksCluster", name, {}, opts);
    const { region } = args;
    const tags = awsTags(args.tags);
    // Fixed up front so the control-plane log group can exist (tagged, with retention) before EKS would create it.
    const clusterName = physicalName(name, `${pulumi.getProject()}/${pulumi.getStack()}`, 40);

    const secretsKey = new aws.kms.Key(
      `${name}-secrets-key`,
      {
        region,
        description: `Envelope encryption of Kubernetes secrets in EKS cluster ${clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      { parent: this, protect: args.deletionProtection },
    );
    new aws.kms.Alias(`${name}-secrets-key-alias`, { region, name: `alias/${clusterName}-secrets`, targetKeyId: secretsKey.arn }, { parent: this });

    const clusterRole = roleWithPolicies(
      `${name}-cluster-role`,
      serviceTrustPolicy("eks.amazonaws.com"),
      { "eks-cluster-policy": managedPolicyArn("AmazonEKSClusterPolicy") },
      args.tags,
      this,
    );
    const keyAccess = new aws.iam.RolePolicy(
      `${name}-cluster-role-secrets-key`,
      {
        role: clusterRole.role.name,
        policy: secretsKey.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: arn }],
          }),
        ),
      },
      { parent: this },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      { region, name: `/aws/eks/${clusterName}/cluster`, retentionInDays: CONTROL_PLANE_LOG_RETENTION_DAYS, tags },
      { parent: this },
    );

    const publicAccess = args.publicAccessCidrs.length > 0;
    const cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        region,
        name: clusterName,
        version: args.version,
        roleArn: clusterRole.role.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicAccess,
          publicAccessCidrs: publicAccess ? args.publicAccessCidrs : undefined,
        },
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
        enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
        accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true },
        // Extended support costs six times the standard control-plane fee; standard upgrades the cluster instead.
        upgradePolicy: { supportType: "STANDARD" },
        deletionProtection: args.deletionProtection,
        tags,
      },
      { parent: this, dependsOn: [...clusterRole.attachments, keyAccess, logGroup] },
    );
    const issuerUrl = cluster.identities.apply((ids) => ids[0].oidcs[0].issuer);

    const oidc = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: issuerUrl, clientIdLists: ["sts.amazonaws.com"], tags },
      { parent: this },
    );

    const nodeRole = roleWithPolicies(
      `${name}-node-role`,
      serviceTrustPolicy("ec2.amazonaws.com"),
      {
        "worker-node-policy": managedPolicyArn("AmazonEKSWorkerNodePolicy"),
        "cni-policy": managedPolicyArn("AmazonEKS_CNI_Policy"),
        "ecr-read-only": managedPolicyArn("AmazonEC2ContainerRegistryReadOnly"),
        "ssm-managed-instance": managedPolicyArn("AmazonSSMManagedInstanceCore"),
      },
      args.tags,
      this,
    );
    const autoscaled = args.addons?.clusterAutoscaler ?? true;
    const vpcCni = vpcCniAddon({ componentName: name, region, cluster, tags: args.tags, parent: this });
    const nodeGroups = args.nodeGroups.map(
      (group) =>
        eksNodeGroup(group, {
          componentName: name,
          region,
          cluster,
          nodeRoleArn: nodeRole.role.arn,
          subnetIds: args.subnetIds,
          tags: args.tags,
          dependsOn: [...nodeRole.attachments, vpcCni],
          autoscaled: autoscaled ? autoDiscoveryTags(clusterName) : undefined,
          parent: this,
        }).nodeGroup,
    );

    const ebsCsiRole = roleWithPolicies(
      `${name}-ebs-csi-role`,
      pulumi
        .all([oidc.arn, issuerUrl])
        .apply(([arn, url]) => irsaTrustPolicy(arn, url, EBS_CSI_SERVICE_ACCOUNT.namespace, EBS_CSI_SERVICE_ACCOUNT.name)),
      { "ebs-csi-driver-policy": managedPolicyArn("service-role/AmazonEBSCSIDriverPolicy") },
      args.tags,
      this,
    );
    new aws.eks.Addon(
      `${name}-ebs-csi-driver`,
      {
        region,
        clusterName: cluster.name,
        addonName: "aws-ebs-csi-driver",
        serviceAccountRoleArn: ebsCsiRole.role.arn,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        // Volumes the driver provisions for PersistentVolumeClaims carry the cost tags too.
        configurationValues: JSON.stringify({ controller: { extraVolumeTags: tags } }),
        tags,
      },
      // The controller needs nodes to run on before the add-on turns ACTIVE.
      { parent: this, dependsOn: [...nodeGroups, ...ebsCsiRole.attachments] },
    );
    // VolumeSnapshots (the chain-data pools' daily snapshots) need the snapshot controller and its CRDs: EKS ships
    // neither. Its version is left to EKS, as with the other add-ons.
    new aws.eks.Addon(
      `${name}-snapshot-controller`,
      {
        region,
        clusterName: cluster.name,
        addonName: "snapshot-controller",
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags,
      },
      { parent: this, dependsOn: nodeGroups },
    );

    this.clusterName = cluster.name;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
        .apply(([clusterId, server, ca]) => eksKubeconfig({ name: clusterId, server, certificateAuthorityData: ca.data ?? "" }, clusterId, region)),
    );
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });

    const addonContext: AddonContext = {
      componentName: name,
      region,
      cluster,
      vpcId: args.vpcId,
      oidcProviderArn: oidc.arn,
      issuerUrl,
      provider: this.provider,
      nodeGroups,
      tags: args.tags,
      parent: this,
    };
    if (args.addons?.metricsServer ?? true) metricsServerAddon(addonContext);
    const lbController = (args.addons?.loadBalancerController ?? true) ? loadBalancerController(addonContext, clusterName) : undefined;
    if (autoscaled) clusterAutoscaler(addonContext, clusterName, args.version);

    new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      {
        metadata: {
          name: "gp3",
          labels: kubernetesLabels(args.tags),
          annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        // Deleting a claim must not delete chain data: released volumes stay (tagged) until someone removes them.
        reclaimPolicy: "Retain",
      },
      { parent: this, provider: this.provider },
    );
    // With the controller, namespaces wait for it: its webhooks refuse Ingresses while it is not running, and on delete
    // it must outlive the Ingresses to remove their ALBs.
    this.namespaces = createNamespaces(
      name,
      args.namespaces,
      this,
      this.provider,
      lbController ? { extraLabels: POD_READINESS_GATE_LABEL, dependsOn: [lbController.release] } : {},
    );

    this.oidcProviderArn = oidc.arn;
    this.oidcIssuerUrl = issuerUrl;
    this.nodeRoleArn = nodeRole.role.arn;
    this.registerOutputs({
      // Untaggable children (policy attachments, aliases, IAM bindings) are attributed to these in the offline plan.
      costTags: args.tags,
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      nodeRoleArn: this.nodeRoleArn,
    });
  }
}
