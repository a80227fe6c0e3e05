/** The option tokenizer the CLIs share: `--flag value`, `--flag=value` and bare flags. */
import * as fs from "fs";
import * as path from "path";

export class UsageError extends Error {}

/** Short forms, so that `-s a --stack b` counts as the same option twice. */
const ALIASES: Record<string, string> = { "-s": "--stack", "-h": "--help" };

/**
 * Hands each option to `on`; `value()` takes the option's value (inline or the next argument) or throws a UsageError.
 * An option given twice is a UsageError (the last one would silently win) unless it is listed in `repeatable`.
 */
export function eachOption(argv: readonly string[], on: (flag: string, value: () => string, raw: string) => void, repeatable: readonly string[] = []): void {
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const [flag, inline] = raw.startsWith("--") && raw.includes("=") ? raw.split(/=(.*)/s, 2) : [raw, undefined];
    const name = ALIASES[flag] ?? flag;
    if (seen.has(name) && name !== "--help" && !repeatable.includes(name)) {
      throw new UsageError(`${name} is given more than once; it takes one value (the last would silently win)`);
    }
    seen.add(name);
    on(
      flag,
      () => {
        const v = inline ?? argv[++i];
        if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
        return v;
      },
      raw,
    );
  }
}

/** Refuses an `--out` file that cannot be written, before the work that would fill it: its folder must exist. */
export function checkOutFile(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const kind = (p: string): "dir" | "file" | "none" => {
    try {
      return fs.statSync(p).isDirectory() ? "dir" : "file";
    } catch {
      return "none";
    }
  };
  if (kind(file) === "dir") throw new UsageError(`--out ${file}: is a directory; name the file to write, e.g. ${path.join(file, "report.txt")}`);
  if (kind(dir) !== "dir") throw new UsageError(`--out ${file}: no directory ${path.dirname(file)} to write into; create it first (mkdir -p ${path.dirname(file)})`);
}
