/**
 * When a sandbox VM runs: working hours on weekdays, stopped otherwise. One schedule as data, rendered as the
 * cron expressions EventBridge Scheduler (AWS) and instance schedule policies (GCP) take.
 */
export interface WorkingHours {
  /** Hour of day (0-23) the VM starts and stops, in `timeZone`. */
  readonly startHour: number;
  readonly stopHour: number;
  /** IANA time zone. */
  readonly timeZone: string;
}

/** Weekdays 08:00-20:00 UTC: 60 of the week's 168 hours. */
export const WORKING_HOURS: WorkingHours = { startHour: 8, stopHour: 20, timeZone: "UTC" };

/** EventBridge Scheduler: `cron(minutes hours day-of-month month day-of-week year)`. */
export function awsCron(hour: number): string {
  return `cron(0 ${hour} ? * MON-FRI *)`;
}

/** Compute Engine instance schedules: unix cron `minute hour day-of-month month day-of-week`. */
export function gcpCron(hour: number): string {
  return `0 ${hour} * * 1-5`;
}
