/**
 * What can carry cost tags, keyed by Pulumi type token, with where the tags live.
 * Shared by components (what to set), the policy rules and the offline plan (what to read).
 */

/** Where a resource holds a tag map. */
export type TagLocation =
  | { readonly kind: "map"; readonly path: string }
  /** Launch-template `tagSpecifications`: one entry per `resourceType`, each with its own `tags`. */
  | { readonly kind: "tagSpecifications"; readonly path: string; readonly resourceTypes: readonly string[] }
  /** Auto Scaling group `tags`: a list of `{ key, value, propagateAtLaunch }`; only propagated ones count. */
  | { readonly kind: "propagatedList"; readonly path: string };

const map = (path: string): TagLocation => ({ kind: "map", path });
const AWS = [map("tags")];
const GCP = [map("labels")];
const K8S = [map("metadata.labels")];
const K8S_POD_TEMPLATE = [map("metadata.labels"), map("spec.template.metadata.labels")];

export const TAGGABLE: Readonly<Record<string, readonly TagLocation[]>> = {
  // AWS networking
  "aws:ec2/vpc:Vpc": AWS,
  "aws:ec2/subnet:Subnet": AWS,
  "aws:ec2/internetGateway:InternetGateway": AWS,
  "aws:ec2/eip:Eip": AWS,
  "aws:ec2/natGateway:NatGateway": AWS,
  "aws:ec2/routeTable:RouteTable": AWS,
  "aws:ec2/flowLog:FlowLog": AWS,
  "aws:ec2/securityGroup:SecurityGroup": AWS,
  "aws:ec2/vpcEndpoint:VpcEndpoint": AWS,
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": AWS,
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": AWS,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": AWS,
  "aws:cloudwatch/logGroup:LogGroup": AWS,
  "aws:s3/bucket:Bucket": AWS,
  "aws:s3/bucketV2:BucketV2": AWS,
  // AWS cost governance
  "aws:budgets/budget:Budget": AWS,
  "aws:bcmdata/export:Export": AWS,
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": AWS,
  "aws:costexplorer/anomalySubscription:AnomalySubscription": AWS,
  // AWS monitoring
  "aws:cloudwatch/metricAlarm:MetricAlarm": AWS,
  "aws:sns/topic:Topic": AWS,
  // AWS identity and keys
  "aws:iam/role:Role": AWS,
  "aws:iam/policy:Policy": AWS,
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": AWS,
  "aws:kms/key:Key": AWS,
  "aws:secretsmanager/secret:Secret": AWS,
  "aws:ssm/parameter:Parameter": AWS,
  // AWS compute and Kubernetes
  "aws:eks/cluster:Cluster": AWS,
  "aws:eks/nodeGroup:NodeGroup": AWS,
  "aws:eks/addon:Addon": AWS,
  "aws:ec2/launchTemplate:LaunchTemplate": [
    map("tags"),
    { kind: "tagSpecifications", path: "tagSpecifications", resourceTypes: ["instance", "volume"] },
  ],
  "aws:ec2/instance:Instance": [map("tags"), map("volumeTags")],
  "aws:ebs/volume:Volume": AWS,
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": AWS,
  "aws:lb/loadBalancer:LoadBalancer": AWS,
  "aws:lb/targetGroup:TargetGroup": AWS,
  "aws:lb/listener:Listener": AWS,
  "aws:acm/certificate:Certificate": AWS,
  "aws:autoscaling/group:Group": [{ kind: "propagatedList", path: "tags" }],
  // AWS databases (RDS copies the instance's tags to its snapshots with copyTagsToSnapshot)
  "aws:rds/instance:Instance": AWS,
  "aws:rds/subnetGroup:SubnetGroup": AWS,
  "aws:rds/parameterGroup:ParameterGroup": AWS,
  // GCP
  "gcp:container/cluster:Cluster": [map("resourceLabels")],
  "gcp:container/nodePool:NodePool": [map("nodeConfig.resourceLabels")],
  "gcp:compute/instance:Instance": GCP,
  "gcp:compute/disk:Disk": GCP,
  "gcp:compute/address:Address": GCP,
  "gcp:compute/forwardingRule:ForwardingRule": GCP,
  "gcp:compute/globalAddress:GlobalAddress": GCP,
  "gcp:kms/cryptoKey:CryptoKey": GCP,
  "gcp:storage/bucket:Bucket": GCP,
  "gcp:sql/databaseInstance:DatabaseInstance": [map("settings.userLabels")],
  "gcp:bigquery/dataset:Dataset": GCP,
  // `labels` of a notification channel configure it (e.g. the email address); its own labels are `userLabels`.
  "gcp:monitoring/notificationChannel:NotificationChannel": [map("userLabels")],
  "gcp:monitoring/alertPolicy:AlertPolicy": [map("userLabels")],
  "gcp:pubsub/topic:Topic": GCP,
  // Kubernetes
  "kubernetes:core/v1:Namespace": K8S,
  "kubernetes:core/v1:Service": K8S,
  "kubernetes:core/v1:ServiceAccount": K8S,
  "kubernetes:core/v1:ConfigMap": K8S,
  "kubernetes:core/v1:PersistentVolumeClaim": K8S,
  "kubernetes:core/v1:ResourceQuota": K8S,
  "kubernetes:core/v1:LimitRange": K8S,
  "kubernetes:storage.k8s.io/v1:StorageClass": K8S,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": K8S,
  "kubernetes:networking.k8s.io/v1:Ingress": K8S,
  "kubernetes:policy/v1:PodDisruptionBudget": K8S,
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": K8S,
  // GKE Ingress custom resources
  "kubernetes:networking.gke.io/v1:ManagedCertificate": K8S,
  "kubernetes:networking.gke.io/v1beta1:FrontendConfig": K8S,
  "kubernetes:cloud.google.com/v1:BackendConfig": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": K8S,
  // GKE managed collection's scrape configuration (Managed Service for Prometheus).
  "kubernetes:monitoring.googleapis.com/v1:ClusterPodMonitoring": K8S,
  "kubernetes:apps/v1:Deployment": K8S_POD_TEMPLATE,
  "kubernetes:apps/v1:StatefulSet": K8S_POD_TEMPLATE,
  "kubernetes:apps/v1:DaemonSet": K8S_POD_TEMPLATE,
  "kubernetes:batch/v1:Job": K8S_POD_TEMPLATE,
  "kubernetes:batch/v1:CronJob": [map("metadata.labels"), map("spec.jobTemplate.spec.template.metadata.labels")],
  "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass": K8S,
};

