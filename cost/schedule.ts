/**
 * VMs that a schedule stops outside working hours: the hours a week they run, read from the schedules' cron
 * expressions (EventBridge Scheduler `cron(m h ? * days *)`, Compute Engine `m h * * days`), and the saving
 * against always-on as a negative cost component of the instance.
 */
import { Bill, CostInput, PricingContext } from "./model";
import { asString, at, cents } from "./read";
import { HOURS_PER_MONTH } from "./types";

const HOURS_PER_WEEK = 168;
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** The days of week (0 = Sunday) a cron day-of-week field names: `*`, `?`, lists and ranges of numbers or names. */
function daysOf(field: string): number[] | undefined {
  if (field === "*" || field === "?") return [0, 1, 2, 3, 4, 5, 6];
  const day = (s: string): number | undefined => (/^\d$/.test(s) ? Number(s) % 7 : DAY_NAMES.indexOf(s.toUpperCase()) >= 0 ? DAY_NAMES.indexOf(s.toUpperCase()) : undefined);
  const days = new Set<number>();
  for (const part of field.split(",")) {
    const [from, to] = part.split("-").map(day);
    if (from === undefined || (part.includes("-") && to === undefined)) return undefined;
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === (to ?? from)) break;
    }
  }
  return [...days];
}

/** A daily time on some weekdays: the hour and the days, from a cron expression; undefined when it is not one. */
export function parseDailyCron(expression: string): { hour: number; minute: number; days: number[] } | undefined {
  const fields = expression.replace(/^cron\((.*)\)$/, "$1").trim().split(/\s+/);
  if (fields.length < 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour) || !["*", "?"].includes(dayOfMonth) || month !== "*") return undefined;
  const days = daysOf(dayOfWeek);
  return days ? { hour: Number(hour), minute: Number(minute), days } : undefined;
}

/** Hours a week between a start and a stop on the same days, or undefined when the schedules do not pair up. */
export function runningHoursPerWeek(start: string, stop: string): number | undefined {
  const on = parseDailyCron(start);
  const off = parseDailyCron(stop);
  if (!on || !off || on.days.join() !== off.days.join()) return undefined;
  const hours = off.hour + off.minute / 60 - (on.hour + on.minute / 60);
  return hours > 0 ? hours * on.days.length : undefined;
}

/** The start and stop crons that apply to an instance: EventBridge Scheduler schedules or its GCP instance schedule. */
export function schedulesOf(r: CostInput, ctx: PricingContext): { start: string; stop: string } | undefined {
  if (r.type === "aws:ec2/instance:Instance") {
    const schedules = ctx.index.dependentsOf(r, "aws:scheduler/schedule:Schedule");
    const find = (action: string) => schedules.find((s) => asString(at(s.inputs, "target.arn"))?.endsWith(`:ec2:${action}Instances`));
    const start = asString(find("start")?.inputs.scheduleExpression);
    const stop = asString(find("stop")?.inputs.scheduleExpression);
    return start && stop ? { start, stop } : undefined;
  }
  const policy = ctx.index.dependenciesOf(r, "gcp:compute/resourcePolicy:ResourcePolicy").find((p) => at(p.inputs, "instanceSchedulePolicy") !== undefined);
  const start = asString(at(policy?.inputs, "instanceSchedulePolicy.vmStartSchedule.schedule"));
  const stop = asString(at(policy?.inputs, "instanceSchedulePolicy.vmStopSchedule.schedule"));
  return start && stop ? { start, stop } : undefined;
}

/** The hourly rate of what a stopped VM no longer pays (its machine; disks and addresses bill on), and its price refs. */
export interface HourlyRate {
  readonly usd: number;
  readonly ref: string;
}

/** Adds the idle-stop saving (negative) on the instance's hourly `rate`, when a schedule stops it. */
export function addIdleStopSaving(bill: Bill, r: CostInput, ctx: PricingContext, rate: HourlyRate): void {
  const schedules = schedulesOf(r, ctx);
  if (!schedules) return;
  const hours = runningHoursPerWeek(schedules.start, schedules.stop);
  if (hours === undefined) {
    bill.note(`a start/stop schedule (${schedules.start} / ${schedules.stop}) the estimate cannot read: priced always-on`);
    return;
  }
  const stopped = HOURS_PER_WEEK - hours;
  const quantity = -(HOURS_PER_MONTH * stopped) / HOURS_PER_WEEK;
  bill.component({
    name: `idle-stop schedule saving: stopped ${stopped} of ${HOURS_PER_WEEK} hours a week (runs ${hours})`,
    unit: "hours",
    quantity,
    unitPriceUsd: rate.usd,
    monthlyUsd: cents(quantity * rate.usd),
    price: rate.ref,
  });
}
