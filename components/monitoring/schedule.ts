/**
 * The drill's weekly schedule: one EventBridge Scheduler cron expression in the stack's config, read once and
 * rendered for both clouds (EventBridge Scheduler on AWS, Cloud Scheduler's unix cron on GCP).
 */

export interface WeeklySchedule {
  readonly minute: number;
  readonly hour: number;
  /** 0 = Sunday … 6 = Saturday (unix cron numbering). */
  readonly dayOfWeek: number;
}

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
export const WEEKLY_CRON_EXAMPLE = "cron(0 10 ? * TUE *)";

/**
 * A weekly EventBridge Scheduler expression, `cron(m h ? * DAY *)`: one minute, one hour, any day of the month,
 * every month, one day of the week (MON…SUN, or 1…7 where 1 is Sunday), every year. Undefined for anything else.
 */
export function parseWeeklyCron(expression: string): WeeklySchedule | undefined {
  const match = /^cron\((\d{1,2}) (\d{1,2}) \? \* ([A-Za-z]{3}|[1-7]) \*\)$/.exec(expression.trim());
  if (!match) return undefined;
  const minute = Number(match[1]);
  const hour = Number(match[2]);
  const day = match[3].toUpperCase();
  const dayOfWeek = /^[1-7]$/.test(day) ? Number(day) - 1 : DAYS.indexOf(day as (typeof DAYS)[number]);
  if (minute > 59 || hour > 23 || dayOfWeek < 0) return undefined;
  return { minute, hour, dayOfWeek };
}

/** EventBridge Scheduler's form of the schedule. */
export function awsWeeklyCron(s: WeeklySchedule): string {
  return `cron(${s.minute} ${s.hour} ? * ${DAYS[s.dayOfWeek]} *)`;
}

/** Cloud Scheduler's unix-cron form of the schedule. */
export function unixWeeklyCron(s: WeeklySchedule): string {
  return `${s.minute} ${s.hour} * * ${s.dayOfWeek}`;
}

/** Whether `timeZone` is an IANA time zone this runtime knows (EventBridge Scheduler and Cloud Scheduler take IANA names). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}
