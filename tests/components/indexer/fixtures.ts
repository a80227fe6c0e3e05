/** Arguments and helpers shared by the ChainIndexer tests. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChainIndexerArgs, IndexerConsumer } from "../../../components/indexer";
import { costTags } from "../../../components/tagging";
import { RecordedResource } from "../../../tools/plan/record";

export const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "indexer-mainnet", owner: "techops" });
export const WORKER_IMAGE = (version: string) => `ghcr.io/makerdao/chain-indexer:${version}`;
export const API_IMAGE = "ghcr.io/makerdao/chain-indexer-api:1.4.0";
export const NAMESPACE = "indexer";
export const OIDC_ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF";
export const OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF";
export const DB_SUBNETS = ["subnet-private-a", "subnet-private-b"];

/** The five consumers of the VulcanizeDB replacement (MIP40c3-SP53), as a stack would configure them. */
export const CONSUMERS: IndexerConsumer[] = [
  { name: "emergency-shutdown", reads: "GraphQL allUrns (vaults by ilk, ink and art)", via: "read API /graphql (cage-keeper)" },
  { name: "liquidations", reads: "GraphQL allBarks, allClipSales (active auctions)", via: "read API /graphql" },
  { name: "public-api", reads: "REST /v1/vaults, /v1/ilks", via: "api.makerdao.com, an ApiService over the read API" },
  { name: "analytics", reads: "GraphQL daily ilk snapshots", via: "mkranalytics.com backend" },
  { name: "forum-badges", reads: "GraphQL vault and vote history per address", via: "forum badge job" },
];

type Args = Omit<ChainIndexerArgs, "kubernetes"> & { kubernetes: Omit<ChainIndexerArgs["kubernetes"], "provider"> };

/** A prod-shaped indexer on EKS + RDS with one read replica and two deployments, blue live. */
export function awsIndexerArgs(overrides: Partial<Args> = {}): Args {
  return {
    indexer: "mainnet",
    chain: "mainnet",
    chainId: 1,
    kubernetes: {
      namespace: NAMESPACE,
      identity: { kind: "aws-irsa", oidcProviderArn: OIDC_ARN, oidcIssuerUrl: OIDC_ISSUER, region: "us-east-1" },
    },
    rpc: {
      headUrl: "http://eth-mainnet-rpc.ethereum.svc.cluster.local:8545",
      backfillUrl: "http://eth-archive-rpc.ethereum.svc.cluster.local:8545",
      egress: [{ namespace: "ethereum", podLabels: { "app.kubernetes.io/name": "ethereum-node" }, ports: [8545] }],
    },
    database: {
      engineVersion: "16",
      instanceClass: "db.r7g.large",
      storageGiB: 500,
      maxStorageGiB: 2000,
      backupRetentionDays: 14,
      highAvailability: true,
      readReplicas: 1,
      databaseName: "mainnet_indexer",
      placement: { kind: "aws", vpcId: "vpc-0123", privateSubnetIds: DB_SUBNETS, clientCidrs: ["10.20.0.0/16"] },
    },
    worker: {
      port: 42069,
      readinessPath: "/ready",
      statusPath: "/status",
      statusBlockPointer: "/mainnet/block/number",
      livenessPath: "/health",
      cpu: "2",
      memory: "4Gi",
      env: { PONDER_LOG_LEVEL: "info", PONDER_RPC_URL_1: "$(RPC_URL)" },
    },
    deployments: [
      { id: "blue", image: WORKER_IMAGE("1.4.0") },
      { id: "green", image: WORKER_IMAGE("1.5.0") },
    ],
    live: "blue",
    api: {
      image: API_IMAGE,
      port: 4000,
      probes: { readinessPath: "/ready", livenessPath: "/health" },
      resources: { cpu: "250m", memory: "512Mi" },
      replicas: { min: 2, max: 6 },
      ingress: { host: "indexer.techops.example", tls: { kind: "aws-acm", zoneId: "Z0123456789" }, dns: { kind: "route53", zoneId: "Z0123456789" } },
      env: { LOG_LEVEL: "info" },
    },
    consumers: CONSUMERS,
    tags: TAGS,
    protectData: true,
    ...overrides,
  };
}

/** The same indexer on GKE + Cloud SQL with two read replicas; `privateServices` is created inside the program. */
export function gcpIndexerArgs(privateServices: pulumi.Resource, overrides: Partial<Args> = {}): Args {
  const aws = awsIndexerArgs();
  return {
    ...aws,
    kubernetes: { namespace: NAMESPACE, identity: { kind: "gcp-workload-identity", project: "tocu-estate-prod" } },
    database: {
      ...aws.database,
      instanceClass: "db-custom-4-16384",
      readReplicas: 2,
      placement: {
        kind: "gcp",
        project: "tocu-estate-prod",
        region: "us-central1",
        network: "https://www.googleapis.com/compute/v1/projects/tocu-estate-prod/global/networks/main",
        privateServices,
      },
    },
    api: {
      ...aws.api,
      ingress: { host: "indexer.techops.example", tls: { kind: "gke-managed", project: "tocu-estate-prod" }, dns: { kind: "cloud-dns", project: "tocu-estate-prod", managedZone: "techops" } },
    },
    ...overrides,
  };
}

export function withProvider(args: Args, provider: k8s.Provider): ChainIndexerArgs {
  return { ...args, kubernetes: { ...args.kubernetes, provider } };
}

export function only(resources: readonly RecordedResource[], type: string, name?: string): RecordedResource {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`${found.length} resources of ${type}${name ? ` named ${name}` : ""}`);
  return found[0];
}

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const SERVICE = "kubernetes:core/v1:Service";
export const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
export const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const SA_IAM_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";

/** `name -> value` of a container's env list. */
export function envOf(container: any): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));
}

export function podSpec(deployment: RecordedResource): any {
  return (deployment.inputs as any).spec.template.spec;
}

export function mainContainer(deployment: RecordedResource, name: string): any {
  const container = podSpec(deployment).containers.find((c: any) => c.name === name);
  if (!container) throw new Error(`no container ${name} in ${deployment.name}`);
  return container;
}