/** Resource types the estate creates that no platform lets us tag, with the reason. */
export const UNTAGGABLE: Readonly<Record<string, string>> = {
  "aws:ec2/route:Route": "routes take no tags; their route table carries them",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "an association takes no tags and costs nothing",
  "aws:ec2/securityGroupRule:SecurityGroupRule": "legacy security-group rules take no tags",
  "aws:iam/rolePolicy:RolePolicy": "inline IAM policies take no tags",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policy attachments take no tags and cost nothing",
  "aws:iam/instanceProfile:InstanceProfile": "tagged through its role; costs nothing",
  "aws:kms/alias:Alias": "KMS aliases take no tags; the key carries them",
  "aws:route53/record:Record": "Route 53 records take no tags; the hosted zone carries them",
  "aws:eks/accessEntry:AccessEntry": "costs nothing",
  "kubernetes:helm.sh/v3:Release":
    "a Helm release takes no labels of its own (its chart's objects get the cost tags through chart values); attributed to the component that installs it",
  "aws:ec2/volumeAttachment:VolumeAttachment": "attachments take no tags and cost nothing; the volume carries them",
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": "target registrations take no tags and cost nothing",
  "aws:acm/certificateValidation:CertificateValidation": "a validation only waits for the certificate's issuance; the certificate carries the tags",
  "gcp:compute/sSLPolicy:SSLPolicy": "SSL policies take no labels and cost nothing",
  "gcp:compute/network:Network": "VPC networks take no labels and cost nothing by themselves",
  "gcp:compute/subnetwork:Subnetwork": "subnetworks take no labels; traffic is billed through the VMs' labels",
  "gcp:compute/firewall:Firewall": "firewall rules take no labels and cost nothing",
  "gcp:compute/resourcePolicy:ResourcePolicy": "resource policies take no labels; the snapshots they create carry the disk's labels",
  "gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment": "policy attachments take no labels and cost nothing",
  "gcp:compute/instanceGroup:InstanceGroup": "unmanaged instance groups take no labels and cost nothing",
  "gcp:compute/regionHealthCheck:RegionHealthCheck": "health checks take no labels and cost nothing",
  "gcp:compute/regionBackendService:RegionBackendService": "backend services take no labels; the forwarding rule carries the load balancer's labels",
  "gcp:compute/router:Router": "Cloud Routers take no labels",
  "gcp:compute/routerNat:RouterNat": "Cloud NAT takes no labels; billed per VM through the VMs' labels",
  "gcp:serviceaccount/account:Account": "service accounts take no labels and cost nothing",
  "gcp:projects/iAMMember:IAMMember": "IAM bindings take no labels and cost nothing",
  "gcp:projects/service:Service": "enabling an API takes no labels and costs nothing",
  "gcp:serviceaccount/iAMMember:IAMMember": "IAM bindings take no labels and cost nothing",
  "gcp:dns/recordSet:RecordSet": "DNS record sets take no labels; the managed zone carries them",
  "random:index/randomPassword:RandomPassword": "exists only in state",
  "random:index/randomId:RandomId": "exists only in state",
  "aws:scheduler/schedule:Schedule": "EventBridge Scheduler schedules take no tags (only schedule groups do) and cost nothing; what they act on carries them (a sandbox VM, the monitoring drill's alarm)",
  "aws:costexplorer/costAllocationTag:CostAllocationTag": "activating a cost allocation tag takes no tags and costs nothing",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket settings take no tags; the bucket carries them",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket settings take no tags; the bucket carries them",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "bucket settings take no tags; the bucket carries them",
  "aws:s3/bucketVersioning:BucketVersioning": "bucket settings take no tags; the bucket carries them",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "bucket settings take no tags; the bucket carries them",
  "aws:s3/bucketPolicy:BucketPolicy": "bucket policies take no tags; the bucket carries them",
  "aws:s3/bucketLogging:BucketLogging": "bucket settings take no tags; the bucket carries them",
  "gcp:billing/budget:Budget": "Cloud Billing budgets take no labels and cost nothing",
  "aws:sns/topicSubscription:TopicSubscription": "SNS subscriptions take no tags; the topic carries them",
  "aws:sns/topicPolicy:TopicPolicy": "topic policies take no tags; the topic carries them",
  "gcp:cloudscheduler/job:Job": "Cloud Scheduler jobs take no labels; the monitoring component's costTags attribute them",
  "gcp:sql/database:Database": "a database inside a Cloud SQL instance takes no labels; the instance's settings.userLabels carry them",
  "gcp:sql/user:User": "database users take no labels and cost nothing",
  "gcp:servicenetworking/connection:Connection": "a private services access peering takes no labels and costs nothing; the services behind it carry their own",
};

