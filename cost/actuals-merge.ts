/**
 * Several billing exports read as one: the AWS and the GCP export of a month (any mix of CUR 2.0, FOCUS and the GCP
 * billing export) merge into one set of charges. A line item found in two exports would be counted twice: refused.
 */
import * as path from "path";
import { BillingExport, Charge, EXPORT_NAMES, ExportFormat, readBillingExport } from "./actuals";
import { InputFileError } from "./errors";

export interface ActualsSource {
  /** The export file, as given. */
  file: string;
  format: ExportFormat;
  exportName: string;
  months: string[];
}

export interface SourcedCharge extends Charge {
  /** The export file it comes from. */
  file: string;
}

export interface Actuals {
  sources: ActualsSource[];
  charges: SourcedCharge[];
  /** Every month with charges in any export, oldest first. */
  months: string[];
}

/** The exports as one; `exports` in the order given. Throws InputFileError on a line item in two of them. */
export function mergeExports(exports: readonly { file: string; billing: BillingExport }[]): Actuals {
  const firstSeen = new Map<string, SourcedCharge>();
  const charges: SourcedCharge[] = [];
  for (const { file, billing } of exports) {
    for (const charge of billing.charges) {
      const sourced = { ...charge, file };
      for (const key of charge.keys) {
        const seen = firstSeen.get(key);
        if (seen && seen.file !== file) {
          const what = key.split("\u0000")[0];
          throw new InputFileError(
            `${seen.file} line ${seen.line} and ${file} line ${charge.line} are one line item (${what}): it would be counted twice; give each account's spend in one export only (one of CUR 2.0 or FOCUS for an AWS account)`,
          );
        }
        if (!seen) firstSeen.set(key, sourced);
      }
      charges.push(sourced);
    }
  }
  return {
    sources: exports.map(({ file, billing }) => ({ file, format: billing.format, exportName: EXPORT_NAMES[billing.format], months: billing.months })),
    charges,
    months: [...new Set(charges.map((c) => c.month))].sort(),
  };
}

/** Reads and merges the exports in `files`; the same file given twice is refused before it is read. */
export function readActuals(files: readonly string[]): Actuals {
  const resolved = new Map<string, string>();
  for (const file of files) {
    const twin = resolved.get(path.resolve(file));
    if (twin !== undefined) throw new InputFileError(`--actuals ${file}: given twice (also as ${twin}); give each export once`);
    resolved.set(path.resolve(file), file);
  }
  return mergeExports(files.map((file) => ({ file, billing: readBillingExport(file) })));
}
