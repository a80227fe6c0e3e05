/** VPC flow logs to CloudWatch Logs: the log group, the role the flow-log service assumes, and the log itself. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, awsTags } from "../tagging";

/** Trusts only the flow-log service acting for this account (confused-deputy guard). */
export function flowLogsTrustPolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/** Writes to one log group and nothing else. */
export function flowLogsWritePolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
    ],
  });
}

export interface VpcFlowLogsArgs {
  vpcId: pulumi.Input<string>;
  retentionDays: number;
  tags: CostTags;
}

export function createVpcFlowLogs(name: string, args: VpcFlowLogsArgs, parent: pulumi.Resource): aws.ec2.FlowLog {
  const tags = awsTags(args.tags);
  const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { retentionInDays: args.retentionDays, tags }, { parent });
  const account = aws.getCallerIdentityOutput({}, { parent });
  const role = new aws.iam.Role(
    `${name}-flow-logs-role`,
    { assumeRolePolicy: account.accountId.apply(flowLogsTrustPolicy), tags },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(`${name}-flow-logs-write`, { role: role.id, policy: logGroup.arn.apply(flowLogsWritePolicy) }, { parent });
  return new aws.ec2.FlowLog(
    `${name}-flow-log`,
    {
      vpcId: args.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags,
    },
    { parent, dependsOn: [policy] },
  );
}
