/**
 * The price tables (cost/prices/<provider>-<region>.json) and their validation: every price states its amount,
 * unit, source and date, and every source it names is listed. See cost/prices/README.md for the format.
 */
import * as fs from "fs";
import * as path from "path";

export const PRICES_DIR = path.join(__dirname, "prices");

export interface PriceEntry {
  /** USD per `unit`. */
  readonly usd?: number;
  /** A multiplier instead of an amount (e.g. RDS Multi-AZ), in `unit`. */
  readonly factor?: number;
  readonly unit: string;
  /** A key of the table's `sources`. */
  readonly source: string;
  /** YYYY-MM-DD: the day the source states the figure for, else the day it was copied from the source. */
  readonly date: string;
  /** A usage-based rate: never multiplied into an estimate, quoted in the reason a part is left unpriced. */
  readonly usageBased?: boolean;
  /** Quantity included for free in the base price (gp3: 3,000 IOPS, 125 MB/s). */
  readonly includedQuantity?: number;
  /** Above this quantity per hour the price no longer applies (Cloud NAT: 32 VMs per gateway). */
  readonly maxQuantityPerHour?: number;
  /** Machine shape, for allocating node cost by requests. */
  readonly vcpu?: number;
  readonly memoryGiB?: number;
}

export interface MachineFamily {
  readonly vcpu: PriceEntry;
  readonly memory: PriceEntry;
  /** GB of memory per vCPU of each predefined kind: `<family>-<kind>-<vcpus>`. */
  readonly memoryPerVcpu: Readonly<Record<string, number>>;
  readonly vcpuCounts: readonly number[];
}

export interface PriceTable {
  /** The file's name, e.g. `aws-us-east-1.json`: the first half of every price reference. */
  readonly file: string;
  readonly provider: "aws" | "gcp";
  readonly region: string;
  readonly currency: "USD";
  readonly description?: string;
  readonly sources: Readonly<Record<string, { readonly title: string; readonly url: string }>>;
  readonly ec2Instances?: Readonly<Record<string, PriceEntry>>;
  readonly machineFamilies?: Readonly<Record<string, MachineFamily>>;
  readonly machineTypes?: Readonly<Record<string, PriceEntry>>;
  readonly prices: Readonly<Record<string, PriceEntry>>;
}

/** A price ready to multiply: its amount, its unit, and where it came from (`<file>#<key>`). */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly ref: string;
  readonly entry: PriceEntry;
}

export class PriceTableError extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
const isAmount = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

function entryProblems(entry: unknown, where: string, sources: Record<string, unknown>): string[] {
  if (!isObject(entry)) return [`${where}: not an object`];
  const problems: string[] = [];
  if (!isAmount(entry.usd) && !isAmount(entry.factor)) problems.push(`${where}: no usd (or factor): a non-negative number`);
  if (!isNonEmptyString(entry.unit)) problems.push(`${where}: no unit`);
  if (!isNonEmptyString(entry.source)) problems.push(`${where}: no source`);
  else if (!(entry.source in sources)) problems.push(`${where}: source "${entry.source}" is not in the table's sources`);
  if (typeof entry.date !== "string" || !DATE.test(entry.date) || Number.isNaN(Date.parse(entry.date))) problems.push(`${where}: no date (YYYY-MM-DD)`);
  for (const key of ["includedQuantity", "maxQuantityPerHour", "vcpu", "memoryGiB"]) {
    if (entry[key] !== undefined && !isAmount(entry[key])) problems.push(`${where}: ${key} must be a non-negative number`);
  }
  return problems;
}

function mapProblems(value: unknown, where: string, sources: Record<string, unknown>, needsShape = false): string[] {
  if (value === undefined) return [];
  if (!isObject(value)) return [`${where}: not an object`];
  return Object.entries(value).flatMap(([key, entry]) => [
    ...entryProblems(entry, `${where}.${key}`, sources),
    ...(needsShape && isObject(entry) && (!isAmount(entry.vcpu) || !isAmount(entry.memoryGiB)) ? [`${where}.${key}: no vcpu and memoryGiB`] : []),
  ]);
}

