/** Every client of the catalog deploys through the EthereumNode component: pinned image, its chain flag, its ports. */
import * as k8s from "@pulumi/kubernetes";
import { CONSENSUS_CLIENTS, EXECUTION_CLIENTS, EthereumNode, findClient, recommendedSize } from "../../../components/ethereum-node";
import { imageRef } from "../../../components/ethereum-node/clients";
import { DATA_ROOT } from "../../../components/ethereum-node/plan";
import { costTags } from "../../../components/tagging";
import { RecordedResource, recordResources } from "../../../tools/plan/record";
import { componentProblems } from "../../helpers/resources";

const TAGS = costTags({ coreUnit: "tocu-001", budgetLine: "infrastructure-tools", environment: "staging", workload: "ethereum-node", owner: "techops" });
/** Each execution client with lighthouse, each consensus client with geth (Caplin with erigon), once each. */
const PAIRS: [string, string][] = [
  ...EXECUTION_CLIENTS.map((el): [string, string] => [el.id, "lighthouse"]),
  ...CONSENSUS_CLIENTS.filter((cl) => cl.id !== "lighthouse").map((cl): [string, string] => [cl.pairsWith ? cl.pairsWith[0] : "geth", cl.id]),
];

let resources: RecordedResource[] = [];
beforeAll(async () => {
  ({ resources } = await recordResources(() => {
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    for (const [execution, consensus] of PAIRS) {
      new EthereumNode(`eth-${execution}-${consensus}`, {
        pool: `${execution}-${consensus}`,
        chain: "hoodi",
        mode: "full",
        execution,
        consensus,
        count: 1,
        checkpointSyncUrl: "https://checkpoint.example",
        size: recommendedSize(findClient("execution", execution)!, findClient("consensus", consensus)!, "hoodi", "full")!,
        tags: TAGS,
        protectData: false,
        platform: { kind: "kubernetes", provider, namespace: "ethereum", p2pService: "NodePort" },
      });
    }
  }));
});

const podOf = (name: string) => (resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.name === `${name}-statefulset`)!.inputs.spec as any).template.spec;

describe.each(PAIRS)("%s + %s", (execution, consensus) => {
  const name = `eth-${execution}-${consensus}`;

  it("runs the catalog's pinned images with the chain's flags", () => {
    const containers = podOf(name).containers as { name: string; image: string; args: string[]; readinessProbe?: any }[];
    const el = findClient("execution", execution)!;
    const cl = findClient("consensus", consensus)!;
    const byName = Object.fromEntries(containers.map((c) => [c.name, c]));
    expect(byName.execution.image).toBe(imageRef(el));
    expect(byName.execution.args).toEqual(expect.arrayContaining([...el.networkArgs.hoodi!]));
    if (cl.pairsWith) expect(byName.consensus).toBeUndefined();
    else {
      expect(byName.consensus.image).toBe(imageRef(cl));
      expect(byName.consensus.args).toEqual(expect.arrayContaining([...cl.networkArgs.hoodi!]));
    }
    expect(byName.health.readinessProbe.httpGet.path).toBe("/ready");
  });

  it("runs every container as a non-root user on a read-only root filesystem, writing only to its volumes", () => {
    const pod = podOf(name);
    const emptyDirs = new Set((pod.volumes as any[]).filter((v) => v.emptyDir).map((v) => v.name));
    for (const c of [...pod.initContainers, ...pod.containers] as any[]) {
      expect([c.name, c.securityContext]).toEqual([
        c.name,
        expect.objectContaining({ runAsNonRoot: true, runAsUser: expect.any(Number), readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }),
      ]);
      expect(c.securityContext.runAsUser).toBeGreaterThan(0);
      // What a client writes outside its data directory ($HOME, temporary files) lands on an emptyDir.
      const writable = (c.volumeMounts as any[]).filter((m) => !m.readOnly);
      for (const m of writable) expect([c.name, m.mountPath, m.name === "data" || emptyDirs.has(m.name)]).toEqual([c.name, m.mountPath, true]);
      if (c.name !== "health" && c.name !== "jwt") {
        expect(c.env).toEqual(expect.arrayContaining([{ name: "HOME", value: "/tmp" }]));
        expect(writable.map((m) => m.mountPath)).toEqual(expect.arrayContaining([`${DATA_ROOT}/${c.name}`, "/tmp"]));
      }
    }
    expect(pod.securityContext.fsGroup).toBeGreaterThan(0);
  });
});

it("gives every pool well-formed, cost-tagged children", () => {
  expect(componentProblems(resources, PAIRS.map(([el, cl]) => `eth-${el}-${cl}`))).toEqual([]);
});

it("rejects a pair the catalog does not offer, naming the argument", async () => {
  const size = recommendedSize(findClient("execution", "geth")!, findClient("consensus", "teku")!, "hoodi", "full")!;
  const base = { pool: "bad", chain: "hoodi" as const, mode: "full" as const, count: 1, size, tags: TAGS, protectData: false };
  const platform = { kind: "kubernetes" as const, provider: undefined as unknown as k8s.Provider, namespace: "x", p2pService: "NodePort" as const };
  expect(() => new EthereumNode("bad", { ...base, execution: "parity", consensus: "teku", platform })).toThrow('EthereumNode "bad": execution: unknown client "parity"');
  expect(() => new EthereumNode("bad", { ...base, execution: "besu", consensus: "teku", mode: "archive", platform })).toThrow("mode: besu does not offer archive");
  expect(() => new EthereumNode("bad", { ...base, execution: "geth", consensus: "caplin", platform })).toThrow("consensus: caplin runs only with erigon");
});
