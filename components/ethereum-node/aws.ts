/**
 * A node pool on EC2: per node an instance (from one launch template) and its own encrypted gp3 chain-data volume;
 * per pool a security group, daily volume snapshots and an internal NLB that serves RPC from synced nodes only.
 * Instances are disposable: the chain lives on the volume, which a replacement instance mounts again.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, roleWithPolicies, serviceTrustPolicy } from "../cluster/aws-iam";
import { physicalName } from "../cluster/physical-name";
import { throwIfAny } from "../cluster/validation";
import { awsLaunchTemplateTagSpecifications, awsTags } from "../tagging";
import { al2023ImageId, awsInstanceArchitecture } from "./aws-machine";
import { registerNode, rpcPool } from "./aws-rpc-lb";
import { nodeSecurityGroup } from "./aws-security-group";
import { SNAPSHOT_TAG_KEY, dataVolumeSnapshots } from "./aws-snapshots";
import { awsPlacementProblems } from "./aws-validate";
import { CLOUDWATCH_NAMESPACE } from "../monitoring/targets";
import { cloudWatchAgentVmConfig, renderCloudInit } from "./cloud-init";
import { NodePoolEndpoints, NodePoolPlan } from "./plan";
import { AWS_DATA_DEVICE } from "./vm-layout";
import { USER_DATA_LIMIT_BYTES, encodeUserData, userDataBytes } from "./user-data";
import { servedPorts } from "./vm-ports";
import { vmPlanProblems } from "./vm-validate";

export interface AwsPlacement {
  kind: "aws";
  region: string;
  vpcId: pulumi.Input<string>;
  /** RPC, WebSocket, beacon API, metrics and health are reachable from this CIDR only. */
  vpcCidr: string;
  /** Nodes sit here with public addresses for inbound P2P; only P2P ports are open to the internet. */
  publicSubnetIds: pulumi.Input<string>[];
  /** The internal RPC load balancer lives here. */
  privateSubnetIds: pulumi.Input<string>[];
  /** Already right-sized (Graviton when plan.size.arch is arm64). */
  instanceType: string;
}

/** Amazon Linux 2023 boots from this device; the OS, Docker images and journal fit in a small root volume. */
const ROOT_DEVICE = "/dev/xvda";
const ROOT_VOLUME_GIB = 30;
/** IMDSv2 only. The clients share the host's network namespace, so one hop is enough. */
const METADATA_OPTIONS = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" };

