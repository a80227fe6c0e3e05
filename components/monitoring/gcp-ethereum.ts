/**
 * Alert policies of an Ethereum pool whose metrics land in Managed Service for Prometheus (GCE VMs with the
 * self-deployed collector, GKE, or a cluster whose collector writes there): PromQL over the health exporter's
 * metrics; on GCE VMs also each instance's uptime going absent (the machine down).
 */
import * as pulumi from "@pulumi/pulumi";
import { THRESHOLDS } from "./catalog";
import { GcpPolicyContext, GcpPolicyRecord, gcpPolicy, oneOf, promqlCondition } from "./gcp-policy";
import { diskFullQuery, headStaleQuery, notReadyQuery, peersLowQuery } from "./promql";
import { targetKey } from "./routing";
import { EthereumPoolTarget } from "./targets";

export function gceUptimeFilter(instanceNames: readonly pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.interpolate`metric.type = "compute.googleapis.com/instance/uptime" AND resource.type = "gce_instance" AND ${oneOf("metric.label.instance_name", instanceNames)}`;
}

export function gcpEthereumPolicies(ctx: GcpPolicyContext, t: EthereumPoolTarget): GcpPolicyRecord[] {
  const target = targetKey(t);
  const subject = `pool ${t.pool}`;
  const records = [
    gcpPolicy(ctx, { id: "eth-head-stale", target, subject, conditions: [promqlCondition(`Head age above ${THRESHOLDS.headAgeSeconds.above} s`, headStaleQuery(t.pool), THRESHOLDS.headAgeSeconds.forMinutes)] }),
    gcpPolicy(ctx, { id: "eth-peers-low", target, subject, conditions: [promqlCondition(`Fewer than ${THRESHOLDS.peers.below} peers`, peersLowQuery(t.pool), THRESHOLDS.peers.forMinutes)] }),
    gcpPolicy(ctx, { id: "eth-disk-full", target, subject, conditions: [promqlCondition(`Disk above ${THRESHOLDS.diskUsedPercent.above}% used`, diskFullQuery(t.pool), THRESHOLDS.diskUsedPercent.forMinutes)] }),
    gcpPolicy(ctx, { id: "eth-node-not-ready", target, subject, conditions: [promqlCondition(`Fewer than ${t.count} nodes ready`, notReadyQuery(t.pool, t.count), THRESHOLDS.notReady.forMinutes)] }),
  ];
  if (t.platform === "gcp-vm" && t.gcp) {
    records.push(
      gcpPolicy(ctx, {
        id: "eth-instance-down",
        target,
        subject,
        conditions: [
          {
            displayName: `A VM of pool ${t.pool} reports no uptime`,
            conditionAbsent: {
              filter: gceUptimeFilter(t.gcp.instanceNames),
              duration: `${THRESHOLDS.instanceAbsent.forMinutes * 60}s`,
              // One series per instance (no cross-series reduction): any one of them going silent fires.
              aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
              trigger: { count: 1 },
            },
          },
        ],
      }),
    );
  }
  return records;
}
