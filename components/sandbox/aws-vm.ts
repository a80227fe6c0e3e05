/**
 * A sandbox's EC2 VM: private subnet, no public address, no key pair (shell through SSM Session Manager), IMDSv2,
 * encrypted gp3 root volume; EventBridge Scheduler stops it after working hours and starts it on weekday mornings.
 * It launches from a launch template, as the node pools do: EC2 resolves the `resolve:ssm:` image there at launch,
 * which an instance's own `ami` with a root block device cannot take (the provider would look the string up as an
 * image and, the resolved id never reading back as that string, replace the VM on every update).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, roleWithPolicies, serviceTrustPolicy } from "../cluster/aws-iam";
import { al2023ImageId, awsInstanceArchitecture } from "../ethereum-node/aws-machine";
import { CostTags, awsLaunchTemplateTagSpecifications, awsTags } from "../tagging";
import { WORKING_HOURS, awsCron } from "./schedule";

export interface AwsSandboxVmArgs {
  region: string;
  vpcId: pulumi.Input<string>;
  privateSubnetId: pulumi.Input<string>;
  instanceType: string;
  diskGiB: number;
  tags: CostTags;
}

export interface AwsSandboxVm {
  readonly instance: aws.ec2.Instance;
  readonly schedules: aws.scheduler.Schedule[];
}

const METADATA_OPTIONS = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 };
/** Amazon Linux 2023 boots from this device. */
const ROOT_DEVICE = "/dev/xvda";

export function awsSandboxVm(name: string, args: AwsSandboxVmArgs, parent: pulumi.Resource): AwsSandboxVm {
  const { region } = args;
  const tags = awsTags(args.tags);
  const role = roleWithPolicies(`${name}-vm-role`, serviceTrustPolicy("ec2.amazonaws.com"), { ssm: managedPolicyArn("AmazonSSMManagedInstanceCore") }, args.tags, parent);
  const profile = new aws.iam.InstanceProfile(`${name}-vm-profile`, { role: role.role.name, tags }, { parent, dependsOn: role.attachments });
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-vm-sg`,
    {
      region,
      vpcId: args.vpcId,
      description: `Sandbox VM ${name}: no inbound; outbound for SSM and package installs`,
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "all outbound (through the NAT gateway)" }],
      tags,
    },
    { parent },
  );
  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${name}-vm-launch-template`,
    {
      region,
      description: `Sandbox VM ${name}`,
      updateDefaultVersion: true,
      imageId: al2023ImageId(awsInstanceArchitecture(args.instanceType)),
      instanceType: args.instanceType,
      metadataOptions: METADATA_OPTIONS,
      blockDeviceMappings: [{ deviceName: ROOT_DEVICE, ebs: { volumeSize: args.diskGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      tagSpecifications: awsLaunchTemplateTagSpecifications(args.tags),
      tags,
    },
    { parent },
  );
  const instance = new aws.ec2.Instance(
    `${name}-vm`,
    {
      region,
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      subnetId: args.privateSubnetId,
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [securityGroup.id],
      iamInstanceProfile: profile.name,
      // Also stated here, where instance policies look, though the launch template already sets it.
      metadataOptions: METADATA_OPTIONS,
      tags: { ...tags, Name: name },
      volumeTags: tags,
    },
    // The root volume is tagged at launch (volumeTags, and the launch template's tag specifications); the provider
    // reads every attached volume's tags back into volumeTags, which is not worth an update.
    { parent, ignoreChanges: ["volumeTags"] },
  );
  const schedulerRole = new aws.iam.Role(`${name}-scheduler-role`, { assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com"), tags }, { parent });
  new aws.iam.RolePolicy(
    `${name}-scheduler-start-stop`,
    {
      role: schedulerRole.name,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["ec2:StartInstances", "ec2:StopInstances"], Resource: instance.arn }],
      }),
    },
    { parent },
  );
  const schedule = (action: "start" | "stop", hour: number): aws.scheduler.Schedule =>
    new aws.scheduler.Schedule(
      `${name}-${action}`,
      {
        region,
        description: `${action === "start" ? "Starts" : "Stops"} sandbox VM ${name} on weekdays`,
        scheduleExpression: awsCron(hour),
        scheduleExpressionTimezone: WORKING_HOURS.timeZone,
        flexibleTimeWindow: { mode: "OFF" },
        target: {
          arn: `arn:aws:scheduler:::aws-sdk:ec2:${action}Instances`,
          roleArn: schedulerRole.arn,
          input: pulumi.jsonStringify({ InstanceIds: [instance.id] }),
        },
      },
      { parent, dependsOn: [instance] },
    );
  return { instance, schedules: [schedule("stop", WORKING_HOURS.stopHour), schedule("start", WORKING_HOURS.startHour)] };
}
