/**
 * What the providers refuse that Pulumi's mock runtime accepts: name lengths and character sets per resource type and
 * field, size limits, and input combinations a provider is known to reject. One entry per type and field, each with
 * the page that states it (read on CATALOG_AS_OF). A field path is dotted; `*` stands for every element of an array or
 * every value of a map, `~` for every key of a map.
 */

export const CATALOG_AS_OF = "2026-12-02";

type Inputs = Record<string, unknown>;

export interface NameRule {
  readonly kind: "name";
  readonly type: string;
  readonly field: string;
  readonly min?: number;
  /** Characters; a function where the limit depends on another input (Cloud SQL counts the project id in). */
  readonly max: number | ((inputs: Inputs) => number);
  readonly pattern?: RegExp;
  /** The character set and shape in words, for the report. */
  readonly allowed?: string;
  readonly source: string;
}

export interface SizeRule {
  readonly kind: "size";
  readonly type: string;
  readonly field: string;
  readonly maxBytes: number;
  /**
   * How the provider counts: `utf8` the text as given, `base64` the decoded bytes, `json` the policy document without
   * whitespace (as IAM counts), `values` the sum of the map's keys and values (GCE metadata, ConfigMap data).
   */
  readonly measure: "utf8" | "base64" | "json" | "values";
  readonly source: string;
}

export interface CombinationRule {
  readonly kind: "combination";
  readonly type: string;
  /** The fields that, together, the provider refuses. */
  readonly field: string;
  /** The offending values, or undefined where the inputs are fine. */
  readonly refused: (inputs: Inputs) => string | undefined;
  readonly limit: string;
  readonly source: string;
}

export type ConstraintRule = NameRule | SizeRule | CombinationRule;