export function buildAwsNodePool(parent: pulumi.ComponentResource, name: string, plan: NodePoolPlan, placement: AwsPlacement): NodePoolEndpoints {
  throwIfAny("EthereumNode", name, [...vmPlanProblems(plan), ...awsPlacementProblems(plan, placement)]);
  const scope = `${pulumi.getProject()}/${pulumi.getStack()}`;
  // The CloudWatch agent on each node reads its configuration from this parameter (the name is one its managed
  // policy may read) and sends the health sidecar's metrics to the log group as EMF events.
  const agentParameter = `AmazonCloudWatch-${physicalName(name, scope, 60)}`;
  const metricsLogGroup = `/estate/${physicalName(name, scope, 60)}/prometheus`;
  const userData = encodeUserData(renderCloudInit("aws", plan, { kind: "cloudwatch-agent", configParameter: agentParameter }));
  const bytes = userDataBytes(userData);
  if (bytes > USER_DATA_LIMIT_BYTES) {
    throw new Error(`EthereumNode "${name}": plan.containers: the node's user data is ${bytes} bytes compressed, over EC2's ${USER_DATA_LIMIT_BYTES}`);
  }
  const { region } = placement;
  const tags = awsTags(plan.tags);
  const snapshotTarget = { key: SNAPSHOT_TAG_KEY, value: physicalName(name, scope, 63) };

  const role = roleWithPolicies(
    `${name}-node-role`,
    serviceTrustPolicy("ec2.amazonaws.com"),
    {
      // Shell access through SSM Session Manager: no key pair, no SSH.
      "ssm-managed-instance": managedPolicyArn("AmazonSSMManagedInstanceCore"),
      // The CloudWatch agent: EMF log events, from which CloudWatch extracts the pool's metrics.
      "cloudwatch-agent": managedPolicyArn("CloudWatchAgentServerPolicy"),
    },
    plan.tags,
    parent,
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-metrics-logs`,
    // The metrics are extracted at ingestion; the raw events are kept a week for debugging.
    { region, name: metricsLogGroup, retentionInDays: 7, tags },
    { parent },
  );
  const agentConfig = new aws.ssm.Parameter(
    `${name}-cloudwatch-agent`,
    {
      region,
      name: agentParameter,
      description: `CloudWatch agent configuration of the Ethereum nodes of ${name}: their health metrics into ${CLOUDWATCH_NAMESPACE}`,
      type: "String",
      tier: "Standard",
      // Not a secret: shown in previews, so a configuration change is reviewable.
      insecureValue: cloudWatchAgentVmConfig(region, metricsLogGroup),
      tags,
    },
    { parent },
  );
  const profile = new aws.iam.InstanceProfile(`${name}-instance-profile`, { role: role.role.name, tags }, { parent, dependsOn: role.attachments });
  const securityGroup = nodeSecurityGroup({ name, region, vpcId: placement.vpcId, vpcCidr: placement.vpcCidr, plan, parent });

  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${name}-launch-template`,
    {
      region,
      description: `Ethereum ${plan.chain} ${plan.mode} nodes of ${name}`,
      updateDefaultVersion: true,
      imageId: al2023ImageId(awsInstanceArchitecture(placement.instanceType)),
      instanceType: placement.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: METADATA_OPTIONS,
      blockDeviceMappings: [
        { deviceName: ROOT_DEVICE, ebs: { volumeSize: ROOT_VOLUME_GIB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ],
      userData,
      tagSpecifications: awsLaunchTemplateTagSpecifications(plan.tags),
      tags,
    },
    { parent },
  );

  const pool = rpcPool({ name, region, vpcId: placement.vpcId, subnetIds: placement.privateSubnetIds, served: servedPorts(plan), tags: plan.tags, parent });
  const subnets = placement.publicSubnetIds;
  const zones = subnets.slice(0, plan.count).map((id) => aws.ec2.getSubnetOutput({ id, region }, { parent }).availabilityZone);

  let previous: pulumi.Resource | undefined;
  const instanceIds: pulumi.Output<string>[] = [];
  for (let i = 0; i < plan.count; i++) {
    const volume = new aws.ebs.Volume(
      `${name}-data-${i}`,
      {
        region,
        availabilityZone: zones[i % subnets.length],
        type: "gp3",
        size: plan.size.diskGiB,
        iops: plan.size.iops,
        throughput: plan.size.throughputMBps,
        encrypted: true,
        tags: { ...tags, Name: `${name}-data-${i}`, [snapshotTarget.key]: snapshotTarget.value },
      },
      { parent, ...(plan.protectData ? { protect: true, retainOnDelete: true } : {}) },
    );
    const instance = new aws.ec2.Instance(
      `${name}-node-${i}`,
      {
        region,
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        subnetId: subnets[i % subnets.length],
        associatePublicIpAddress: true,
        vpcSecurityGroupIds: [securityGroup.id],
        // Also stated here, where instance policies look, though the launch template already sets it.
        metadataOptions: METADATA_OPTIONS,
        // Never termination-protected, prod included: a launch template change replaces the instance, and the provider
        // refuses to destroy a protected one, leaving the update pending. What must survive is the data volume
        // (protected and retained in prod; attached, so EC2 never deletes it with the instance).
        disableApiTermination: false,
        maintenanceOptions: { autoRecovery: "default" },
        tags: { ...tags, Name: `${name}-node-${i}` },
        volumeTags: tags,
      },
      {
        parent,
        // The provider reads every attached volume's tags into volumeTags; re-applying them would strip the data
        // volume's snapshot tag. Root volumes get their tags from the launch template.
        ignoreChanges: ["volumeTags"],
        // Replaced create-before-delete: the old node serves until its volume is handed over (the attachment below),
        // and is destroyed at the end of the update. One node at a time: a new launch template version replaces the
        // nodes in turn, never the whole pool at once.
        // The agent's configuration and log group exist before a node boots (else the agent creates the group, untagged).
        dependsOn: [...(previous ? [previous] : []), logGroup, agentConfig],
      },
    );
    instanceIds.push(instance.id);
    previous = new aws.ec2.VolumeAttachment(
      `${name}-data-attachment-${i}`,
      { region, deviceName: AWS_DATA_DEVICE, instanceId: instance.id, volumeId: volume.id, stopInstanceBeforeDetaching: true },
      // The volume attaches to one instance at a time: let go of the old one (stopped, so the clients flush) first.
      { parent, deleteBeforeReplace: true },
    );
    registerNode({ name, region, parent }, pool, instance, i);
  }

  dataVolumeSnapshots({ name, region, target: snapshotTarget, tags: plan.tags, parent });

  const dns = pool.loadBalancer.dnsName;
  const url = (scheme: string, port: number) => pulumi.interpolate`${scheme}://${dns}:${port}`;
  const [rpc, ws] = servedPorts(plan);
  return {
    rpcUrl: url(rpc.scheme, rpc.port),
    wsUrl: url(ws.scheme, ws.port),
    monitoring: {
      platform: "aws-vm",
      aws: {
        loadBalancerArnSuffix: pool.loadBalancer.arnSuffix,
        // The JSON-RPC target group: its healthy hosts are the synced nodes (the WebSocket group has the same checks).
        targetGroupArnSuffix: pool.targetGroups.find((t) => t.served.part === "rpc")!.group.arnSuffix,
        instanceIds,
      },
    },
  };
}
