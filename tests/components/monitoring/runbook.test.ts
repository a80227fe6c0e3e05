import * as fs from "fs";
import * as path from "path";
import { ALARM_CATALOG, CLOUDWATCH_NAMESPACE, DRILL_METRIC, DRILL_PUBSUB_METRIC, runbookUrl } from "../../../components/monitoring";

const RUNBOOK = fs.readFileSync(path.resolve(__dirname, "../../../docs/runbook.md"), "utf8");

interface Heading {
  readonly level: number;
  readonly text: string;
  readonly anchor: string;
  /** The lines up to the next heading of the same or a higher level. */
  readonly body: string;
}

/** GitHub's heading anchors: lowercase, punctuation dropped (but '-' and '_'), spaces to '-', repeats numbered. */
function githubAnchor(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, "")
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
    .replace(/ /g, "-");
}

function headings(markdown: string): Heading[] {
  const lines = markdown.split("\n");
  const found: { level: number; text: string; line: number }[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^```/.test(line)) fenced = !fenced;
    const match = !fenced && /^(#{1,6}) (.+)$/.exec(line);
    if (match) found.push({ level: match[1].length, text: match[2], line: i });
  });
  const seen = new Map<string, number>();
  return found.map((h, i) => {
    const base = githubAnchor(h.text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const end = found.slice(i + 1).find((next) => next.level <= h.level)?.line ?? lines.length;
    return { level: h.level, text: h.text, anchor: n === 0 ? base : `${base}-${n}`, body: lines.slice(h.line + 1, end).join("\n") };
  });
}

const HEADINGS = headings(RUNBOOK);
const section = (anchor: string) => HEADINGS.find((h) => h.anchor === anchor);

describe("docs/runbook.md", () => {
  it("computes anchors as GitHub does", () => {
    expect(githubAnchor("eth-head-stale")).toBe("eth-head-stale");
    expect(githubAnchor("Running a drill by hand")).toBe("running-a-drill-by-hand");
    expect(githubAnchor("`api-5xx-rate` — API 5xx")).toBe("api-5xx-rate--api-5xx");
  });

  it("has one section per alarm of the catalog, its heading's anchor the alarm id, and no section without an alarm", () => {
    const alarms = section("alarms")!;
    const alarmSections = HEADINGS.filter((h) => h.level === 3 && alarms.body.includes(`### ${h.text}`));
    expect(alarmSections.map((h) => h.anchor)).toEqual(ALARM_CATALOG.map((k) => k.id));
    for (const kind of ALARM_CATALOG) {
      const s = section(kind.id);
      expect([kind.id, s?.text]).toEqual([kind.id, kind.id]);
      expect(HEADINGS.filter((h) => h.anchor === kind.id)).toHaveLength(1);
    }
  });

  it("says for each alarm what it means, how to confirm it and how to fix it, under the catalog's title", () => {
    for (const kind of ALARM_CATALOG) {
      const body = section(kind.id)!.body;
      expect([kind.id, body.includes(`**${kind.title}**`)]).toEqual([kind.id, true]);
      for (const part of ["**What it means.**", "**How to confirm.**", "**How to fix.**"]) {
        expect([kind.id, part, body.includes(part)]).toEqual([kind.id, part, true]);
      }
      // Real content, not headings alone.
      expect(body.length).toBeGreaterThan(400);
    }
  });

  it("explains how to run a drill by hand on AWS and on GCP, with the metric and topic the drill really uses", () => {
    const drill = section("running-a-drill-by-hand")!;
    const aws = HEADINGS.find((h) => h.level === 3 && h.text === "AWS" && drill.body.includes(h.body))!;
    const gcp = HEADINGS.find((h) => h.level === 3 && h.text === "GCP" && drill.body.includes(h.body))!;
    expect(aws.body).toContain(`aws cloudwatch put-metric-data --region <region> --namespace ${CLOUDWATCH_NAMESPACE} --metric-name ${DRILL_METRIC}`);
    expect(aws.body).toContain("--dimensions Stack=<stack>,Monitoring=<component>");
    expect(aws.body).toContain("DRILL-<stack>-<component>-notification-drill");
    expect(gcp.body).toContain("gcloud scheduler jobs run <job>");
    expect(section("notification-drill")!.body).toContain(DRILL_PUBSUB_METRIC);
  });

  it("links only to sections that exist", () => {
    const anchors = new Set(HEADINGS.map((h) => h.anchor));
    const links = [...RUNBOOK.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });

  it("is where every alarm's link points", () => {
    const base = "https://github.com/techops/core-unit-estate/blob/main/docs/runbook.md";
    for (const kind of ALARM_CATALOG) expect(runbookUrl(base, kind.id)).toBe(`${base}#${section(kind.id)!.anchor}`);
  });
});
