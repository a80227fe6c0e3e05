/** Databases in prod cannot be deleted by accident: RDS deletionProtection, Cloud SQL deletion protection on both sides. */
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { at } from "../lib/props";
import { environmentOf } from "../lib/resource-tags";

type Check = (props: unknown) => string[];

const rds: Check = (props) => (at(props, "deletionProtection") === true ? [] : ["deletionProtection is not true. Fix: set deletionProtection: true"]);

const CHECKS: Readonly<Record<string, Check>> = {
  "aws:rds/instance:Instance": rds,
  "aws:rds/cluster:Cluster": rds,
  "gcp:sql/databaseInstance:DatabaseInstance": (props) => [
    // Pulumi's own guard, on unless set to false.
    ...(at(props, "deletionProtection") === false ? ["deletionProtection: false lets pulumi destroy it. Fix: remove it or set it to true"] : []),
    ...(at(props, "settings.deletionProtectionEnabled") === true
      ? []
      : ["settings.deletionProtectionEnabled is not true, so it can be deleted from the console or API. Fix: set settings.deletionProtectionEnabled: true"]),
  ],
};

export const prodDeletionProtection = resourcePolicy({
  name: "prod-deletion-protection",
  description: "Databases in prod have deletion protection (RDS deletionProtection; Cloud SQL deletionProtection and settings.deletionProtectionEnabled).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Turn on deletion protection; turn it off in a reviewed change before a planned deletion.",
  config: {
    environment: { type: "string", description: "The stack's environment, for resources without an environment tag." },
  },
  validateResource: (args, reportViolation) => {
    const check = CHECKS[args.type];
    if (!check) return args.notApplicable("not a database");
    const environment = environmentOf(args.type, args.props, args.getConfig());
    if (environment !== "prod") return args.notApplicable(`environment ${environment ?? "unknown"}, not prod`);
    for (const problem of check(args.props)) reportViolation(`${subject(args)} (a prod database): ${problem}`);
  },
});
