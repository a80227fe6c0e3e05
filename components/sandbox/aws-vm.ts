/**
 * A sandbox's EC2 VM: private subnet, no public address, no key pair (shell through SSM Session Manager), IMDSv2,
 * encrypted gp3 root volume; EventBridge Scheduler stops it after working hours and starts it on weekday mornings.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, roleWithPolicies, serviceTrustPolicy } from "../cluster/aws-iam";
import { al2023ImageId, awsInstanceArchitecture } from "../ethereum-node/aws-machine";
import { CostTags, awsTags } from "../tagging";
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
  const instance = new aws.ec2.Instance(
    `${name}-vm`,
    {
      region,
      ami: al2023ImageId(awsInstanceArchitecture(args.instanceType)),
      instanceType: args.instanceType,
      subnetId: args.privateSubnetId,
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [securityGroup.id],
      iamInstanceProfile: profile.name,
      metadataOptions: METADATA_OPTIONS,
      rootBlockDevice: { volumeSize: args.diskGiB, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
      tags: { ...tags, Name: name },
      volumeTags: tags,
    },
    { parent },
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
