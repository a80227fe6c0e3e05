/**
 * One per cluster: what scrapes the estate's exporters (the Ethereum pools' health sidecars, the indexers' lag
 * exporters) and ships their series to where the Monitoring component's alarms read them.
 *
 * - EKS: the CloudWatch agent as a one-replica Deployment in namespace METRICS_NAMESPACE (created here), with an IRSA
 *   role (CloudWatchAgentServerPolicy), RBAC to list pods cluster-wide, and a Prometheus config that scrapes every
 *   pod labelled SCRAPE_LABEL on its port named METRICS_PORT_NAME. Samples become CloudWatch metrics in
 *   CLOUDWATCH_NAMESPACE, dimension `Pool` / `Indexer` (from the pod labels `estate-pool` / `estate-indexer`).
 * - GKE: a ClusterPodMonitoring for GKE's managed collection (the cluster must have managed Prometheus on, as
 *   GkeCluster does): the same pods and port, into Managed Service for Prometheus, labels `pool` / `indexer` as
 *   the exporters set them.
 *
 * Workloads' NetworkPolicies must admit scrapes from SCRAPER_NAMESPACES (`monitoring` and GKE's `gmp-system`).
 */
import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { irsaTrustPolicy, managedPolicyArn, roleWithPolicies } from "../cluster/aws-iam";
import { physicalName } from "../cluster/physical-name";
import { tagArgProblems, throwIfAny } from "../cluster/validation";
import { CostTags, awsTags, kubernetesLabels } from "../tagging";
import { AGENT_CONFIG_KEY, EMF_PORT, SCRAPE_CONFIG_DIR, SCRAPE_CONFIG_KEY, agentPodTemplate } from "./cloudwatch-agent-pod";
import { cloudWatchAgentConfig, kubernetesScrapeConfig } from "./cloudwatch";
import { clusterPodMonitoringSpec } from "./gmp";
import { GMP_COLLECTOR_NAMESPACE, METRICS_NAMESPACE } from "./scrape";

export * from "./scrape";
export { CLOUDWATCH_AGENT_IMAGE } from "./cloudwatch-agent-pod";
export { GMP_COLLECTOR_IMAGE } from "./gmp";

export type MetricsCollectorArgs =
  | {
      kind: "eks";
      provider: k8s.Provider;
      region: string;
      /** EKS cluster name (recorded in each EMF event). */
      clusterName: pulumi.Input<string>;
      /** The cluster's IAM OIDC provider, for the agent's IRSA role. */
      oidcProviderArn: pulumi.Input<string>;
      oidcIssuerUrl: pulumi.Input<string>;
      /** Days CloudWatch keeps the raw EMF events; the metrics are extracted at ingestion. Default 7. */
      logRetentionDays?: number;
      tags: CostTags;
    }
  | { kind: "gke"; provider: k8s.Provider; tags: CostTags };

/** The agent's service account: named in its IRSA role's trust policy. */
export const AGENT_SERVICE_ACCOUNT = "cloudwatch-agent";
/** The name of the GKE ClusterPodMonitoring (one per cluster). */
export const POD_MONITORING_NAME = "estate-exporters";
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Values CloudWatch Logs accepts for retentionInDays. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function metricsCollectorProblems(args: MetricsCollectorArgs): string[] {
  const kinds = ["eks", "gke"];
  if (!kinds.includes(args.kind)) return [`kind: "${(args as { kind: string }).kind}" must be one of ${kinds.join(", ")}`];
  return [
    ...tagArgProblems("tags", args.tags),
    ...(args.kind === "eks" && !REGION.test(args.region) ? [`region: "${args.region}" is not an AWS region`] : []),
    ...(args.kind === "eks" && args.logRetentionDays !== undefined && !RETENTION_DAYS.includes(args.logRetentionDays)
      ? [`logRetentionDays: ${args.logRetentionDays} is not a CloudWatch Logs retention (${RETENTION_DAYS.slice(0, 6).join(", ")}, ...)`]
      : []),
  ];
}

export class MetricsCollector extends pulumi.ComponentResource {
  /** Where the collector runs: METRICS_NAMESPACE on EKS, GKE's gmp-system (managed by Google) on GKE. */
  readonly namespace: string;
  /** EKS: the log group the agent sends its EMF events to. */
  readonly logGroupName?: string;

  constructor(name: string, args: MetricsCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfAny("MetricsCollector", name, metricsCollectorProblems(args));
    super("estate:metrics:MetricsCollector", name, {}, opts);
    if (args.kind === "eks") {
      this.namespace = METRICS_NAMESPACE;
      this.logGroupName = this.cloudWatchAgent(name, args);
    } else {
      this.namespace = GMP_COLLECTOR_NAMESPACE;
      new k8s.apiextensions.CustomResource(
        `${name}-pod-monitoring`,
        {
          apiVersion: "monitoring.googleapis.com/v1",
          kind: "ClusterPodMonitoring",
          metadata: { name: POD_MONITORING_NAME, labels: kubernetesLabels(args.tags) },
          spec: clusterPodMonitoringSpec(),
        },
        { parent: this, provider: args.provider },
      );
    }
    this.registerOutputs({ costTags: args.tags, namespace: this.namespace, logGroupName: this.logGroupName });
  }

