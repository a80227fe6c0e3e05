/**
 * An R&D / proof-of-concept sandbox for one engineer or experiment: an isolated, quota'd Kubernetes namespace the
 * owner may edit, an optional small VM stopped outside working hours, and a budget per cloud mailing the owner.
 * Every child carries the sandbox's cost tags (budget line rnd-poc, workload `sandbox-<name>`) and `expires-on`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { throwIfAny } from "../cluster/validation";
import { CostTags } from "../tagging";
import { AwsSandboxVm, awsSandboxVm } from "./aws-vm";
import { awsSandboxBudget, gcpSandboxBudget } from "./budgets";
import { GcpSandboxVm, gcpSandboxVm } from "./gcp-vm";
import { SandboxNamespace, sandboxNamespace } from "./kubernetes";
import { SANDBOX_SIZE_CLASSES, SandboxSize } from "./sizes";
import { sandboxProblems } from "./validate";

export * from "./sizes";
export * from "./schedule";
export { RPC_NAMESPACE_WORKLOAD, RPC_PORTS, ownerGroup } from "./kubernetes";
export { SANDBOX_BUDGET_TAG } from "./budgets";
export { EXPIRES_ON_TAG, OWNER_HANDLE, SANDBOX_BUDGET_LINE, SANDBOX_WORKLOAD_PREFIX } from "./validate";
export { GcpScheduleAgent } from "./gcp-schedule-agent";

/** Where the VM runs; its type and disk come from the size class. */
export type SandboxVmPlacement =
  | { kind: "aws"; region: string; vpcId: pulumi.Input<string>; privateSubnetId: pulumi.Input<string> }
  | { kind: "gcp"; project: string; region: string; network: pulumi.Input<string>; subnetwork: pulumi.Input<string> };

export interface SandboxArgs {
  /** The Kubernetes namespace, `sandbox-<name>`. */
  namespace: string;
  /** Lowercase handle; bound as the group `sandbox:<owner>`. */
  owner: string;
  ownerEmail: string;
  purpose: string;
  /** YYYY-MM-DD; also the `expires-on` tag. */
  expiresOn: string;
  monthlyBudgetUsd: number;
  size: SandboxSize;
  /** Cost tags with `expires-on`. */
  tags: CostTags;
  kubernetesProvider: k8s.Provider;
  vm?: SandboxVmPlacement;
  /** A budget in each cloud the sandbox spends in. */
  budgets: { aws?: boolean; gcp?: { billingAccount: string; project: string } };
}

export class Sandbox extends pulumi.ComponentResource {
  readonly kubernetes: SandboxNamespace;
  readonly awsVm?: AwsSandboxVm;
  readonly gcpVm?: GcpSandboxVm;
  readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: SandboxArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("Sandbox", name, sandboxProblems(args));
    super("estate:sandbox:Sandbox", name, {}, opts);
    const size = SANDBOX_SIZE_CLASSES[args.size];
    this.kubernetes = sandboxNamespace(name, { namespace: args.namespace, owner: args.owner, size, tags: args.tags, provider: args.kubernetesProvider }, this);
    this.namespaceName = this.kubernetes.namespace.metadata.name;
    const vm = args.vm;
    if (vm?.kind === "aws") {
      this.awsVm = awsSandboxVm(name, { ...vm, instanceType: size.vm.awsInstanceType, diskGiB: size.vm.diskGiB, tags: args.tags }, this);
    } else if (vm?.kind === "gcp") {
      this.gcpVm = gcpSandboxVm(name, { ...vm, machineType: size.vm.gcpMachineType, diskGiB: size.vm.diskGiB, tags: args.tags }, this);
    }
    const budget = { monthlyBudgetUsd: args.monthlyBudgetUsd, ownerEmail: args.ownerEmail, tags: args.tags };
    if (args.budgets.aws) awsSandboxBudget(name, budget, this);
    if (args.budgets.gcp) gcpSandboxBudget(name, { ...budget, ...args.budgets.gcp }, this);
    this.registerOutputs({ namespace: this.namespaceName, costTags: args.tags, expiresOn: args.expiresOn, purpose: args.purpose });
  }
}
