/**
 * Renders a stack's HTML cost report and screenshots it in headless Chromium, to check the page as a browser draws it:
 * `npm run report:screenshot -- --stack prod --out /tmp/report.png [--actuals <export.csv> [--month YYYY-MM]]`.
 * Needs a Chromium (Debian: `apt-get install -y chromium`); npm test never does.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { readActuals } from "../cost/actuals-merge";
import { chooseMonth, reconcile } from "../cost/actuals-reconcile";
import { renderActualsHtml } from "../cost/actuals-report";
import { renderHtml } from "../cost/report-html";
import { UsageError, eachOption } from "./options";
import { buildPlan } from "./plan/plan";
import { describeReportFailure } from "./report";

const PROJECT_DIR = path.resolve(__dirname, "..");
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

export const SCREENSHOT_USAGE = `Usage: npm run report:screenshot -- [--stack <name>] [--out <file.png>] [--actuals <export.csv> [--month YYYY-MM]] [--window-size <w>,<h>]

Renders the stack's HTML cost report (with --actuals: the actuals report) and screenshots it in headless Chromium.
  --stack <name>          the stack (default: staging)
  --out <file.png>        the screenshot (default: report-<stack>.png in the system's temporary directory); the page is written next to it as .html
  --window-size <w>,<h>   the browser window in pixels (default: 1280,1600)
Chromium: $CHROMIUM if set, else ${CANDIDATES.join(", ")}. Debian: apt-get install -y chromium.`;

interface ShotArgs {
  stack: string;
  out?: string;
  actuals?: string;
  month?: string;
  windowSize: string;
  cwd?: string;
  help: boolean;
}

function parseShotArgs(argv: readonly string[]): ShotArgs {
  const args: ShotArgs = { stack: "staging", windowSize: "1280,1600", help: false };
  eachOption(argv, (flag, value, raw) => {
    if (flag === "--stack" || flag === "-s") args.stack = value();
    else if (flag === "--out") args.out = value();
    else if (flag === "--actuals") args.actuals = value();
    else if (flag === "--month") args.month = value();
    else if (flag === "--cwd") args.cwd = value();
    else if (flag === "--window-size") {
      args.windowSize = value();
      if (!/^\d{3,5},\d{3,5}$/.test(args.windowSize)) throw new UsageError(`--window-size ${args.windowSize}: expected <width>,<height> in pixels, e.g. 1280,1600`);
    } else if (flag === "--help" || flag === "-h") args.help = true;
    else throw new UsageError(`unknown option ${raw}; options are --stack, --out, --actuals, --month, --window-size, --cwd, --help`);
  });
  return args;
}

export class ChromiumMissing extends Error {}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM) {
    if (fs.existsSync(env.CHROMIUM)) return env.CHROMIUM;
    throw new ChromiumMissing(`CHROMIUM=${env.CHROMIUM}: no such file; point it at a Chromium or Chrome binary, or unset it`);
  }
  const found = CANDIDATES.find((c) => fs.existsSync(c));
  if (!found) throw new ChromiumMissing(`no Chromium found (looked for ${CANDIDATES.join(", ")}); install it (Debian: apt-get install -y chromium) or set CHROMIUM=/path/to/chromium`);
  return found;
}

async function main(argv: string[]): Promise<number> {
  const args = parseShotArgs(argv);
  if (args.help) {
    process.stdout.write(`${SCREENSHOT_USAGE}\n`);
    return 0;
  }
  const chromium = findChromium();
  const billing = args.actuals === undefined ? undefined : readActuals([args.actuals]);
  if (billing) chooseMonth(billing, args.month);
  const plan = await buildPlan(path.resolve(args.cwd ?? PROJECT_DIR), args.stack);
  const page = billing ? renderActualsHtml(reconcile(plan, billing, args.month)) : renderHtml(plan);

  const out = path.resolve(args.out ?? path.join(os.tmpdir(), `report-${args.stack}.png`));
  const htmlFile = out.replace(/\.png$/i, "") + ".html";
  fs.writeFileSync(htmlFile, page);
  fs.rmSync(out, { force: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "report-chromium-"));
  try {
    const run = spawnSync(
      chromium,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        `--screenshot=${out}`,
        `--window-size=${args.windowSize}`,
        pathToFileURL(htmlFile).href,
      ],
      { encoding: "utf8", timeout: 120_000 },
    );
    if (run.error || !fs.existsSync(out) || fs.statSync(out).size === 0) {
      const why = run.error ? run.error.message : `exit ${run.status}: ${(run.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`;
      throw new Error(`${chromium} wrote no screenshot (${why})`);
    }
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stderr.write(`wrote ${out} (${fs.statSync(out).size} bytes) from ${htmlFile}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`error: ${err.message}\n\n${SCREENSHOT_USAGE}\n`);
        process.exit(2);
      }
      if (err instanceof ChromiumMissing) {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
      }
      const { code, message } = describeReportFailure(err, Boolean(process.env.PLAN_DEBUG));
      process.stderr.write(message);
      process.exit(code);
    },
  );
}
