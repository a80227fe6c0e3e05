/**
 * Reads what the clouds billed from their CSV exports: AWS CUR 2.0 (Data Exports) or legacy CUR, FOCUS (any
 * provider), and the GCP billing export. Each line item becomes a charge: its month, its cost in USD, its tags.
 */
import * as fs from "fs";
import { CsvSyntaxError, parseCsv } from "./csv";
import { InputFileError } from "./errors";

export type ExportFormat = "aws-cur" | "focus" | "gcp-billing";

export const EXPORT_NAMES: Record<ExportFormat, string> = {
  "aws-cur": "AWS Cost and Usage Report (CUR 2.0)",
  focus: "FOCUS",
  "gcp-billing": "GCP billing export",
};

export interface Charge {
  /** YYYY-MM: the billing period (invoice month), else the month usage started. */
  month: string;
  costUsd: number;
  /** Tag keys normalised to the estate's (`user_budget_line`, `user:budget-line`, `budget_line` -> `budget-line`). */
  tags: Record<string, string>;
  /** 1-based line of the CSV, for messages. */
  line: number;
  /**
   * What identifies the line item across exports, to refuse one counted twice: its line-item id (AWS CUR), the
   * resource, start and cost of its usage (AWS CUR and FOCUS describe one AWS charge alike), or the whole row.
   */
  keys: string[];
}

export interface BillingExport {
  format: ExportFormat;
  charges: Charge[];
  /** Every month with charges, oldest first. */
  months: string[];
}

interface Layout {
  cost: string[];
  /** Added to cost where present (GCP credits, a JSON list of {name, amount}). */
  credits?: string[];
  currency: string[];
  period: string[];
  usageStart: string[];
  /** Columns holding every tag as JSON. */
  tagsJson: string[];
  /** Prefixes of columns holding one tag each, the key after the prefix. */
  tagPrefixes: string[];
  /** The line item's own id, and the interval it is unique within. */
  lineItemId: string[];
  lineItemInterval: string[];
  /** The resource a charge is for. */
  resourceId: string[];
}

const LAYOUTS: Record<ExportFormat, Layout> = {
  "aws-cur": {
    cost: ["line_item_unblended_cost", "lineItem/UnblendedCost"],
    currency: ["line_item_currency_code", "lineItem/CurrencyCode"],
    period: ["bill_billing_period_start_date", "bill/BillingPeriodStartDate"],
    usageStart: ["line_item_usage_start_date", "lineItem/UsageStartDate"],
    tagsJson: ["resource_tags"],
    tagPrefixes: ["resource_tags_", "resourceTags/"],
    lineItemId: ["identity_line_item_id", "identity/LineItemId"],
    lineItemInterval: ["identity_time_interval", "identity/TimeInterval"],
    resourceId: ["line_item_resource_id", "lineItem/ResourceId"],
  },
  focus: {
    cost: ["BilledCost"],
    currency: ["BillingCurrency"],
    period: ["BillingPeriodStart"],
    usageStart: ["ChargePeriodStart"],
    tagsJson: ["Tags"],
    tagPrefixes: [],
    lineItemId: [],
    lineItemInterval: [],
    resourceId: ["ResourceId"],
  },
  "gcp-billing": {
    cost: ["cost"],
    credits: ["credits"],
    currency: ["currency"],
    period: ["invoice.month", "invoice_month"],
    usageStart: ["usage_start_time"],
    tagsJson: ["labels"],
    tagPrefixes: ["labels.", "labels_"],
    lineItemId: [],
    lineItemInterval: [],
    resourceId: [],
  },
};

/** Which export a header row is: by its cost column, the one column every export of that kind has. */
export function detectFormat(header: readonly string[]): ExportFormat | null {
  const has = (names: readonly string[]): boolean => names.some((n) => header.includes(n));
  if (has(LAYOUTS["aws-cur"].cost)) return "aws-cur";
  if (has(LAYOUTS.focus.cost)) return "focus";
  if (has(LAYOUTS["gcp-billing"].cost) && header.some((h) => h === "labels" || h.startsWith("labels.") || h.startsWith("labels_") || LAYOUTS["gcp-billing"].period.includes(h) || h === "usage_start_time")) return "gcp-billing";
  return null;
}

/** `user_budget_line`, `user:budget-line`, `Budget_Line` -> `budget-line`: the keys as the estate writes them. */
export function normaliseTagKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/^user[:_]/, "")
    .replace(/_/g, "-");
}

/** "2026-10-01T00:00:00Z", "2026-10-01 00:00:00 UTC", "202610", "2026-10" -> "2026-10"; null if it is none. */
export function monthOf(value: string): string | null {
  const v = value.trim();
  const m = /^(\d{4})-?(\d{2})(?:$|-\d{2}|[T ])/.exec(v) ?? /^(\d{4})(\d{2})$/.exec(v);
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? `${m[1]}-${m[2]}` : null;
}

function tagsFromJson(text: string, where: string): Record<string, string> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputFileError(`${where}: the tags are not JSON: ${text.slice(0, 60)}`);
  }
  if (value === null || typeof value !== "object") throw new InputFileError(`${where}: the tags are neither a JSON object nor a list of {key, value}: ${text.slice(0, 60)}`);
  // GCP: [{"key": "budget-line", "value": "rnd-poc"}]; AWS and FOCUS: {"user_budget_line": "rnd-poc"}.
  const pairs: unknown[][] = Array.isArray(value)
    ? value.map((p) => (p && typeof p === "object" ? [(p as Record<string, unknown>).key, (p as Record<string, unknown>).value] : []))
    : Object.entries(value);
  return Object.fromEntries(pairs.filter((p): p is [string, string] => typeof p[0] === "string" && typeof p[1] === "string").map(([k, v]) => [normaliseTagKey(k), v.trim()]));
}

