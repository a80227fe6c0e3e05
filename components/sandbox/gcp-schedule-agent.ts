/**
 * Instance schedule policies start and stop VMs as the project's Compute Engine service agent, which needs
 * compute.instances.start/stop. One grant per project, shared by every scheduled sandbox VM (a grant per sandbox
 * would be revoked for all when one sandbox is removed).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CostTags } from "../tagging";

export interface GcpScheduleAgentArgs {
  project: string;
  /** Tags of the sandboxes' shared budget line; the grant itself takes none. */
  tags: CostTags;
}

export class GcpScheduleAgent extends pulumi.ComponentResource {
  constructor(name: string, args: GcpScheduleAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("estate:sandbox:GcpScheduleAgent", name, {}, opts);
    const project = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this });
    new gcp.projects.IAMMember(
      `${name}-instance-admin`,
      {
        project: args.project,
        role: "roles/compute.instanceAdmin.v1",
        member: pulumi.interpolate`serviceAccount:service-${project.number}@compute-system.iam.gserviceaccount.com`,
      },
      { parent: this },
    );
    this.registerOutputs({ costTags: args.tags });
  }
}