  private cloudWatchAgent(name: string, args: Extract<MetricsCollectorArgs, { kind: "eks" }>): string {
    const { region, provider } = args;
    const k8sOpts = { parent: this, provider };
    const costLabels = kubernetesLabels(args.tags);
    const selector = { "app.kubernetes.io/name": "cloudwatch-agent", "app.kubernetes.io/instance": name };
    const labels = { ...costLabels, ...selector, "app.kubernetes.io/component": "metrics-collector" };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      // The agent meets the restricted Pod Security Standard; nothing else runs here.
      { metadata: { name: METRICS_NAMESPACE, labels: { ...costLabels, "pod-security.kubernetes.io/enforce": "restricted" } } },
      k8sOpts,
    );
    const ns = namespace.metadata.name;

    const logGroupName = `/estate/${physicalName(name, `${pulumi.getProject()}/${pulumi.getStack()}`, 60)}/prometheus`;
    new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { region, name: logGroupName, retentionInDays: args.logRetentionDays ?? 7, tags: awsTags(args.tags) },
      { parent: this },
    );

    const role = roleWithPolicies(
      `${name}-role`,
      pulumi.all([args.oidcProviderArn, args.oidcIssuerUrl]).apply(([arn, url]) => irsaTrustPolicy(arn, url, METRICS_NAMESPACE, AGENT_SERVICE_ACCOUNT)),
      { "cloudwatch-agent": managedPolicyArn("CloudWatchAgentServerPolicy") },
      args.tags,
      this,
    );
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      { metadata: { name: AGENT_SERVICE_ACCOUNT, namespace: ns, labels, annotations: { "eks.amazonaws.com/role-arn": role.role.arn } } },
      k8sOpts,
    );

    // Cluster-scoped: autonamed, so they never clash with anything already on the cluster.
    const podReader = new k8s.rbac.v1.ClusterRole(
      `${name}-pod-reader`,
      { metadata: { labels }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }] },
      k8sOpts,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-pod-reader-binding`,
      {
        metadata: { labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: podReader.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: AGENT_SERVICE_ACCOUNT, namespace: METRICS_NAMESPACE }],
      },
      k8sOpts,
    );

    const agentConfig = pulumi.output(args.clusterName).apply((clusterName) =>
      JSON.stringify(
        cloudWatchAgentConfig({
          region,
          clusterName,
          logGroupName,
          prometheusConfigPath: `${SCRAPE_CONFIG_DIR}/${SCRAPE_CONFIG_KEY}`,
          kinds: ["ethereum", "indexer"],
          emfListenerPort: EMF_PORT,
        }),
        null,
        2,
      ),
    );
    const scrapeConfig = stringify(kubernetesScrapeConfig(), { lineWidth: 0 });
    const agentConfigMap = new k8s.core.v1.ConfigMap(
      `${name}-agent-config`,
      { metadata: { name: "cloudwatch-agent-config", namespace: ns, labels }, data: { [AGENT_CONFIG_KEY]: agentConfig } },
      k8sOpts,
    );
    const scrapeConfigMap = new k8s.core.v1.ConfigMap(
      `${name}-scrape-config`,
      { metadata: { name: "cloudwatch-agent-prometheus", namespace: ns, labels }, data: { [SCRAPE_CONFIG_KEY]: scrapeConfig } },
      k8sOpts,
    );

    new k8s.apps.v1.Deployment(
      `${name}-agent`,
      {
        metadata: { name: "cloudwatch-agent", namespace: ns, labels },
        spec: {
          // One scraper: a second replica would send every sample twice.
          replicas: 1,
          // The old pod stops before the new one scrapes, for the same reason: a gap of one scrape, never doubles.
          strategy: { type: "Recreate" },
          selector: { matchLabels: selector },
          template: agentPodTemplate({
            labels,
            serviceAccountName: AGENT_SERVICE_ACCOUNT,
            agentConfigMap: agentConfigMap.metadata.name,
            scrapeConfigMap: scrapeConfigMap.metadata.name,
            region,
            configChecksum: agentConfig.apply((c) => crypto.createHash("sha256").update(c).update(scrapeConfig).digest("hex").slice(0, 16)),
          }),
        },
      },
      { ...k8sOpts, dependsOn: [serviceAccount, ...role.attachments] },
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-netpol`,
      {
        metadata: { name: "cloudwatch-agent", namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress", "Egress"],
          // Nothing calls the agent (kubelet probes are not subject to NetworkPolicy); it calls the pods it scrapes,
          // the Kubernetes API, CloudWatch Logs and STS.
          ingress: [],
          egress: [{}],
        },
      },
      k8sOpts,
    );
    return logGroupName;
  }
}

