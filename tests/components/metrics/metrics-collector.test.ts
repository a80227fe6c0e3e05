/** The per-cluster MetricsCollector, recorded under Pulumi's mocks: the CloudWatch agent on EKS, managed collection on GKE. */
import * as k8s from "@pulumi/kubernetes";
import { parse } from "yaml";
import { CLOUDWATCH_AGENT_IMAGE, GMP_COLLECTOR_IMAGE, MetricsCollector, MetricsCollectorArgs, POOL_POD_LABEL, SCRAPER_NAMESPACES } from "../../../components/metrics";
import { EMF_PORT } from "../../../components/metrics/cloudwatch-agent-pod";
import { CLOUDWATCH_NAMESPACE, ETHEREUM_METRICS, INDEXER_METRICS, METRICS_PORT_NAME, SCRAPE_LABEL } from "../../../components/monitoring/targets";
import { costTags } from "../../../components/tagging";
import { requiredCostTags } from "../../../policies/rules/required-cost-tags";
import { tagCharset } from "../../../policies/rules/tag-charset";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { componentProblems } from "../../helpers/resources";
import { run } from "../../policies/helpers";
import { descendantsOf, named } from "../cluster/fixtures";

const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "monitoring", owner: "techops" });
const OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
const ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC";

type Json = any;
type Labels = Record<string, string>;

/**
 * Prometheus relabelling as Prometheus applies it: regexes fully anchored, source labels joined with ";",
 * replacement "$1" by default. Returns the target's labels, or undefined when the target is dropped.
 */
function relabel(rules: Json[], labels: Labels): Labels | undefined {
  const out = { ...labels };
  for (const rule of rules) {
    const value = (rule.source_labels ?? []).map((l: string) => out[l] ?? "").join(rule.separator ?? ";");
    const match = new RegExp(`^(?:${rule.regex ?? "(.*)"})$`).exec(value);
    const action = rule.action ?? "replace";
    if (action === "keep" && !match) return undefined;
    if (action === "drop" && match) return undefined;
    if (action === "replace" && match) {
      const replaced = (rule.replacement ?? "$1").replace(/\$(\d+)/g, (_: string, i: string) => match[Number(i)] ?? "");
      if (replaced === "") delete out[rule.target_label];
      else out[rule.target_label] = replaced;
    }
  }
  return out;
}

const EKS: MetricsCollectorArgs = {
  kind: "eks",
  provider: undefined as unknown as k8s.Provider,
  region: "eu-west-1",
  clusterName: "k8s-main-abc123",
  oidcProviderArn: OIDC_ARN,
  oidcIssuerUrl: ISSUER,
  tags: TAGS,
};

