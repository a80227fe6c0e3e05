import { formatProblem } from "../../stacks/config-reader";
import { configProblems, parseStack, stackValues as stack } from "../helpers/stack-config";

const problemsOf = (raw: Record<string, unknown>, name = "prod"): string[] => configProblems(raw, name);
const prodWith = (service: string, change: (s: any) => void): any => {
  const raw = stack("prod");
  change(raw.apiServices[service]);
  return raw;
};

describe("apiServices config", () => {
  it("lists prod's public API gateway on EKS and the analytics site and forum badges on GKE", () => {
    const result = parseStack(stack("prod"), "prod");
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    const byName = Object.fromEntries(result.config.apiServices.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(["public-api", "analytics", "forum-badges"]);
    expect(byName["public-api"]).toMatchObject({
      cluster: "core",
      namespace: "api",
      upstream: { indexer: "maker" },
      replicas: { min: 2, max: 10 },
      ingress: { host: "api.techops.example", path: "/", tls: "managed", dnsZone: "Z0123456789ABCDEFGHIJ" },
      readinessPath: "/ready",
      livenessPath: "/healthz",
      latencyP95Ms: 800,
    });
    expect(byName.analytics).toMatchObject({ cluster: "analytics", upstream: { url: "https://api.techops.example" }, ingress: { tls: "managed", dnsZone: "techops-example" } });
    expect(byName["forum-badges"].namespace).toBe("forum-badges");
  });

  it.each<[string, string, (s: any) => void, (string | RegExp)[]]>([
    ["an image without a tag or digest", "public-api", (s) => (s.image = "ghcr.io/techops-example/api-gateway"), [/apiServices\.public-api\.image: got "ghcr\.io\/techops-example\/api-gateway"; allowed: a container image pinned by a version tag or a sha256 digest/]],
    ["a digest that is not sha256", "public-api", (s) => (s.image = "ghcr.io/x/y@md5:abc"), [/apiServices\.public-api\.image: got "ghcr\.io\/x\/y@md5:abc"; allowed: .*sha256/]],
    ["an upstream indexer that does not exist", "public-api", (s) => (s.upstream = { indexer: "vulcanize" }), ['core-unit-estate:apiServices.public-api.upstream.indexer: got "vulcanize"; allowed: the name of an indexer declared under indexers: maker']],
    ["an upstream indexer on another cluster", "analytics", (s) => (s.upstream = { indexer: "maker" }), [
      'core-unit-estate:apiServices.analytics.upstream.indexer: got "maker"; allowed: an indexer on this service\'s cluster (analytics); maker runs on core: reach it through its public API with upstream.url',
    ]],
    ["an upstream with both indexer and url", "public-api", (s) => (s.upstream = { indexer: "maker", url: "https://x.example" }), [/apiServices\.public-api\.upstream: got .*; allowed: exactly one of indexer/]],
    ["a plain-http upstream", "analytics", (s) => (s.upstream = { url: "http://api.techops.example" }), ['core-unit-estate:apiServices.analytics.upstream.url: got "http://api.techops.example"; allowed: an https URL']],
    ["a managed certificate on EKS without a Route 53 zone", "public-api", (s) => delete s.ingress.dnsZone, [
      "core-unit-estate:apiServices.public-api.ingress.dnsZone: got nothing (the key is missing); allowed: the Route 53 hosted zone id of the host: ACM validates the certificate by a DNS record there",
    ]],
    ["a Cloud DNS zone name on EKS", "public-api", (s) => (s.ingress.dnsZone = "techops-example"), ['core-unit-estate:apiServices.public-api.ingress.dnsZone: got "techops-example"; allowed: a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ']],
    ["cert-manager without an issuer", "analytics", (s) => (s.ingress.tls = "cert-manager"), [
      "core-unit-estate:apiServices.analytics.ingress.clusterIssuer: got nothing (the key is missing); allowed: the name of a cert-manager ClusterIssuer, e.g. letsencrypt",
      "core-unit-estate:apiServices.analytics.ingress.ingressClassName: got nothing (the key is missing); allowed: the IngressClass of the cluster's controller, e.g. nginx",
    ]],
    ["an upper-case host", "analytics", (s) => (s.ingress.host = "Analytics.techops.example"), ['core-unit-estate:apiServices.analytics.ingress.host: got "Analytics.techops.example"; allowed: a DNS host name in lowercase, e.g. api.techops.example']],
    ["a namespace of another cluster", "analytics", (s) => (s.namespace = "api"), ['core-unit-estate:apiServices.analytics.namespace: got "api"; allowed: a namespace declared under clusters.analytics.namespaces: analytics, forum-badges']],
    ["a cluster that does not exist", "analytics", (s) => (s.cluster = "gke"), ['core-unit-estate:apiServices.analytics.cluster: got "gke"; allowed: the name of a cluster declared under clusters: core, analytics']],
    ["minReplicas above maxReplicas", "forum-badges", (s) => Object.assign(s, { minReplicas: 4, maxReplicas: 3 }), [/apiServices\.forum-badges: got \{"minReplicas":4,"maxReplicas":3\}; allowed: minReplicas <= maxReplicas/]],
    ["a privileged port", "forum-badges", (s) => (s.port = 80), ["core-unit-estate:apiServices.forum-badges.port: got 80; allowed: a whole number from 1024 to 65535"]],
    ["a bad CPU quantity", "forum-badges", (s) => (s.cpu = "two"), ['core-unit-estate:apiServices.forum-badges.cpu: got "two"; allowed: a Kubernetes CPU quantity, e.g. 250m or 2']],
    ["an API key in env", "forum-badges", (s) => (s.env = { DISCOURSE_API_KEY: "abc" }), [/apiServices\.forum-badges\.env\.DISCOURSE_API_KEY: got "\[not shown\]"; allowed: no credentials in config/]],
    ["two services publishing the same host and path", "forum-badges", (s) => (s.ingress.host = "analytics.techops.example"), [
      'core-unit-estate:apiServices.forum-badges.ingress.host: got "analytics.techops.example/"; allowed: a host and path no other service publishes (apiServices.analytics does)',
    ]],
  ])("rejects %s", (_, service, change, expected) => {
    const problems = problemsOf(prodWith(service, change));
    expect(problems).toHaveLength(expected.length);
    expected.forEach((e, i) => (typeof e === "string" ? expect(problems[i]).toBe(e) : expect(problems[i]).toMatch(e)));
  });

  it("refuses a managed certificate on an existing cluster", () => {
    const raw = stack("staging");
    raw.clusters.byo = { kind: "existing", namespaces: { web: {} } };
    raw.kubeconfigs = { byo: "apiVersion: v1" };
    raw.apiServices.web = { cluster: "byo", namespace: "web", image: "ghcr.io/x/web:1.0.0", ingress: { host: "web.techops.example", tls: "managed" } };
    expect(configProblems(raw, "staging", { secretKeys: ["kubeconfigs"] })).toEqual([
      'core-unit-estate:apiServices.web.ingress.tls: got "managed"; allowed: cert-manager on an existing cluster: a managed certificate needs the estate\'s EKS (ACM + ALB) or GKE (Google-managed certificate)',
    ]);
  });
});
