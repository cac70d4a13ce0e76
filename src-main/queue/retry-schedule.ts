/**
 * The schedule of a report method (W5) as pure functions of `now`: when a report may be tried,
 * and when a failed attempt is tried again. Times of day are local time, as the window is.
 */
import type { Schedule } from '../../src-shared/settings';
import { ALL_DAY_WINDOW, isInsideWindow, parseWindow, type TimeWindow } from '../../src-shared/schedule';

export type MethodSchedule = Pick<Schedule, 'retryIntervalMinutes' | 'retryUntilHours' | 'window'>;

export const DEFAULT_SCHEDULE: MethodSchedule = { retryIntervalMinutes: 5, retryUntilHours: 72, window: ALL_DAY_WINDOW };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The window of a schedule; an unreadable one counts as all day, so a report is never held for ever. */
export function windowOf(schedule: MethodSchedule): TimeWindow {
  return parseWindow(schedule.window) ?? { from: 0, to: 1440 };
}

export function minuteOfDay(time: number): number {
  const d = new Date(time);
  return d.getHours() * 60 + d.getMinutes();
}

/** `time` itself when it lies inside the window, else the next opening of the window after it. */
export function nextWindowOpening(window: TimeWindow, time: number): number {
  if (isInsideWindow(window, minuteOfDay(time))) return time;
  const d = new Date(time);
  const h = Math.floor(window.from / 60);
  const m = window.from % 60;
  // Built from calendar fields, so a daylight-saving change does not shift the opening.
  const today = new Date(d.getFullYear(), d.getMonth(), d.getDate(), h, m).getTime();
  if (today > time) return today;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, h, m).getTime();
}

/** When a new (or resent) report is first tried: now, or the next opening of its window. */
export function firstAttemptAt(schedule: MethodSchedule, now: number): number {
  return nextWindowOpening(windowOf(schedule), now);
}

/** The moment after which a report is not tried again: the retry limit after its first attempt. */
export function retryDeadline(schedule: MethodSchedule, firstAttempt: number): number {
  return firstAttempt + schedule.retryUntilHours * HOUR_MS;
}

export type RetryPlan = { retry: true; at: number } | { retry: false; deadline: number };

/**
 * After a retryable failure at `now`: the next attempt one interval later, moved to the next
 * opening of the window when that falls outside it — or no retry when that is past the limit
 * (counted from the first attempt; an attempt exactly at the limit is still made).
 */
export function planRetry(schedule: MethodSchedule, firstAttempt: number, now: number): RetryPlan {
  const deadline = retryDeadline(schedule, firstAttempt);
  const at = nextWindowOpening(windowOf(schedule), now + schedule.retryIntervalMinutes * MINUTE_MS);
  return at <= deadline ? { retry: true, at } : { retry: false, deadline };
}
