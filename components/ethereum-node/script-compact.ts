/**
 * The health sidecar's source as it travels in a VM's user data, which EC2 caps at 16 KiB: whole-line comments and
 * leading indentation removed, nothing else touched. Deterministic (the same source gives the same text, so user
 * data changes only when the script does) and safe only for scripts without multi-line string or template
 * literals, which it refuses.
 */

/** The script without comment lines and indentation; throws when a line break may sit inside a literal. */
export function compactScript(source: string): string {
  const out: string[] = [];
  let inBlockComment = false;
  source.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (inBlockComment) {
      if (line.includes("*/")) {
        if (!line.endsWith("*/")) throw new Error(`compactScript: line ${i + 1}: code after the end of a block comment`);
        inBlockComment = false;
      }
      return;
    }
    if (line === "" || line.startsWith("//")) return;
    if (line.startsWith("/*")) {
      if (!line.includes("*/")) inBlockComment = true;
      else if (!line.endsWith("*/")) throw new Error(`compactScript: line ${i + 1}: code after a block comment`);
      return;
    }
    // An odd count of backticks leaves a template literal open across the line break: indentation would be content.
    if ((line.match(/`/g) ?? []).length % 2 === 1) throw new Error(`compactScript: line ${i + 1}: a template literal spans lines`);
    out.push(line);
  });
  if (inBlockComment) throw new Error("compactScript: unterminated block comment");
  return `${out.join("\n")}\n`;
}
