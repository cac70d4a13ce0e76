import type { HbiSchedule } from '../inf';

/**
 * When the scheduled configuration report (AMHTPHBI.INF [Schedule]) next runs, in local time.
 *
 * `every month` on a day the month does not have (31 in a 30-day month, 29–31 in February) runs
 * on the month's last day instead: the report is never skipped for a month, and never sent twice
 * in one month. `every week` day 0 is Sunday … 6 Saturday.
 *
 * Returns the first matching time strictly after `after`.
 */
export function nextScheduledRun(schedule: HbiSchedule, time: { hour: number; minute: number }, after: Date): Date {
  const at = (y: number, m: number, d: number) => new Date(y, m, d, time.hour, time.minute, 0, 0);
  if (schedule.type === 'week') {
    const base = at(after.getFullYear(), after.getMonth(), after.getDate());
    const ahead = (schedule.day - base.getDay() + 7) % 7;
    let candidate = at(base.getFullYear(), base.getMonth(), base.getDate() + ahead);
    if (candidate.getTime() <= after.getTime()) candidate = at(candidate.getFullYear(), candidate.getMonth(), candidate.getDate() + 7);
    return candidate;
  }
  for (let offset = 0; offset < 3; offset++) {
    const year = after.getFullYear();
    const month = after.getMonth() + offset;
    const lastDay = new Date(year, month + 1, 0).getDate();
    const candidate = at(year, month, Math.min(schedule.day, lastDay));
    if (candidate.getTime() > after.getTime()) return candidate;
  }
  // Unreachable: some day of the next two months is always after `after`.
  throw new Error('no scheduled time found');
}
