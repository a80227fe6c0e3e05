/** One EKS managed node group and the launch template that carries IMDSv2, the encrypted root volume and the cost tags. */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CostTags, awsLaunchTemplateTagSpecifications, awsTags } from "../tagging";
import { al2023AmiType, sharedArchitecture } from "./architecture";
import { nameWithin } from "./physical-name";
import type { EksNodeGroupArgs } from "./eks";

export interface NodeGroupContext {
  readonly componentName: string;
  readonly region: string;
  readonly cluster: aws.eks.Cluster;
  readonly nodeRoleArn: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly tags: CostTags;
  /** What nodes need to join: the node role's policy attachments (nor can they leave cleanly once those are gone), the CNI add-on. */
  readonly dependsOn: pulumi.Resource[];
  /**
   * Cluster Autoscaler's discovery tags when it scales the group. EKS puts them on the group's Auto Scaling group
   * itself; the node group states them too, and its desiredSize is the autoscaler's from creation on.
   */
  readonly autoscaled?: Readonly<Record<string, string>>;
  readonly parent: pulumi.Resource;
}

/** EKS names node groups in at most 63 characters. */
const NODE_GROUP_NAME_MAX_LENGTH = 63;
/** AL2023 EKS AMIs boot from this device. */
const ROOT_DEVICE = "/dev/xvda";

export function eksNodeGroup(group: EksNodeGroupArgs, ctx: NodeGroupContext): { launchTemplate: aws.ec2.LaunchTemplate; nodeGroup: aws.eks.NodeGroup } {
  const prefix = `${ctx.componentName}-${group.name}`;
  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${prefix}-launch-template`,
    {
      region: ctx.region,
      description: `EKS node group ${group.name} of ${ctx.componentName}`,
      updateDefaultVersion: true,
      // Hop limit 2 lets pods on the node's network reach IMDSv2 (the AWS SDK's fallback); tokens are required.
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
      blockDeviceMappings: [
        {
          deviceName: ROOT_DEVICE,
          ebs: { volumeSize: group.diskGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: awsLaunchTemplateTagSpecifications(ctx.tags),
      tags: awsTags(ctx.tags),
    },
    { parent: ctx.parent },
  );
  const capacityType = group.capacityType === "spot" ? "SPOT" : "ON_DEMAND";
  const amiType = al2023AmiType(sharedArchitecture(group.instanceTypes));
  // What replaces a node group is in the hash: the replacement gets a name of its own and starts before the old one goes.
  const replacedBy = [pulumi.getProject(), pulumi.getStack(), capacityType, amiType, ...group.instanceTypes].join("/");
  const nodeGroup = new aws.eks.NodeGroup(
    `${prefix}-node-group`,
    {
      region: ctx.region,
      nodeGroupName: nameWithin(`${prefix}-node-group`, replacedBy, NODE_GROUP_NAME_MAX_LENGTH),
      clusterName: ctx.cluster.name,
      version: ctx.cluster.version,
      nodeRoleArn: ctx.nodeRoleArn,
      subnetIds: ctx.subnetIds,
      instanceTypes: group.instanceTypes,
      capacityType,
      amiType,
      scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      labels: { "estate/node-group": group.name },
      tags: { ...awsTags(ctx.tags), ...ctx.autoscaled },
    },
    { parent: ctx.parent, dependsOn: ctx.dependsOn, ...(ctx.autoscaled ? { ignoreChanges: ["scalingConfig.desiredSize"] } : {}) },
  );
  return { launchTemplate, nodeGroup };
}
