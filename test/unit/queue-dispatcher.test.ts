import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery, OutgoingReport, Reporter } from '../../src-main/channels/reporter';
import { ManualClock, QueueError, ReportQueue, type MethodSchedule, type QueueItem } from '../../src-main/queue';
import { sampleEnvelope } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = new Date(2026, 2, 2, 10, 0); // a Monday, 10:00 local time

type Script = (report: OutgoingReport, n: number) => Delivery | Promise<Delivery>;

/** A reporter that answers by script and counts its calls. */
function fakeReporter(name: string, script: Script): Reporter & { calls: string[] } {
  const calls: string[] = [];
  return {
    name,
    channel: 'https',
    calls,
    async send(report) {
      calls.push(report.envelope.id);
      return script(report, calls.length);
    },
  };
}
const ok = (destination: string): Delivery => ({ ok: true, destination, detail: 'accepted' });
const down = (destination: string): Delivery => ({ ok: false, destination, channel: 'https', step: 'connect', retryable: true, detail: `${destination} refused the connection` });
const refused = (destination: string): Delivery => ({ ok: false, destination, channel: 'https', step: 'http-status', retryable: false, status: 404, detail: 'no receiver at this URL' });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(options: { schedule?: Partial<MethodSchedule>; reporters: Reporter[]; concurrency?: number; start?: Date }) {
  const temp = tempDir('er-queue-');
  const clock = new ManualClock(options.start ?? START);
  const events: QueueItem[] = [];
  const schedule: MethodSchedule = { retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00', ...options.schedule };
  let reporters = options.reporters;
  const queue = await ReportQueue.open({
    dir: temp.dir,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    scheduleFor: () => schedule,
    reportersFor: () => reporters,
    onChange: (item) => events.push(item),
    concurrency: options.concurrency,
  });
  cleanups.push(temp.remove, () => queue.close());
  const settle = () => queue.idle();
  return {
    queue,
    clock,
    events,
    schedule,
    dir: temp.dir,
    setReporters: (r: Reporter[]) => (reporters = r),
    advance: (ms: number) => clock.advance(ms, settle),
    advanceTo: (t: Date | number) => clock.advanceTo(t, settle),
    settle,
  };
}

describe('dispatcher', () => {
  it('delivers a new report at once and settles it', async () => {
    const primary = fakeReporter('primary', () => ok('https://a/'));
    const { queue, events, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('alert', [], randomUUID());
    const accepted = await queue.accept(env);
    expect(accepted.state).toBe('queued');
    expect(accepted.nextAttemptAt).toBe(START.toISOString());
    await settle();
    expect(primary.calls).toEqual([env.id]);
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 1, destination: 'https://a/', settledAt: START.toISOString(), lastError: null, failure: null });
    expect(events.map((e) => e.state)).toEqual(['queued', 'sending', 'delivered']);
  });

  it('retries every interval for 72 hours with one timer, then fails for good (visible, with the last error)', async () => {
    const primary = fakeReporter('primary', () => down('https://a/'));
    const { queue, clock, events, advance, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', attempts: 1, nextAttemptAt: new Date(START.getTime() + 5 * MIN).toISOString() });
    let maxTimers = 0;
    for (let h = 0; h < 73; h++) {
      await advance(HOUR);
      maxTimers = Math.max(maxTimers, clock.pending);
    }
    // First attempt at 0, then every 5 minutes up to and including 72 h.
    expect(primary.calls).toHaveLength(1 + (72 * 60) / 5);
    expect(maxTimers).toBeLessThanOrEqual(1);
    expect(clock.pending).toBe(0);
    const failed = queue.get(env.id)!;
    expect(failed).toMatchObject({ state: 'failed', failure: 'retry-limit', attempts: 865, nextAttemptAt: null });
    expect(failed.lastError).toMatchObject({ step: 'connect', retryable: true, destination: 'https://a/' });
    expect(failed.settledAt).toBe(new Date(START.getTime() + 72 * HOUR).toISOString());
    expect(queue.list({ state: 'failed' }).map((i) => i.id)).toEqual([env.id]);
    expect(events.at(-1)).toMatchObject({ id: env.id, state: 'failed' });
  });

  it('center down for a while, then up: delivered on a later retry', async () => {
    const primary = fakeReporter('primary', (_r, n) => (n <= 3 ? down('https://a/') : ok('https://a/')));
    const { queue, advance, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    await advance(30 * MIN);
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 4, failure: null });
    expect(queue.get(env.id)!.settledAt).toBe(new Date(START.getTime() + 15 * MIN).toISOString());
  });

  it('a permanent failure fails for good at once', async () => {
    const primary = fakeReporter('primary', () => refused('https://a/'));
    const { queue, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'failed', failure: 'permanent', attempts: 1, lastError: { step: 'http-status', status: 404, retryable: false } });
  });

  it('primary then secondary: the secondary delivers when the primary fails, either way', async () => {
    const primary = fakeReporter('primary', () => down('https://a/'));
    const secondary = fakeReporter('secondary', () => ok('https://b/'));
    const { queue, settle } = await setup({ reporters: [primary, secondary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(primary.calls).toEqual([env.id]);
    expect(secondary.calls).toEqual([env.id]);
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', destination: 'https://b/', attempts: 1 });
  });

  it('a round is retryable when any destination failed for a retryable reason', async () => {
    const primary = fakeReporter('primary', () => down('https://a/'));
    const secondary = fakeReporter('secondary', () => refused('https://b/'));
    const { queue, settle } = await setup({ reporters: [primary, secondary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', lastError: { destination: 'https://b/', step: 'http-status' } });
  });

  it('no destination set up: failed for good, saying so', async () => {
    const { queue, settle } = await setup({ reporters: [] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'failed', failure: 'no-destination', lastError: { step: 'config' } });
  });

  it('a reporter that throws counts as a retryable failure', async () => {
    const primary = fakeReporter('primary', () => {
      throw new Error('boom');
    });
    const { queue, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', lastError: { step: 'protocol', detail: expect.stringContaining('boom') } });
  });

  it('outside the window a report waits for the opening; retries stay inside the window', async () => {
    const primary = fakeReporter('primary', (_r, n) => (n === 1 ? down('https://a/') : ok('https://a/')));
    const start = new Date(2026, 2, 2, 20, 0);
    const { queue, clock, advanceTo, settle } = await setup({ reporters: [primary], schedule: { window: '09:00-17:00', retryIntervalMinutes: 60 }, start });
    queue.start();
    const env = sampleEnvelope('alert');
    const accepted = await queue.accept(env);
    const opening = new Date(2026, 2, 3, 9, 0);
    expect(accepted).toMatchObject({ state: 'queued', nextAttemptAt: opening.toISOString() });
    await settle();
    expect(clock.nextTimerAt()?.getTime()).toBeLessThanOrEqual(opening.getTime());
    await advanceTo(new Date(2026, 2, 3, 8, 59));
    expect(primary.calls).toHaveLength(0);
    await advanceTo(opening);
    expect(primary.calls).toHaveLength(1);
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', nextAttemptAt: new Date(2026, 2, 3, 10, 0).toISOString() });
    await advanceTo(new Date(2026, 2, 3, 10, 0));
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('a window that closed after the attempt was planned defers it to the next opening', async () => {
    const primary = fakeReporter('primary', () => ok('https://a/'));
    const { queue, schedule, advance, settle } = await setup({ reporters: [primary], start: new Date(2026, 2, 2, 16, 58) });
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    schedule.window = '09:00-17:00';
    await advance(5 * MIN);
    queue.start();
    await settle();
    expect(primary.calls).toHaveLength(0);
    expect(queue.get(env.id)).toMatchObject({ state: 'queued', nextAttemptAt: new Date(2026, 2, 3, 9, 0).toISOString() });
  });

  it('resend: a failed report goes again with the same id; only a failed one can', async () => {
    let up = false;
    const primary = fakeReporter('primary', () => (up ? ok('https://a/') : refused('https://a/')));
    const { queue, events, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)!.state).toBe('failed');
    up = true;
    const again = await queue.resend(env.id);
    expect(again).toMatchObject({ id: env.id, state: 'queued', failure: null });
    await settle();
    expect(primary.calls).toEqual([env.id, env.id]);
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(events.filter((e) => e.id === env.id).map((e) => e.state)).toEqual(['queued', 'sending', 'failed', 'queued', 'sending', 'delivered']);
    await expect(queue.resend(env.id)).rejects.toMatchObject({ code: 'not-failed' });
    await expect(queue.resend(randomUUID())).rejects.toBeInstanceOf(QueueError);
  });

  it('stop cancels an attempt in hand without counting it; start resumes it', async () => {
    let release: (d: Delivery) => void = () => undefined;
    const primary = fakeReporter('primary', (_r, n) =>
      n === 1
        ? new Promise<Delivery>((resolve) => {
            release = resolve;
          })
        : ok('https://a/'),
    );
    const { queue, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await new Promise((r) => setImmediate(r));
    expect(queue.get(env.id)!.state).toBe('sending');
    const stopped = queue.stop();
    // The reporter notices the abort and answers "cancelled", as the real ones do.
    release({ ok: false, destination: 'https://a/', channel: 'https', step: 'cancelled', retryable: true, detail: 'cancelled' });
    await stopped;
    expect(queue.get(env.id)).toMatchObject({ state: 'queued', attempts: 0 });
    queue.start();
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('at most `concurrency` attempts at a time; the rest follow', async () => {
    let active = 0;
    let most = 0;
    const primary = fakeReporter('primary', async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      return ok('https://a/');
    });
    const { queue, settle } = await setup({ reporters: [primary], concurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, () => queue.accept(sampleEnvelope('alert'))));
    queue.start();
    await settle();
    expect(most).toBe(3);
    expect(queue.list({ state: 'delivered' })).toHaveLength(20);
  });

  it('thousands pending: one timer, earliest first, nothing tried before its time', async () => {
    const primary = fakeReporter('primary', () => ok('https://a/'));
    const { queue, clock, advanceTo, settle, schedule } = await setup({ reporters: [primary], concurrency: 8 });
    schedule.window = '12:00-13:00';
    await Promise.all(Array.from({ length: 3000 }, () => queue.accept(sampleEnvelope('alert'))));
    queue.start();
    await settle();
    expect(clock.pending).toBe(1);
    // A long wait is split into hours (a machine may sleep); nothing is tried before 12:00.
    expect(clock.nextTimerAt()?.getTime()).toBe(new Date(2026, 2, 2, 11, 0).getTime());
    await advanceTo(new Date(2026, 2, 2, 11, 59));
    expect(primary.calls).toHaveLength(0);
    expect(clock.nextTimerAt()?.getTime()).toBe(new Date(2026, 2, 2, 12, 0).getTime());
    await advanceTo(new Date(2026, 2, 2, 12, 1));
    expect(primary.calls).toHaveLength(3000);
    expect(queue.list({ state: ['queued', 'retrying', 'sending'] })).toHaveLength(0);
    expect(clock.pending).toBe(0);
  });

  it('everything pending resumes after a reopen, with its attempts and next time', async () => {
    const primary = fakeReporter('primary', () => down('https://a/'));
    const setupResult = await setup({ reporters: [primary] });
    const { queue, settle, dir, clock } = setupResult;
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    await queue.close();
    const second = fakeReporter('primary', () => ok('https://a/'));
    const reopened = await ReportQueue.open({
      dir,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      scheduleFor: () => setupResult.schedule,
      reportersFor: () => [second],
    });
    cleanups.push(() => reopened.close());
    expect(reopened.get(env.id)).toMatchObject({ state: 'retrying', attempts: 1, nextAttemptAt: new Date(START.getTime() + 5 * MIN).toISOString() });
    reopened.start();
    await reopened.idle();
    expect(second.calls).toHaveLength(0);
    await clock.advance(5 * MIN, () => reopened.idle());
    expect(reopened.get(env.id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('a window widened while the service was down: after the reopen the held report goes at once', async () => {
    const primary = fakeReporter('primary', () => ok('https://a/'));
    const start = new Date(2026, 2, 2, 20, 0);
    const setupResult = await setup({ reporters: [primary], schedule: { window: '09:00-17:00' }, start });
    const { queue, dir, clock } = setupResult;
    queue.start();
    const env = sampleEnvelope('alert');
    expect(await queue.accept(env)).toMatchObject({ state: 'queued', nextAttemptAt: new Date(2026, 2, 3, 9, 0).toISOString() });
    await queue.close();
    const reopened = await ReportQueue.open({
      dir,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      scheduleFor: () => ({ ...setupResult.schedule, window: '00:00-24:00' }),
      reportersFor: () => [primary],
    });
    cleanups.push(() => reopened.close());
    reopened.start();
    await reopened.idle();
    await clock.advance(0, () => reopened.idle());
    expect(primary.calls).toEqual([env.id]);
    expect(reopened.get(env.id)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('a retry interval shortened: the retrying report is planned one new interval after its last attempt', async () => {
    const primary = fakeReporter('primary', (_r, n) => (n === 1 ? down('https://a/') : ok('https://a/')));
    const { queue, schedule, settle } = await setup({ reporters: [primary], schedule: { retryIntervalMinutes: 60 } });
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', nextAttemptAt: new Date(START.getTime() + 60 * MIN).toISOString() });
    schedule.retryIntervalMinutes = 10;
    await queue.replan();
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', nextAttemptAt: new Date(START.getTime() + 10 * MIN).toISOString() });
  });

  it('a retry interval shortened with more reports waiting than one batch: every one is planned again', async () => {
    const primary = fakeReporter('primary', () => down('https://a/'));
    const { queue, schedule, settle } = await setup({ reporters: [primary], schedule: { retryIntervalMinutes: 60 } });
    queue.start();
    const envelopes = Array.from({ length: 1_234 }, () => sampleEnvelope('alert'));
    await Promise.all(envelopes.map((e) => queue.accept(e)));
    await settle();
    expect(queue.list({ state: 'retrying' })).toHaveLength(1_234);
    schedule.retryIntervalMinutes = 10;
    await queue.replan();
    await settle();
    const planned = new Set(envelopes.map((e) => queue.get(e.id)!.nextAttemptAt));
    expect([...planned]).toEqual([new Date(START.getTime() + 10 * MIN).toISOString()]);
  });

  it('nextOutcome: the end of the next attempt, not a move by the window', async () => {
    const primary = fakeReporter('primary', (_r, n) => (n === 1 ? down('https://a/') : ok('https://a/')));
    const { queue, advance, schedule } = await setup({ reporters: [primary] });
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    const first = queue.nextOutcome(env.id);
    queue.start();
    await expect(first).resolves.toMatchObject({ state: 'retrying', attempts: 1 });
    // The window closes: the retry moves to tomorrow (no outcome); then it opens and delivers.
    schedule.window = '00:00-10:03';
    const second = queue.nextOutcome(env.id);
    let settled = false;
    void second.then(() => (settled = true));
    await advance(5 * MIN);
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(settled).toBe(false);
    schedule.window = '00:00-24:00';
    await advance(24 * HOUR);
    await expect(second).resolves.toMatchObject({ state: 'delivered', attempts: 2 });
    await expect(queue.nextOutcome(env.id)).resolves.toMatchObject({ state: 'delivered' });
    const abort = new AbortController();
    await queue.stop();
    const other = await queue.accept(sampleEnvelope('alert'));
    const waiting = queue.nextOutcome(other.id, { signal: abort.signal });
    abort.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
  });

  it('nextOutcome with attemptsSeen: an attempt that ended before the caller asked is its outcome', async () => {
    const primary = fakeReporter('primary', () => down('https://a/'));
    const { queue, settle } = await setup({ reporters: [primary] });
    const item = await queue.accept(sampleEnvelope('alert'));
    queue.start();
    await settle();
    // The caller saw the report before its first attempt; the attempt has ended meanwhile.
    expect(queue.get(item.id)).toMatchObject({ state: 'retrying', attempts: 1 });
    await expect(queue.nextOutcome(item.id, { attemptsSeen: item.attempts })).resolves.toMatchObject({ state: 'retrying', attempts: 1 });
    // Without it the next attempt is awaited, not the one already made.
    let settled = false;
    void queue.nextOutcome(item.id).then(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    await queue.stop();
  });

  it('a schedule the settings cannot give falls back to the default, never stuck', async () => {
    const primary = fakeReporter('primary', () => ok('https://a/'));
    const temp = tempDir('er-queue-');
    const clock = new ManualClock(START);
    const lines: string[] = [];
    const queue = await ReportQueue.open({
      dir: temp.dir,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      scheduleFor: () => {
        throw new Error('settings unreadable');
      },
      reportersFor: () => [primary],
      log: (line) => lines.push(line),
    });
    cleanups.push(temp.remove, () => queue.close());
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await queue.idle();
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered' });
    expect(lines[0]).toMatch(/no schedule for express-https \(settings unreadable\); using the default/);
  });

  it('list: newest first, filtered by state', async () => {
    const primary = fakeReporter('primary', (r) => (r.envelope.kind === 'test' ? refused('https://a/') : ok('https://a/')));
    const { queue, settle } = await setup({ reporters: [primary] });
    const a = await queue.accept(sampleEnvelope('alert'));
    const b = await queue.accept(sampleEnvelope('test'));
    const c = await queue.accept(sampleEnvelope('heartbeat'));
    expect(queue.list().map((i) => i.id)).toEqual([c.id, b.id, a.id]);
    queue.start();
    await settle();
    expect(queue.list({ state: 'failed' }).map((i) => i.id)).toEqual([b.id]);
    expect(queue.list({ state: ['delivered'] }).map((i) => i.kind)).toEqual(['heartbeat', 'alert']);
  });

  it('single attempt (a test report): a retryable failure fails for good at once; the pin reaches reportersFor', async () => {
    const seen: (number | null)[] = [];
    const primary = fakeReporter('primary', () => down('https://a/'));
    const temp = tempDir('er-queue-');
    const clock = new ManualClock(START);
    const queue = await ReportQueue.open({
      dir: temp.dir,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      scheduleFor: () => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' }),
      reportersFor: (entry) => {
        seen.push(entry.pin);
        return [primary];
      },
    });
    cleanups.push(temp.remove, () => queue.close());
    queue.start();
    const once = sampleEnvelope('test');
    await queue.accept(once, [], { pin: 2, singleAttempt: true });
    const outcome = await queue.nextOutcome(once.id);
    expect(outcome).toMatchObject({ state: 'failed', failure: 'single-attempt', attempts: 1, lastError: { step: 'connect' } });
    expect(seen).toEqual([2]);
    // The same failure of an ordinary report is retried.
    const alert = sampleEnvelope('alert');
    await queue.accept(alert);
    expect(await queue.nextOutcome(alert.id)).toMatchObject({ state: 'retrying', failure: null });
    expect(seen).toEqual([2, null]);
  });

  it('cancel: the attempt in hand is aborted and the report fails for good as cancelled (stop, by contrast, keeps it pending)', async () => {
    const primary = fakeReporter(
      'primary',
      (_r, n) =>
        new Promise<Delivery>((resolve) => {
          if (n > 1) resolve(ok('https://a/'));
          setTimeout(() => resolve({ ok: false, destination: 'https://a/', channel: 'https', step: 'cancelled', retryable: true, detail: 'cancelled' }), 5);
        }),
    );
    const { queue, settle } = await setup({ reporters: [primary] });
    queue.start();
    const env = sampleEnvelope('test');
    await queue.accept(env, [], { singleAttempt: true });
    await new Promise((r) => setImmediate(r));
    expect(queue.cancel(env.id)).toBe(true);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'failed', failure: 'permanent', lastError: { step: 'cancelled' } });
    expect(queue.cancel(env.id)).toBe(false);
  });

  it('a single-attempt report (someone at the window waits) is tried at once even outside the time window', async () => {
    const primary = fakeReporter('primary', () => ok('https://a/'));
    const { queue, settle } = await setup({ reporters: [primary], schedule: { window: '09:00-17:00' }, start: new Date(2026, 2, 2, 20, 0) });
    queue.start();
    const waiting = sampleEnvelope('alert');
    await queue.accept(waiting);
    const test = sampleEnvelope('test');
    expect((await queue.accept(test, [], { singleAttempt: true })).nextAttemptAt).toBe(new Date(2026, 2, 2, 20, 0).toISOString());
    await settle();
    expect(queue.get(test.id)!.state).toBe('delivered');
    expect(queue.get(waiting.id)).toMatchObject({ state: 'queued', nextAttemptAt: new Date(2026, 2, 3, 9, 0).toISOString() });
    expect(primary.calls).toEqual([test.id]);
  });
});
