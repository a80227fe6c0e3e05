/** The ApiService component under Pulumi's mocks: four services side by side, one per kind of ingress and one without. */
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import { ALB_SSL_POLICY, ApiService, ApiServiceArgs, albName, gkeUrlMapNameRegex } from "../../../components/api-service";
import { RPC_CLIENT_LABEL } from "../../../components/ethereum-node/kubernetes";
import { COST_TAG_KEYS, readTags } from "../../../components/tagging";
import { runPolicies } from "../../../policies/rules";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { readPackConfig } from "../../../tools/plan/violations";
import { settled } from "../cluster/fixtures";
import { arnOf, cloudName, componentProblems, ofType } from "../../helpers/resources";
import { below } from "../network/fixtures";
import { DEPLOYMENT, HPA, IMAGE, INGRESS, NETPOL, PDB, ROUTE53, SERVICE, TAGS, apiArgs, only } from "./fixtures";

const ROOT = path.resolve(__dirname, "../../..");
const DIGEST = `sha256:${"ab".repeat(32)}`;
const SELECTOR = (name: string) => ({ "app.kubernetes.io/name": "api-service", "app.kubernetes.io/instance": name });

const PROXY: k8s.types.input.core.v1.Container = {
  name: "proxy",
  image: `gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1@${DIGEST}`,
  args: ["--port=5432", "--health-check", "--http-address=0.0.0.0"],
  readinessProbe: { httpGet: { path: "/readiness", port: 9090 } },
  livenessProbe: { httpGet: { path: "/liveness", port: 9090 } },
  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "64Mi" } },
  securityContext: { runAsUser: 65532 },
};
const PGPASS: k8s.types.input.core.v1.Container = {
  name: "pgpass",
  image: "public.ecr.aws/aws-cli/aws-cli:2.22.35",
  command: ["sh", "-c", "aws secretsmanager get-secret-value --secret-id \"$SECRET_ARN\" > /pgpass/raw"],
  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  volumeMounts: [{ name: "pgpass", mountPath: "/pgpass" }],
};

const SERVICES: Record<string, Omit<ApiServiceArgs, "provider">> = {
  "api-alb": apiArgs({
    ingress: { host: "api.techops.example", tls: { kind: "aws-acm", zoneId: "Z0ACM" }, dns: { kind: "route53", zoneId: "Z0DNS" } },
    allowFrom: ["monitoring", "analytics"],
    egress: [
      { namespace: "ethereum", podLabels: { "app.kubernetes.io/name": "ethereum-node" }, ports: [8545, 8546] },
      { cidr: "10.20.0.0/16", ports: [5432] },
    ],
    podLabels: { ...RPC_CLIENT_LABEL },
    serviceAccountName: "read-api",
    command: ["/app/server"],
    args: ["--listen=:8080"],
    pod: {
      initContainers: [PGPASS],
      sidecars: [PROXY],
      volumes: [{ name: "pgpass", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }],
      volumeMounts: [{ name: "pgpass", mountPath: "/pgpass", readOnly: true }],
    },
    latencyP95Ms: 400,
  }),
  "api-gke": apiArgs({
    ingress: { host: "vaults.techops.example", tls: { kind: "gke-managed", project: "tocu-estate-prod" }, dns: { kind: "cloud-dns", project: "tocu-estate-prod", managedZone: "techops" } },
    resources: { cpu: "500m", memory: "512Mi", cpuLimit: "2", memoryLimit: "1Gi" },
    replicas: { min: 3, max: 10, targetCpuPercent: 60 },
    readOnlyRootFilesystem: false,
    env: {},
  }),
  "api-cm": apiArgs({
    ingress: { host: "badges.techops.example", path: "/v1", tls: { kind: "cert-manager", clusterIssuer: "letsencrypt-prod", ingressClassName: "nginx" }, dns: { kind: "route53", zoneId: "Z0DNS" } },
    replicas: { min: 1, max: 2 },
  }),
  "api-internal": apiArgs({ allowFrom: ["indexer"] }),
};

type Json = any;
const spec = (r: RecordedResource): Json => r.inputs.spec;
const meta = (r: RecordedResource): Json => r.inputs.metadata;
const podSpec = (d: RecordedResource): Json => spec(d).template.spec;

