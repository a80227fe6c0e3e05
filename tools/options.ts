/** The option tokenizer the CLIs share: `--flag value`, `--flag=value` and bare flags. */
export class UsageError extends Error {}

/** Hands each option to `on`; `value()` takes the option's value (inline or the next argument) or throws a UsageError. */
export function eachOption(argv: readonly string[], on: (flag: string, value: () => string, raw: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const [flag, inline] = raw.startsWith("--") && raw.includes("=") ? raw.split(/=(.*)/s, 2) : [raw, undefined];
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