const AWS_ELB_NAME = { pattern: /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: "letters, digits and '-', not starting or ending with '-', not starting with internal-" };
const IAM_NAME = { pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and +=,.@_-" };
const GCP_NAME = { pattern: /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/, allowed: "[a-z]([-a-z0-9]*[a-z0-9])?" };
const DNS_LABEL = { pattern: /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/, allowed: "a DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?" };
const RFC1035_LABEL = { pattern: /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/, allowed: "an RFC 1035 label: [a-z]([-a-z0-9]*[a-z0-9])?" };
const DNS_SUBDOMAIN = { pattern: /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/, allowed: "a DNS-1123 subdomain: dot-separated DNS-1123 labels" };
/** A label key's name part or a label value; values may also be empty. */
const LABEL_NAME = { pattern: /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, allowed: "alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric" };
const LABEL_KEY = {
  pattern: /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  allowed: "[prefix/]name: prefix a DNS-1123 subdomain of at most 253, name at most 63 alphanumerics, '-', '_' and '.'",
};
/** IANA_SVC_NAME: at least one letter, no leading, trailing or doubled '-'. */
const PORT_NAME = { pattern: /^(?=[a-z0-9-]*[a-z])(?!.*--)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, allowed: "an IANA service name: [a-z0-9-] with a letter, no leading, trailing or doubled '-'" };
const RDS_IDENTIFIER = { pattern: /^[A-Za-z](?!.*--)(?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: "letters, digits and '-', starting with a letter, no trailing or doubled '-'" };

const SRC = {
  elbLb: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  elbTg: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
  tfTg: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group#name_prefix",
  iamRole: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
  tfRole: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role#name_prefix",
  iamQuotas: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
  iamPolicy: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html",
  iamProfile: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html",
  iamRolePolicy: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
  s3: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  rds: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
  rdsParams: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
  rdsSubnets: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
  eks: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
  eksNodes: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
  ec2Lt: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html",
  ec2Sg: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  ec2UserData: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html",
  ec2SsmAmi: "https://github.com/hashicorp/terraform-provider-aws/issues/36442",
  logs: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  alarm: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  sns: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  ssm: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
  scheduler: "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html",
  budgets: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html",
  kmsAlias: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
  gcpNames: "https://cloud.google.com/compute/docs/naming-resources#resource-name-format",
  gke: "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters#Cluster.FIELDS.name",
  gkePool: "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools#NodePool.FIELDS.name",
  gcpSa: "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create",
  cloudSql: "https://cloud.google.com/sql/docs/mysql/instance-settings#instance-id-2ndgen",
  pubsub: "https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names",
  scheduler2: "https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs#Job.FIELDS.name",
  bigquery: "https://cloud.google.com/bigquery/docs/datasets#dataset-naming",
  gceMetadata: "https://cloud.google.com/compute/docs/metadata/setting-custom-metadata#limitations",
  k8sNames: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
  k8sLabels: "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set",
  k8sStatefulSet: "https://github.com/kubernetes/kubernetes/issues/64023",
  k8sPorts: "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports",
  k8sConfigMap: "https://kubernetes.io/docs/concepts/configuration/configmap/#motivation",
  helm: "https://helm.sh/docs/chart_template_guide/getting_started/#adding-a-simple-template-call",
} as const;

const name = (type: string, field: string, max: NameRule["max"], shape: { pattern?: RegExp; allowed?: string }, source: string, min?: number): NameRule => ({
  kind: "name",
  type,
  field,
  max,
  min,
  ...shape,
  source,
});
const size = (type: string, field: string, maxBytes: number, measure: SizeRule["measure"], source: string): SizeRule => ({ kind: "size", type, field, maxBytes, measure, source });

const GCP_COMPUTE_NAMED = [
  "disk:Disk",
  "firewall:Firewall",
  "forwardingRule:ForwardingRule",
  "globalAddress:GlobalAddress",
  "instance:Instance",
  "instanceGroup:InstanceGroup",
  "network:Network",
  "regionBackendService:RegionBackendService",
  "regionHealthCheck:RegionHealthCheck",
  "resourcePolicy:ResourcePolicy",
  "router:Router",
  "routerNat:RouterNat",
  "sSLPolicy:SSLPolicy",
  "subnetwork:Subnetwork",
].map((t) => `gcp:compute/${t}`);

/** Kubernetes kinds whose name is a DNS-1123 label or RFC 1035 label rather than a subdomain. */
const K8S_LABEL_NAMED: Readonly<Record<string, { max: number; shape: typeof DNS_LABEL; source: string }>> = {
  "kubernetes:core/v1:Namespace": { max: 63, shape: DNS_LABEL, source: SRC.k8sNames },
  "kubernetes:core/v1:Service": { max: 63, shape: RFC1035_LABEL, source: SRC.k8sNames },
  // Each pod carries controller-revision-hash: <name>-<10 characters>, a label value of at most 63.
  "kubernetes:apps/v1:StatefulSet": { max: 52, shape: DNS_LABEL, source: SRC.k8sStatefulSet },
};
/** Workloads and where their pod template sits. */
const K8S_POD_TEMPLATES: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:Deployment": "spec.template",
  "kubernetes:apps/v1:StatefulSet": "spec.template",
  "kubernetes:apps/v1:DaemonSet": "spec.template",
  "kubernetes:batch/v1:Job": "spec.template",
  "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template",
  "kubernetes:core/v1:Pod": "",
};

const at = (prefix: string, path: string): string => (prefix ? `${prefix}.${path}` : path);

export const CONSTRAINTS: readonly ConstraintRule[] = [
  // AWS
  name("aws:lb/loadBalancer:LoadBalancer", "name", 32, AWS_ELB_NAME, SRC.elbLb, 1),
  name("aws:lb/loadBalancer:LoadBalancer", "namePrefix", 6, AWS_ELB_NAME, SRC.tfTg),
  name("aws:lb/targetGroup:TargetGroup", "name", 32, AWS_ELB_NAME, SRC.elbTg, 1),
  name("aws:lb/targetGroup:TargetGroup", "namePrefix", 6, AWS_ELB_NAME, SRC.tfTg),
  name("aws:iam/role:Role", "name", 64, IAM_NAME, SRC.iamRole, 1),
  name("aws:iam/role:Role", "namePrefix", 38, IAM_NAME, SRC.tfRole),
  size("aws:iam/role:Role", "assumeRolePolicy", 2048, "json", SRC.iamQuotas),
  name("aws:iam/policy:Policy", "name", 128, IAM_NAME, SRC.iamPolicy, 1),
  size("aws:iam/policy:Policy", "policy", 6144, "json", SRC.iamQuotas),
  name("aws:iam/instanceProfile:InstanceProfile", "name", 128, IAM_NAME, SRC.iamProfile, 1),
  name("aws:iam/rolePolicy:RolePolicy", "name", 128, IAM_NAME, SRC.iamRolePolicy, 1),
  size("aws:iam/rolePolicy:RolePolicy", "policy", 10240, "json", SRC.iamQuotas),
  name("aws:s3/bucket:Bucket", "bucket", 63, { pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, allowed: "lowercase letters, digits, '.' and '-', starting and ending with a letter or digit" }, SRC.s3, 3),
  name("aws:rds/instance:Instance", "identifier", 63, RDS_IDENTIFIER, SRC.rds, 1),
  name("aws:rds/instance:Instance", "finalSnapshotIdentifier", 255, RDS_IDENTIFIER, SRC.rds, 1),
  name("aws:rds/parameterGroup:ParameterGroup", "name", 255, { pattern: /^[a-z](?!.*--)(?:[a-z0-9-]*[a-z0-9])?$/, allowed: "lowercase letters, digits and '-', starting with a letter, no trailing or doubled '-'" }, SRC.rdsParams, 1),
  name("aws:rds/subnetGroup:SubnetGroup", "name", 255, { pattern: /^[a-z0-9 ._-]+$/, allowed: "lowercase letters, digits, spaces, '.', '_' and '-'" }, SRC.rdsSubnets, 1),
  name("aws:eks/cluster:Cluster", "name", 100, { pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, allowed: "letters, digits, '-' and '_', starting with a letter or digit" }, SRC.eks, 1),
  name("aws:eks/nodeGroup:NodeGroup", "nodeGroupName", 63, { pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, allowed: "letters, digits, '-' and '_', starting with a letter or digit" }, SRC.eksNodes, 1),
  name("aws:ec2/launchTemplate:LaunchTemplate", "name", 128, { pattern: /^[a-zA-Z0-9().\-/_]+$/, allowed: "letters, digits and ().-/_" }, SRC.ec2Lt, 3),
  size("aws:ec2/launchTemplate:LaunchTemplate", "userData", 16384, "base64", SRC.ec2UserData),
  name("aws:ec2/securityGroup:SecurityGroup", "name", 255, { pattern: /^[\x20-\x7e]+$/, allowed: "printable ASCII" }, SRC.ec2Sg, 1),
  name("aws:ec2/securityGroup:SecurityGroup", "description", 255, { pattern: /^[\x20-\x7e]*$/, allowed: "printable ASCII" }, SRC.ec2Sg),
  size("aws:ec2/instance:Instance", "userData", 16384, "utf8", SRC.ec2UserData),
  size("aws:ec2/instance:Instance", "userDataBase64", 16384, "base64", SRC.ec2UserData),
  {
    kind: "combination",
    type: "aws:ec2/instance:Instance",
    field: "ami + rootBlockDevice/ebsBlockDevices",
    // The provider looks the image up (DescribeImages) to map block devices; an SSM reference is no image id, and
    // it never reads back as the same value, so every later update would replace the instance.
    refused: (inputs) =>
      typeof inputs.ami === "string" && inputs.ami.startsWith("resolve:ssm:") && (inputs.rootBlockDevice !== undefined || (Array.isArray(inputs.ebsBlockDevices) && inputs.ebsBlockDevices.length > 0))
        ? `ami "${inputs.ami}" with ${inputs.rootBlockDevice !== undefined ? "rootBlockDevice" : "ebsBlockDevices"}`
        : undefined,
    limit: "an ami of resolve:ssm: is resolved by EC2 only at launch; with block devices give an image id or use a launch template",
    source: SRC.ec2SsmAmi,
  },
  name("aws:cloudwatch/logGroup:LogGroup", "name", 512, { pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: "letters, digits and ._-/#" }, SRC.logs, 1),
  name("aws:cloudwatch/metricAlarm:MetricAlarm", "name", 255, {}, SRC.alarm, 1),
  name("aws:sns/topic:Topic", "name", 256, { pattern: /^[A-Za-z0-9_-]+(?:\.fifo)?$/, allowed: "letters, digits, '-' and '_'" }, SRC.sns, 1),
  name("aws:ssm/parameter:Parameter", "name", 1011, { pattern: /^[A-Za-z0-9_.\-/]+$/, allowed: "letters, digits and _.-/" }, SRC.ssm, 1),
  size("aws:ssm/parameter:Parameter", "insecureValue", 4096, "utf8", SRC.ssm),
  name("aws:scheduler/schedule:Schedule", "name", 64, { pattern: /^[0-9a-zA-Z\-_.]+$/, allowed: "letters, digits and -_." }, SRC.scheduler, 1),
  name("aws:budgets/budget:Budget", "name", 100, { pattern: /^[^:\\]+$/, allowed: "no ':' or '\\'" }, SRC.budgets, 1),
  name("aws:kms/alias:Alias", "name", 256, { pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/, allowed: "alias/ then letters, digits and /_-, not alias/aws/" }, SRC.kmsAlias),
  // GCP
  ...GCP_COMPUTE_NAMED.map((type) => name(type, "name", 63, GCP_NAME, SRC.gcpNames, 1)),
  name("gcp:container/cluster:Cluster", "name", 40, GCP_NAME, SRC.gke, 1),
  name("gcp:container/nodePool:NodePool", "name", 40, GCP_NAME, SRC.gkePool, 1),
  name("gcp:serviceaccount/account:Account", "accountId", 30, GCP_NAME, SRC.gcpSa, 6),
  // The instance id and the project id together, `project:instance`, are at most 98 characters.
  name("gcp:sql/databaseInstance:DatabaseInstance", "name", (inputs) => 98 - String(inputs.project ?? "").length - 1, GCP_NAME, SRC.cloudSql, 1),
  name("gcp:pubsub/topic:Topic", "name", 255, { pattern: /^(?!goog)[A-Za-z][\w.~+%-]*$/, allowed: "a letter, then letters, digits and -_.~+%, not starting with goog" }, SRC.pubsub, 3),
  name("gcp:cloudscheduler/job:Job", "name", 500, { pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, '-' and '_'" }, SRC.scheduler2, 1),
  name("gcp:bigquery/dataset:Dataset", "datasetId", 1024, { pattern: /^\w+$/, allowed: "letters, digits and '_'" }, SRC.bigquery, 1),
  size("gcp:compute/instance:Instance", "metadata.*", 262144, "utf8", SRC.gceMetadata),
  size("gcp:compute/instance:Instance", "metadata", 524288, "values", SRC.gceMetadata),
  // Kubernetes
  ...Object.entries(K8S_LABEL_NAMED).map(([type, rule]) => name(type, "metadata.name", rule.max, rule.shape, rule.source, 1)),
  name("kubernetes:*", "metadata.name", 253, DNS_SUBDOMAIN, SRC.k8sNames, 1),
  name("kubernetes:*", "metadata.labels.~", 317, LABEL_KEY, SRC.k8sLabels, 1),
  name("kubernetes:*", "metadata.labels.*", 63, LABEL_NAME, SRC.k8sLabels),
  name("kubernetes:core/v1:Service", "spec.ports.*.name", 63, DNS_LABEL, SRC.k8sNames),
  size("kubernetes:core/v1:ConfigMap", "data", 1048576, "values", SRC.k8sConfigMap),
  name("kubernetes:helm.sh/v3:Release", "name", 53, DNS_LABEL, SRC.helm, 1),
  ...Object.entries(K8S_POD_TEMPLATES).flatMap(([type, template]) => [
    name(type, at(template, "metadata.labels.~"), 317, LABEL_KEY, SRC.k8sLabels, 1),
    name(type, at(template, "metadata.labels.*"), 63, LABEL_NAME, SRC.k8sLabels),
    ...["containers", "initContainers"].flatMap((list) => [
      name(type, at(template, `spec.${list}.*.name`), 63, DNS_LABEL, SRC.k8sNames, 1),
      name(type, at(template, `spec.${list}.*.ports.*.name`), 15, PORT_NAME, SRC.k8sPorts, 1),
    ]),
  ]),
];
