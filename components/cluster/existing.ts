/** A cluster this estate does not create: a provider from its kubeconfig, and the workload namespaces on it. */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { WorkloadNamespace, createNamespaces, namespaceProblems } from "./namespaces";
import { throwIfAny } from "./validation";

export interface ExistingClusterArgs {
  kubeconfig: pulumi.Input<string>;
  /** The kubeconfig context to use; its current context when omitted. */
  context?: string;
  namespaces: WorkloadNamespace[];
}

export class ExistingCluster extends pulumi.ComponentResource {
  readonly provider: k8s.Provider;
  readonly namespaces: Record<string, k8s.core.v1.Namespace>;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("ExistingCluster", name, [
      ...(typeof args.kubeconfig === "string" && args.kubeconfig.trim() === "" ? ["kubeconfig: empty"] : []),
      ...(args.context !== undefined && args.context.trim() === "" ? ["context: empty; omit it to use the current context"] : []),
      ...namespaceProblems(args.namespaces),
    ]);
    super("estate:cluster:ExistingCluster", name, {}, opts);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: pulumi.secret(args.kubeconfig), context: args.context },
      { parent: this },
    );
    this.namespaces = createNamespaces(name, args.namespaces, this, this.provider);
    this.registerOutputs({});
  }
}