function creditsFromJson(text: string, where: string): number {
  if (text.trim() === "") return 0;
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error("not a list");
    return value.reduce((sum: number, c) => sum + (c && typeof c === "object" ? Number((c as Record<string, unknown>).amount) || 0 : 0), 0);
  } catch {
    throw new InputFileError(`${where}: credits are not a JSON list of {name, amount}: ${text.slice(0, 60)}`);
  }
}

/** The identities of a line item (see Charge.keys), each readable as it is named in a message. */
function chargeKeys(header: readonly string[], row: readonly string[], at: { idAt: number; intervalAt: number; resourceAt: number; usageAt: number; cost: number }): string[] {
  const value = (i: number): string => (i >= 0 ? row[i].trim() : "");
  const keys = [`the same row (${header.length} columns alike)\u0000${header.join("\u0001")}\u0000${row.join("\u0001")}`];
  if (value(at.idAt) !== "") keys.push(`line item ${value(at.idAt)}${value(at.intervalAt) ? ` (${value(at.intervalAt)})` : ""}`);
  const start = Date.parse(value(at.usageAt).replace(/ UTC$/, "Z"));
  if (value(at.resourceAt) !== "" && Number.isFinite(start)) keys.push(`the charge for ${value(at.resourceAt)} from ${new Date(start).toISOString()}, ${at.cost} USD`);
  return keys;
}

/** Parses an export; `name` is the file, for messages. Throws InputFileError on anything it cannot read. */
export function parseBillingExport(text: string, name: string): BillingExport {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new InputFileError(`${name}: not valid CSV: ${err.message}`);
    throw err;
  }
  if (rows.length === 0) throw new InputFileError(`${name}: empty; expected a billing export with a header row`);
  const header = rows[0].map((h) => h.trim());
  const format = detectFormat(header);
  if (!format) {
    throw new InputFileError(
      `${name}: not a billing export this command reads; expected a header with line_item_unblended_cost (AWS CUR 2.0), BilledCost (FOCUS) or cost and labels (GCP billing export); got: ${header.slice(0, 8).join(", ")}${header.length > 8 ? ", …" : ""}`,
    );
  }
  const layout = LAYOUTS[format];
  const column = (names: readonly string[]): number => header.findIndex((h) => names.includes(h));
  const costAt = column(layout.cost);
  const creditsAt = layout.credits ? column(layout.credits) : -1;
  const currencyAt = column(layout.currency);
  const periodAt = column(layout.period);
  const usageAt = column(layout.usageStart);
  const idAt = column(layout.lineItemId);
  const intervalAt = column(layout.lineItemInterval);
  const resourceAt = column(layout.resourceId);
  if (periodAt < 0 && usageAt < 0) {
    throw new InputFileError(`${name}: ${EXPORT_NAMES[format]} without a date column; expected one of ${[...layout.period, ...layout.usageStart].join(", ")}`);
  }
  const jsonAt = header.map((h, i) => (layout.tagsJson.includes(h) ? i : -1)).filter((i) => i >= 0);
  const flat = header.flatMap((h, i) => {
    const prefix = layout.tagPrefixes.find((p) => h.startsWith(p) && h.length > p.length);
    return prefix ? [{ at: i, key: normaliseTagKey(h.slice(prefix.length)) }] : [];
  });

  const charges: Charge[] = [];
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const where = `${name} line ${line}`;
    if (row.length !== header.length) throw new InputFileError(`${where}: ${row.length} fields where the header has ${header.length}`);
    const rawCost = row[costAt].trim();
    const cost = rawCost === "" ? 0 : Number(rawCost);
    if (!Number.isFinite(cost)) throw new InputFileError(`${where}: cost ${JSON.stringify(row[costAt])} is not a number`);
    const currency = currencyAt >= 0 ? row[currencyAt].trim() : "";
    if (currency !== "" && currency.toUpperCase() !== "USD") {
      throw new InputFileError(`${where}: cost in ${currency}; this report reads USD exports only (the budget converts USD to DAI at the stack's daiPerUsd)`);
    }
    const month = (periodAt >= 0 ? monthOf(row[periodAt]) : null) ?? (usageAt >= 0 ? monthOf(row[usageAt]) : null);
    if (!month) throw new InputFileError(`${where}: no billing period or usage start date to take the month from`);
    const tags: Record<string, string> = {};
    for (const at of jsonAt) Object.assign(tags, tagsFromJson(row[at], where));
    for (const { at, key } of flat) if (row[at].trim() !== "") tags[key] = row[at].trim();
    const credits = creditsAt >= 0 ? creditsFromJson(row[creditsAt], where) : 0;
    charges.push({ month, costUsd: cost + credits, tags, line, keys: chargeKeys(header, row, { idAt, intervalAt, resourceAt, usageAt, cost }) });
  });
  return { format, charges, months: [...new Set(charges.map((c) => c.month))].sort() };
}

/** The export in `file`; an InputFileError names the file and what is wrong with it. */
export function readBillingExport(file: string): BillingExport {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFileError(`--actuals ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : (err as Error).message}`);
  }
  return parseBillingExport(text, file);
}
