import { describe, expect, it } from 'vitest';
import { parseWindow } from '../../src-shared/schedule';
import { firstAttemptAt, nextWindowOpening, planRetry, retryDeadline, type MethodSchedule } from '../../src-main/queue/retry-schedule';

/** Local time, as the window is. */
const at = (day: number, h: number, m = 0, s = 0) => new Date(2026, 2, day, h, m, s).getTime();
const win = (text: string) => parseWindow(text)!;
const schedule = (s: Partial<MethodSchedule> = {}): MethodSchedule => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00', ...s });
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the window (local time)', () => {
  it('all day: any moment is inside', () => {
    for (const t of [at(2, 0, 0), at(2, 12, 34, 56), at(2, 23, 59, 59)]) expect(nextWindowOpening(win('00:00-24:00'), t)).toBe(t);
  });

  it('a day window: inside stays, before opens today, after (and at the end minute) opens tomorrow', () => {
    const w = win('09:00-17:00');
    expect(nextWindowOpening(w, at(2, 9, 0))).toBe(at(2, 9, 0));
    expect(nextWindowOpening(w, at(2, 16, 59, 59))).toBe(at(2, 16, 59, 59));
    expect(nextWindowOpening(w, at(2, 8, 59, 59))).toBe(at(2, 9, 0));
    expect(nextWindowOpening(w, at(2, 17, 0))).toBe(at(3, 9, 0));
    expect(nextWindowOpening(w, at(2, 23, 30))).toBe(at(3, 9, 0));
  });

  it('a window that wraps midnight (22:00-06:00)', () => {
    const w = win('22:00-06:00');
    expect(nextWindowOpening(w, at(2, 23, 0))).toBe(at(2, 23, 0));
    expect(nextWindowOpening(w, at(3, 0, 30))).toBe(at(3, 0, 30));
    expect(nextWindowOpening(w, at(3, 5, 59))).toBe(at(3, 5, 59));
    expect(nextWindowOpening(w, at(3, 6, 0))).toBe(at(3, 22, 0));
    expect(nextWindowOpening(w, at(3, 12, 0))).toBe(at(3, 22, 0));
    expect(nextWindowOpening(w, at(3, 21, 59, 59))).toBe(at(3, 22, 0));
  });

  it('across the end of a month and a year', () => {
    const w = win('09:00-10:00');
    expect(nextWindowOpening(w, new Date(2026, 2, 31, 11, 0).getTime())).toBe(new Date(2026, 3, 1, 9, 0).getTime());
    expect(nextWindowOpening(w, new Date(2026, 11, 31, 23, 0).getTime())).toBe(new Date(2027, 0, 1, 9, 0).getTime());
  });

  it('a new report is tried now inside its window, else at the next opening', () => {
    expect(firstAttemptAt(schedule(), at(2, 3, 0))).toBe(at(2, 3, 0));
    expect(firstAttemptAt(schedule({ window: '09:00-17:00' }), at(2, 20, 0))).toBe(at(3, 9, 0));
    // An unreadable window never holds a report back.
    expect(firstAttemptAt(schedule({ window: 'nonsense' }), at(2, 20, 0))).toBe(at(2, 20, 0));
  });
});

describe('retries', () => {
  it('the next attempt is one interval after the failure', () => {
    expect(planRetry(schedule(), at(2, 10), at(2, 10))).toEqual({ retry: true, at: at(2, 10, 5) });
    expect(planRetry(schedule({ retryIntervalMinutes: 30 }), at(2, 10), at(2, 11, 0, 7))).toEqual({ retry: true, at: at(2, 11, 30, 7) });
  });

  it('the limit counts from the first attempt: an attempt exactly at 72 h is made, one later is not', () => {
    const first = at(2, 10);
    expect(retryDeadline(schedule(), first)).toBe(first + 72 * HOUR);
    expect(planRetry(schedule(), first, first + 72 * HOUR - 5 * MIN)).toEqual({ retry: true, at: first + 72 * HOUR });
    expect(planRetry(schedule(), first, first + 72 * HOUR - 4 * MIN)).toEqual({ retry: false, deadline: first + 72 * HOUR });
    expect(planRetry(schedule({ retryUntilHours: 1 }), first, first + 56 * MIN)).toEqual({ retry: false, deadline: first + HOUR });
  });

  it('a retry that falls outside the window moves to the next opening', () => {
    const s = schedule({ window: '09:00-17:00' });
    expect(planRetry(s, at(2, 16, 0), at(2, 16, 57))).toEqual({ retry: true, at: at(3, 9, 0) });
    expect(planRetry(schedule({ window: '22:00-06:00' }), at(2, 22, 0), at(3, 5, 58))).toEqual({ retry: true, at: at(3, 22, 0) });
  });

  it('no retry when the next opening is past the limit', () => {
    const s = schedule({ window: '09:00-17:00', retryUntilHours: 2 });
    expect(planRetry(s, at(2, 16, 0), at(2, 16, 57))).toEqual({ retry: false, deadline: at(2, 18, 0) });
  });

  it('every retry of a 72 h schedule in a 09:00-17:00 window lies inside the window', () => {
    const s = schedule({ window: '09:00-17:00', retryIntervalMinutes: 7 });
    const first = at(2, 9, 0);
    let now = first;
    let count = 0;
    for (;;) {
      const plan = planRetry(s, first, now + 2000);
      if (!plan.retry) break;
      const d = new Date(plan.at);
      const minute = d.getHours() * 60 + d.getMinutes();
      expect(minute >= 9 * 60 && minute < 17 * 60).toBe(true);
      expect(plan.at).toBeGreaterThan(now);
      now = plan.at;
      count++;
    }
    // Three 8-hour days plus the morning of the fourth day (the limit is 09:00 on day 5).
    expect(count).toBeGreaterThan(3 * Math.floor((8 * 60) / 7) - 3);
    expect(now).toBeLessThanOrEqual(first + 72 * HOUR);
  });
});
