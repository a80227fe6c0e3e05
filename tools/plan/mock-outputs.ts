/**
 * What the mock runtime answers in place of the clouds: the inputs echoed back plus the outputs the
 * providers would compute (ids, ARNs, endpoints), so programs that read them can run offline.
 */
const ACCOUNT = "123456789012";

type State = Record<string, unknown>;
const EXTRA_STATE: Record<string, (name: string, region: string, inputs: State) => State> = {
  "aws:eks/cluster:Cluster": (name, region) => ({
    endpoint: `https://${name}.gr7.${region}.eks.amazonaws.com`,
    certificateAuthority: { data: "bW9jay1jYQ==" },
    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${name.toUpperCase()}` }] }],
  }),
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
  "gcp:container/cluster:Cluster": (name) => ({
    endpoint: `10.0.0.${name.length % 250}`,
    masterAuth: { clusterCaCertificate: "bW9jay1jYQ==" },
  }),
  "gcp:serviceaccount/account:Account": (name) => ({ email: `${name}@mock-project.iam.gserviceaccount.com` }),
  "aws:lb/loadBalancer:LoadBalancer": (name, region, inputs) => ({
    dnsName: `${name}-0123456789abcdef.elb.${region}.amazonaws.com`,
    // CloudWatch's LoadBalancer dimension: net/<name>/<id> for NLBs, app/<name>/<id> for ALBs.
    arnSuffix: `${inputs.loadBalancerType === "network" ? "net" : "app"}/${name}/0123456789abcdef`,
  }),
  // CloudWatch's TargetGroup dimension.
  "aws:lb/targetGroup:TargetGroup": (name) => ({ arnSuffix: `targetgroup/${name}/0123456789abcdef` }),
  "gcp:compute/forwardingRule:ForwardingRule": (name) => ({ ipAddress: `10.0.1.${name.length % 250}` }),
  "gcp:compute/globalAddress:GlobalAddress": (name) => ({ address: `34.120.0.${name.length % 250}` }),
  // ACM's DNS validation record for each domain of the certificate.
  "aws:acm/certificate:Certificate": (_name, _region, inputs) => ({
    domainValidationOptions: [inputs.domainName, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])].map((domainName) => ({
      domainName,
      resourceRecordName: `_0123456789abcdef0123456789abcdef.${domainName}.`,
      resourceRecordType: "CNAME",
      resourceRecordValue: `_fedcba9876543210fedcba9876543210.mock.acm-validations.aws.`,
    })),
  }),
  "aws:route53/record:Record": (_name, _region, inputs) => ({ fqdn: String(inputs.name ?? "").replace(/\.$/, "") }),
  // The address an ingress controller reports once its load balancer exists.
  "kubernetes:networking.k8s.io/v1:Ingress": (name, region) => ({
    status: { loadBalancer: { ingress: [{ hostname: `${name}-0123456789.${region}.elb.amazonaws.com` }] } },
  }),
  // RDS: the identifier (autonamed by the provider), the endpoint, and the secret RDS creates for a managed master password.
  "aws:rds/instance:Instance": (name, region, inputs) => ({
    identifier: inputs.identifier ?? name,
    // The DbiResourceId (`db-` and 26 characters) that RDS IAM authentication's rds-db:connect ARNs name.
    resourceId: `db-${name.toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(26, "0").slice(0, 26)}`,
    address: `${String(inputs.identifier ?? name)}.c0mock0db0.${region}.rds.amazonaws.com`,
    masterUserSecrets:
      inputs.manageMasterUserPassword === true
        ? [{ secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:rds!db-${name}-AbC123`, kmsKeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/mock`, secretStatus: "active" }]
        : [],
  }),
  // Cloud SQL: `project:region:instance` for the Auth Proxy, and the private address on the services range.
  "gcp:sql/databaseInstance:DatabaseInstance": (name, _region, inputs) => ({
    connectionName: `${String(inputs.project ?? "mock-project")}:${String(inputs.region ?? "us-central1")}:${String(inputs.name ?? name)}`,
    privateIpAddress: `10.100.0.${name.length % 250}`,
  }),
  "gcp:monitoring/notificationChannel:NotificationChannel": (name) => ({ name: `projects/mock-project/notificationChannels/${name}` }),
  "gcp:billing/budget:Budget": (name) => ({ name: `billingAccounts/mock/budgets/${name}` }),
};

export function mockState(type: string, name: string, inputs: State, region: string): State {
  const [pkg, module] = type.split(":");
  const state: State = { ...inputs };
  state.name ??= name;
  // An autonamed S3 bucket (the engine would pick `<name>-<random>`); bucket ARNs name no region or account.
  if (type === "aws:s3/bucket:Bucket") state.arn ??= `arn:aws:s3:::${(state.bucket ??= name)}`;
  if (pkg === "aws") state.arn ??= `arn:aws:${module.split("/")[0]}:${region}:${ACCOUNT}:${name}`;
  if (pkg === "gcp") state.selfLink ??= `https://www.googleapis.com/compute/v1/projects/mock/${name}`;
  return { ...state, ...EXTRA_STATE[type]?.(name, region, inputs) };
}

export function mockCall(token: string, inputs: State, region: string): State {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["a", "b", "c", "d", "e", "f"].map((z) => `${region}${z}`), zoneIds: [1, 2, 3, 4, 5, 6].map((i) => `use1-az${i}`) };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: "mock" };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:index/getRegion:getRegion":
      return { name: region, region };
    case "aws:lb/getLoadBalancer:getLoadBalancer": {
      // An ALB the AWS Load Balancer Controller created under this name (us-east-1's ALB hosted zone).
      const name = String(inputs.name);
      const arnSuffix = `app/${name}/0123456789abcdef`;
      return {
        name,
        arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/${arnSuffix}`,
        arnSuffix,
        dnsName: `${name}-1234567890.${region}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
        loadBalancerType: "application",
        internal: false,
      };
    }
    case "aws:ec2/getSubnet:getSubnet": {
      // A /20 per subnet id, the same every time (NetworkPolicies name the database subnets' CIDRs).
      const octet = [...String(inputs.id)].reduce((sum, c) => (sum * 31 + c.charCodeAt(0)) % 250, 0);
      return { id: inputs.id, availabilityZone: `${region}a`, cidrBlock: `10.${octet}.0.0/20` };
    }
    case "gcp:organizations/getProject:getProject":
      return { projectId: inputs.projectId, number: "123456789012", name: inputs.projectId };
    default:
      return {};
  }
}
