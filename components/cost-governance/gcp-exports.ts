/**
 * The BigQuery dataset the Cloud Billing export writes to. The export itself has no API: a billing account
 * administrator turns it on in the Cloud Billing console (Billing > Billing export > BigQuery export: "Standard
 * usage cost" and "Detailed usage cost", project = the stack's, dataset = this one). Rows carry the resources'
 * labels, so cost reads per `budget-line`.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tagging";

export interface GcpExportsArgs {
  project: string;
  billingAccount: string;
  location: string;
  tags: CostTags;
  /** Letters, digits and underscores; unique in the project. */
  datasetId: string;
  /** prod: `protect`ed, kept on delete and `deletionPolicy: PREVENT`: billing history is never lost by accident. */
  protect: boolean;
}

export function gcpBillingDataset(name: string, args: GcpExportsArgs, parent: pulumi.Resource): gcp.bigquery.Dataset {
  return new gcp.bigquery.Dataset(
    `${name}-billing-export`,
    {
      project: args.project,
      datasetId: args.datasetId,
      friendlyName: "Cloud Billing export",
      description:
        `Cloud Billing export of billing account ${args.billingAccount}. Turn it on in the Cloud Billing console ` +
        "(Billing export > BigQuery export, standard and detailed usage cost): there is no API for it.",
      location: args.location,
      // No default table expiration: billing rows must outlive any table default.
      deleteContentsOnDestroy: false,
      deletionPolicy: args.protect ? "PREVENT" : "DELETE",
      labels: gcpLabels(args.tags),
    },
    { parent, protect: args.protect, retainOnDelete: args.protect },
  );
}
