/**
 * What the mock runtime answers in place of the clouds: the inputs echoed back plus the outputs the
 * providers would compute (ids, ARNs, endpoints), so programs that read them can run offline.
 */
const ACCOUNT = "123456789012";

type State = Record<string, unknown>;
const EXTRA_STATE: Record<string, (name: string, region: string) => State> = {
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
  "aws:lb/loadBalancer:LoadBalancer": (name, region) => ({ dnsName: `${name}-0123456789abcdef.elb.${region}.amazonaws.com` }),
  "gcp:compute/forwardingRule:ForwardingRule": (name) => ({ ipAddress: `10.0.1.${name.length % 250}` }),
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
  return { ...state, ...EXTRA_STATE[type]?.(name, region) };
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
    case "aws:ec2/getSubnet:getSubnet":
      return { id: inputs.id, availabilityZone: `${region}a` };
    case "gcp:organizations/getProject:getProject":
      return { projectId: inputs.projectId, number: "123456789012", name: inputs.projectId };
    default:
      return {};
  }
}
