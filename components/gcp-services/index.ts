/**
 * GcpServices: enables, in one project, the Google APIs the estate's GCP resources need (gcp.projects.Service), and
 * makes each resource depend on its API, so a fresh project deploys in one `up`. An API is enabled the first time a
 * resource needing it is declared: the estate enables what it builds, nothing more. Never disabled on destroy: other
 * workloads of the project may use them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { CostTags } from "../tagging";
import { GCP_SERVICE_TYPE, gcpApiOf, isUncataloguedGcpType } from "./catalog";

export { GCP_API_BY_KIND, GCP_SERVICE_TYPE, gcpApiOf } from "./catalog";

export interface GcpServicesArgs {
  readonly project: string;
  /** The budget line the (free) API enablements are attributed to. */
  readonly tags: CostTags;
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export class GcpServices extends pulumi.ComponentResource {
  private readonly services = new Map<string, gcp.projects.Service>();
  private readonly project: string;

  constructor(
    private readonly componentName: string,
    args: GcpServicesArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("estate:gcp-services:GcpServices", componentName, {}, opts);
    if (!PROJECT_ID.test(args.project)) throw new Error(`GcpServices "${componentName}": project: "${args.project}" is not a GCP project id`);
    this.project = args.project;
    this.registerOutputs({ costTags: args.tags });
  }

  /** The Service enabling `api` (e.g. "compute.googleapis.com"), declared on first use. */
  enable(api: string): gcp.projects.Service {
    let service = this.services.get(api);
    if (!service) {
      service = new gcp.projects.Service(
        `${this.componentName}-${api.split(".")[0]}`,
        { project: this.project, service: api, disableOnDestroy: false, disableDependentServices: false },
        { parent: this },
      );
      this.services.set(api, service);
    }
    return service;
  }

  /** The APIs enabled so far. */
  get apis(): string[] {
    return [...this.services.keys()];
  }

  /**
   * A stack transformation: every GCP resource declared after it is registered depends on the Service of its API. A
   * GCP type the catalog does not know fails at declaration, naming it, rather than in a fresh project at deploy.
   */
  readonly transformation: pulumi.ResourceTransformation = ({ type, props, opts }) => {
    if (isUncataloguedGcpType(type)) throw new Error(`GcpServices "${this.componentName}": ${type} needs an API components/gcp-services/catalog.ts does not list`);
    const api = type === GCP_SERVICE_TYPE ? undefined : gcpApiOf(type);
    if (!api) return undefined;
    return { props, opts: pulumi.mergeOptions(opts, { dependsOn: [this.enable(api)] }) };
  };
}