describe("MetricsCollector", () => {
  let resources: RecordedResource[];
  const below = (name: string, type?: string) => descendantsOf(resources, name).filter((r) => !type || r.type === type);
  const only = (name: string, type: string): Json => {
    const found = below(name, type);
    if (found.length !== 1) throw new Error(`${found.length} of ${type} below ${name}`);
    return found[0].inputs;
  };

  beforeAll(async () => {
    ({ resources } = await recordResources(
      () => {
        const eks = new k8s.Provider("eks", { kubeconfig: "{}" });
        const gke = new k8s.Provider("gke", { kubeconfig: "{}" });
        new MetricsCollector("k8s-main-metrics", { ...EKS, provider: eks });
        new MetricsCollector("k8s-gke-metrics", { kind: "gke", provider: gke, tags: TAGS });
      },
      { awsRegion: "eu-west-1" },
    ));
  });

  describe("on EKS", () => {
    const agentConfig = () => JSON.parse((named(resources, "k8s-main-metrics-agent-config").inputs.data as Json)["cwagentconfig.json"]);
    const scrapeConfig = () => parse((named(resources, "k8s-main-metrics-scrape-config").inputs.data as Json)["prometheus.yaml"]);
    const deployment = (): Json => named(resources, "k8s-main-metrics-agent").inputs;

    it("creates the monitoring namespace, the agent and what it needs, and nothing on GKE's side", () => {
      expect(below("k8s-main-metrics").map((r) => `${r.type} ${r.name}`).sort()).toEqual(
        [
          "kubernetes:core/v1:Namespace k8s-main-metrics-namespace",
          "aws:cloudwatch/logGroup:LogGroup k8s-main-metrics-logs",
          "aws:iam/role:Role k8s-main-metrics-role",
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment k8s-main-metrics-role-cloudwatch-agent",
          "kubernetes:core/v1:ServiceAccount k8s-main-metrics-service-account",
          "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole k8s-main-metrics-pod-reader",
          "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding k8s-main-metrics-pod-reader-binding",
          "kubernetes:core/v1:ConfigMap k8s-main-metrics-agent-config",
          "kubernetes:core/v1:ConfigMap k8s-main-metrics-scrape-config",
          "kubernetes:apps/v1:Deployment k8s-main-metrics-agent",
          "kubernetes:networking.k8s.io/v1:NetworkPolicy k8s-main-metrics-netpol",
        ].sort(),
      );
      const ns = named(resources, "k8s-main-metrics-namespace").inputs.metadata as Json;
      expect(ns.name).toBe(SCRAPER_NAMESPACES[0]);
      expect(ns.labels).toMatchObject({ ...TAGS, "pod-security.kubernetes.io/enforce": "restricted" });
    });

    it("gives the agent an IRSA role for its service account only, with CloudWatchAgentServerPolicy", () => {
      const trust = JSON.parse(named(resources, "k8s-main-metrics-role").inputs.assumeRolePolicy as string);
      expect(trust.Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:monitoring:cloudwatch-agent",
              "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
            },
          },
        },
      ]);
      expect(named(resources, "k8s-main-metrics-role-cloudwatch-agent").inputs.policyArn).toBe("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy");
      const sa = named(resources, "k8s-main-metrics-service-account").inputs.metadata as Json;
      expect(sa).toMatchObject({ name: "cloudwatch-agent", namespace: "monitoring" });
      expect(sa.annotations["eks.amazonaws.com/role-arn"]).toContain("k8s-main-metrics-role");
      expect(deployment().spec.template.spec.serviceAccountName).toBe("cloudwatch-agent");
    });

    it("may list pods cluster-wide and nothing else", () => {
      expect(only("k8s-main-metrics", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").rules).toEqual([
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      ]);
      const binding = only("k8s-main-metrics", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
      expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "cloudwatch-agent", namespace: "monitoring" }]);
      expect(binding.roleRef).toMatchObject({ kind: "ClusterRole", apiGroup: "rbac.authorization.k8s.io" });
    });

    it("turns the estate's series into CloudWatch metrics in CLOUDWATCH_NAMESPACE, dimension Pool or Indexer", () => {
      const logGroup = named(resources, "k8s-main-metrics-logs").inputs;
      expect(logGroup).toMatchObject({ region: "eu-west-1", retentionInDays: 7, tags: { ...TAGS } });
      const prometheus = agentConfig().logs.metrics_collected.prometheus;
      expect(agentConfig().agent.region).toBe("eu-west-1");
      expect(prometheus).toMatchObject({ cluster_name: "k8s-main-abc123", log_group_name: logGroup.name, prometheus_config_path: "/etc/prometheusconfig/prometheus.yaml" });
      expect(prometheus.emf_processor.metric_namespace).toBe(CLOUDWATCH_NAMESPACE);
      expect(prometheus.emf_processor.metric_declaration).toEqual([
        { source_labels: ["Pool"], label_matcher: "^.+$", dimensions: [["Pool"]], metric_selectors: Object.values(ETHEREUM_METRICS).map((m) => `^${m}$`) },
        { source_labels: ["Indexer"], label_matcher: "^.+$", dimensions: [["Indexer"]], metric_selectors: Object.values(INDEXER_METRICS).map((m) => `^${m}$`) },
      ]);
      // The probes' port is open on the pod's address, not only on loopback.
      expect(agentConfig().logs.metrics_collected.emf).toEqual({ service_address: `tcp://0.0.0.0:${EMF_PORT}` });
    });

    it("scrapes running pods labelled for scraping on their port named metrics, with Pool / Indexer from their labels", () => {
      const [job] = scrapeConfig().scrape_configs;
      expect(job.kubernetes_sd_configs).toEqual([{ role: "pod" }]);
      const target = (podLabels: Labels, port: string, phase = "Running") =>
        relabel(job.relabel_configs, {
          ...Object.fromEntries(Object.entries(podLabels).map(([k, v]) => [`__meta_kubernetes_pod_label_${k.replace(/-/g, "_")}`, v])),
          __meta_kubernetes_pod_container_port_name: port,
          __meta_kubernetes_pod_phase: phase,
          __meta_kubernetes_namespace: "ethereum",
          __meta_kubernetes_pod_name: "eth-main-0",
          __address__: "10.0.0.5:8590",
        });
      const pool = target({ ...SCRAPE_LABEL, [POOL_POD_LABEL]: "mainnet-rpc" }, METRICS_PORT_NAME);
      expect(pool).toMatchObject({ Pool: "mainnet-rpc", Namespace: "ethereum", PodName: "eth-main-0" });
      expect(pool!.Indexer).toBeUndefined();
      expect(target({ ...SCRAPE_LABEL, "estate-indexer": "vulcan" }, METRICS_PORT_NAME)).toMatchObject({ Indexer: "vulcan" });
      expect(target({ [POOL_POD_LABEL]: "mainnet-rpc" }, METRICS_PORT_NAME)).toBeUndefined();
      expect(target({ ...SCRAPE_LABEL, [POOL_POD_LABEL]: "mainnet-rpc" }, "el-metrics")).toBeUndefined();
      expect(target({ ...SCRAPE_LABEL, [POOL_POD_LABEL]: "mainnet-rpc" }, METRICS_PORT_NAME, "Pending")).toBeUndefined();
      // Only the estate's series are sent (each sample sent is billed as log ingestion).
      const keep = (name: string) => relabel(job.metric_relabel_configs, { __name__: name }) !== undefined;
      expect([...Object.values(ETHEREUM_METRICS), ...Object.values(INDEXER_METRICS)].every(keep)).toBe(true);
      expect(keep("go_goroutines")).toBe(false);
    });

    it("runs one pinned, probed, non-root agent with a read-only root filesystem, rolled when its configuration changes", () => {
      const spec = deployment().spec;
      expect(spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
      expect(Object.keys(spec.selector.matchLabels).sort()).toEqual(["app.kubernetes.io/instance", "app.kubernetes.io/name"]);
      expect(deployment().metadata.labels).toMatchObject(TAGS);
      expect(spec.template.metadata.labels).toMatchObject(TAGS);
      expect(spec.template.metadata.annotations["checksum/config"]).toMatch(/^[0-9a-f]{16}$/);
      const pod = spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(pod.containers).toHaveLength(1);
      const [agent] = pod.containers;
      expect(agent.image).toBe(CLOUDWATCH_AGENT_IMAGE);
      expect(agent.image).toMatch(/^public\.ecr\.aws\/cloudwatch-agent\/cloudwatch-agent:\d+\.\d+\.\w+$/);
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(agent[probe].tcpSocket).toEqual({ port: EMF_PORT });
      expect(agent.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(agent.resources.limits.memory).toEqual(expect.any(String));
      expect(agent.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, readOnlyRootFilesystem: true });
      expect(agent.env).toContainEqual({ name: "AWS_REGION", value: "eu-west-1" });
      const mounts = Object.fromEntries(agent.volumeMounts.map((m: Json) => [m.mountPath, m]));
      expect(mounts["/etc/cwagentconfig"]).toMatchObject({ readOnly: true });
      expect(mounts["/etc/prometheusconfig"]).toMatchObject({ readOnly: true });
      for (const dir of ["/opt/aws/amazon-cloudwatch-agent/etc", "/opt/aws/amazon-cloudwatch-agent/var", "/opt/aws/amazon-cloudwatch-agent/logs", "/tmp"]) {
        const volume = pod.volumes.find((v: Json) => v.name === mounts[dir].name);
        expect(volume.emptyDir).toBeDefined();
      }
    });

    it("admits no one to the agent and lets it reach the pods and AWS", () => {
      const policy = only("k8s-main-metrics", "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec;
      expect(policy).toEqual({ podSelector: { matchLabels: deployment().spec.selector.matchLabels }, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [{}] });
    });
  });

  describe("on GKE", () => {
    it("configures managed collection with one ClusterPodMonitoring for the same pods and port", () => {
      const children = below("k8s-gke-metrics");
      expect(children.map((r) => r.type)).toEqual(["kubernetes:monitoring.googleapis.com/v1:ClusterPodMonitoring"]);
      const monitoring = children[0].inputs as Json;
      expect(monitoring).toMatchObject({ apiVersion: "monitoring.googleapis.com/v1", kind: "ClusterPodMonitoring", metadata: { name: "estate-exporters", labels: { ...TAGS } } });
      expect(monitoring.spec.selector).toEqual({ matchLabels: { ...SCRAPE_LABEL } });
      expect(monitoring.spec.endpoints).toEqual([expect.objectContaining({ port: METRICS_PORT_NAME, path: "/metrics", interval: "60s" })]);
      const [{ metricRelabeling }] = monitoring.spec.endpoints;
      const keep = (name: string) => relabel(metricRelabeling.map((r: Json) => ({ ...r, source_labels: r.sourceLabels })), { __name__: name }) !== undefined;
      expect(keep(ETHEREUM_METRICS.headAgeSeconds) && keep(INDEXER_METRICS.blocksBehind)).toBe(true);
      expect(keep("process_cpu_seconds_total")).toBe(false);
      expect(children[0].provider).toContain("::gke::");
    });
  });

  it("names, tags and classifies every child so two collectors coexist, and passes the tag policies", async () => {
    expect(componentProblems(resources, ["k8s-main-metrics", "k8s-gke-metrics"])).toEqual([]);
    const children = [...below("k8s-main-metrics"), ...below("k8s-gke-metrics")];
    for (const policy of [requiredCostTags, tagCharset]) expect((await run(policy, children)).messages).toEqual([]);
  });

  it("rejects bad arguments, naming each", () => {
    expect(() => new MetricsCollector("bad", { ...EKS, region: "Ireland", logRetentionDays: 10, tags: { ...TAGS, owner: "Ana Smith" } })).toThrow(
      /^MetricsCollector "bad": tags: tag "owner" has value "Ana Smith".*; region: "Ireland" is not an AWS region; logRetentionDays: 10 is not a CloudWatch Logs retention/,
    );
    expect(() => new MetricsCollector("bad", { kind: "aks" } as unknown as MetricsCollectorArgs)).toThrow('kind: "aks" must be one of eks, gke');
  });

  it("pins the GCE collector image the Ethereum VMs run", () => {
    expect(GMP_COLLECTOR_IMAGE).toMatch(/^gke\.gcr\.io\/prometheus-engine\/prometheus:v[\d.]+-gmp\.\d+-gke\.\d+$/);
  });
});
