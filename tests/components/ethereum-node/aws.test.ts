/** The EC2 builder of the EthereumNode pool, recorded under Pulumi's mocks: a prod and a staging pool side by side. */
import * as pulumi from "@pulumi/pulumi";
import { AwsPlacement, buildAwsNodePool } from "../../../components/ethereum-node/aws";
import { findClient, imageRef } from "../../../components/ethereum-node/clients";
import { HEALTH_PORT } from "../../../components/ethereum-node/containers";
import { CLOUDWATCH_NAMESPACE } from "../../../components/monitoring/targets";
import { NodePoolEndpoints } from "../../../components/ethereum-node/plan";
import { JWT_GENERATE_COMMAND } from "../../../components/ethereum-node/vm-scripts";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { cloudName, componentProblems, ofType } from "../../helpers/resources";
import { descendantsOf, named, settled } from "../cluster/fixtures";
import { CapturedOptions, HEX_SECRET, buildPool, optionsOf, poolPlan, tagsFor } from "./vm-fixtures";
import { decodeUserData, userDataBytes } from "../../../components/ethereum-node/user-data";

const REGION = "eu-west-1";
const VPC_CIDR = "10.10.0.0/16";
const placement = (overrides: Partial<AwsPlacement> = {}): AwsPlacement => ({
  kind: "aws",
  region: REGION,
  vpcId: "vpc-123",
  vpcCidr: VPC_CIDR,
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  instanceType: "r7g.2xlarge",
  ...overrides,
});

const MAIN = poolPlan({ execution: "geth", consensus: "lighthouse", count: 3, protectData: true, environment: "prod" });
const TEST = poolPlan({ execution: "nethermind", consensus: "teku", chain: "hoodi", count: 1, protectData: false });

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const portKey = (protocol: unknown, port: unknown) => `${String(protocol).toLowerCase()}/${port}`;
const userDataOf = (r: RecordedResource) => decodeUserData(r.inputs.userData as string);

