/**
 * Which Google API each kind of GCP resource the estate builds needs enabled in its project. A fresh project has
 * only a few on (Service Usage among them, which enabling the others needs); the first call to any other fails.
 *
 * Keyed by the type token's module (`gcp:<module>/<resource>:<Type>`), or by module and resource where one module
 * spans two APIs. Source: each API's reference (cloud.google.com/<product>/docs/reference), read 2026-12-02.
 */
export const GCP_API_BY_KIND: Readonly<Record<string, string>> = {
  compute: "compute.googleapis.com",
  container: "container.googleapis.com",
  sql: "sqladmin.googleapis.com",
  servicenetworking: "servicenetworking.googleapis.com",
  "billing/budget": "billingbudgets.googleapis.com",
  bigquery: "bigquery.googleapis.com",
  dns: "dns.googleapis.com",
  monitoring: "monitoring.googleapis.com",
  cloudscheduler: "cloudscheduler.googleapis.com",
  pubsub: "pubsub.googleapis.com",
  serviceaccount: "iam.googleapis.com",
  "projects/iAMMember": "cloudresourcemanager.googleapis.com",
};

/** The type that enables the others: it needs only Service Usage, which every project has on. */
export const GCP_SERVICE_TYPE = "gcp:projects/service:Service";

/** The API a GCP resource type needs; undefined for a type that is not a GCP resource, or the Service itself. */
export function gcpApiOf(type: string): string | undefined {
  const match = /^gcp:([^/]+)\/([^:]+):/.exec(type);
  if (!match || type === GCP_SERVICE_TYPE) return undefined;
  const [, module, resource] = match;
  return GCP_API_BY_KIND[`${module}/${resource}`] ?? GCP_API_BY_KIND[module];
}

/** A GCP resource type the catalog has no API for (so the estate cannot enable it). */
export function isUncataloguedGcpType(type: string): boolean {
  return /^gcp:[^/]+\/[^:]+:/.test(type) && type !== GCP_SERVICE_TYPE && gcpApiOf(type) === undefined;
}
