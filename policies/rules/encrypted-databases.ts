/** Databases are encrypted at rest (RDS storageEncrypted; Cloud SQL always is). */
import { resourcePolicy } from "../lib/define";
import { subject } from "../lib/messages";
import { isTrue } from "../lib/props";

const TYPES = ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"];

export const encryptedDatabases = resourcePolicy({
  name: "encrypted-databases",
  description: "RDS instances and clusters are encrypted at rest (storageEncrypted: true).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set storageEncrypted: true (an existing database is encrypted by restoring an encrypted snapshot copy).",
  validateResource: (args, reportViolation) => {
    if (!TYPES.includes(args.type)) return args.notApplicable("not an RDS database (Cloud SQL is always encrypted)");
    if (isTrue(args.props.storageEncrypted)) return;
    reportViolation(`${subject(args)} storageEncrypted: ${JSON.stringify(args.props.storageEncrypted ?? null)}, so its storage, backups and snapshots are not encrypted. Fix: set storageEncrypted: true`);
  },
});
