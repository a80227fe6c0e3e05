/** ApiService refuses bad arguments before registering anything, with one error naming each bad argument. */
import { ApiService, ApiServiceArgs, apiServiceProblems } from "../../../components/api-service";
import { costTags } from "../../../components/tagging";
import { TAGS, invalid } from "./fixtures";

const ACM = { kind: "aws-acm", zoneId: "Z0ACM" } as const;
const GKE = { kind: "gke-managed", project: "tocu-estate-prod" } as const;
const CERT_MANAGER = { kind: "cert-manager", clusterIssuer: "letsencrypt-prod", ingressClassName: "nginx" } as const;
const ingress = (more: Partial<NonNullable<ApiServiceArgs["ingress"]>>): ApiServiceArgs["ingress"] => ({ host: "api.techops.example", tls: ACM, ...more });
const sidecar = { name: "proxy", image: "ghcr.io/x/proxy:1.0.0", readinessProbe: {}, livenessProbe: {}, resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "16Mi" } } };

const problems = (more: Partial<ApiServiceArgs>, name = "api") => apiServiceProblems(name, invalid(more));

describe("apiServiceProblems", () => {
  it("finds nothing wrong with valid arguments of every kind", () => {
    expect(problems({})).toEqual([]);
    expect(problems({ ingress: ingress({ dns: { kind: "route53", zoneId: "Z0DNS" } }) })).toEqual([]);
    expect(problems({ ingress: ingress({ tls: GKE, dns: { kind: "cloud-dns", project: "p", managedZone: "z" } }) })).toEqual([]);
    expect(problems({ ingress: ingress({ tls: CERT_MANAGER, path: "/v1/", dns: { kind: "route53", zoneId: "Z0DNS" } }) })).toEqual([]);
    expect(problems({ pod: { sidecars: [sidecar], initContainers: [{ ...sidecar, name: "init", readinessProbe: undefined }] } })).toEqual([]);
  });

  it.each<[string, Partial<ApiServiceArgs>, RegExp]>([
    ["an image without a tag", { image: "ghcr.io/makerdao/vault-api" }, /^image: "ghcr.io\/makerdao\/vault-api" has no tag or digest/],
    ["an image tagged latest", { image: "nginx:latest" }, /^image: "nginx:latest" uses the tag "latest"/],
    ["port 0", { port: 0 }, /^port: 0 must be an integer from 1 to 65535$/],
    ["port 70000", { port: 70000 }, /^port: 70000 must be an integer from 1 to 65535$/],
    ["a fractional port", { port: 80.5 }, /^port: 80.5 must be an integer/],
    ["min above max", { replicas: { min: 4, max: 2 } }, /^replicas: min 4 is above max 2$/],
    ["min below 1", { replicas: { min: 0, max: 2 } }, /^replicas.min: 0 must be an integer from 1/],
    // Holding plans no pod without relaxing the bounds the service gets back when the hold is lifted.
    ["min below 1, held", { replicas: { min: 0, max: 2 }, held: true }, /^replicas.min: 0 must be an integer from 1/],
    ["a CPU target of 0", { replicas: { min: 1, max: 2, targetCpuPercent: 0 } }, /^replicas.targetCpuPercent: 0 must be an integer from 1 to 100$/],
    ["a CPU request that is no quantity", { resources: { cpu: "a lot", memory: "1Gi" } }, /^resources.cpu: "a lot" is not a positive CPU quantity/],
    ["a memory request that is no quantity", { resources: { cpu: "1", memory: "1GB" } }, /^resources.memory: "1GB" is not a positive memory quantity/],
    ["a memory limit below the request", { resources: { cpu: "1", memory: "1Gi", memoryLimit: "512Mi" } }, /^resources.memoryLimit: 512Mi is below the request 1Gi$/],
    ["a CPU limit below the request", { resources: { cpu: "1", memory: "1Gi", cpuLimit: "500m" } }, /^resources.cpuLimit: 500m is below the request 1$/],
    ["a relative readiness path", { probes: { readinessPath: "ready", livenessPath: "/healthz" } }, /^probes.readinessPath: "ready" must be a URL path starting with "\/"$/],
    ["a liveness path with a space", { probes: { readinessPath: "/ready", livenessPath: "/health z" } }, /^probes.livenessPath: /],
    ["a host in capitals", { ingress: ingress({ host: "API.techops.example" }) }, /^ingress.host: "API.techops.example" is not a fully qualified lowercase host name$/],
    ["a host without a domain", { ingress: ingress({ host: "localhost" }) }, /^ingress.host: "localhost" is not a fully qualified/],
    ["a wildcard host", { ingress: ingress({ host: "*.techops.example" }) }, /^ingress.host: "\*.techops.example" is not a fully qualified/],
    ["a URL as host", { ingress: ingress({ host: "https://api.techops.example" }) }, /^ingress.host: /],
    ["a host too long for a managed certificate", { ingress: ingress({ tls: GKE, host: `${"a".repeat(60)}.example` }) }, /^ingress.host: .* is longer than 63 characters, the most a gke-managed certificate takes$/],
    ["a path not starting with /", { ingress: ingress({ path: "v1" }) }, /^ingress.path: "v1" must be a URL path starting with "\/"$/],
    ["aws-acm with Cloud DNS", { ingress: ingress({ dns: { kind: "cloud-dns", project: "p", managedZone: "z" } }) }, /^ingress.dns: aws-acm validates its certificate in Route 53 and aliases the ALB there; use dns kind route53/],
    ["aws-acm without a Route 53 zone", { ingress: ingress({ tls: { kind: "aws-acm", zoneId: "" } }) }, /^ingress.tls.zoneId: required$/],
    ["an unknown TLS kind", { ingress: ingress({ tls: { kind: "self-signed" } as never }) }, /^ingress.tls.kind: "self-signed" must be one of aws-acm, gke-managed, cert-manager$/],
    ["gke-managed without a project", { ingress: ingress({ tls: { kind: "gke-managed", project: "" } }) }, /^ingress.tls.project: required$/],
    ["a ClusterIssuer name with spaces", { ingress: ingress({ tls: { ...CERT_MANAGER, clusterIssuer: "Let's Encrypt" } }) }, /^ingress.tls.clusterIssuer: "Let's Encrypt" is not a ClusterIssuer name$/],
    ["cert-manager without an ingress class", { ingress: ingress({ tls: { ...CERT_MANAGER, ingressClassName: "" } }) }, /^ingress.tls.ingressClassName: "" is not an IngressClass name$/],
    ["Cloud DNS without a managed zone", { ingress: ingress({ tls: GKE, dns: { kind: "cloud-dns", project: "p", managedZone: "" } }) }, /^ingress.dns.managedZone: required$/],
    ["an unknown DNS kind", { ingress: ingress({ dns: { kind: "azure" } as never }) }, /^ingress.dns.kind: "azure" must be one of route53, cloud-dns$/],
    ["a password in env", { env: { DB_PASSWORD: "hunter2" } }, /^env.DB_PASSWORD: looks like a credential; no secret value may be a resource input/],
    ["an invalid env name", { env: { "1=x": "y" } }, /^env.1=x: not a valid environment variable name$/],
    ["an allowFrom that is no namespace", { allowFrom: ["Monitoring"] }, /^allowFrom\[0\]: "Monitoring" is not a namespace name$/],
    ["an egress CIDR with host bits", { egress: [{ cidr: "10.0.0.1/8", ports: [443] }] }, /^egress\[0\].cidr: "10.0.0.1\/8" is not an IPv4 CIDR block$/],
    ["an egress without ports", { egress: [{ namespace: "ethereum", ports: [] }] }, /^egress\[0\].ports: name at least one port$/],
    ["an egress port out of range", { egress: [{ namespace: "ethereum", ports: [0] }] }, /^egress\[0\].ports\[0\]: 0 must be an integer/],
    ["a pod label overriding the selector", { podLabels: { "app.kubernetes.io/instance": "other" } }, /^podLabels.app.kubernetes.io\/instance: set by the component/],
    ["a pod label overriding a cost label", { podLabels: { "budget-line": "rnd-poc" } }, /^podLabels.budget-line: set by the component/],
    ["a sidecar without probes", { pod: { sidecars: [{ ...sidecar, livenessProbe: undefined }] } }, /^pod.sidecars\[0\]: a sidecar needs a readinessProbe and a livenessProbe$/],
    ["a sidecar without requests", { pod: { sidecars: [{ ...sidecar, resources: undefined }] } }, /^pod.sidecars\[0\].resources: requests \(cpu, memory\) and a memory limit are required$/],
    ["a sidecar without a memory limit", { pod: { sidecars: [{ ...sidecar, resources: { requests: { cpu: "1m", memory: "1Mi" } } }] } }, /^pod.sidecars\[0\].resources: limits must name memory$/],
    ["a sidecar on latest", { pod: { sidecars: [{ ...sidecar, image: "ghcr.io/x/proxy:latest" }] } }, /^pod.sidecars\[0\].image: .* uses the tag "latest"/],
    ["a privileged init container", { pod: { initContainers: [{ ...sidecar, securityContext: { privileged: true } }] } }, /^pod.initContainers\[0\].securityContext: privileged containers are not allowed$/],
    ["an init container running as root", { pod: { initContainers: [{ ...sidecar, securityContext: { runAsUser: 0 } }] } }, /^pod.initContainers\[0\].securityContext: containers run as non-root$/],
    ["a sidecar named like the main container", { pod: { sidecars: [{ ...sidecar, name: "api" }] } }, /^pod.sidecars\[0\].name: "api" is the main container's name$/],
    ["a volume named tmp", { pod: { volumes: [{ name: "tmp", emptyDir: {} }] } }, /^pod.volumes: "tmp" is the component's \/tmp volume$/],
    ["a mount of a volume the pod lacks", { pod: { volumeMounts: [{ name: "data", mountPath: "/data" }] } }, /^pod.volumeMounts\[0\]: no volume "data" in pod.volumes$/],
    ["a namespace that is no DNS label", { namespace: "API" }, /^namespace: "API" is not a namespace name$/],
    ["a negative latency threshold", { latencyP95Ms: -1 }, /^latencyP95Ms: -1 must be a positive number of milliseconds$/],
    ["tags with a bad value", { tags: { ...TAGS, owner: "Tech Ops" } }, /^tags: /],
  ])("rejects %s", (_what, more, message) => {
    const found = problems(more);
    expect(found).toEqual([expect.stringMatching(message)]);
  });

  it("rejects a component name that cannot name Kubernetes objects", () => {
    expect(problems({}, "API")).toEqual([expect.stringMatching(/^name: "API" must be 1-52 lowercase letters/)]);
    expect(problems({}, `a${"b".repeat(52)}`)).toEqual([expect.stringMatching(/^name: /)]);
  });

  it("rejects tags missing a cost tag", () => {
    const partial: Record<string, string> = { ...costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "prod", workload: "api", owner: "techops" }) };
    delete partial.owner;
    expect(problems({ tags: partial as never })).toEqual([expect.stringMatching(/^tags: .*owner/)]);
  });
});

describe("new ApiService", () => {
  it("throws one error naming the component and every bad argument, before registering anything", () => {
    const args = invalid({ image: "nginx", port: 0, replicas: { min: 3, max: 1 }, ingress: ingress({ host: "localhost", path: "v1" }) });
    expect(() => new ApiService("vault-api", args)).toThrow(
      new Error(
        'ApiService "vault-api": image: "nginx" has no tag or digest: pin a version tag or a sha256 digest; port: 0 must be an integer from 1 to 65535; ' +
          'replicas: min 3 is above max 1; ingress.host: "localhost" is not a fully qualified lowercase host name; ingress.path: "v1" must be a URL path starting with "/"',
      ),
    );
  });
});
