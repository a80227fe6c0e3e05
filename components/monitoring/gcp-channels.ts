/**
 * Where GCP alert policies go: a Cloud Monitoring email channel per recipient and the on-call webhook
 * (`webhook_tokenauth`: the token rides in the URL), whose URL label is a Pulumi secret, in state and in every plan.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { emailSlug } from "../cost-governance/gcp-budgets";
import { CostTags, gcpLabels } from "../tagging";

export interface GcpChannelsArgs {
  readonly project: string;
  readonly stack: string;
  readonly recipients: readonly string[];
  /** Already a secret Output. */
  readonly webhookUrl?: pulumi.Output<string>;
  readonly tags: CostTags;
}

export function gcpNotificationChannels(name: string, args: GcpChannelsArgs, parent: pulumi.Resource): gcp.monitoring.NotificationChannel[] {
  const common = {
    project: args.project,
    description: `Estate alerts of stack ${args.stack} (managed by Pulumi)`,
    // `labels` configure the channel; `userLabels` are its own labels.
    userLabels: gcpLabels(args.tags),
  };
  const channels = args.recipients.map(
    (email) =>
      new gcp.monitoring.NotificationChannel(
        `${name}-email-${emailSlug(email)}`,
        { ...common, type: "email", displayName: `Estate alerts (${args.stack}): ${email}`, labels: { email_address: email } },
        { parent },
      ),
  );
  if (args.webhookUrl) {
    channels.push(
      new gcp.monitoring.NotificationChannel(
        `${name}-on-call`,
        { ...common, type: "webhook_tokenauth", displayName: `Estate alerts (${args.stack}): on-call webhook`, labels: { url: pulumi.secret(args.webhookUrl) } },
        { parent, additionalSecretOutputs: ["labels"] },
      ),
    );
  }
  return channels;
}
