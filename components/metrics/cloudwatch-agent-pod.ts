/**
 * The CloudWatch agent's pod on EKS, as pure data: one non-root container with a read-only root filesystem (its
 * translated config, pid file and logs go to emptyDirs), the two ConfigMaps mounted where the agent reads them in
 * container mode, and probes on its EMF listener (the agent serves no health endpoint of its own).
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The CloudWatch agent's public image; it reads /etc/cwagentconfig (agent JSON) and the Prometheus config it names. Bump here. */
export const CLOUDWATCH_AGENT_IMAGE = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300062.0b1304";
/** Where the agent reads its JSON configuration in container mode, and where its Prometheus scrape config is mounted. */
export const AGENT_CONFIG_DIR = "/etc/cwagentconfig";
export const AGENT_CONFIG_KEY = "cwagentconfig.json";
export const SCRAPE_CONFIG_DIR = "/etc/prometheusconfig";
export const SCRAPE_CONFIG_KEY = "prometheus.yaml";
/** The agent's EMF listener: opened so the probes have something to check; no NetworkPolicy admits anyone else. */
export const EMF_PORT = 25888;
export const AGENT_UID = 10001;
const AGENT_HOME = "/opt/aws/amazon-cloudwatch-agent";
/** What the agent writes at start and while it runs. */
const WRITABLE: readonly [volume: string, path: string][] = [
  ["agent-etc", `${AGENT_HOME}/etc`],
  ["agent-var", `${AGENT_HOME}/var`],
  ["agent-logs", `${AGENT_HOME}/logs`],
  ["tmp", "/tmp"],
];

export interface AgentPodInput {
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
  readonly agentConfigMap: pulumi.Input<string>;
  readonly scrapeConfigMap: pulumi.Input<string>;
  readonly region: string;
  /** A hash of both configurations: a new configuration rolls the pod. */
  readonly configChecksum: pulumi.Input<string>;
}

export function agentPodTemplate(input: AgentPodInput): k8s.types.input.core.v1.PodTemplateSpec {
  const probe = (periodSeconds: number, failureThreshold: number) => ({ tcpSocket: { port: EMF_PORT }, periodSeconds, timeoutSeconds: 5, failureThreshold });
  return {
    metadata: { labels: { ...input.labels }, annotations: { "checksum/config": input.configChecksum } },
    spec: {
      serviceAccountName: input.serviceAccountName,
      // Kubernetes service discovery lists pods with the service account's token.
      automountServiceAccountToken: true,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      securityContext: { runAsNonRoot: true, runAsUser: AGENT_UID, runAsGroup: AGENT_UID, fsGroup: AGENT_UID, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "cloudwatch-agent",
          image: CLOUDWATCH_AGENT_IMAGE,
          imagePullPolicy: "IfNotPresent",
          // Nodes' instance metadata may be out of reach (hop limit); the agent and its SDK get the region here.
          env: [
            { name: "RUN_IN_CONTAINER", value: "True" },
            { name: "AWS_REGION", value: input.region },
          ],
          ports: [{ name: "emf", containerPort: EMF_PORT, protocol: "TCP" }],
          resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
          },
          startupProbe: probe(10, 30),
          readinessProbe: probe(20, 3),
          livenessProbe: probe(30, 4),
          volumeMounts: [
            { name: "agent-config", mountPath: AGENT_CONFIG_DIR, readOnly: true },
            { name: "scrape-config", mountPath: SCRAPE_CONFIG_DIR, readOnly: true },
            ...WRITABLE.map(([name, mountPath]) => ({ name, mountPath })),
          ],
        },
      ],
      volumes: [
        { name: "agent-config", configMap: { name: input.agentConfigMap, defaultMode: 0o444 } },
        { name: "scrape-config", configMap: { name: input.scrapeConfigMap, defaultMode: 0o444 } },
        ...WRITABLE.map(([name]) => ({ name, emptyDir: { sizeLimit: "256Mi" } })),
      ],
    },
  };
}
