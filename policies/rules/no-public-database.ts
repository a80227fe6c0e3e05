/** No database is reachable from the internet: RDS publiclyAccessible, Cloud SQL public IP open to 0.0.0.0/0. */
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { isInternet } from "../lib/network";
import { asArray, at, isTrue } from "../lib/props";

const RDS = ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"];
const CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance";

export const noPublicDatabase = resourcePolicy({
  name: "no-public-database",
  description: "Databases are not reachable from the internet (RDS publiclyAccessible; Cloud SQL public IP authorizing 0.0.0.0/0).",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Keep databases on private addresses; reach them from the VPC, through a VPN or the Cloud SQL Auth Proxy.",
  validateResource: (args, reportViolation) => {
    if (RDS.includes(args.type)) {
      if (isTrue(args.props.publiclyAccessible)) {
        reportViolation(`${subject(args)} publiclyAccessible: true gives the database a public address. Fix: set publiclyAccessible: false and reach it from the VPC`);
      }
      return;
    }
    if (args.type !== CLOUD_SQL) return args.notApplicable("not a database instance");
    // Cloud SQL gives an instance a public IP unless ipv4Enabled is false.
    if (at(args.props, "settings.ipConfiguration.ipv4Enabled") === false) return;
    const open = asArray(at(args.props, "settings.ipConfiguration.authorizedNetworks")).map((n) => at(n, "value")).filter(isInternet);
    if (open.length > 0) {
      reportViolation(
        `${subject(args)} settings.ipConfiguration: the public IP authorizes ${open.join(" and ")}. Fix: set ipv4Enabled: false (private IP) or authorize only known networks; connect through the Cloud SQL Auth Proxy`,
      );
    }
  },
});
