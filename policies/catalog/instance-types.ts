/**
 * Default allow-lists of instance and machine types, per environment and budget line ("*": any other line).
 * A stack's pack config may replace them (`allowed-instance-types.allowedTypes`). Patterns: `*` matches any run.
 * Sized to the estate's workloads: Ethereum nodes (up to r7g/r7i.8xlarge, n2-highmem-32, per the node sizing
 * catalog), the indexer's databases, shared Kubernetes nodes; R&D/POC work stays at xlarge and below.
 */
export type AllowedTypes = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

const AWS_FAMILIES = ["m6g", "m7g", "m6i", "m7i", "r6g", "r7g", "r6i", "r7i", "c6g", "c7g", "c6i", "c7i", "i4g", "i4i"];
const AWS_DB_FAMILIES = ["db.m6g", "db.m7g", "db.r6g", "db.r7g", "db.m6i", "db.m7i", "db.r6i", "db.r7i"];
const BURSTABLE = ["t3.*", "t3a.*", "t4g.*", "db.t3.*", "db.t4g.*"];
const AWS_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"];
const GCP_FAMILIES = ["n2-standard", "n2-highmem", "n2d-standard", "n2d-highmem"];
const GCP_VCPUS = [2, 4, 8, 16, 32];
/** Cloud SQL custom tiers: 1 vCPU or an even number. */
const CLOUD_SQL_VCPUS = [1, ...GCP_VCPUS];
/** C3 comes in 4, 8, 22, 44... vCPUs. */
const C3_VCPUS = [4, 8, 22];

const aws = (families: readonly string[], maxSize: string): string[] =>
  families.flatMap((f) => AWS_SIZES.slice(0, AWS_SIZES.indexOf(maxSize) + 1).map((size) => `${f}.${size}`));
const gcp = (maxVcpus: number): string[] => [
  ...GCP_FAMILIES.flatMap((f) => GCP_VCPUS.filter((v) => v <= maxVcpus).map((v) => `${f}-${v}`)),
  ...["c3-standard", "c3-highmem"].flatMap((f) => C3_VCPUS.filter((v) => v <= maxVcpus).map((v) => `${f}-${v}`)),
  // Cloud SQL custom tiers: db-custom-<vCPUs>-<memory MiB>.
  ...CLOUD_SQL_VCPUS.filter((v) => v <= maxVcpus).map((v) => `db-custom-${v}-*`),
];
const SHARED_CORE = ["e2-*", "db-f1-micro", "db-g1-small"];

const RND_POC = [...BURSTABLE, ...aws([...AWS_FAMILIES, ...AWS_DB_FAMILIES], "xlarge"), ...SHARED_CORE, ...gcp(4)];

export const DEFAULT_ALLOWED_TYPES: AllowedTypes = {
  staging: {
    "*": [...BURSTABLE, ...aws([...AWS_FAMILIES, ...AWS_DB_FAMILIES], "4xlarge"), ...SHARED_CORE, ...gcp(16)],
    "rnd-poc": RND_POC,
  },
  prod: {
    "*": [...BURSTABLE, ...aws([...AWS_FAMILIES, ...AWS_DB_FAMILIES], "8xlarge"), ...SHARED_CORE, ...gcp(32)],
    "rnd-poc": RND_POC,
  },
};