/** Every problem of one table, each naming the file and the key; [] when it is valid. */
export function priceTableProblems(json: unknown, file: string): string[] {
  if (!isObject(json)) return [`${file}: not a JSON object`];
  const problems: string[] = [];
  const expected = /^(aws|gcp)-(.+)\.json$/.exec(file);
  if (json.provider !== "aws" && json.provider !== "gcp") problems.push(`${file}: provider must be "aws" or "gcp"`);
  if (!isNonEmptyString(json.region)) problems.push(`${file}: no region`);
  if (expected && (json.provider !== expected[1] || json.region !== expected[2])) problems.push(`${file}: provider and region must match the file name`);
  if (json.currency !== "USD") problems.push(`${file}: currency must be "USD"`);
  const sources = isObject(json.sources) ? json.sources : {};
  if (!isObject(json.sources)) problems.push(`${file}: no sources`);
  for (const [id, source] of Object.entries(sources)) {
    if (!isObject(source) || !isNonEmptyString(source.title) || !isNonEmptyString(source.url)) problems.push(`${file}: sources.${id} needs a title and a url`);
  }
  if (!isObject(json.prices)) problems.push(`${file}: no prices`);
  problems.push(...mapProblems(json.prices, `${file}: prices`, sources));
  problems.push(...mapProblems(json.ec2Instances, `${file}: ec2Instances`, sources, true));
  problems.push(...mapProblems(json.machineTypes, `${file}: machineTypes`, sources, true));
  if (json.machineFamilies !== undefined) {
    if (!isObject(json.machineFamilies)) problems.push(`${file}: machineFamilies: not an object`);
    else {
      for (const [family, spec] of Object.entries(json.machineFamilies)) {
        const where = `${file}: machineFamilies.${family}`;
        if (!isObject(spec)) {
          problems.push(`${where}: not an object`);
          continue;
        }
        problems.push(...entryProblems(spec.vcpu, `${where}.vcpu`, sources), ...entryProblems(spec.memory, `${where}.memory`, sources));
        if (!isObject(spec.memoryPerVcpu) || !Object.values(spec.memoryPerVcpu).every(isAmount)) problems.push(`${where}: memoryPerVcpu must map kinds to GB per vCPU`);
        if (!Array.isArray(spec.vcpuCounts) || !spec.vcpuCounts.every(isAmount)) problems.push(`${where}: vcpuCounts must list vCPU counts`);
      }
    }
  }
  return problems;
}

/** The validated tables of a directory, by file name; throws PriceTableError naming every problem. */
export function loadPriceTables(dir: string = PRICES_DIR): PriceTables {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  const problems: string[] = [];
  const tables: PriceTable[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    } catch (err) {
      problems.push(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
      continue;
    }
    const found = priceTableProblems(json, file);
    problems.push(...found);
    if (found.length === 0) tables.push({ ...(json as Omit<PriceTable, "file">), file });
  }
  if (problems.length > 0) throw new PriceTableError(`price tables in ${dir} have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return new PriceTables(tables);
}

export class PriceTables {
  private readonly byKey: ReadonlyMap<string, PriceTable>;

  constructor(readonly tables: readonly PriceTable[]) {
    this.byKey = new Map(tables.map((t) => [`${t.provider}:${t.region}`, t]));
  }

  table(provider: "aws" | "gcp", region: string): PriceTable | undefined {
    return this.byKey.get(`${provider}:${region}`);
  }
}

export function toPrice(table: PriceTable, key: string, entry: PriceEntry): Price {
  return { usd: entry.usd ?? entry.factor ?? 0, unit: entry.unit, ref: `${table.file}#${key}`, entry };
}

let defaultTables: PriceTables | undefined;

/** The repository's tables, loaded and validated once. */
export function defaultPriceTables(): PriceTables {
  defaultTables ??= loadPriceTables();
  return defaultTables;
}
