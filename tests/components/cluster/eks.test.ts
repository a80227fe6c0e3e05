import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../../../components/cluster";
import { RecordedResource, SECRET_PLACEHOLDER, recordResources } from "../../../tools/plan/record";
import { arnOf, componentProblems, ofType, stateOf } from "../../helpers/resources";
import { NAMESPACES, TAGS, descendantsOf, eksArgs, named, settled } from "./fixtures";

describe("EksCluster", () => {
  let resources: RecordedResource[];
  let main: EksCluster;

  beforeAll(async () => {
    ({ resources } = await recordResources(
      () => {
        main = new EksCluster("k8s-main", eksArgs());
        new EksCluster("k8s-tools", eksArgs({ publicAccessCidrs: ["203.0.113.0/24"], nodeGroups: [eksArgs().nodeGroups[0]], namespaces: [], deletionProtection: true }));
      },
      { awsRegion: "eu-west-1" },
    ));
  });

  it("creates 19 resources (the VPC CNI add-on among them), 10 for the other add-ons (the snapshot controller and the optional ones), plus 2 per node group and 1 per namespace", () => {
    expect(descendantsOf(resources, "k8s-main")).toHaveLength(19 + 10 + 2 * 2 + 2);
    expect(descendantsOf(resources, "k8s-tools")).toHaveLength(19 + 10 + 2 * 1 + 0);
  });

  it("runs the snapshot controller, which VolumeSnapshots need and EKS does not ship", () => {
    const addon = named(resources, "k8s-main-snapshot-controller");
    expect(addon.inputs).toMatchObject({ addonName: "snapshot-controller", resolveConflictsOnUpdate: "OVERWRITE" });
  });

  it("gives every launch template IMDSv2, an encrypted gp3 root volume of diskGiB and cost tags for instances and volumes", () => {
    for (const [group, diskGiB] of [["system", 50], ["nodes", 200]] as const) {
      const lt = named(resources, `k8s-main-${group}-launch-template`).inputs;
      expect(lt.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 });
      expect(lt.blockDeviceMappings).toEqual([
        { deviceName: "/dev/xvda", ebs: { volumeSize: diskGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ]);
      expect(lt.tagSpecifications).toEqual([
        { resourceType: "instance", tags: { ...TAGS } },
        { resourceType: "volume", tags: { ...TAGS } },
      ]);
      expect(Object.keys((lt.tagSpecifications as { tags: object }[])[1].tags)).toHaveLength(6);
    }
  });

  it("runs each node group from its launch template with the AMI of its architecture", () => {
    const system = named(resources, "k8s-main-system-node-group").inputs;
    expect(system.launchTemplate).toEqual({ id: "k8s-main-system-launch-template-id", version: "1" });
    expect(system).toMatchObject({
      clusterName: named(resources, "k8s-main-cluster").inputs.name,
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      instanceTypes: ["m7i.large", "m6i.large"],
      scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 4 },
      updateConfig: { maxUnavailable: 1 },
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      nodeRoleArn: arnOf(resources, "k8s-main-node-role"),
      tags: { ...TAGS },
    });
    expect(system.diskSize).toBeUndefined();
    const spot = named(resources, "k8s-main-nodes-node-group").inputs;
    expect(spot).toMatchObject({ amiType: "AL2023_ARM_64_STANDARD", capacityType: "SPOT", launchTemplate: { id: "k8s-main-nodes-launch-template-id", version: "1" } });
  });

  it("keeps the API endpoint private without CIDRs and restricts it to them otherwise", () => {
    const privateOnly = named(resources, "k8s-main-cluster").inputs.vpcConfig;
    expect(privateOnly).toEqual({ subnetIds: ["subnet-a", "subnet-b", "subnet-c"], endpointPrivateAccess: true, endpointPublicAccess: false });
    const restricted = named(resources, "k8s-tools-cluster").inputs.vpcConfig;
    expect(restricted).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
  });

  it("encrypts secrets with its own rotating KMS key, which the cluster role may use", () => {
    const keyArn = arnOf(resources, "k8s-main-secrets-key", "eu-west-1");
    expect(named(resources, "k8s-main-secrets-key").inputs).toMatchObject({ enableKeyRotation: true, tags: { ...TAGS } });
    expect(named(resources, "k8s-main-secrets-key-alias").inputs).toMatchObject({ targetKeyId: keyArn });
    const cluster = named(resources, "k8s-main-cluster").inputs;
    expect(cluster.encryptionConfig).toEqual({ provider: { keyArn }, resources: ["secrets"] });
    const policy = JSON.parse(named(resources, "k8s-main-cluster-role-secrets-key").inputs.policy as string);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Allow", Resource: keyArn, Action: expect.arrayContaining(["kms:Encrypt", "kms:Decrypt"]) });
  });

  it("in prod, cannot be deleted and protects the key without which its secrets are lost", () => {
    expect(named(resources, "k8s-tools-cluster").inputs.deletionProtection).toBe(true);
    expect(named(resources, "k8s-tools-secrets-key").protect).toBe(true);
    expect(named(resources, "k8s-main-cluster").inputs.deletionProtection).toBe(false);
    expect(named(resources, "k8s-main-secrets-key")).toMatchObject({ protect: false, inputs: { deletionWindowInDays: 30 } });
  });

  it("logs the control plane to a tagged log group with retention, under the cluster's fixed name", () => {
    const cluster = named(resources, "k8s-main-cluster").inputs;
    expect(cluster).toMatchObject({
      version: "1.35",
      region: "eu-west-1",
      enabledClusterLogTypes: ["api", "audit", "authenticator"],
      accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: "STANDARD" },
      roleArn: expect.stringContaining("k8s-main-cluster-role"),
    });
    expect(cluster.name).toMatch(/^k8s-main-[0-9a-f]{6}$/);
    expect(named(resources, "k8s-tools-cluster").inputs.name).not.toBe(cluster.name);
    expect(named(resources, "k8s-main-control-plane-logs").inputs).toMatchObject({ name: `/aws/eks/${cluster.name}/cluster`, retentionInDays: 90, tags: { ...TAGS } });
  });

  it("registers the cluster's OIDC issuer and trusts it for the EBS CSI controller only", () => {
    const issuer = stateOf(resources, "k8s-main-cluster", "eu-west-1").identities[0].oidcs[0].issuer;
    expect(issuer).toMatch(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(named(resources, "k8s-main-oidc").inputs).toMatchObject({ url: issuer, clientIdLists: ["sts.amazonaws.com"] });
    const trust = JSON.parse(named(resources, "k8s-main-ebs-csi-role").inputs.assumeRolePolicy as string);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer.slice("https://".length)}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer.slice("https://".length)}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa",
            [`${issuer.slice("https://".length)}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
    const policies = (prefix: string) =>
      ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((r) => r.name.startsWith(prefix)).map((r) => r.inputs.policyArn);
    expect(policies("k8s-main-ebs-csi-role")).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
    expect(policies("k8s-main-cluster-role")).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    expect(policies("k8s-main-node-role").sort()).toEqual(
      ["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"].map((p) => `arn:aws:iam::aws:policy/${p}`),
    );
  });

  it("installs the EBS CSI driver with its IRSA role, tagging the volumes it provisions, and a default gp3 class", () => {
    const addon = named(resources, "k8s-main-ebs-csi-driver").inputs;
    expect(addon).toMatchObject({ addonName: "aws-ebs-csi-driver", serviceAccountRoleArn: expect.stringContaining("k8s-main-ebs-csi-role"), tags: { ...TAGS } });
    expect(JSON.parse(addon.configurationValues as string)).toEqual({ controller: { extraVolumeTags: { ...TAGS } } });
    const storageClass = named(resources, "k8s-main-gp3");
    expect(storageClass.inputs).toMatchObject({
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" }, labels: { ...TAGS } },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
    });
    expect(storageClass.provider).toContain("k8s-main-k8s");
  });

  it("keeps the kubeconfig secret and authenticates with aws eks get-token", async () => {
    const provider = named(resources, "k8s-main-k8s");
    expect(provider.type).toBe("pulumi:providers:kubernetes");
    expect(provider.inputs.kubeconfig).toBe(SECRET_PLACEHOLDER);
    expect(await pulumi.isSecret(main.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await settled(main.kubeconfig));
    const clusterName = named(resources, "k8s-main-cluster").inputs.name;
    expect(kubeconfig.clusters[0].cluster).toEqual({ server: stateOf(resources, "k8s-main-cluster", "eu-west-1").endpoint, "certificate-authority-data": "bW9jay1jYQ==" });
    expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", "eu-west-1"] });
  });

  it("creates the workload namespaces on its own cluster, labelled with their cost tags and for ALB readiness gates", () => {
    const providerRef = `${named(resources, "k8s-main-k8s").urn}::k8s-main-k8s-id`;
    for (const ns of NAMESPACES) {
      const recorded = named(resources, `k8s-main-ns-${ns.name}`);
      expect(recorded.provider).toBe(providerRef);
      expect(recorded.inputs.metadata).toEqual({
        name: ns.name,
        labels: { ...ns.tags, "pod-security.kubernetes.io/enforce": "baseline", "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
      });
    }
    expect(Object.keys(main.namespaces)).toEqual(["ethereum", "sandbox-ana"]);
  });

  it("registers its cost tags, to which the offline plan attributes its untaggable children", () => {
    expect(named(resources, "k8s-main").outputs.costTags).toEqual({ ...TAGS });
  });

  it("names, tags and classifies every child so two instances coexist", () => {
    expect(componentProblems(resources, ["k8s-main", "k8s-tools"])).toEqual([]);
  });
});

describe("EksCluster arguments", () => {
  const group = eksArgs().nodeGroups[0];
  it.each([
    ["no node groups", { nodeGroups: [] }, /nodeGroups: at least one node group/],
    ["minSize > maxSize", { nodeGroups: [{ ...group, minSize: 5, desiredSize: 5, maxSize: 3 }] }, /nodeGroups\[0\]: minSize 5 > maxSize 3/],
    ["desiredSize out of range", { nodeGroups: [{ ...group, desiredSize: 9 }] }, /nodeGroups\[0\]\.desiredSize: 9 is outside/],
    ["mixed architectures", { nodeGroups: [{ ...group, instanceTypes: ["m7i.large", "m7g.large"] }] }, /nodeGroups\[0\]\.instanceTypes: instance types mix architectures/],
    ["no instance types", { nodeGroups: [{ ...group, instanceTypes: [] }] }, /nodeGroups\[0\]\.instanceTypes: no instance types/],
    ["a tiny disk", { nodeGroups: [{ ...group, diskGiB: 8 }] }, /nodeGroups\[0\]\.diskGiB: 8 must be an integer from 20/],
    ["duplicate node groups", { nodeGroups: [group, group] }, /nodeGroups: "system" appears more than once/],
    ["a bad version", { version: "1.33.2" }, /version: "1.33.2"/],
    ["a version the autoscaler has no image for", { version: "1.34" }, /version: "1\.34" has no Cluster Autoscaler image \(its minor must match the cluster's\); known: 1\.35/],
    ["one subnet", { subnetIds: ["subnet-a"] }, /subnetIds: EKS needs subnets in at least two/],
    ["a bad CIDR", { publicAccessCidrs: ["1.2.3.4"] }, /publicAccessCidrs\[0\]: "1.2.3.4"/],
    ["a system namespace", { namespaces: [{ ...NAMESPACES[0], name: "kube-system" }] }, /namespaces\[0\]\.name: "kube-system" is a system namespace/],
    ["bad tags", { tags: { ...TAGS, owner: "Ana Smith" } }, /tags: tag "owner" has value "Ana Smith"/],
  ])("rejects %s, naming the argument", (_, overrides, message) => {
    expect(() => new EksCluster("k8s-bad", eksArgs(overrides as never))).toThrow(message);
  });

  it("reports every problem in one error", () => {
    expect(() => new EksCluster("k8s-bad", eksArgs({ version: "latest", nodeGroups: [] }))).toThrow(/^EksCluster "k8s-bad": version: .*; nodeGroups: at least one/);
  });
});
