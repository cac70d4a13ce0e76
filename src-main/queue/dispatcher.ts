/**
 * Delivers the queued reports: ONE timer, armed for the earliest due report a lane may start
 * (no timer per report, no polling), the clock and timer injected. Each method is a lane with
 * its own limits (lanes.ts): a lane that is full, waits out its gap or waits for its resource
 * never holds back another lane's due reports. Each attempt tries the report's
 * destinations in order (primary, then secondary); a retryable failure is tried again one
 * interval later inside the method's window until the retry limit, anything else settles the
 * report as delivered or failed for good. Delivery is at least once: the center deduplicates by
 * the report id.
 */
import { METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import type { Reporter } from '../channels/reporter';
import { errorText } from '../lib/error-text';
import { isPending, type EntryPatch, type QueueEntry } from './records';
import { DEFAULT_SCHEDULE, firstAttemptAt, nextWindowOpening, planRetry, windowOf, type MethodSchedule } from './retry-schedule';
import { PlannedSchedules } from './planned-schedules';
import { DEFAULT_LANE, LaneBook, normalLimits, type LaneLimits } from './lanes';
import { tryRound, type Outcome } from './round';
import type { QueueStore } from './store';
import { QueueError, toItem, type QueueItem } from './view';

export interface DispatcherOptions {
  store: QueueStore;
  /** the method's schedule now (settings may change at any time) */
  scheduleFor(method: MethodName): MethodSchedule;
  /** the report's destinations in order: primary, then secondary; empty when none is set up */
  reportersFor(report: QueueEntry): Reporter[];
  /** every change of a report, for the history view */
  onChange?(item: QueueItem): void;
  now(): Date;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** a lane's limits now (default DEFAULT_LANE); asked at every pump, as settings change at any time */
  laneFor?(lane: MethodName): LaneLimits;
  /** attempts at a time over all lanes (default: no cap beyond the lanes') */
  concurrency?: number;
  log?(line: string): void;
}

/** A timer longer than this is split: Node's limit is 24.8 days, and a machine may sleep. */
const MAX_WAIT_MS = 60 * 60 * 1000;
/** Reports planned again at a time when a schedule changes (replanNow). */
const REPLAN_BATCH = 500;

/** The reason an attempt in hand is aborted by cancel(): it settles the report instead of leaving it pending. */
class CancelledByUser extends Error {}

export class Dispatcher {
  private running = false;
  private timer: unknown = null;
  private timerAt: number | null = null;
  private readonly sending = new Map<string, AbortController>();
  private busy = 0;
  private pumpQueued = false;
  private idleWaiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly lanes = new LaneBook();
  /** the last complaint about each lane's limits, so that a broken setting is logged once, not per pump */
  private readonly laneComplaints = new Map<MethodName, string>();

  constructor(private readonly options: DispatcherOptions) {
    this.concurrency = options.concurrency === undefined ? Infinity : Math.max(1, options.concurrency);
    this.planned = new PlannedSchedules(options.store.dir);
  }

  /**
   * Starts delivering: the waiting reports of a method whose schedule changed while the service
   * was not running are planned again, and what is due is tried at once.
   */
  start(): void {
    this.running = true;
    void this.replan().catch(() => undefined);
    this.kick();
  }

  private readonly planned: PlannedSchedules;
  /** one re-planning at a time, in order */
  private replanning: Promise<void> = Promise.resolve();

  /**
   * Plans the waiting reports of every method whose schedule changed since they were planned
   * again: one not yet tried in its round goes now, or at the next opening of the window; one
   * retrying goes one interval after its last attempt, inside the window. A widened window
   * releases reports held for the old one at once, in acceptance order.
   */
  replan(): Promise<void> {
    const work = this.replanning.then(() => this.replanNow());
    this.replanning = work.catch(() => undefined);
    this.track(work);
    return work;
  }

  private async replanNow(): Promise<void> {
    const { store } = this.options;
    const before = await this.planned.load();
    const now = new Map<string, string>();
    const changed = new Map<MethodName, MethodSchedule>();
    for (const method of METHOD_NAMES) {
      let schedule: MethodSchedule;
      try {
        schedule = this.options.scheduleFor(method);
      } catch {
        continue; // said when a report of that method is planned (scheduleOf)
      }
      const key = JSON.stringify({ w: schedule.window, i: schedule.retryIntervalMinutes, u: schedule.retryUntilHours });
      now.set(method, key);
      if (before.get(method) !== key) changed.set(method, schedule);
    }
    if (changed.size === 0) return;
    // In batches, each looked at when its turn comes: a manager holding thousands of reports does
    // not hold thousands of changes in hand at once, and the first batch goes while the rest wait.
    const candidates = [...store.entries()].filter((e) => changed.has(e.lane) && isPending(e.state)).map((e) => e.id);
    let moved = 0;
    for (let i = 0; i < candidates.length; i += REPLAN_BATCH) {
      const at0 = this.nowMs();
      const updates: Promise<void>[] = [];
      for (const id of candidates.slice(i, i + REPLAN_BATCH)) {
        const entry = store.get(id);
        const schedule = entry && changed.get(entry.lane);
        // Only a report not yet due is moved: a due one may be taken by the pump before the change lands
        // (a change releases a taken report), and the pump defers a due one to the window itself.
        if (!entry || !schedule || !isPending(entry.state) || entry.singleAttempt || entry.nextAttemptAt === null || entry.nextAttemptAt <= at0 || store.isTaken(entry.id)) continue;
        const after = entry.firstAttemptAt === null || entry.lastAttemptAt === null ? at0 : Math.max(at0, entry.lastAttemptAt + schedule.retryIntervalMinutes * 60_000);
        const at = nextWindowOpening(windowOf(schedule), after);
        if (at === entry.nextAttemptAt) continue;
        updates.push(
          store.update(entry.id, { nextAttemptAt: at }).then((updated) => {
            if (updated) this.emit(updated);
          }),
        );
      }
      await Promise.all(updates);
      moved += updates.length;
      if (updates.length > 0) this.kick();
    }
    await this.planned.save(new Map([...before, ...now]));
    if (moved > 0) this.options.log?.(`report queue: ${moved} waiting report(s) planned again for a changed schedule`);
    this.kick();
  }

  /** Stops delivering: the timer is cleared, attempts in hand are cancelled (not counted) and awaited. */
  async stop(): Promise<void> {
    this.running = false;
    this.disarm();
    for (const abort of this.sending.values()) abort.abort(new Error('the report queue is stopping'));
    await this.idle();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Aborts the attempt in hand of one report (the window's キャンセル): it fails for good as cancelled. */
  cancel(id: string): boolean {
    const abort = this.sending.get(id);
    abort?.abort(new CancelledByUser('cancelled by the user'));
    return abort !== undefined;
  }

  isSending(id: string): boolean {
    return this.sending.has(id);
  }

  /** Looks at the queue again soon (after an accept, a resend, a settings change). */
  kick(): void {
    if (!this.running || this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Resolves when no attempt or change is in hand (tests advance a manual clock between). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Queues a failed report again, with the same id, for a new round of retries. */
  async resend(id: string): Promise<QueueItem> {
    const { store } = this.options;
    const entry = store.get(id);
    if (!entry) throw new QueueError('not-found', `report ${id} is not in the queue or the history`);
    if (entry.state !== 'failed' || entry.envelope === null) throw new QueueError('not-failed', `report ${id} is ${entry.state}: only a failed report can be resent`);
    const at = firstAttemptAt(this.scheduleOf(entry.lane), this.nowMs());
    const updated = await store.update(id, { state: 'queued', nextAttemptAt: at, firstAttemptAt: null, settledAt: null, failure: null });
    if (!updated) throw new QueueError('not-found', `report ${id} is not in the queue or the history`);
    this.emit(updated);
    this.kick();
    return toItem(updated);
  }

  /** The method's schedule; the default one if the settings cannot give it (never stuck). */
  scheduleOf(method: MethodName): MethodSchedule {
    try {
      return this.options.scheduleFor(method);
    } catch (err) {
      this.options.log?.(`report queue: no schedule for ${method} (${errorText(err)}); using the default`);
      return DEFAULT_SCHEDULE;
    }
  }

  /** The lane's limits now; the default ones if the settings cannot give them (never stuck). */
  laneOf(lane: MethodName): LaneLimits {
    if (!this.options.laneFor) return DEFAULT_LANE;
    try {
      const limits = normalLimits(this.options.laneFor(lane));
      this.laneComplaints.delete(lane);
      return limits;
    } catch (err) {
      const why = errorText(err);
      if (this.laneComplaints.get(lane) !== why) this.options.log?.(`report queue: no limits for the lane ${lane} (${why}); using the default`);
      this.laneComplaints.set(lane, why);
      return DEFAULT_LANE;
    }
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }

  private isIdle(): boolean {
    return this.busy === 0 && !this.pumpQueued;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private emit(entry: QueueEntry, sending = false): void {
    try {
      this.options.onChange?.(toItem(entry, sending));
    } catch (err) {
      this.options.log?.(`report queue: a listener failed: ${errorText(err)}`);
    }
  }

  private track(work: Promise<void>): void {
    this.busy++;
    void work
      .catch((err: unknown) => this.options.log?.(`report queue: ${errorText(err)}`))
      .finally(() => {
        this.busy--;
        this.kick();
        this.checkIdle();
      });
  }

  /**
   * Starts what is due, earliest first across the lanes that may start an attempt, then arms the
   * one timer for the earliest moment a lane may start its next due report.
   */
  private pump(): void {
    if (this.running) {
      const now = this.nowMs();
      const { store } = this.options;
      const limits = new Map<MethodName, LaneLimits>();
      const limitsOf = (lane: MethodName) => {
        let l = limits.get(lane);
        if (!l) limits.set(lane, (l = this.laneOf(lane)));
        return l;
      };
      while (this.sending.size < this.concurrency) {
        // The lane whose earliest report is due and may start now; ties go in acceptance order.
        let best: { lane: MethodName; at: number; seq: number } | null = null;
        for (const lane of store.lanes()) {
          const head = store.headOf(lane);
          if (!head || head.at > now || (best && (head.at > best.at || (head.at === best.at && head.seq > best.seq)))) continue;
          const ready = this.lanes.readyAt(lane, limitsOf(lane), now);
          if (ready !== null && ready <= now) best = { lane, ...head };
        }
        if (!best) break;
        const entry = store.takeDueIn(best.lane, now)!;
        const schedule = this.scheduleOf(entry.lane);
        // The window may have closed (or been changed) since the attempt was planned. A report
        // the window waits for (single attempt: test, opening) goes now, whatever the window.
        const opening = entry.singleAttempt ? now : nextWindowOpening(windowOf(schedule), now);
        if (opening > now) this.track(this.defer(entry, opening));
        else this.track(this.attempt(entry, schedule, now, this.lanes.begin(entry.lane, limitsOf(entry.lane), now)));
      }
      this.arm(now, limitsOf);
    }
    this.checkIdle();
  }

  /** The one timer: for the earliest due time (or end of a gap) of a lane that is not full or waiting for its resource. */
  private arm(now: number, limitsOf: (lane: MethodName) => LaneLimits): void {
    let next: number | null = null;
    if (this.sending.size < this.concurrency) {
      const { store } = this.options;
      for (const lane of store.lanes()) {
        const head = store.headOf(lane);
        if (!head || (next !== null && head.at >= next)) continue;
        const ready = this.lanes.readyAt(lane, limitsOf(lane), now);
        if (ready === null) continue; // the end of an attempt looks again
        const at = Math.max(head.at, ready);
        if (next === null || at < next) next = at;
      }
    }
    if (next === this.timerAt && (next === null || this.timer !== null)) return;
    this.disarm();
    if (next === null) return;
    this.timerAt = next;
    this.timer = this.options.setTimer(
      () => {
        this.timer = null;
        this.timerAt = null;
        this.pump();
      },
      Math.min(Math.max(0, next - now), MAX_WAIT_MS),
    );
  }

  private disarm(): void {
    if (this.timer !== null) this.options.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = null;
  }

  private async defer(entry: QueueEntry, at: number): Promise<void> {
    const updated = await this.options.store.update(entry.id, { nextAttemptAt: at });
    if (updated) this.emit(updated);
  }

  private async attempt(entry: QueueEntry, schedule: MethodSchedule, started: number, endInLane: () => void): Promise<void> {
    const { store } = this.options;
    const abort = new AbortController();
    this.sending.set(entry.id, abort);
    let outcome: Outcome;
    try {
      this.emit(entry, true);
      outcome = await tryRound(entry, this.options.store, this.options.reportersFor, abort.signal);
    } finally {
      this.sending.delete(entry.id);
      endInLane();
      // The lane may start its next attempt while this outcome is being written.
      this.kick();
    }
    if (abort.signal.aborted && !outcome.ok && abort.signal.reason instanceof CancelledByUser) {
      // The channel whose attempt was cut short, so the hint is that channel's.
      const channel = outcome.error.channel;
      outcome = { ...outcome, error: { channel, step: 'cancelled', detail: 'cancelled by the user', destination: outcome.destination ?? '', retryable: false }, retryable: false, failure: 'permanent' };
    } else if (abort.signal.aborted && !outcome.ok) {
      // Stopped mid-way: the report stays as it was and is tried again after the next start.
      store.release(entry.id);
      this.emit(store.get(entry.id) ?? entry);
      return;
    }
    const now = this.nowMs();
    const first = entry.firstAttemptAt ?? started;
    const base: EntryPatch = { attempts: entry.attempts + 1, firstAttemptAt: first, lastAttemptAt: started, destination: outcome.destination };
    let set: EntryPatch;
    if (outcome.ok) {
      set = { ...base, state: 'delivered', nextAttemptAt: null, settledAt: now, failure: null };
    } else if (!outcome.retryable || entry.singleAttempt) {
      const failure = outcome.retryable ? 'single-attempt' : outcome.failure;
      set = { ...base, state: 'failed', nextAttemptAt: null, settledAt: now, lastError: outcome.error, failure };
    } else {
      const plan = planRetry(schedule, first, now);
      set = plan.retry
        ? { ...base, state: 'retrying', nextAttemptAt: plan.at, lastError: outcome.error }
        : { ...base, state: 'failed', nextAttemptAt: null, settledAt: now, lastError: outcome.error, failure: 'retry-limit' };
    }
    let updated: QueueEntry | undefined;
    try {
      updated = await store.update(entry.id, set);
    } catch (err) {
      // The report stays taken (not tried again in a loop) and resumes after a restart.
      this.options.log?.(`report queue: the outcome of report ${entry.id} could not be stored: ${errorText(err)}`);
      return;
    }
    if (updated) this.emit(updated);
  }
}
