import { describe, expect, it } from 'vitest';
import { HeartbeatRunner } from '../../src-main/reports/heartbeat-runner';
import { nextScheduledRun } from '../../src-main/reports/heartbeat-schedule';

const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min);
const at3 = { hour: 3, minute: 0 };

describe('the configuration report schedule (AMHTPHBI.INF [Schedule])', () => {
  it('every month on day 15 at 03:00: later this month, or next month once it passed', () => {
    expect(nextScheduledRun({ type: 'month', day: 15 }, at3, local(2026, 11, 1))).toEqual(local(2026, 11, 15, 3));
    expect(nextScheduledRun({ type: 'month', day: 15 }, at3, local(2026, 11, 15, 3))).toEqual(local(2026, 12, 15, 3));
    expect(nextScheduledRun({ type: 'month', day: 15 }, at3, local(2026, 12, 20))).toEqual(local(2027, 1, 15, 3));
  });

  it('day 31 in a 30-day month runs on the 30th (the last day), not skipped, not twice', () => {
    expect(nextScheduledRun({ type: 'month', day: 31 }, at3, local(2026, 11, 1))).toEqual(local(2026, 11, 30, 3));
    expect(nextScheduledRun({ type: 'month', day: 31 }, at3, local(2026, 11, 30, 4))).toEqual(local(2026, 12, 31, 3));
    expect(nextScheduledRun({ type: 'month', day: 31 }, at3, local(2026, 12, 31, 3))).toEqual(local(2027, 1, 31, 3));
  });

  it('day 29–31 in February runs on the 28th, or the 29th in a leap year', () => {
    expect(nextScheduledRun({ type: 'month', day: 30 }, at3, local(2027, 2, 1))).toEqual(local(2027, 2, 28, 3));
    expect(nextScheduledRun({ type: 'month', day: 31 }, at3, local(2028, 2, 1))).toEqual(local(2028, 2, 29, 3));
    expect(nextScheduledRun({ type: 'month', day: 29 }, at3, local(2027, 1, 30))).toEqual(local(2027, 2, 28, 3));
  });

  it('every week: day 0 is Sunday; the same day later, or next week once it passed', () => {
    // 2026-11-25 is a Wednesday.
    expect(nextScheduledRun({ type: 'week', day: 0 }, at3, local(2026, 11, 25, 12))).toEqual(local(2026, 11, 29, 3));
    expect(nextScheduledRun({ type: 'week', day: 3 }, { hour: 23, minute: 59 }, local(2026, 11, 25, 12))).toEqual(local(2026, 11, 25, 23, 59));
    expect(nextScheduledRun({ type: 'week', day: 3 }, at3, local(2026, 11, 25, 12))).toEqual(local(2026, 12, 2, 3));
    expect(nextScheduledRun({ type: 'week', day: 6 }, at3, local(2026, 12, 31))).toEqual(local(2027, 1, 2, 3));
  });

  it('is always strictly later than the time given, over a year of random moments', () => {
    for (let i = 0; i < 2000; i++) {
      const after = new Date(2026, 0, 1 + Math.floor(Math.random() * 365), Math.floor(Math.random() * 24), Math.floor(Math.random() * 60));
      const day = 1 + Math.floor(Math.random() * 31);
      const next = nextScheduledRun({ type: 'month', day }, at3, after);
      expect(next.getTime()).toBeGreaterThan(after.getTime());
      expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(32 * 24 * 3600 * 1000);
      expect(next.getDate()).toBe(Math.min(day, new Date(next.getFullYear(), next.getMonth() + 1, 0).getDate()));
    }
  });
});

describe('HeartbeatRunner (clock and timers injected)', () => {
  function harness(start: Date) {
    let now = start.getTime();
    const timers: { at: number; fn: () => void }[] = [];
    const sent: Date[] = [];
    const runner = new HeartbeatRunner({
      now: () => new Date(now),
      readSchedule: async () => ({ schedule: { type: 'month', day: 31 }, time: { hour: 3, minute: 0 } }),
      send: async () => {
        sent.push(new Date(now));
        return { delivered: true, destination: 'x', step: null, message: 'ok' };
      },
      log: () => undefined,
      setTimer: (fn, ms) => {
        const t = { at: now + ms, fn };
        timers.push(t);
        return t;
      },
      clearTimer: (t) => void timers.splice(timers.indexOf(t as (typeof timers)[number]), 1),
    });
    /** Moves the clock forward, firing every timer that falls due, in order. */
    const flush = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    };
    const advance = async (ms: number) => {
      const end = now + ms;
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        now = t.at;
        t.fn();
        await flush();
      }
      now = end;
    };
    return { runner, sent, advance };
  }

  it('sends once a month through three months, on the 30th of a 30-day month', async () => {
    const h = harness(local(2026, 11, 1));
    h.runner.start();
    await h.advance(0);
    expect(h.runner.nextRun()).toEqual(local(2026, 11, 30, 3));
    await h.advance(92 * 24 * 3600 * 1000);
    expect(h.sent).toEqual([local(2026, 11, 30, 3), local(2026, 12, 31, 3), local(2027, 1, 31, 3)]);
    h.runner.stop();
  });

  it('sends nothing after stop', async () => {
    const h = harness(local(2026, 11, 29));
    h.runner.start();
    await h.advance(0);
    h.runner.stop();
    await h.advance(5 * 24 * 3600 * 1000);
    expect(h.sent).toEqual([]);
  });
});
