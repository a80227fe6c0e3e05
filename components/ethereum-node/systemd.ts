/** systemd unit files: sections of key/value lines, and command lines quoted the way systemd splits them. */

export type UnitSection = ReadonlyArray<readonly [key: string, value: string]>;

export interface UnitFile {
  readonly unit: UnitSection;
  readonly service: UnitSection;
  readonly install?: UnitSection;
}

const PLAIN_WORD = /^[A-Za-z0-9_@+=:,./*-]+$/;

/** One word of a systemd command line: `%` and `$` escaped, quoted when it holds anything but plain characters. */
export function systemdWord(word: string): string {
  if (/[\r\n]/.test(word)) throw new Error(`systemd command word ${JSON.stringify(word)} contains a line break`);
  const escaped = word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  if (word.length > 0 && PLAIN_WORD.test(word)) return escaped;
  return `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A command line from groups of words, one group per continuation line so long invocations stay readable. */
export function commandLine(groups: ReadonlyArray<readonly string[]>): string {
  return groups.map((words) => words.map(systemdWord).join(" ")).join(" \\\n  ");
}

export function renderUnit(file: UnitFile): string {
  const section = (title: string, lines: UnitSection) => [`[${title}]`, ...lines.map(([k, v]) => `${k}=${v}`)].join("\n");
  return [section("Unit", file.unit), section("Service", file.service), ...(file.install ? [section("Install", file.install)] : [])].join("\n\n") + "\n";
}
