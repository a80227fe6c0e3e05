import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { EksCluster } from "../../../components/cluster";
import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
  AWS_LOAD_BALANCER_CONTROLLER_POLICY,
  AWS_LOAD_BALANCER_CONTROLLER_POLICY_BLOB,
  AWS_LOAD_BALANCER_CONTROLLER_VERSION,
  IamPolicyStatement,
} from "../../../components/cluster/aws-lb-controller-policy";
import { runPolicies } from "../../../policies/rules";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { readPackConfig } from "../../../tools/plan/violations";
import { arnOf, cloudName, componentProblems, ofType, stateOf } from "../../helpers/resources";
import { NAMESPACES, TAGS, descendantsOf, eksArgs, named } from "./fixtures";

const ROOT = path.resolve(__dirname, "../../..");
const POLICY = "aws:iam/policy:Policy";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const ADDON = "aws:eks/addon:Addon";

/** The statements that allow `action`. */
function allowing(statements: readonly IamPolicyStatement[], action: string): IamPolicyStatement[] {
  return statements.filter((s) => s.Effect === "Allow" && s.Action.includes(action));
}

describe("EksCluster add-ons", () => {
  let resources: RecordedResource[];
  const ignored = new Map<string, string[]>();

  beforeAll(async () => {
    ({ resources } = await recordResources(
      () => {
        // The mock monitor does not see ignoreChanges; the SDK's stack transformation does.
        pulumi.runtime.registerStackTransformation((args) => {
          ignored.set(args.name, args.opts.ignoreChanges ?? []);
          return undefined;
        });
        new EksCluster("k8s-main", eksArgs());
        new EksCluster("k8s-bare", eksArgs({ addons: { metricsServer: false, loadBalancerController: false, clusterAutoscaler: false } }));
        new EksCluster("k8s-hpa-only", eksArgs({ nodeGroups: [eksArgs().nodeGroups[0]], addons: { loadBalancerController: false, clusterAutoscaler: false } }));
      },
      { awsRegion: "eu-west-1" },
    ));
  });

  describe("AWS Load Balancer Controller", () => {
    it("pins the controller, its chart and upstream's IAM policy byte for byte", () => {
      expect(AWS_LOAD_BALANCER_CONTROLLER_VERSION).toBe("v3.5.0");
      expect(AWS_LOAD_BALANCER_CONTROLLER_CHART_VERSION).toBe("3.5.0");
      // Upstream's file is JSON with 4-space indentation and a final newline; git names a file by this hash.
      const file = `${JSON.stringify(AWS_LOAD_BALANCER_CONTROLLER_POLICY, null, 4)}\n`;
      const blob = createHash("sha1").update(`blob ${Buffer.byteLength(file)}\0${file}`).digest("hex");
      expect(blob).toBe(AWS_LOAD_BALANCER_CONTROLLER_POLICY_BLOB);
    });

    it("gives the controller's role exactly upstream's policy, tagged", () => {
      const policy = named(resources, "k8s-main-lb-controller-policy");
      expect(policy.type).toBe(POLICY);
      expect(policy.inputs.tags).toEqual({ ...TAGS });
      const document = JSON.parse(policy.inputs.policy as string) as { Version: string; Statement: IamPolicyStatement[] };
      expect(document).toEqual(AWS_LOAD_BALANCER_CONTROLLER_POLICY);
      expect(document.Statement).toHaveLength(16);

      // Creating load balancers and target groups only with the controller's cluster tag on the request...
      expect(allowing(document.Statement, "elasticloadbalancing:CreateLoadBalancer")).toEqual([
        {
          Effect: "Allow",
          Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
          Resource: "*",
          Condition: { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } },
        },
      ]);
      // ...changing or deleting only what carries it...
      const del = allowing(document.Statement, "elasticloadbalancing:DeleteLoadBalancer");
      expect(del).toHaveLength(1);
      expect(del[0].Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
      expect(allowing(document.Statement, "ec2:DeleteSecurityGroup")[0].Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
      // ...and the service-linked role of ELB only.
      expect(allowing(document.Statement, "iam:CreateServiceLinkedRole")[0].Condition).toEqual({
        StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
      });
      // Tags at creation (how the cost tags get onto the load balancers) only for its own create calls.
      const tagOnCreate = allowing(document.Statement, "elasticloadbalancing:AddTags").find((s) => s.Condition?.StringEquals);
      expect(tagOnCreate?.Condition?.StringEquals).toEqual({ "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] });
      // What the Ingress annotations of ApiService need: ACM certificates, TLS policies, target registration.
      for (const action of ["acm:DescribeCertificate", "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:ModifyTargetGroupAttributes"]) {
        expect(allowing(document.Statement, action)).not.toEqual([]);
      }
      // Nothing beyond what upstream allows: no IAM other than the service-linked role, no wildcard actions.
      const actions = document.Statement.flatMap((s) => s.Action);
      expect(actions.filter((a) => a.startsWith("iam:")).sort()).toEqual(["iam:CreateServiceLinkedRole", "iam:GetServerCertificate", "iam:ListServerCertificates"]);
      expect(actions.filter((a) => a.includes("*"))).toEqual([]);
      expect(document.Statement.every((s) => s.Effect === "Allow")).toBe(true);

      const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((r) => r.name.startsWith("k8s-main-lb-controller-role"));
      expect(attachments.map((a) => a.inputs)).toEqual([{ role: cloudName(resources, "k8s-main-lb-controller-role"), policyArn: arnOf(resources, "k8s-main-lb-controller-policy") }]);
    });

    it("lets only the controller's service account in kube-system assume its role, through the cluster's OIDC provider", () => {
      const role = named(resources, "k8s-main-lb-controller-role");
      const ISSUER = String(stateOf(resources, "k8s-main-cluster", "eu-west-1").identities[0].oidcs[0].issuer).replace(/^https:\/\//, "");
      expect(role.inputs.tags).toEqual({ ...TAGS });
      expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: arnOf(resources, "k8s-main-oidc", "eu-west-1") },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${ISSUER}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ],
      });
    });

    it("installs the pinned eks-charts chart in kube-system on the cluster's own provider", () => {
      const release = named(resources, "k8s-main-lb-controller");
      expect(release.type).toBe(RELEASE);
      expect(release.provider).toBe(`${named(resources, "k8s-main-k8s").urn}::k8s-main-k8s-id`);
      expect(release.inputs).toMatchObject({
        name: "aws-load-balancer-controller",
        namespace: "kube-system",
        chart: "aws-load-balancer-controller",
        version: "3.5.0",
        repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
        atomic: true,
      });
    });

    it("tells the controller its cluster, region and VPC, and runs it as the role's service account", () => {
      const values = named(resources, "k8s-main-lb-controller").inputs.values as Record<string, unknown>;
      expect(values).toMatchObject({
        clusterName: named(resources, "k8s-main-cluster").inputs.name,
        region: "eu-west-1",
        vpcId: "vpc-123",
        replicaCount: 2,
        serviceAccount: {
          create: true,
          name: "aws-load-balancer-controller",
          annotations: { "eks.amazonaws.com/role-arn": arnOf(resources, "k8s-main-lb-controller-role") },
        },
      });
      // The two instances do not share a cluster name (nor a role).
      expect((named(resources, "k8s-hpa-only-cluster").inputs.name as string).startsWith("k8s-hpa-only-")).toBe(true);
    });

    it("tags every load balancer it creates with the cluster's cost tags, unless the Ingress brings its own", () => {
      const values = named(resources, "k8s-main-lb-controller").inputs.values as Record<string, unknown>;
      expect(values.defaultTags).toEqual({ ...TAGS });
      expect(Object.keys(values.defaultTags as object)).toHaveLength(6);
      // Without this gate the defaults would overwrite ApiService's per-service cost tags on its ALB.
      expect(values.controllerConfig).toEqual({ featureGates: { EnableDefaultTagsLowPriority: "true" } });
    });

    it("leaves Services of type LoadBalancer to EKS unless they ask for the controller", () => {
      const values = named(resources, "k8s-main-lb-controller").inputs.values as Record<string, unknown>;
      expect(values.enableServiceMutatorWebhook).toBe(false);
    });

    it("runs its pods with cost labels, requests, a memory limit, a hardened security context, spread over zones", () => {
      const values = named(resources, "k8s-main-lb-controller").inputs.values as Record<string, unknown>;
      expect(values.podLabels).toEqual({ ...TAGS });
      expect(values.additionalLabels).toEqual({ ...TAGS });
      expect(values.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } });
      expect(values.securityContext).toEqual({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      expect(values.podSecurityContext).toMatchObject({ seccompProfile: { type: "RuntimeDefault" } });
      expect(values.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
      expect(values.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          // Stable labels only: the chart's selector labels, never cost labels.
          labelSelector: { matchLabels: { "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": "aws-load-balancer-controller" } },
        },
      ]);
    });

    it("installs once nodes and the role's policy exist, and namespaces wait for it", () => {
      const urnOf = (name: string) => named(resources, name).urn;
      const release = named(resources, "k8s-main-lb-controller");
      expect(release.dependencies).toEqual(
        expect.arrayContaining([urnOf("k8s-main-system-node-group"), urnOf("k8s-main-nodes-node-group"), urnOf("k8s-main-lb-controller-role-lb-controller")]),
      );
      for (const ns of NAMESPACES) expect(named(resources, `k8s-main-ns-${ns.name}`).dependencies).toContain(release.urn);
    });
  });

  describe("Cluster Autoscaler", () => {
    const clusterName = () => named(resources, "k8s-main-cluster").inputs.name as string;

    it("installs the pinned chart in kube-system with the image of the cluster's minor, auto-discovering the cluster's node groups", () => {
      const release = named(resources, "k8s-main-cluster-autoscaler");
      expect(release.type).toBe(RELEASE);
      expect(release.inputs).toMatchObject({
        name: "cluster-autoscaler",
        namespace: "kube-system",
        chart: "cluster-autoscaler",
        version: "9.54.0",
        repositoryOpts: { repo: "https://kubernetes.github.io/autoscaler" },
        atomic: true,
      });
      const values = release.inputs.values as any;
      expect(values).toMatchObject({
        cloudProvider: "aws",
        awsRegion: "eu-west-1",
        image: { repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: "v1.35.0" },
        autoDiscovery: { clusterName: clusterName(), tags: ["k8s.io/cluster-autoscaler/enabled", `k8s.io/cluster-autoscaler/${clusterName()}`] },
        rbac: { serviceAccount: { create: true, name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": expect.stringContaining("k8s-main-cluster-autoscaler-role") } } },
        replicaCount: 1,
        resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
        podLabels: { ...TAGS },
      });
      expect(release.inputs.values).not.toHaveProperty("autoDiscovery.tags", expect.arrayContaining([expect.stringContaining("{{")]));
      expect(release.dependencies).toEqual(expect.arrayContaining(ofType(descendantsOf(resources, "k8s-main"), "aws:eks/nodeGroup:NodeGroup").map((g) => g.urn)));
    });

    it("tags every node group for discovery and leaves its desired size to the autoscaler, within the configured min and max", () => {
      const groups = ofType(descendantsOf(resources, "k8s-main"), "aws:eks/nodeGroup:NodeGroup");
      expect(groups).toHaveLength(2);
      for (const group of groups) {
        expect(group.inputs.tags).toMatchObject({ ...TAGS, "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/${clusterName()}`]: "owned" });
      }
      for (const group of groups) expect(ignored.get(group.name)).toEqual(["scalingConfig.desiredSize"]);
      for (const group of ofType(descendantsOf(resources, "k8s-bare"), "aws:eks/nodeGroup:NodeGroup")) expect(ignored.get(group.name)).toEqual([]);
      const [config] = eksArgs().nodeGroups;
      expect(named(resources, `k8s-main-${config.name}-node-group`).inputs.scalingConfig).toEqual({ minSize: config.minSize, desiredSize: config.desiredSize, maxSize: config.maxSize });
    });

    it("may change only Auto Scaling groups tagged as this cluster's, through a role only its service account assumes", () => {
      const policy = JSON.parse(named(resources, "k8s-main-cluster-autoscaler-policy").inputs.policy as string);
      const writes = policy.Statement.filter((s: any) => s.Action.some((a: string) => /SetDesiredCapacity|TerminateInstance/.test(a)));
      expect(writes).toEqual([
        {
          Effect: "Allow",
          Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
          Resource: "*",
          Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true", [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName()}`]: "owned" } },
        },
      ]);
      for (const s of policy.Statement.filter((s: any) => !writes.includes(s))) for (const a of s.Action) expect(a).toMatch(/^(autoscaling|ec2|eks):(Describe|Get)/);
      const trust = JSON.parse(named(resources, "k8s-main-cluster-autoscaler-role").inputs.assumeRolePolicy as string);
      expect(JSON.stringify(trust)).toContain("system:serviceaccount:kube-system:cluster-autoscaler");
      expect(named(resources, "k8s-main-cluster-autoscaler-role-cluster-autoscaler").inputs.policyArn).toContain("k8s-main-cluster-autoscaler-policy");
    });
  });

  describe("VPC CNI", () => {
    it("is managed on every cluster, whatever the switches, with network policy enforcement on, before any node joins", () => {
      for (const cluster of ["k8s-main", "k8s-bare", "k8s-hpa-only"]) {
        const addon = named(resources, `${cluster}-vpc-cni`);
        expect(addon.inputs).toMatchObject({
          addonName: "vpc-cni",
          clusterName: named(resources, `${cluster}-cluster`).inputs.name,
          region: "eu-west-1",
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          tags: { ...TAGS },
        });
        expect(JSON.parse(addon.inputs.configurationValues as string)).toEqual({ enableNetworkPolicy: "true" });
        for (const group of ofType(descendantsOf(resources, cluster), "aws:eks/nodeGroup:NodeGroup")) expect(group.dependencies).toContain(addon.urn);
      }
    });
  });

  describe("metrics-server", () => {
    it("is the EKS community add-on, tagged, at the version EKS picks for the cluster", () => {
      const addon = named(resources, "k8s-main-metrics-server");
      expect(addon.type).toBe(ADDON);
      expect(addon.inputs).toMatchObject({
        addonName: "metrics-server",
        clusterName: named(resources, "k8s-main-cluster").inputs.name,
        region: "eu-west-1",
        resolveConflictsOnCreate: "OVERWRITE",
        tags: { ...TAGS },
      });
      expect(addon.inputs.addonVersion).toBeUndefined();
      expect(addon.dependencies).toEqual(expect.arrayContaining([named(resources, "k8s-main-system-node-group").urn]));
    });
  });

  describe("switched off", () => {
    it("creates neither add-on, and leaves the namespaces as before", () => {
      const bare = descendantsOf(resources, "k8s-bare");
      expect(bare.filter((r) => r.type === RELEASE || r.type === POLICY)).toEqual([]);
      expect(bare.filter((r) => r.type === ADDON).map((r) => r.inputs.addonName).sort()).toEqual(["aws-ebs-csi-driver", "snapshot-controller", "vpc-cni"]);
      expect(bare.filter((r) => ["lb-controller", "metrics-server", "cluster-autoscaler"].some((part) => r.name.includes(part)))).toEqual([]);
      for (const group of ofType(bare, "aws:eks/nodeGroup:NodeGroup")) expect(Object.keys(group.inputs.tags as object).filter((k) => k.startsWith("k8s.io/"))).toEqual([]);
      for (const ns of NAMESPACES) {
        const recorded = named(resources, `k8s-bare-ns-${ns.name}`);
        expect(recorded.inputs.metadata).toEqual({ name: ns.name, labels: { ...ns.tags, "pod-security.kubernetes.io/enforce": "baseline" } });
        expect(recorded.dependencies).toEqual([]);
      }
    });

    it("installs each add-on on its own switch", () => {
      const hpaOnly = descendantsOf(resources, "k8s-hpa-only");
      expect(hpaOnly.filter((r) => r.type === ADDON).map((r) => r.inputs.addonName).sort()).toEqual(["aws-ebs-csi-driver", "metrics-server", "snapshot-controller", "vpc-cni"]);
      expect(hpaOnly.filter((r) => r.type === RELEASE)).toEqual([]);
      expect(named(resources, "k8s-hpa-only-ns-ethereum").inputs.metadata).not.toHaveProperty(["labels", "elbv2.k8s.aws/pod-readiness-gate-inject"]);
    });
  });

  it("names, tags and classifies every child so the instances coexist", () => {
    expect(componentProblems(resources, ["k8s-main", "k8s-bare", "k8s-hpa-only"])).toEqual([]);
  });

  it("passes the prod policy pack with no violation on what the add-ons add", async () => {
    // (The fixture's sandbox namespace is charged to a line prod does not allow: the add-ons alone are judged here.)
    const added = resources.filter((r) => r.name.includes("lb-controller") || r.name.includes("metrics-server"));
    expect(added.map((r) => r.type).sort()).toEqual(
      [ADDON, ADDON, POLICY, "aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", RELEASE].sort(),
    );
    expect(await runPolicies(added, {}, readPackConfig(ROOT, "prod"))).toEqual([]);
  });
});
