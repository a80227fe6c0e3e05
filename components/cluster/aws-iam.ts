/** IAM roles for EKS: trust documents and a role with AWS-managed policies attached. */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CostTags, awsTags } from "../tagging";
import { nameWithin } from "./physical-name";

/** IAM role names: at most 64 characters (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). */
export const IAM_ROLE_NAME_MAX_LENGTH = 64;

export const managedPolicyArn = (policy: string): string => `arn:aws:iam::aws:policy/${policy}`;

export function serviceTrustPolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** IRSA: only `system:serviceaccount:<namespace>:<name>` tokens issued by the cluster's OIDC provider may assume the role. */
export function irsaTrustPolicy(oidcProviderArn: string, issuerUrl: string, namespace: string, serviceAccount: string): string {
  const issuer = issuerUrl.replace(/^https:\/\//, "");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  });
}

export interface RoleWithPolicies {
  readonly role: aws.iam.Role;
  readonly attachments: aws.iam.RolePolicyAttachment[];
}

/** Role `name` (its physical name hashed short where the autoname would be too long) plus one attachment `${name}-<key>` per entry of `policyArns`. */
export function roleWithPolicies(
  name: string,
  assumeRolePolicy: pulumi.Input<string>,
  policyArns: Readonly<Record<string, pulumi.Input<string>>>,
  tags: CostTags,
  parent: pulumi.Resource,
): RoleWithPolicies {
  const physical = nameWithin(name, `${pulumi.getProject()}/${pulumi.getStack()}`, IAM_ROLE_NAME_MAX_LENGTH);
  const role = new aws.iam.Role(name, { name: physical, assumeRolePolicy, tags: awsTags(tags) }, { parent });
  const attachments = Object.entries(policyArns).map(
    ([key, policyArn]) => new aws.iam.RolePolicyAttachment(`${name}-${key}`, { role: role.name, policyArn }, { parent }),
  );
  return { role, attachments };
}