/** Types that are never resources in a cloud (providers, components, the stack): nothing to tag. */
export function isLogicalType(type: string, custom = true): boolean {
  return !custom || type.startsWith("pulumi:");
}

export interface FoundTags {
  /** e.g. `tags`, `tagSpecifications[volume].tags`, `spec.template.metadata.labels` */
  readonly field: string;
  /** The tag map found there, or undefined where the field is absent or malformed. */
  readonly tags: Record<string, unknown> | undefined;
}

function at(props: unknown, path: string): unknown {
  let value: unknown = props;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function asMap(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads every tag map a resource of `type` must carry; [] for a type that is not taggable. */
export function readTags(type: string, props: unknown): FoundTags[] {
  const locations = TAGGABLE[type] ?? [];
  return locations.flatMap((location): FoundTags[] => {
    const value = at(props, location.path);
    switch (location.kind) {
      case "map":
        return [{ field: location.path, tags: asMap(value) }];
      case "tagSpecifications": {
        const specs = Array.isArray(value) ? value : [];
        return location.resourceTypes.map((resourceType) => {
          const spec = specs.find((s) => asMap(s)?.resourceType === resourceType);
          return { field: `${location.path}[${resourceType}].tags`, tags: asMap(asMap(spec)?.tags) };
        });
      }
      case "propagatedList": {
        if (!Array.isArray(value)) return [{ field: `${location.path}[propagateAtLaunch]`, tags: undefined }];
        const tags: Record<string, unknown> = {};
        for (const entry of value.map(asMap)) {
          if (entry && entry.propagateAtLaunch === true && typeof entry.key === "string") tags[entry.key] = entry.value;
        }
        return [{ field: `${location.path}[propagateAtLaunch]`, tags }];
      }
    }
  });
}