describe("ApiService", () => {
  let all: RecordedResource[];
  let of: Record<string, RecordedResource[]>;
  const services: Record<string, ApiService> = {};

  beforeAll(async () => {
    ({ resources: all } = await recordResources(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      for (const [name, args] of Object.entries(SERVICES)) services[name] = new ApiService(name, { ...args, provider });
    }));
    of = Object.fromEntries(Object.keys(SERVICES).map((name) => [name, below(all, name)]));
  });

  it("coexists with other services, names every child from its own name, tags everything and classifies every type", () => {
    expect(componentProblems(all, Object.keys(SERVICES))).toEqual([]);
    expect(all.filter((r) => r.type === "estate:api-service:ApiService").map((r) => r.outputs.costTags)).toEqual(Object.keys(SERVICES).map(() => TAGS));
  });

  it("carries the cost labels on every object, the Deployment's pod template included, and never in a selector", () => {
    for (const r of all.filter((r) => r.type.startsWith("kubernetes:") && r.custom && !r.type.startsWith("pulumi:"))) {
      for (const found of readTags(r.type, r.inputs)) expect([r.name, found.field, found.tags]).toEqual([r.name, found.field, expect.objectContaining(TAGS)]);
    }
    for (const [name, resources] of Object.entries(of)) {
      const deployment = only(resources, DEPLOYMENT);
      expect(spec(deployment).template.metadata.labels).toMatchObject({ ...TAGS, ...SELECTOR(name) });
      expect(spec(deployment).selector).toEqual({ matchLabels: SELECTOR(name) });
      expect(spec(only(resources, SERVICE)).selector).toEqual(SELECTOR(name));
      expect(spec(only(resources, PDB)).selector).toEqual({ matchLabels: SELECTOR(name) });
      expect(spec(only(resources, NETPOL)).podSelector).toEqual({ matchLabels: SELECTOR(name) });
      for (const key of COST_TAG_KEYS) expect(JSON.stringify(spec(deployment).selector)).not.toContain(key);
    }
    // Extra pod labels reach the pods only.
    const alb = only(of["api-alb"], DEPLOYMENT);
    expect(spec(alb).template.metadata.labels).toMatchObject(RPC_CLIENT_LABEL);
    expect(meta(alb).labels).not.toHaveProperty("ethereum-rpc-client");
  });

  it("gives every container probes (or makes it an init container), requests, a memory limit and a locked-down security context", () => {
    for (const resources of Object.values(of)) {
      const pod = podSpec(only(resources, DEPLOYMENT));
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const init = (pod.initContainers ?? []).includes(c);
        if (!init) expect([c.name, c.readinessProbe?.httpGet, c.livenessProbe?.httpGet]).toEqual([c.name, expect.anything(), expect.anything()]);
        expect([c.name, c.resources.requests.cpu, c.resources.requests.memory, c.resources.limits.memory]).toEqual([c.name, expect.any(String), expect.any(String), expect.any(String)]);
        expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
        expect(c.image).toMatch(/:[\w.-]+(@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$/);
      }
    }
  });

  it("runs the main container from the arguments: port http, probes on the paths given, requests and limits, /tmp writable", () => {
    const alb = podSpec(only(of["api-alb"], DEPLOYMENT));
    const api = alb.containers[0];
    expect(api).toMatchObject({
      name: "api",
      image: IMAGE,
      command: ["/app/server"],
      args: ["--listen=:8080"],
      env: [{ name: "LOG_LEVEL", value: "info" }],
      ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
      readinessProbe: { httpGet: { path: "/ready", port: "http" } },
      livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
      startupProbe: { httpGet: { path: "/healthz", port: "http" } },
      resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "256Mi" } },
      securityContext: { readOnlyRootFilesystem: true, runAsUser: 10001 },
    });
    expect(api.resources.limits).not.toHaveProperty("cpu");
    expect(api.volumeMounts).toEqual([
      { name: "tmp", mountPath: "/tmp", subPath: "api" },
      { name: "pgpass", mountPath: "/pgpass", readOnly: true },
    ]);
    expect(alb.volumes).toEqual([
      { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
      { name: "pgpass", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    ]);
    expect(alb.serviceAccountName).toBe("read-api");
    expect(alb.automountServiceAccountToken).toBeUndefined();

    const gke = podSpec(only(of["api-gke"], DEPLOYMENT)).containers[0];
    expect(gke.resources).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } });
    expect(gke.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(gke).not.toHaveProperty("env");
    const internal = podSpec(only(of["api-internal"], DEPLOYMENT));
    expect(internal.automountServiceAccountToken).toBe(false);
    expect(internal).not.toHaveProperty("initContainers");
  });

  it("keeps the caller's sidecars and init containers, with their own user, under the same security rules", () => {
    const pod = podSpec(only(of["api-alb"], DEPLOYMENT));
    expect(pod.containers.map((c: Json) => c.name)).toEqual(["api", "proxy"]);
    expect(pod.containers[1].securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      runAsUser: 65532,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.initContainers.map((c: Json) => [c.name, c.command[0], c.securityContext.allowPrivilegeEscalation])).toEqual([["pgpass", "sh", false]]);
    // A /tmp of their own, so their read-only root filesystem still works.
    expect(pod.containers[1].volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp", subPath: "proxy" }]);
    expect(pod.initContainers[0].volumeMounts).toEqual([
      { name: "pgpass", mountPath: "/pgpass" },
      { name: "tmp", mountPath: "/tmp", subPath: "pgpass" },
    ]);
  });

  it("rolls out one extra pod at a time, spreads pods over zones and nodes, and drains before stopping", () => {
    for (const [name, resources] of Object.entries(of)) {
      const deployment = spec(only(resources, DEPLOYMENT));
      // The autoscaler owns the replica count: a value here would reset it on every update.
      expect(deployment).not.toHaveProperty("replicas");
      expect(deployment.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
      const pod = deployment.template.spec;
      expect(pod.topologySpreadConstraints.map((t: Json) => [t.topologyKey, t.whenUnsatisfiable, t.maxSkew, t.labelSelector.matchLabels])).toEqual([
        ["topology.kubernetes.io/zone", "ScheduleAnyway", 1, SELECTOR(name)],
        ["kubernetes.io/hostname", "ScheduleAnyway", 1, SELECTOR(name)],
      ]);
      const preStop = pod.containers[0].lifecycle.preStop.sleep.seconds;
      expect(preStop).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop);
    }
  });

  it("serves the pods on ClusterIP port 80, with the NEG and BackendConfig annotations on GKE only", () => {
    for (const [name, resources] of Object.entries(of)) {
      const service = only(resources, SERVICE);
      expect(meta(service).name).toBe(name);
      expect(spec(service)).toEqual({ type: "ClusterIP", selector: SELECTOR(name), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] });
    }
    expect(meta(only(of["api-gke"], SERVICE)).annotations).toEqual({
      "cloud.google.com/neg": '{"ingress":true}',
      "cloud.google.com/backend-config": '{"default":"api-gke-backend"}',
    });
    expect(meta(only(of["api-alb"], SERVICE)).annotations).toBeUndefined();
  });

  it("autoscales on CPU between the bounds given and lets one pod at a time be evicted", () => {
    const hpa = (name: string) => spec(only(of[name], HPA));
    expect(hpa("api-alb")).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api-alb" },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    });
    expect(hpa("api-gke")).toMatchObject({ minReplicas: 3, maxReplicas: 10, metrics: [{ resource: { target: { averageUtilization: 60 } } }] });
    expect(hpa("api-gke").behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] });
    for (const name of Object.keys(of)) {
      expect(spec(only(of[name], PDB))).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR(name) }, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    }
  });

  describe("aws-acm", () => {
    it("requests a tagged ACM certificate, validates it by a DNS record in the zone given and waits for issuance", () => {
      const cert = only(of["api-alb"], "aws:acm/certificate:Certificate").inputs;
      expect(cert).toEqual({ domainName: "api.techops.example", validationMethod: "DNS", tags: TAGS });
      const validation = ofType(of["api-alb"], ROUTE53).find((r) => r.name === "api-alb-cert-validation")!.inputs;
      expect(validation).toEqual({
        zoneId: "Z0ACM",
        name: "_0123456789abcdef0123456789abcdef.api.techops.example.",
        type: "CNAME",
        records: ["_fedcba9876543210fedcba9876543210.mock.acm-validations.aws."],
        ttl: 300,
        allowOverwrite: true,
      });
      expect(only(of["api-alb"], "aws:acm/certificateValidation:CertificateValidation").inputs).toEqual({
        certificateArn: arnOf(of["api-alb"], "api-alb-cert"),
        validationRecordFqdns: ["_0123456789abcdef0123456789abcdef.api.techops.example"],
      });
    });

    it("makes the controller create an internet-facing, HTTPS-only ALB of a fixed name, tagged, sending to pod IPs", () => {
      const ingress = only(of["api-alb"], INGRESS);
      const name = albName("api-alb", "core-unit-estate/test");
      expect(name.length).toBeLessThanOrEqual(32);
      expect(meta(ingress).annotations).toEqual({
        "alb.ingress.kubernetes.io/load-balancer-name": name,
        "alb.ingress.kubernetes.io/scheme": "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
        "alb.ingress.kubernetes.io/certificate-arn": arnOf(of["api-alb"], "api-alb-cert"),
        "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
        "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
        "alb.ingress.kubernetes.io/healthcheck-path": "/ready",
        "alb.ingress.kubernetes.io/healthcheck-port": "traffic-port",
        "alb.ingress.kubernetes.io/success-codes": "200",
        "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
        "alb.ingress.kubernetes.io/target-group-attributes": "deregistration_delay.timeout_seconds=30",
        "alb.ingress.kubernetes.io/tags": "core-unit=tocu-001,budget-line=infrastructure-tools,environment=prod,workload=api,owner=techops,managed-by=pulumi",
      });
      expect(ALB_SSL_POLICY).toMatch(/^ELBSecurityPolicy-TLS13-/);
      expect(spec(ingress)).toEqual({
        ingressClassName: "alb",
        rules: [{ host: "api.techops.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api-alb", port: { name: "http" } } } }] } }],
      });
    });

    it("aliases the host to the ALB in Route 53 and hands monitoring its ARN suffix", async () => {
      const name = albName("api-alb", "core-unit-estate/test");
      const dns = ofType(of["api-alb"], ROUTE53).find((r) => r.name === "api-alb-dns")!;
      expect(dns.inputs).toEqual({
        zoneId: "Z0DNS",
        name: "api.techops.example",
        type: "A",
        aliases: [{ name: `${name}-1234567890.us-east-1.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }],
      });
      const target = services["api-alb"].monitoringTarget;
      expect(target).toMatchObject({ kind: "api-service", service: "api-alb", latencyP95Ms: 400, loadBalancer: { kind: "aws-alb" } });
      const lb = target.loadBalancer as { arnSuffix: any };
      expect(await settled(lb.arnSuffix)).toBe(`app/${name}/0123456789abcdef`);
    });
  });

  describe("gke-managed", () => {
    it("reserves a labelled global address and a modern TLS policy, and configures certificate, redirect and health check", () => {
      const gke = of["api-gke"];
      expect(only(gke, "gcp:compute/globalAddress:GlobalAddress").inputs).toMatchObject({ project: "tocu-estate-prod", addressType: "EXTERNAL", ipVersion: "IPV4", labels: TAGS });
      expect(only(gke, "gcp:compute/sSLPolicy:SSLPolicy").inputs).toMatchObject({ project: "tocu-estate-prod", profile: "MODERN", minTlsVersion: "TLS_1_2" });
      const cert = only(gke, "kubernetes:networking.gke.io/v1:ManagedCertificate").inputs as Json;
      expect([cert.metadata.name, cert.metadata.namespace, cert.spec]).toEqual(["api-gke-cert", "api", { domains: ["vaults.techops.example"] }]);
      const frontend = only(gke, "kubernetes:networking.gke.io/v1beta1:FrontendConfig").inputs as Json;
      expect(frontend.spec).toEqual({ redirectToHttps: { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" }, sslPolicy: cloudName(of["api-gke"], "api-gke-tls") });
      const backend = only(gke, "kubernetes:cloud.google.com/v1:BackendConfig").inputs as Json;
      expect(backend.metadata.name).toBe("api-gke-backend");
      expect(backend.spec.healthCheck).toMatchObject({ type: "HTTP", requestPath: "/ready", port: 8080 });
      expect(backend.spec.connectionDraining).toEqual({ drainingTimeoutSec: 30 });
    });

    it("puts a class gce Ingress on that address with the managed certificate and the FrontendConfig", () => {
      const ingress = only(of["api-gke"], INGRESS);
      expect(meta(ingress).annotations).toEqual({
        "kubernetes.io/ingress.class": "gce",
        "kubernetes.io/ingress.global-static-ip-name": cloudName(of["api-gke"], "api-gke-ip"),
        "networking.gke.io/managed-certificates": "api-gke-cert",
        "networking.gke.io/v1beta1.FrontendConfig": "api-gke-frontend",
      });
      expect(spec(ingress)).not.toHaveProperty("ingressClassName");
      expect(spec(ingress)).not.toHaveProperty("tls");
      expect(ingress.dependencies).toEqual(expect.arrayContaining([only(of["api-gke"], "kubernetes:cloud.google.com/v1:BackendConfig").urn]));
    });

    it("points the host at the reserved address in Cloud DNS and hands monitoring the URL map's name pattern", () => {
      expect(only(of["api-gke"], "gcp:dns/recordSet:RecordSet").inputs).toEqual({
        project: "tocu-estate-prod",
        managedZone: "techops",
        name: "vaults.techops.example.",
        type: "A",
        ttl: 300,
        rrdatas: ["34.120.0.10"],
      });
      const target = services["api-gke"].monitoringTarget;
      expect(target).toEqual({
        kind: "api-service",
        service: "api-gke",
        latencyP95Ms: 1000,
        loadBalancer: { kind: "gcp-https-lb", project: "tocu-estate-prod", urlMapNameRegex: "k8s2-um-[a-z0-9]{8}-api-api-gke-[a-z0-9]{8}" },
      });
    });
  });

  describe("cert-manager", () => {
    it("asks the ClusterIssuer for a certificate in <name>-tls on the ingress class given, for the host and path", () => {
      const ingress = only(of["api-cm"], INGRESS);
      expect(meta(ingress).annotations).toEqual({ "cert-manager.io/cluster-issuer": "letsencrypt-prod" });
      expect(spec(ingress)).toEqual({
        ingressClassName: "nginx",
        tls: [{ hosts: ["badges.techops.example"], secretName: "api-cm-tls" }],
        rules: [{ host: "badges.techops.example", http: { paths: [{ path: "/v1", pathType: "Prefix", backend: { service: { name: "api-cm", port: { name: "http" } } } }] } }],
      });
    });

    it("points the host at the address the controller reports, by CNAME", () => {
      expect(only(of["api-cm"], ROUTE53).inputs).toEqual({
        zoneId: "Z0DNS",
        name: "badges.techops.example",
        type: "CNAME",
        ttl: 300,
        records: ["api-cm-ingress-0123456789.us-east-1.elb.amazonaws.com"],
      });
      expect(services["api-cm"].monitoringTarget).toEqual({ kind: "api-service", service: "api-cm", latencyP95Ms: 1000 });
    });
  });

  it("creates no ingress, certificate or DNS record without ingress", () => {
    expect(of["api-internal"].map((r) => r.type).sort()).toEqual([DEPLOYMENT, SERVICE, HPA, NETPOL, PDB].sort());
    expect(services["api-internal"].url).toBeUndefined();
  });

  it("exposes the Service's name, its in-cluster URL and the public URL", async () => {
    expect(await settled(services["api-alb"].serviceName)).toBe("api-alb");
    expect(await settled(services["api-alb"].internalUrl)).toBe("http://api-alb.api.svc.cluster.local:80");
    expect(await settled(services["api-alb"].url!)).toBe("https://api.techops.example/");
    expect(await settled(services["api-cm"].url!)).toBe("https://badges.techops.example/v1");
  });

  describe("NetworkPolicy", () => {
    const policy = (name: string): Json => spec(only(of[name], NETPOL));
    const DNS = {
      to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    };
    const http = [{ protocol: "TCP", port: 8080 }];

    it("denies by default in both directions, letting in only the namespaces allowed and the ALB's VPC addresses", () => {
      const alb = policy("api-alb");
      expect(alb.policyTypes).toEqual(["Ingress", "Egress"]);
      expect(alb.ingress).toEqual([
        { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "analytics" } } }], ports: http },
        { from: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((cidr) => ({ ipBlock: { cidr } })), ports: http },
      ]);
    });

    it("lets in Google's load balancers and health checks on GKE, the ingress controller's pods with cert-manager", () => {
      expect(policy("api-gke").ingress).toEqual([{ from: [{ ipBlock: { cidr: "35.191.0.0/16" } }, { ipBlock: { cidr: "130.211.0.0/22" } }], ports: http }]);
      expect(policy("api-cm").ingress).toEqual([{ from: [{ namespaceSelector: {} }], ports: http }]);
      expect(policy("api-internal").ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "indexer" } } }], ports: http }]);
    });

    it("lets out cluster DNS always, and the namespaces, pods and blocks named in egress on their ports only", () => {
      expect(policy("api-alb").egress).toEqual([
        DNS,
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ethereum" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "ethereum-node" } } }],
          ports: [
            { protocol: "TCP", port: 8545 },
            { protocol: "TCP", port: 8546 },
          ],
        },
        { to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] },
      ]);
      expect(policy("api-internal").egress).toEqual([DNS]);
    });
  });

  it("passes the prod policy pack with no mandatory violation, and fails it when the pod template loses its cost labels", async () => {
    const config = readPackConfig(ROOT, "prod");
    const mandatory = async (resources: readonly RecordedResource[]) => (await runPolicies(resources, {}, config)).filter((v) => v.enforcementLevel === "mandatory");
    expect(await mandatory(all)).toEqual([]);
    const stripped = all.map((r) => {
      if (r.name !== "api-gke-deployment") return r;
      const inputs = JSON.parse(JSON.stringify(r.inputs));
      delete inputs.spec.template.metadata.labels;
      return { ...r, inputs };
    });
    expect((await mandatory(stripped)).map((v) => [v.policy, v.message.split(": ")[0]])).toEqual([
      ["required-cost-tags", 'kubernetes:apps/v1:Deployment "api-gke-deployment" spec.template.metadata.labels'],
    ]);
  });
});

describe("albName", () => {
  it("is a valid ELB name of at most 32 characters, stable, and distinct per service and stack", () => {
    const long = "indexer-mainnet-production-read-api-service";
    for (const name of ["api", long, "internal-api"]) {
      const alb = albName(name, "core-unit-estate/prod");
      expect(alb).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/);
      expect(alb).not.toMatch(/^internal-/);
      expect(albName(name, "core-unit-estate/prod")).toBe(alb);
    }
    expect(albName(long, "core-unit-estate/prod")).not.toBe(albName(`${long}-2`, "core-unit-estate/prod"));
    expect(albName("api", "core-unit-estate/prod")).not.toBe(albName("api", "core-unit-estate/staging"));
  });
});

describe("gkeUrlMapNameRegex", () => {
  const full = (regex: string, name: string) => new RegExp(`^(?:${regex})$`).test(name);

  it("matches the names ingress-gce gives, trimming namespace and name together to 36 characters", () => {
    expect(full(gkeUrlMapNameRegex("api", "api-gke"), "k8s2-um-uid01234-api-api-gke-cysix1wq")).toBe(true);
    expect(full(gkeUrlMapNameRegex("api", "api-gke"), "k8s2-um-uid01234-api-api-gke2-cysix1wq")).toBe(false);
    // 26 + 24 characters: trimmed to 19 + 17 (ingress-gce's TrimFieldsEvenly).
    const regex = gkeUrlMapNameRegex("indexer-mainnet-production", "indexer-mainnet-read-api");
    expect(regex).toBe("k8s2-um-[a-z0-9]{8}-indexer-mainnet-pro-indexer-mainnet-r-[a-z0-9]{8}");
    expect(full(regex, "k8s2-um-uid01234-indexer-mainnet-pro-indexer-mainnet-r-cysix1wq")).toBe(true);
  });

  it("matches any namespace when it is only known at deploy time", () => {
    const regex = gkeUrlMapNameRegex(undefined, "indexer-mainnet-read-api");
    expect(full(regex, "k8s2-um-uid01234-indexer-mainnet-pro-indexer-mainnet-r-cysix1wq")).toBe(true);
    expect(full(regex, "k8s2-um-uid01234-api-indexer-mainnet-read-api-cysix1wq")).toBe(true);
    expect(full(regex, "k8s2-um-uid01234-api-vault-api-cysix1wq")).toBe(false);
  });
});
