/**
 * Delivers the queued reports: ONE timer, armed for the earliest due report (no timer per
 * report, no polling), the clock and timer injected. Each attempt tries the report's
 * destinations in order (primary, then secondary); a retryable failure is tried again one
 * interval later inside the method's window until the retry limit, anything else settles the
 * report as delivered or failed for good. Delivery is at least once: the center deduplicates by
 * the report id.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import type { Delivery, OutgoingAttachment, OutgoingReport, Reporter } from '../channels/reporter';
import { isPending, type EntryPatch, type LastError, type QueueEntry } from './records';
import { DEFAULT_SCHEDULE, firstAttemptAt, nextWindowOpening, planRetry, windowOf, type MethodSchedule } from './retry-schedule';
import { PlannedSchedules } from './planned-schedules';
import type { QueueStore } from './store';
import { QueueError, toItem, type QueueItem } from './view';
import { errorText } from '../lib/error-text';

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
  /** reports tried at the same time (default 4) */
  concurrency?: number;
  log?(line: string): void;
}

/** A timer longer than this is split: Node's limit is 24.8 days, and a machine may sleep. */
const MAX_WAIT_MS = 60 * 60 * 1000;

type Outcome =
  | { ok: true; destination: string }
  | { ok: false; destination: string | null; error: LastError; retryable: boolean; failure: 'permanent' | 'no-destination' };

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

  constructor(private readonly options: DispatcherOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
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
    const at0 = this.nowMs();
    const updates: Promise<void>[] = [];
    for (const entry of store.entries()) {
      const schedule = changed.get(entry.method);
      // Only a report not yet due is moved: a due one may be taken by the pump before the change lands
      // (a change releases a taken report), and the pump defers a due one to the window itself.
      if (!schedule || !isPending(entry.state) || entry.singleAttempt || entry.nextAttemptAt === null || entry.nextAttemptAt <= at0 || store.isTaken(entry.id)) continue;
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
    await this.planned.save(new Map([...before, ...now]));
    if (updates.length > 0) this.options.log?.(`report queue: ${updates.length} waiting report(s) planned again for a changed schedule`);
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
    const at = firstAttemptAt(this.scheduleOf(entry.method), this.nowMs());
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

  /** Starts what is due, then arms the one timer for the earliest report still waiting. */
  private pump(): void {
    if (this.running) {
      const now = this.nowMs();
      const { store } = this.options;
      while (this.sending.size < this.concurrency) {
        const [entry] = store.takeDue(now, 1);
        if (!entry) break;
        const schedule = this.scheduleOf(entry.method);
        // The window may have closed (or been changed) since the attempt was planned. A report
        // the window waits for (single attempt: test, opening) goes now, whatever the window.
        const opening = entry.singleAttempt ? now : nextWindowOpening(windowOf(schedule), now);
        if (opening > now) this.track(this.defer(entry, opening));
        else this.track(this.attempt(entry, schedule, now));
      }
      this.arm(now);
    }
    this.checkIdle();
  }

  private arm(now: number): void {
    const next = this.sending.size < this.concurrency ? this.options.store.nextDueAt() : null;
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

  private async attempt(entry: QueueEntry, schedule: MethodSchedule, started: number): Promise<void> {
    const { store } = this.options;
    const abort = new AbortController();
    this.sending.set(entry.id, abort);
    this.emit(entry, true);
    let outcome: Outcome;
    try {
      outcome = await this.deliver(entry, abort.signal);
    } finally {
      this.sending.delete(entry.id);
    }
    if (abort.signal.aborted && !outcome.ok && abort.signal.reason instanceof CancelledByUser) {
      outcome = { ...outcome, error: { step: 'cancelled', detail: 'cancelled by the user', destination: outcome.destination ?? '', retryable: false }, retryable: false, failure: 'permanent' };
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

  /** One round: each destination in order until one accepts. */
  private async deliver(entry: QueueEntry, signal: AbortSignal): Promise<Outcome> {
    const permanent = (step: LastError['step'], detail: string, failure: 'permanent' | 'no-destination'): Outcome => ({
      ok: false,
      destination: null,
      error: { step, detail, destination: '', retryable: false },
      retryable: false,
      failure,
    });
    let report: OutgoingReport;
    let reporters: Reporter[];
    try {
      report = this.outgoing(entry);
      reporters = this.options.reportersFor(entry);
    } catch (err) {
      return permanent('config', errorText(err), 'permanent');
    }
    if (reporters.length === 0) return permanent('config', `no destination is set up for the report method ${entry.method}`, 'no-destination');
    let last: Extract<Delivery, { ok: false }> | null = null;
    let retryable = false;
    for (const reporter of reporters) {
      if (signal.aborted) break;
      let delivery: Delivery;
      try {
        delivery = await reporter.send(report, { signal });
      } catch (err) {
        delivery = { ok: false, destination: reporter.name, step: 'protocol', retryable: true, detail: `the ${reporter.name} reporter failed: ${errorText(err)}` };
      }
      if (delivery.ok) return { ok: true, destination: delivery.destination };
      last = delivery;
      retryable ||= delivery.retryable;
    }
    if (!last) return permanent('cancelled', 'cancelled', 'permanent');
    const error: LastError = { step: last.step, detail: last.detail, destination: last.destination, retryable: last.retryable };
    if (last.status !== undefined) error.status = last.status;
    return { ok: false, destination: last.destination, error, retryable, failure: 'permanent' };
  }

  /** The report as the reporters take it: the envelope and its attachments streamed from the queue. */
  private outgoing(entry: QueueEntry): OutgoingReport {
    const envelope = entry.envelope;
    if (!envelope) throw new Error(`report ${entry.id} has no content any more`);
    const attachments = envelope.attachments.map((info, i): OutgoingAttachment => {
      const stored = entry.attachments[i];
      if (!stored) throw new Error(`report ${entry.id} lacks attachment ${i + 1} (${info.name})`);
      const { name, size, sha256 } = info;
      if ('file' in stored) {
        const file = this.options.store.attachmentPath(stored.file);
        return { name, size, sha256, open: () => createReadStream(file) };
      }
      const data = Buffer.from(stored.data, 'base64');
      return { name, size, sha256, open: () => Readable.from([data]) };
    });
    return { envelope, attachments };
  }
}
