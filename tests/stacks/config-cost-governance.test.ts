import * as path from "path";
import { PROJECT, parseEstateConfig } from "../../stacks/config";
import { formatProblem } from "../../stacks/config-reader";
import { decodeNamespace } from "../../stacks/raw-config";
import { readStackConfig } from "../../tools/plan/stack-file";
import { PLAN_DATE } from "../helpers/plans-cache";

/** The stacks' sandboxes expire: validate them as of a fixed date, not the machine's. */
const AS_OF = { today: PLAN_DATE };

const ROOT = path.resolve(__dirname, "../..");
// Without the sandboxes, whose GCP budgets need the billing account (tests/stacks/config-sandboxes.test.ts).
const stack = (name: string): any => {
  const raw = JSON.parse(JSON.stringify(decodeNamespace(readStackConfig(ROOT, name).config, PROJECT)));
  delete raw.sandboxes;
  return raw;
};
const problemsOf = (raw: Record<string, unknown>): string[] => {
  const result = parseEstateConfig(raw, "staging", AS_OF);
  return result.ok ? [] : result.problems.map(formatProblem);
};
const withGovernance = (change: Record<string, unknown>, base = stack("staging")): any => ({ ...base, costGovernance: { ...base.costGovernance, ...change } });

describe("costGovernance config", () => {
  it("reads both stacks' sections, with defaults", () => {
    for (const name of ["staging", "prod"]) {
      const result = parseEstateConfig(stack(name), name, AS_OF);
      if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
      expect(result.config.costGovernance).toMatchObject({ gcpBillingAccount: "012345-6789AB-CDEF01", bigQueryLocation: "US", budgetLine: "infrastructure-tools" });
      expect(result.config.costGovernance!.recipients).toContain("finance@techops.example");
    }
    const raw = stack("staging");
    raw.costGovernance = { recipients: ["finance@techops.example"], gcpBillingAccount: "ABCDEF-012345-6789AB" };
    const result = parseEstateConfig(raw, "staging", AS_OF);
    expect(result.ok && result.config.costGovernance).toEqual({
      recipients: ["finance@techops.example"],
      anomalyThresholdUsd: 100,
      exportRetentionDays: 1095,
      gcpBillingAccount: "ABCDEF-012345-6789AB",
      bigQueryLocation: "US",
      budgetLine: "infrastructure-tools",
      activateCostAllocationTags: false,
    });
  });

  it("leaves cost allocation tag activation off unless asked (a first deploy cannot activate keys AWS has not billed yet)", () => {
    for (const name of ["staging", "prod"]) {
      const result = parseEstateConfig(stack(name), name, AS_OF);
      expect(result.ok && result.config.costGovernance!.activateCostAllocationTags).toBe(false);
    }
    for (const value of [true, "true"]) {
      const result = parseEstateConfig(withGovernance({ activateCostAllocationTags: value }), "staging", AS_OF);
      expect(result.ok && result.config.costGovernance!.activateCostAllocationTags).toBe(true);
    }
    expect(problemsOf(withGovernance({ activateCostAllocationTags: "yes" }))).toEqual([
      'core-unit-estate:costGovernance.activateCostAllocationTags: got "yes"; allowed: true or false',
    ]);
  });

  it("is optional: without it the stack has no cost governance", () => {
    const raw = stack("staging");
    delete raw.costGovernance;
    const result = parseEstateConfig(raw, "staging", AS_OF);
    expect(result.ok && result.config.costGovernance).toBeUndefined();
  });

  it.each([
    ["missing recipients", { recipients: undefined }, /^core-unit-estate:costGovernance\.recipients: got nothing \(the key is missing\); allowed: a list of the email addresses that receive budget and anomaly alerts, at most 5 .*e\.g\. \[finance@techops\.example\]$/],
    ["no recipients", { recipients: [] }, /^core-unit-estate:costGovernance\.recipients: got \[\]; allowed: a list of 1 to 5 email addresses/],
    ["a bad email address", { recipients: ["finance@techops.example", "finance-at-techops"] }, /^core-unit-estate:costGovernance\.recipients\[1\]: got "finance-at-techops"; allowed: an email address, e\.g\. finance@techops\.example$/],
    ["the same address twice", { recipients: ["finance@techops.example", "Finance@techops.example"] }, /^core-unit-estate:costGovernance\.recipients: got .*; allowed: each address once \(finance@techops\.example appears more than once\)$/],
    ["more recipients than a GCP budget notifies", { recipients: ["a", "b", "c", "d", "e", "f"].map((u) => `${u}@techops.example`) }, /costGovernance\.recipients: got .*allowed: a list of 1 to 5 email addresses, at most 5 \(a Cloud Billing budget notifies at most 5 channels\)/],
    ["a bad billing account format", { gcpBillingAccount: "0123-4567-89AB" }, /^core-unit-estate:costGovernance\.gcpBillingAccount: got "0123-4567-89AB"; allowed: a Cloud Billing account id: three groups of 6 uppercase hexadecimal digits, e\.g\. 012345-6789AB-CDEF01$/],
    ["a lowercase billing account", { gcpBillingAccount: "012345-6789ab-cdef01" }, /costGovernance\.gcpBillingAccount: got "012345-6789ab-cdef01"; allowed: a Cloud Billing account id/],
    ["a missing billing account in a stack with gcp", { gcpBillingAccount: undefined }, /^core-unit-estate:costGovernance\.gcpBillingAccount: got nothing .*required because the stack configures the gcp section/],
    ["a retention under a year", { exportRetentionDays: 30 }, /^core-unit-estate:costGovernance\.exportRetentionDays: got 30; allowed: a whole number from 365 to 3653$/],
    ["a negative anomaly threshold", { anomalyThresholdUsd: -5 }, /^core-unit-estate:costGovernance\.anomalyThresholdUsd: got -5; allowed: a number from 1 to 1000000$/],
    ["an unknown BigQuery location", { bigQueryLocation: "moon" }, /^core-unit-estate:costGovernance\.bigQueryLocation: got "moon"; allowed: a BigQuery location: US, EU or a region such as us-central1$/],
    ["a budget line the stack has not configured", { budgetLine: "third-party-integrations" }, /^core-unit-estate:costGovernance\.budgetLine: got "third-party-integrations"; allowed: a budget line configured under budgetLines: infrastructure-tools, rnd-poc$/],
    ["a misspelt key", { recipient: ["finance@techops.example"] }, /^core-unit-estate:costGovernance\.recipient: got .*; allowed: no such key; known keys here: recipients, anomalyThresholdUsd/],
  ])("rejects %s, naming the key, the value and what is allowed", (_what, change, message) => {
    expect(problemsOf(withGovernance(change))).toEqual([expect.stringMatching(message)]);
  });

  it("rejects a section that is not a map", () => {
    expect(problemsOf({ ...stack("staging"), costGovernance: "finance@techops.example" })).toEqual([
      expect.stringMatching(/^core-unit-estate:costGovernance: got "finance@techops\.example"; allowed: cost governance settings: an object with keys recipients, /),
    ]);
  });

  it("allows up to 10 recipients and needs no billing account when the stack does not configure gcp", () => {
    const raw = stack("staging");
    delete raw.gcp;
    delete raw.networks.lab;
    delete raw.clusters.lab;
    delete raw.ethereumNodes;
    delete raw.checkpointSyncUrls;
    delete raw.indexers;
    delete raw.apiServices;
    raw.costGovernance = { recipients: Array.from({ length: 10 }, (_, i) => `ops${i}@techops.example`) };
    expect(problemsOf(raw)).toEqual([]);
    raw.costGovernance.gcpBillingAccount = "012345-6789AB-CDEF01";
    expect(problemsOf(raw)).toEqual([]);
    raw.costGovernance.gcpBillingAccount = "not-an-account";
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^core-unit-estate:costGovernance\.gcpBillingAccount: got "not-an-account"; allowed: a Cloud Billing account id/)]);
    raw.costGovernance = { recipients: Array.from({ length: 11 }, (_, i) => `ops${i}@techops.example`) };
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/costGovernance\.recipients: .*a list of 1 to 10 email addresses, at most 10 \(AWS Budgets mails at most 10 subscribers\)/)]);
  });

  it("reports every problem of the section at once", () => {
    const problems = problemsOf(withGovernance({ recipients: ["nobody"], gcpBillingAccount: "x", exportRetentionDays: 1 }));
    expect(problems.map((p) => p.split(": got")[0])).toEqual([
      "core-unit-estate:costGovernance.recipients[0]",
      "core-unit-estate:costGovernance.exportRetentionDays",
      "core-unit-estate:costGovernance.gcpBillingAccount",
    ]);
  });
});
