/** Just enough markdown for the docs tests: fenced blocks, headings and links, as GitHub renders them. */
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../helpers/estate";

export interface Fence {
  readonly lang: string;
  readonly lines: string[];
  /** The `## ` section it sits in ("" before the first). */
  readonly section: string;
}

export function readDoc(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), "utf8");
}

/** The text outside fenced code blocks, line by line, and the blocks themselves. */
export function split(markdown: string): { prose: string[]; fences: Fence[] } {
  const prose: string[] = [];
  const fences: Fence[] = [];
  let open: { lang: string; lines: string[]; section: string } | undefined;
  let section = "";
  for (const line of markdown.split("\n")) {
    const fence = /^```(\S*)/.exec(line);
    if (open) {
      if (/^```\s*$/.test(line)) {
        fences.push(open);
        open = undefined;
      } else open.lines.push(line);
    } else if (fence) {
      open = { lang: fence[1], lines: [], section };
    } else {
      if (line.startsWith("## ")) section = line.slice(3).trim();
      prose.push(line);
    }
  }
  return { prose, fences };
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

export function anchors(markdown: string): Set<string> {
  return new Set(
    split(markdown)
      .prose.filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ""))),
  );
}

/** Link targets in the prose (not in code): `[text](target)`, inline code spans left out. */
export function links(markdown: string): string[] {
  const text = split(markdown)
    .prose.join("\n")
    .replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}
