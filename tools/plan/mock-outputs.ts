/**
 * What the mock runtime answers in place of the clouds: the inputs echoed back plus the outputs the
 * providers would compute (ids, ARNs, endpoints), so programs that read them can run offline.
 */
import { createHash } from "node:crypto";
import { autoname, autonamedField } from "./autoname";

const ACCOUNT = "123456789012";

type State = Record<string, unknown>;
/** CloudWatch's LoadBalancer dimension and the tail of the ARN: net/<name>/<id> for NLBs, app/<name>/<id> for ALBs. */
const lbSuffix = (name: string, seed: string, state: State): string => `${state.loadBalancerType === "network" ? "net" : "app"}/${name}/${mockHex(seed, 16)}`;

/** Outputs beyond the inputs, from the physical name (the autoname where none was given) and the state so far. */
const EXTRA_STATE: Record<string, (name: string, region: string, inputs: State, seed: string, logical: string) => State> = {
  // EKS names the endpoint and the OIDC issuer by one 32-hex id of the cluster.
  "aws:eks/cluster:Cluster": (_name, region, _inputs, seed) => ({
    endpoint: `https://${mockHex(seed, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
    certificateAuthority: { data: "bW9jay1jYQ==" },
    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${mockHex(seed, 32).toUpperCase()}` }] }],
  }),
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
  "gcp:container/cluster:Cluster": (_name, _region, _inputs, _seed, logical) => ({
    endpoint: `10.0.0.${logical.length % 250}`,
    masterAuth: { clusterCaCertificate: "bW9jay1jYQ==" },
  }),
  // The account id is the part before the @; the project the account lives in names the domain.
  "gcp:serviceaccount/account:Account": (name, _region, inputs) => ({ email: `${String(inputs.accountId ?? name)}@${String(inputs.project ?? "mock-project")}.iam.gserviceaccount.com` }),
  "aws:lb/loadBalancer:LoadBalancer": (name, region, inputs, seed) => ({
    dnsName: `${name}-${mockHex(seed, 16)}.elb.${region}.amazonaws.com`,
    arnSuffix: lbSuffix(name, seed, inputs),
  }),
  // CloudWatch's TargetGroup dimension.
  "aws:lb/targetGroup:TargetGroup": (name, _region, _inputs, seed) => ({ arnSuffix: `targetgroup/${name}/${mockHex(seed, 16)}` }),
  "gcp:compute/forwardingRule:ForwardingRule": (_name, _region, _inputs, _seed, logical) => ({ ipAddress: `10.0.1.${logical.length % 250}` }),
  "gcp:compute/globalAddress:GlobalAddress": (_name, _region, _inputs, _seed, logical) => ({ address: `34.120.0.${logical.length % 250}` }),
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
  "kubernetes:networking.k8s.io/v1:Ingress": (_name, region, _inputs, _seed, logical) => ({
    status: { loadBalancer: { ingress: [{ hostname: `${logical}-0123456789.${region}.elb.amazonaws.com` }] } },
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
  "gcp:sql/databaseInstance:DatabaseInstance": (name, _region, inputs, _seed, logical) => ({
    connectionName: `${String(inputs.project ?? "mock-project")}:${String(inputs.region ?? "us-central1")}:${String(inputs.name ?? name)}`,
    privateIpAddress: `10.100.0.${logical.length % 250}`,
  }),
  "gcp:monitoring/notificationChannel:NotificationChannel": (name) => ({ name: `projects/mock-project/notificationChannels/${name}` }),
  "gcp:billing/budget:Budget": (name) => ({ name: `billingAccounts/mock/budgets/${name}` }),
};

/** A fixed-width hex string derived from `seed`: ids and suffixes the same on every run. */
export function mockHex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** ARNs in the shape each service gives them, from the resource's physical name. */
const ARN: Record<string, (physical: string, region: string, seed: string, state: State) => string> = {
  "aws:iam/role:Role": (n) => `arn:aws:iam::${ACCOUNT}:role/${n}`,
  "aws:iam/policy:Policy": (n) => `arn:aws:iam::${ACCOUNT}:policy/${n}`,
  "aws:iam/instanceProfile:InstanceProfile": (n) => `arn:aws:iam::${ACCOUNT}:instance-profile/${n}`,
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (_n, _region, _seed, state) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(state.url).replace(/^https:\/\//, "")}`,
  "aws:s3/bucket:Bucket": (n) => `arn:aws:s3:::${n}`,
  "aws:lb/loadBalancer:LoadBalancer": (n, region, seed, state) => `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/${lbSuffix(n, seed, state)}`,
  "aws:lb/targetGroup:TargetGroup": (n, region, seed) => `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/${n}/${mockHex(seed, 16)}`,
  "aws:lb/listener:Listener": (n, region, seed) => `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:listener/net/${n}/${mockHex(seed, 16)}/${mockHex(`${seed}/l`, 16)}`,
  "aws:cloudwatch/logGroup:LogGroup": (n, region) => `arn:aws:logs:${region}:${ACCOUNT}:log-group:${n}`,
  "aws:cloudwatch/metricAlarm:MetricAlarm": (n, region) => `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${n}`,
  "aws:sns/topic:Topic": (n, region) => `arn:aws:sns:${region}:${ACCOUNT}:${n}`,
  "aws:kms/key:Key": (_n, region, seed) => `arn:aws:kms:${region}:${ACCOUNT}:key/${uuid(seed)}`,
  "aws:ssm/parameter:Parameter": (n, region) => `arn:aws:ssm:${region}:${ACCOUNT}:parameter/${n.replace(/^\//, "")}`,
  "aws:eks/cluster:Cluster": (n, region) => `arn:aws:eks:${region}:${ACCOUNT}:cluster/${n}`,
  "aws:rds/instance:Instance": (n, region) => `arn:aws:rds:${region}:${ACCOUNT}:db:${n}`,
  "aws:scheduler/schedule:Schedule": (n, region) => `arn:aws:scheduler:${region}:${ACCOUNT}:schedule/default/${n}`,
  "aws:ec2/instance:Instance": (_n, region, seed) => `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-${mockHex(seed, 17)}`,
  "aws:acm/certificate:Certificate": (_n, region, seed) => `arn:aws:acm:${region}:${ACCOUNT}:certificate/${uuid(seed)}`,
};

function uuid(seed: string): string {
  const h = mockHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const getPath = (obj: State, path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as State)[k] : undefined), obj);

/** The inputs with the autonamed field filled as the provider would fill it. */
function withAutoname(type: string, name: string, urn: string, inputs: State): State {
  const field = autonamedField(type);
  if (!field || getPath(inputs, field) !== undefined) return inputs;
  if (field === "metadata.name") return { ...inputs, metadata: { ...((inputs.metadata as State | undefined) ?? {}), name: autoname(type, name, urn) } };
  return { ...inputs, [field]: autoname(type, name, urn) };
}

/** What the provider answers for a new resource: its inputs, its autoname, ARNs and self-links in their real shapes. */
export function mockState(type: string, name: string, inputs: State, region: string, urn = `${type}::${name}`): State {
  const [pkg] = type.split(":");
  const state: State = withAutoname(type, name, urn, inputs);
  const field = autonamedField(type);
  const physical = String((field ? getPath(state, field) : undefined) ?? state.name ?? name);
  state.name ??= name;
  const arn = ARN[type];
  if (arn) state.arn ??= arn(physical, region, urn, state);
  else if (pkg === "aws") state.arn ??= `arn:aws:${type.split(":")[1].split("/")[0]}:${region}:${ACCOUNT}:${physical}`;
  if (pkg === "gcp") state.selfLink ??= gcpSelfLink(type, physical, inputs);
  return { ...state, ...EXTRA_STATE[type]?.(physical, region, state, urn, name) };
}

/** `https://www.googleapis.com/compute/v1/projects/<p>/{global|regions/<r>|zones/<z>}/<collection>/<name>`. */
function gcpSelfLink(type: string, physical: string, inputs: State): string {
  const [, module] = type.split(":");
  const [service, kind] = module.split("/");
  const project = String(inputs.project ?? "mock-project");
  const collection = `${kind.replace(/^sSL/, "ssl").replace(/^iAM/, "iam")}s`;
  const scope = inputs.zone ? `zones/${String(inputs.zone)}` : inputs.region ? `regions/${String(inputs.region)}` : "global";
  if (service === "compute") return `https://www.googleapis.com/compute/v1/projects/${project}/${scope}/${collection}/${physical}`;
  return `https://${service}.googleapis.com/v1/projects/${project}/${scope === "global" ? "locations/global" : scope.replace(/^(regions|zones)/, "locations")}/${collection}/${physical}`;
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
