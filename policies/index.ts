/** The CrossGuard policy pack: `pulumi preview --policy-pack policies --policy-pack-config policies/config.<stack>.json`. */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./rules";

new PolicyPack("core-unit-estate", {
  description: "Cost tags per budget line across AWS, GCP and Kubernetes; cost guardrails; security baselines.",
  policies: POLICIES,
});