describe("buildAwsNodePool", () => {
  let resources: RecordedResource[];
  let main: NodePoolEndpoints;
  const captured = new Map<pulumi.Resource, CapturedOptions>();
  const below = (pool: string, type?: string) => descendantsOf(resources, pool).filter((r) => !type || r.type === type);

  beforeAll(async () => {
    ({ resources } = await recordResources(
      () => {
        main = buildPool(buildAwsNodePool, "eth-main", MAIN, placement(), captured);
        buildPool(buildAwsNodePool, "eth-test", TEST, placement({ instanceType: "m7i.xlarge", publicSubnetIds: ["subnet-pub-c"] }), captured);
      },
      { awsRegion: REGION },
    ));
  });

  it("creates 18 resources per pool, one ingress rule per private port and two per P2P port, and 5 per node", () => {
    for (const [pool, plan] of [["eth-main", MAIN], ["eth-test", TEST]] as const) {
      expect(below(pool)).toHaveLength(18 + 2 * plan.ports.public.length + plan.ports.private.length + 5 * plan.count);
    }
    expect(below("eth-main", "aws:ec2/instance:Instance")).toHaveLength(3);
    expect(below("eth-main", "aws:ebs/volume:Volume")).toHaveLength(3);
  });

  it("opens P2P to the internet over IPv4 and IPv6, the RPC gates and every other port to the VPC only, the clients' RPC, the engine API and SSH nowhere", () => {
    for (const [pool, plan] of [["eth-main", MAIN], ["eth-test", TEST]] as const) {
      const rules = below(pool, INGRESS).map((r) => r.inputs);
      const from = (source: Record<string, unknown>) => rules.filter((r) => Object.entries(source).every(([k, v]) => r[k] === v)).map((r) => portKey(r.ipProtocol, r.fromPort)).sort();
      const publicPorts = plan.ports.public.map((p) => portKey(p.protocol, p.port)).sort();
      expect(from({ cidrIpv4: "0.0.0.0/0" })).toEqual(publicPorts);
      expect(from({ cidrIpv6: "::/0" })).toEqual(publicPorts);
      const gated = plan.ports.private.map((p) => portKey(p.protocol, p.port === 8545 || p.port === 8546 ? p.port + 10000 : p.port));
      expect(from({ cidrIpv4: VPC_CIDR })).toEqual(gated.sort());
      expect(from({ cidrIpv4: VPC_CIDR })).toEqual(expect.arrayContaining(["tcp/18545", "tcp/18546", `tcp/${HEALTH_PORT}`]));
      for (const r of rules) {
        expect(r.fromPort).toBe(r.toPort);
        // The clients' own RPC is for the sidecar on loopback only: the load balancer reaches the gates.
        expect([8545, 8546, 8551, 22]).not.toContain(r.fromPort);
        if (r.cidrIpv4 === "0.0.0.0/0" || r.cidrIpv6 === "::/0") expect(publicPorts).toContain(portKey(r.ipProtocol, r.fromPort));
      }
    }
    const egress = below("eth-main", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs);
    expect(egress).toEqual([expect.objectContaining({ ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }), expect.objectContaining({ ipProtocol: "-1", cidrIpv6: "::/0" })]);
  });

  it("launches from a template with IMDSv2 required, no key pair, an encrypted gp3 root volume and SSM access", () => {
    const lt = named(resources, "eth-main-launch-template").inputs;
    expect(lt.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
    expect(lt.keyName).toBeUndefined();
    expect(lt.blockDeviceMappings).toEqual([{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }]);
    expect(lt.iamInstanceProfile).toEqual({ arn: expect.stringContaining("eth-main-instance-profile") });
    expect(named(resources, "eth-main-instance-profile").inputs.role).toBe(cloudName(resources, "eth-main-node-role"));
    expect(lt.tagSpecifications).toEqual([
      { resourceType: "instance", tags: { ...tagsFor("prod") } },
      { resourceType: "volume", tags: { ...tagsFor("prod") } },
    ]);
    const policies = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((r) => r.name.startsWith("eth-main-node-role"));
    expect(policies.map((p) => p.inputs.policyArn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]);
    expect(JSON.parse(named(resources, "eth-main-node-role").inputs.assumeRolePolicy as string).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
  });

  it("boots Amazon Linux 2023 of the instance type's architecture, configured by the AWS cloud-init", () => {
    const ami = (pool: string) => named(resources, `${pool}-launch-template`).inputs.imageId;
    expect(ami("eth-main")).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(ami("eth-test")).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(named(resources, "eth-test-launch-template").inputs.instanceType).toBe("m7i.xlarge");
    const userData = userDataOf(named(resources, "eth-main-launch-template"));
    expect(userData).toMatch(/^#cloud-config\n/);
    expect(userData).toContain("dnf install -y docker");
    expect(userData).toContain("ebsnvme-id");
    expect(userData).toContain(imageRef(findClient("execution", "geth")!));
    expect(userDataBytes(named(resources, "eth-main-launch-template").inputs.userData as string)).toBeLessThanOrEqual(16384);
  });

  it("runs each node from the template's latest version, round-robin over the public subnets, with a public address", () => {
    const nodes = below("eth-main", "aws:ec2/instance:Instance").map((r) => r.inputs);
    expect(nodes.map((n) => n.subnetId)).toEqual(["subnet-pub-a", "subnet-pub-b", "subnet-pub-a"]);
    for (const n of nodes) {
      expect(n).toMatchObject({
        launchTemplate: { id: "eth-main-launch-template-id", version: "1" },
        associatePublicIpAddress: true,
        vpcSecurityGroupIds: ["eth-main-sg-id"],
        metadataOptions: { httpTokens: "required" },
        maintenanceOptions: { autoRecovery: "default" },
        volumeTags: { ...tagsFor("prod") },
      });
      expect(n.keyName).toBeUndefined();
    }
  });

  it("gives every node its own encrypted gp3 data volume sized by the plan, in the node's zone, attached as /dev/sdf", () => {
    below("eth-main", "aws:ebs/volume:Volume").forEach((v, i) => {
      expect(v.inputs).toMatchObject({
        type: "gp3",
        encrypted: true,
        size: MAIN.size.diskGiB,
        iops: MAIN.size.iops,
        throughput: MAIN.size.throughputMBps,
        availabilityZone: `${REGION}a`,
        region: REGION,
      });
      expect(named(resources, `eth-main-data-attachment-${i}`).inputs).toEqual({
        region: REGION,
        deviceName: "/dev/sdf",
        instanceId: `eth-main-node-${i}-id`,
        volumeId: `eth-main-data-${i}-id`,
        stopInstanceBeforeDetaching: true,
      });
    });
    expect(MAIN.size).toMatchObject({ diskGiB: 2300, iops: 8000, throughputMBps: 500 });
    expect(named(resources, "eth-test-data-0").inputs).toMatchObject({ size: TEST.size.diskGiB, iops: 3000, throughput: 250 });
  });

  it("protects and retains prod chain data, and lets it go in staging; no instance is termination-protected, prod included", () => {
    for (const v of below("eth-main", "aws:ebs/volume:Volume")) expect(v).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(resources, "eth-test-data-0")).toMatchObject({ protect: false, retainOnDelete: false });
    // pulumi-aws 7 refuses to destroy a termination-protected instance, which would leave every client upgrade pending.
    for (const i of [...below("eth-main", "aws:ec2/instance:Instance"), ...below("eth-test", "aws:ec2/instance:Instance")]) {
      expect(i).toMatchObject({ protect: false, retainOnDelete: false, inputs: { disableApiTermination: false } });
    }
  });

  it("makes a launch template change a clean replace: new node up, volume detached from the stopped old one and attached to it, old one destroyed", () => {
    // The engine's steps when node i is replaced: it creates the new instance first (create-before-delete); the
    // attachment, whose instanceId is the instance's id, is replaced delete-before-create (detach from the stopped old
    // instance, attach to the new one); the volume's inputs do not refer to the instance, so it is untouched; the old
    // instance is deleted at the end of the update, which termination protection would refuse.
    for (let i = 0; i < MAIN.count; i++) {
      const instance = named(resources, `eth-main-node-${i}`);
      const volume = named(resources, `eth-main-data-${i}`);
      const attachment = named(resources, `eth-main-data-attachment-${i}`);
      expect(optionsOf(captured, instance.name).opts.deleteBeforeReplace).toBeFalsy();
      expect(instance.inputs.disableApiTermination).toBe(false);
      expect(JSON.stringify(volume.inputs)).not.toContain(instance.name);
      expect(volume.dependencies ?? []).not.toContain(instance.urn);
      expect(attachment.dependencies).toEqual(expect.arrayContaining([instance.urn, volume.urn]));
      expect(attachment.inputs).toMatchObject({ instanceId: `${instance.name}-id`, volumeId: `${volume.name}-id`, stopInstanceBeforeDetaching: true });
      expect(optionsOf(captured, attachment.name).opts.deleteBeforeReplace).toBe(true);
      expect(attachment).toMatchObject({ protect: false, retainOnDelete: false });
    }
    // The new instance boots before its volume is attached: the boot script waits for the disk rather than failing.
    const userData = userDataOf(named(resources, "eth-main-launch-template"));
    expect(userData).toContain("the chain-data disk did not appear within 1800s");
  });

  it("snapshots exactly the pool's data volumes daily and keeps seven, copying their cost tags", () => {
    const policy = named(resources, "eth-main-snapshots").inputs;
    const target = (policy.policyDetails as { targetTags: Record<string, string> }).targetTags;
    expect(Object.keys(target)).toEqual(["snapshot-schedule"]);
    for (const v of below("eth-main", "aws:ebs/volume:Volume")) expect(v.inputs.tags).toMatchObject(target);
    expect((named(resources, "eth-test-data-0").inputs.tags as Record<string, string>)["snapshot-schedule"]).not.toBe(target["snapshot-schedule"]);
    expect(policy).toMatchObject({
      state: "ENABLED",
      executionRoleArn: expect.stringContaining("eth-main-snapshot-role"),
      policyDetails: {
        resourceTypes: ["VOLUME"],
        schedules: [{ name: "daily", createRule: { interval: 24, intervalUnit: "HOURS" }, retainRule: { count: 7 }, copyTags: true }],
      },
      tags: { ...tagsFor("prod") },
    });
    expect(policy.description).toMatch(/^[0-9A-Za-z _-]+$/);
    expect(named(resources, "eth-main-snapshot-role-dlm-service-role").inputs.policyArn).toBe("arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole");
  });

  it("serves RPC and WebSocket through an internal NLB whose health check is the sync-aware GET /ready, forwarding to the nodes' gates", () => {
    expect(named(resources, "eth-main-lb").inputs).toMatchObject({ internal: true, loadBalancerType: "network", subnets: ["subnet-priv-a", "subnet-priv-b"] });
    // The NLB fails open when no node is synced: it then reaches only gates, which answer "no synced node".
    for (const [part, port, gate] of [["rpc", 8545, 18545], ["ws", 8546, 18546]] as const) {
      expect(named(resources, `eth-main-${part}-tg`).inputs).toMatchObject({
        port: gate,
        protocol: "TCP",
        targetType: "instance",
        vpcId: "vpc-123",
        healthCheck: { enabled: true, protocol: "HTTP", port: "8590", path: "/ready", matcher: "200" },
      });
      expect(named(resources, `eth-main-${part}-listener`).inputs).toMatchObject({
        port,
        protocol: "TCP",
        loadBalancerArn: expect.stringContaining("eth-main-lb"),
        defaultActions: [{ type: "forward", targetGroupArn: expect.stringContaining(`eth-main-${part}-tg`) }],
      });
      const targets = below("eth-main", "aws:lb/targetGroupAttachment:TargetGroupAttachment").filter((t) => t.name.startsWith(`eth-main-${part}-target-`));
      expect(targets.map((t) => [t.inputs.targetId, t.inputs.port])).toEqual([0, 1, 2].map((i) => [`eth-main-node-${i}-id`, gate]));
    }
    const health = userDataOf(named(resources, "eth-main-launch-template"));
    expect(health).toContain("--env GATES=18545:8545,18546:8546 ");
  });

  it("returns the load balancer's RPC and WebSocket URLs", async () => {
    const dns = expect.stringMatching(new RegExp(`^${cloudName(resources, "eth-main-lb")}-[0-9a-f]{16}\\.elb\\.${REGION}\\.amazonaws\\.com$`));
    const [rpc, ws] = [new URL(await settled(main.rpcUrl)), new URL(await settled(main.wsUrl))];
    expect([rpc.protocol, rpc.hostname, rpc.port]).toEqual(["http:", dns, "8545"]);
    expect([ws.protocol, ws.hostname, ws.port]).toEqual(["ws:", rpc.hostname, "8546"]);
  });

  it("ships the health sidecar's metrics with the CloudWatch agent: its SSM configuration, its log group, its policy", async () => {
    const parameter = named(resources, "eth-main-cloudwatch-agent").inputs;
    expect(parameter).toMatchObject({ region: REGION, type: "String", tier: "Standard", tags: { ...tagsFor("prod") } });
    expect(parameter.name).toMatch(/^AmazonCloudWatch-eth-main-[0-9a-f]{6}$/);
    const logGroup = named(resources, "eth-main-metrics-logs").inputs;
    expect(logGroup).toMatchObject({ region: REGION, retentionInDays: 7, tags: { ...tagsFor("prod") } });
    expect(logGroup.name).toMatch(/^\/estate\/eth-main-[0-9a-f]{6}\/prometheus$/);
    const agent = JSON.parse(parameter.insecureValue as string);
    expect(agent.agent.region).toBe(REGION);
    expect(agent.logs.metrics_collected.prometheus).toMatchObject({ log_group_name: logGroup.name, emf_processor: { metric_namespace: CLOUDWATCH_NAMESPACE } });
    const userData = userDataOf(named(resources, "eth-main-launch-template"));
    expect(userData).toContain(`ssm:${parameter.name}`);
    expect(userData).toContain("amazon-cloudwatch-agent");
    // Each pool its own configuration and log group.
    expect(named(resources, "eth-test-cloudwatch-agent").inputs.name).not.toBe(parameter.name);
    expect(named(resources, "eth-test-metrics-logs").inputs.name).not.toBe(logGroup.name);
  });

  it("tells the Monitoring component what to watch: the NLB, its JSON-RPC target group and the instances", async () => {
    expect(main.monitoring.platform).toBe("aws-vm");
    const aws = main.monitoring.aws!;
    expect(await settled(pulumi.output(aws.loadBalancerArnSuffix))).toMatch(new RegExp(`^net/${cloudName(resources, "eth-main-lb")}/[0-9a-f]{16}$`));
    expect(await settled(pulumi.output(aws.targetGroupArnSuffix))).toMatch(new RegExp(`^targetgroup/${cloudName(resources, "eth-main-rpc-tg")}/[0-9a-f]{16}$`));
    expect(await Promise.all(aws.instanceIds.map((id) => settled(pulumi.output(id))))).toEqual(["eth-main-node-0-id", "eth-main-node-1-id", "eth-main-node-2-id"]);
    expect(main.monitoring.gcp).toBeUndefined();
  });

  it("never puts an engine JWT into any input: user data carries the command that generates it at boot", () => {
    for (const r of resources) expect(JSON.stringify(r.inputs)).not.toMatch(HEX_SECRET);
    for (const lt of ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate")) {
      const userData = userDataOf(lt);
      expect(userData).not.toMatch(HEX_SECRET);
      expect(userData).toContain(JWT_GENERATE_COMMAND);
    }
  });

  it("names, tags and classifies every child so two pools coexist", () => {
    expect(componentProblems(resources, ["eth-main", "eth-test"])).toEqual([]);
  });
});

describe("buildAwsNodePool arguments", () => {
  const parent = () => new pulumi.ComponentResource("estate:test:Parent", "p");
  it.each([
    ["a bad VPC CIDR", {}, { vpcCidr: "10.10.0.0" }, /placement\.vpcCidr: "10\.10\.0\.0" is not an IPv4 CIDR block/],
    ["no public subnets", {}, { publicSubnetIds: [] }, /placement\.publicSubnetIds: nodes need at least one public subnet/],
    ["no private subnets", {}, { privateSubnetIds: [] }, /placement\.privateSubnetIds/],
    ["a Graviton type for x86-only images", { size: { ...MAIN.size, arch: "x86_64" as const } }, { instanceType: "m7g.2xlarge" }, /placement\.instanceType: m7g\.2xlarge is arm64/],
    ["more IOPS than gp3 allows", { size: { ...MAIN.size, iops: 20000 } }, {}, /plan\.size\.iops: 20000 must be a whole number from 3000 to 16000/],
    ["throughput above a quarter of the IOPS", { size: { ...MAIN.size, iops: 3000, throughputMBps: 1000 } }, {}, /plan\.size\.throughputMBps: 1000 exceeds gp3's 0\.25 MiB\/s per IOPS/],
    ["a disk smaller than the chain", { size: { ...MAIN.size, diskGiB: 500 } }, {}, /plan\.size\.diskGiB: 500 is below the 1600 GiB/],
    ["no nodes", { count: 0 }, {}, /plan\.count: 0 must be an integer from 1/],
    ["an exposed engine port", { ports: { ...MAIN.ports, private: [...MAIN.ports.private, { name: "engine", port: 8551, protocol: "TCP" as const, purpose: "engine" as const }] } }, {}, /plan\.ports: engine port 8551 must not be exposed/],
    ["a port where an RPC gate listens", { ports: { ...MAIN.ports, private: [...MAIN.ports.private, { name: "metrics", port: 18545, protocol: "TCP" as const, purpose: "metrics" as const }] } }, {}, /plan\.ports: metrics \(18545\) is where the rpc gate listens \(client port \+ 10000\)/],
    ["bad tags", { tags: { ...MAIN.tags, owner: "Ana Smith" } }, {}, /plan\.tags: tag "owner" has value "Ana Smith"/],
  ])("rejects %s, naming the argument", (_, planChange, placementChange, message) => {
    expect(() => buildAwsNodePool(parent(), "eth-bad", { ...MAIN, ...planChange }, placement(placementChange))).toThrow(message);
  });

  it("reports every problem in one error", () => {
    expect(() => buildAwsNodePool(parent(), "eth-bad", { ...MAIN, count: 0 }, placement({ region: "Europe", publicSubnetIds: [] }))).toThrow(
      /^EthereumNode "eth-bad": plan\.count: .*; placement\.region: "Europe" is not an AWS region; placement\.publicSubnetIds/,
    );
  });
});
