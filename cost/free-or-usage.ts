/**
 * Resource types that cost nothing by themselves (monthly 0, no components) or only with use (unpriced, with the
 * reason and, where the tables have them, the usage rates). Data, not logic: a test checks that every type the
 * estate creates is priced by an estimator module or listed here.
 */

export type FreeOrUsage =
  /** Costs nothing by itself; what it configures is billed elsewhere (said in `reason`). */
  | { readonly kind: "free"; readonly reason: string }
  /** Billed only by use, which no plan can know: unpriced, with the reason and the rates (price-table keys). */
  | { readonly kind: "usage"; readonly reason: string; readonly rates?: readonly string[] };

const free = (reason: string): FreeOrUsage => ({ kind: "free", reason });
const usage = (reason: string, rates?: readonly string[]): FreeOrUsage => ({ kind: "usage", reason, rates });

export const FREE_OR_USAGE: Readonly<Record<string, FreeOrUsage>> = {
  // AWS networking
  "aws:ec2/vpc:Vpc": free("a VPC costs nothing; what runs in it is billed"),
  "aws:ec2/subnet:Subnet": free("subnets cost nothing"),
  "aws:ec2/internetGateway:InternetGateway": free("an internet gateway costs nothing; data transfer out is billed per GB"),
  "aws:ec2/routeTable:RouteTable": free("route tables cost nothing"),
  "aws:ec2/route:Route": free("routes cost nothing"),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": free("associations cost nothing"),
  "aws:ec2/securityGroup:SecurityGroup": free("security groups cost nothing"),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": free("security groups cost nothing"),
  "aws:ec2/securityGroupRule:SecurityGroupRule": free("security-group rules cost nothing"),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": free("security-group rules cost nothing"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": free("security-group rules cost nothing"),
  "aws:ec2/volumeAttachment:VolumeAttachment": free("an attachment costs nothing; the volume is priced"),
  "aws:ec2/launchTemplate:LaunchTemplate": free("a launch template costs nothing; what it launches is priced on the instance or node group that uses it"),
  "aws:ec2/flowLog:FlowLog": usage("usage-based: flow-log records are billed as vended-log ingestion into their destination", ["cloudwatch.logs.ingestion"]),
  "aws:cloudwatch/logGroup:LogGroup": usage("usage-based: log ingestion and storage", ["cloudwatch.logs.ingestion", "cloudwatch.logs.storage"]),
  "aws:lb/targetGroup:TargetGroup": free("target groups cost nothing; the load balancer is priced"),
  "aws:lb/listener:Listener": free("listeners cost nothing; the load balancer is priced"),
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": free("target registrations cost nothing"),
  "aws:route53/record:Record": usage("usage-based: DNS queries (the hosted zone carries the monthly fee)"),
  "aws:rds/subnetGroup:SubnetGroup": free("a DB subnet group costs nothing"),
  "aws:rds/parameterGroup:ParameterGroup": free("a DB parameter group costs nothing"),
  "aws:acm/certificate:Certificate": free("public ACM certificates cost nothing (only private CA certificates are billed)"),
  "aws:acm/certificateValidation:CertificateValidation": free("a validation only waits for the certificate's issuance"),
  // AWS identity, keys, Kubernetes control plane add-ons
  "aws:iam/role:Role": free("IAM costs nothing"),
  "aws:iam/policy:Policy": free("IAM costs nothing"),
  "aws:iam/rolePolicy:RolePolicy": free("IAM costs nothing"),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": free("IAM costs nothing"),
  "aws:iam/instanceProfile:InstanceProfile": free("IAM costs nothing"),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": free("IAM costs nothing"),
  "aws:kms/alias:Alias": free("aliases cost nothing; the key is priced"),
  "aws:ssm/parameter:Parameter": free("standard-tier Parameter Store parameters cost nothing (advanced ones would be billed per parameter-month)"),
  "aws:eks/addon:Addon": free("an add-on costs nothing by itself; its pods run on the priced nodes"),
  "aws:eks/accessEntry:AccessEntry": free("access entries cost nothing"),
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": usage("usage-based: the snapshots it keeps (incremental; their size is known only after deploy)", ["ebs.snapshot.storage"]),
  // AWS storage and cost governance
  "aws:s3/bucket:Bucket": usage("usage-based: storage, requests and transfer"),
  "aws:s3/bucketV2:BucketV2": usage("usage-based: storage, requests and transfer"),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": free("bucket settings cost nothing"),
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": free("bucket settings cost nothing"),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": free("bucket settings cost nothing"),
  "aws:s3/bucketPolicy:BucketPolicy": free("bucket settings cost nothing"),
  "aws:s3/bucketLogging:BucketLogging": free("bucket settings cost nothing; the log objects are billed as the log bucket's storage"),
  "aws:s3/bucketVersioning:BucketVersioning": free("bucket settings cost nothing; the versions are storage of the bucket"),
  "aws:s3/bucketVersioningV2:BucketVersioningV2": free("bucket settings cost nothing; the versions are storage of the bucket"),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": free("bucket settings cost nothing"),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": free("bucket settings cost nothing"),
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": free("bucket settings cost nothing"),
  "aws:budgets/budget:Budget": usage("account-wide: the first two budgets of an account are free, further ones are billed per budget-day"),
  "aws:costexplorer/costAllocationTag:CostAllocationTag": free("activating a cost allocation tag costs nothing"),
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": free("Cost Anomaly Detection costs nothing"),
  "aws:costexplorer/anomalySubscription:AnomalySubscription": free("Cost Anomaly Detection costs nothing"),
  "aws:bcmdata/export:Export": free("a data export costs nothing; its files are storage of the target bucket"),
  "aws:cur/reportDefinition:ReportDefinition": free("a cost and usage report costs nothing; its files are storage of the target bucket"),
  "aws:scheduler/schedule:Schedule": free("EventBridge Scheduler's first 14 million invocations a month cost nothing; a VM's start and stop are a few dozen"),
  "aws:sns/topic:Topic": usage("usage-based: requests and deliveries"),
  "aws:sns/topicSubscription:TopicSubscription": free("subscriptions cost nothing; deliveries are billed on the topic"),
  "aws:sns/topicPolicy:TopicPolicy": free("topic policies cost nothing"),
  // GCP
  "gcp:compute/network:Network": free("a VPC network costs nothing; what runs in it is billed"),
  "gcp:compute/subnetwork:Subnetwork": free("subnetworks cost nothing (flow logs, if enabled, are billed as logging)"),
  "gcp:compute/firewall:Firewall": free("firewall rules cost nothing"),
  "gcp:compute/router:Router": free("a Cloud Router costs nothing; its NAT is priced"),
  "gcp:compute/instanceGroup:InstanceGroup": free("unmanaged instance groups cost nothing"),
  "gcp:compute/regionHealthCheck:RegionHealthCheck": free("health checks cost nothing"),
  "gcp:compute/regionBackendService:RegionBackendService": free("a backend service costs nothing; the forwarding rule and processed data are billed"),
  "gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment": free("an attachment costs nothing; the schedule's snapshots are billed"),
  "gcp:serviceaccount/account:Account": free("service accounts cost nothing"),
  "gcp:projects/iAMMember:IAMMember": free("IAM costs nothing"),
  "gcp:serviceaccount/iAMMember:IAMMember": free("IAM costs nothing"),
  "gcp:projects/service:Service": free("enabling an API costs nothing"),
  "gcp:dns/recordSet:RecordSet": usage("usage-based: DNS queries (the managed zone carries the monthly fee)"),
  "gcp:sql/database:Database": free("a database costs nothing by itself; its instance is priced"),
  "gcp:sql/user:User": free("database users cost nothing"),
  "gcp:servicenetworking/connection:Connection": free("private services access costs nothing; traffic to the services is billed by them"),
  "gcp:compute/sSLPolicy:SSLPolicy": free("SSL policies cost nothing"),
  "gcp:storage/bucket:Bucket": usage("usage-based: storage, operations and transfer"),
  "gcp:bigquery/dataset:Dataset": usage("usage-based: storage and queries"),
  "gcp:bigquery/table:Table": usage("usage-based: storage and queries"),
  "gcp:billing/budget:Budget": free("Cloud Billing budgets cost nothing"),
  "gcp:monitoring/notificationChannel:NotificationChannel": free("notification channels cost nothing"),
  "gcp:pubsub/topic:Topic": usage("usage-based: throughput"),
  "gcp:monitoring/alertPolicy:AlertPolicy": usage(
    "usage-based: Cloud Monitoring alerting bills per condition a month and per time series the conditions return (Google Cloud Observability pricing); the series a condition returns are known only once it runs",
  ),
  "gcp:cloudscheduler/job:Job": usage("billed per job a month beyond a free allowance of jobs shared by the whole billing account (Cloud Scheduler pricing), which no single stack can know"),
  "gcp:logging/projectSink:ProjectSink": free("a log sink costs nothing; its destination is billed"),
  // Kubernetes objects that only configure the cluster
  "kubernetes:core/v1:Namespace": free("namespaces cost nothing"),
  "kubernetes:core/v1:ConfigMap": free("config maps cost nothing"),
  "kubernetes:core/v1:Secret": free("secrets cost nothing"),
  "kubernetes:core/v1:ServiceAccount": free("service accounts cost nothing"),
  "kubernetes:core/v1:ResourceQuota": free("quotas cost nothing"),
  "kubernetes:core/v1:LimitRange": free("limit ranges cost nothing"),
  "kubernetes:storage.k8s.io/v1:StorageClass": free("a storage class costs nothing; the volumes of claims using it are priced"),
  "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass": usage(
    "usage-based: the snapshots taken with it are billed per GB-month of changed blocks (EBS, persistent-disk snapshots), which the plan cannot know",
  ),
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": free("network policies cost nothing"),
  "kubernetes:policy/v1:PodDisruptionBudget": free("disruption budgets cost nothing"),
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": free("an autoscaler costs nothing; the replicas it adds share the priced nodes"),
  "kubernetes:rbac.authorization.k8s.io/v1:Role": free("RBAC costs nothing"),
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": free("RBAC costs nothing"),
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": free("RBAC costs nothing"),
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": free("RBAC costs nothing"),
  "kubernetes:monitoring.googleapis.com/v1:ClusterPodMonitoring": usage(
    "usage-based: Managed Service for Prometheus bills the samples it ingests (the estate's few series per pool and indexer, once a minute); the collectors run on the priced nodes",
  ),
  "kubernetes:networking.gke.io/v1:ManagedCertificate": free("Google-managed certificates cost nothing"),
  "kubernetes:networking.gke.io/v1beta1:FrontendConfig": free("a FrontendConfig only configures the Ingress's load balancer"),
  "kubernetes:cloud.google.com/v1:BackendConfig": free("a BackendConfig only configures the Ingress's backend service and health check"),
  "kubernetes:helm.sh/v3:Release": free(
    "a Helm release costs nothing by itself: its pods run on the priced nodes (a release whose values set resources gets their share of the node cost), and the load balancers a controller it installs creates are billed outside this plan (see Ingress)",
  ),
  "kubernetes:networking.k8s.io/v1:Ingress": usage("an ingress controller may create a cloud load balancer outside this plan; its hours and traffic are not priced here"),
  "kubernetes:batch/v1:Job": usage("usage-based: a job holds its requests only while it runs"),
  "kubernetes:batch/v1:CronJob": usage("usage-based: its jobs hold their requests only while they run"),
  // State only
  "random:index/randomPassword:RandomPassword": free("exists only in state"),
  "random:index/randomId:RandomId": free("exists only in state"),
  "random:index/randomString:RandomString": free("exists only in state"),
};
