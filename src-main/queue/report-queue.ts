/**
 * The report queue as the service uses it: accept a report (durable before it resolves), list
 * the history, resend a failed report, start and stop delivering. The store keeps the reports,
 * the dispatcher delivers them; this joins the two and owns the attachment files.
 */
import { constants, promises as fsp } from 'node:fs';
import { createHash } from 'node:crypto';
import { isMethodName, type MethodName } from '../../src-shared/methods';
import { envelopeChecked, isSealed, sealEnvelope, type ReportEnvelope, type SealedEnvelope } from '../../src-shared/report';
import { Dispatcher, type DispatcherOptions } from './dispatcher';
import { MAX_INLINE_BYTES, type QueueEntry, type QueueState, type QueuedAttachment } from './records';
import { firstAttemptAt } from './retry-schedule';
import { QueueStore, type QueueNotice, type QueueStoreOptions } from './store';
import { QueueError, toItem, type QueueItem } from './view';
import { errorText } from '../lib/error-text';

/**
 * An attachment handed to the queue, in the envelope's order: a finished file, which the queue
 * MOVES into its folder (the caller must not touch it afterwards), or a small payload (at most
 * 64 KiB) kept inline in the journal.
 */
export type AcceptAttachment = { file: string } | { data: Uint8Array };

/**
 * How an accepted report is delivered: to one destination only, and/or in one round only, and
 * in which lane — as another method than its envelope's (the manager forwards an agent's report
 * on its own method); the envelope keeps its `method`.
 */
export interface AcceptRoute {
  pin?: 1 | 2 | null;
  singleAttempt?: boolean;
  lane?: MethodName;
  /** the agent a manager received it from, kept for the history */
  from?: QueueEntry['from'];
}

export interface ReportQueueOptions
  extends Pick<DispatcherOptions, 'scheduleFor' | 'reportersFor' | 'laneFor' | 'onChange' | 'concurrency' | 'log'>,
    Pick<QueueStoreOptions, 'dir' | 'groupCommit' | 'historyCap' | 'compactBytes' | 'outcomeLingerMs'> {
  /** the clock and the one timer; tests inject a manual clock (default: the real ones) */
  now?: () => Date;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface ListFilter {
  state?: QueueState | readonly QueueState[];
}

/** The items of `entries` that pass the filter, newest first. */
export function listItems(entries: Iterable<QueueEntry>, filter: ListFilter = {}, isSending: (id: string) => boolean = () => false): QueueItem[] {
  const wanted = filter.state === undefined ? null : new Set<QueueState>(typeof filter.state === 'string' ? [filter.state] : filter.state);
  const out: QueueItem[] = [];
  for (const entry of entries) {
    const item = toItem(entry, isSending(entry.id));
    if (!wanted || wanted.has(item.state)) out.push(item);
  }
  return out.sort((a, b) => b.seq - a.seq);
}

export class ReportQueue {
  private closed = false;
  /** ids being accepted, so that a second accept of one id waits for the first and never touches its files */
  private readonly accepting = new Map<string, Promise<QueueItem>>();

  private constructor(
    private readonly store: QueueStore,
    private readonly dispatcher: Dispatcher,
    private readonly options: ReportQueueOptions,
    private readonly now: () => Date,
    private readonly outcomes: OutcomeWaiters,
  ) {}

  /** Opens the queue in `options.dir` (replaying it); delivery begins with start(). */
  static async open(options: ReportQueueOptions): Promise<ReportQueue> {
    const now = options.now ?? (() => new Date());
    const outcomes = new OutcomeWaiters();
    const changed = (item: QueueItem) => {
      outcomes.changed(item);
      options.onChange?.(item);
    };
    const store = await QueueStore.open({
      dir: options.dir,
      groupCommit: options.groupCommit,
      historyCap: options.historyCap,
      compactBytes: options.compactBytes,
      outcomeLingerMs: options.outcomeLingerMs,
      now: () => now().getTime(),
      log: options.log,
    });
    const dispatcher = new Dispatcher({
      store,
      scheduleFor: options.scheduleFor,
      reportersFor: options.reportersFor,
      laneFor: options.laneFor,
      onChange: changed,
      concurrency: options.concurrency,
      log: options.log,
      now,
      setTimer: options.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout)),
    });
    return new ReportQueue(store, dispatcher, { ...options, onChange: changed }, now, outcomes);
  }

  /** Damage found when the queue was opened (each set aside), for the service's notices. */
  get notices(): readonly QueueNotice[] {
    return this.store.notices;
  }

  get dir(): string {
    return this.store.dir;
  }

  /** Starts delivering; everything pending resumes. */
  start(): void {
    if (!this.closed) this.dispatcher.start();
  }

  /** Stops delivering (service ended): attempts in hand are cancelled; reports are still accepted and kept. */
  stop(): Promise<void> {
    return this.dispatcher.stop();
  }

  /** Looks at the schedule again now, e.g. after a method's window was changed. */
  kick(): void {
    this.dispatcher.kick();
  }

  /** A method's schedule may have changed: its waiting reports are planned again, then the queue looks at the schedule. */
  replan(): Promise<void> {
    return this.dispatcher.replan();
  }

  /** Resolves when no attempt or change is in hand. */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  /**
   * Accepts a report: resolves once it is on disk (fsync'd), and only then. The envelope is
   * checked; its attachments' files are moved into the queue's folder.
   *
   * Idempotent: an id the queue has already (or is accepting at this moment) gives the stored
   * report, as it is; this call's attachments are then not taken — their files stay where they
   * are, for the caller to dispose of.
   */
  async accept(input: ReportEnvelope | SealedEnvelope, attachments: readonly AcceptAttachment[] = [], route: AcceptRoute = {}): Promise<QueueItem> {
    if (this.closed) throw new QueueError('closed', 'the report queue is closed');
    const envelope = sealedOf(input);
    const stored = this.get(envelope.id);
    if (stored) return stored;
    const first = this.accepting.get(envelope.id);
    if (first) {
      // The same report at the same moment: the first one's outcome is this one's, unless it
      // was refused (then this one is tried on its own).
      const item = await first.catch(() => null);
      return item ?? this.accept(envelope, attachments, route);
    }
    if (route.lane !== undefined && !isMethodName(route.lane)) throw new QueueError('invalid-report', `the lane ${JSON.stringify(route.lane)} is not a method`);
    if (attachments.length !== envelope.attachments.length) {
      throw new QueueError('attachment', `the envelope lists ${envelope.attachments.length} attachments, ${attachments.length} were given`);
    }
    const work = this.acceptNew(envelope, attachments, route);
    this.accepting.set(envelope.id, work);
    try {
      return await work;
    } finally {
      this.accepting.delete(envelope.id);
    }
  }

  private async acceptNew(envelope: SealedEnvelope, attachments: readonly AcceptAttachment[], route: AcceptRoute): Promise<QueueItem> {
    const moved: { from: string; to: string }[] = [];
    const lane = route.lane ?? envelope.method;
    try {
      const stored = attachments.length === 0 ? [] : await this.storeAttachments(envelope, attachments, moved);
      const now = this.now().getTime();
      const inserted = await this.store.insert(
        {
          id: envelope.id,
          kind: envelope.kind,
          method: envelope.method,
          lane,
          from: route.from ?? null,
          acceptedAt: now,
          state: 'queued',
          attempts: 0,
          firstAttemptAt: null,
          lastAttemptAt: null,
          // Someone at the window waits for a single-attempt report: it is not held for the time window.
          nextAttemptAt: route.singleAttempt ? now : firstAttemptAt(this.dispatcher.scheduleOf(lane), now),
          settledAt: null,
          destination: null,
          lastError: null,
          failure: null,
          event: envelope.event,
          pin: route.pin ?? null,
          singleAttempt: route.singleAttempt ?? false,
          envelope: envelope.text,
          attachments: stored,
        },
        { syncAttachments: moved.length > 0 },
      );
      const item = toItem(inserted);
      this.notify(item);
      this.dispatcher.kick();
      return item;
    } catch (err) {
      // Not accepted: give the files back where they came from.
      await Promise.all(moved.map(({ from, to }) => fsp.rename(to, from).catch(() => undefined)));
      throw err;
    }
  }

  private async storeAttachments(envelope: SealedEnvelope, given: readonly AcceptAttachment[], moved: { from: string; to: string }[]): Promise<QueuedAttachment[]> {
    const stored: QueuedAttachment[] = [];
    for (let i = 0; i < given.length; i++) {
      const info = envelope.attachments[i]!;
      const a = given[i]!;
      const which = `attachment ${i + 1} (${info.name})`;
      if ('data' in a) {
        if (a.data.byteLength > MAX_INLINE_BYTES) throw new QueueError('attachment', `${which} has ${a.data.byteLength} bytes: more than 64 KiB must be given as a file`);
        if (a.data.byteLength !== info.size) throw new QueueError('attachment', `${which} has ${a.data.byteLength} bytes, the envelope says ${info.size}`);
        if (createHash('sha256').update(a.data).digest('hex') !== info.sha256) throw new QueueError('attachment', `${which} does not match the envelope's sha256`);
        stored.push({ data: Buffer.from(a.data).toString('base64') });
        continue;
      }
      const stat = await fsp.stat(a.file).catch(() => null);
      if (!stat?.isFile()) throw new QueueError('attachment', `${which}: ${a.file} is not a file`);
      if (stat.size !== info.size) throw new QueueError('attachment', `${which}: ${a.file} has ${stat.size} bytes, the envelope says ${info.size}`);
      const name = `${envelope.id}-${String(i).padStart(2, '0')}`;
      const to = this.store.attachmentPath(name);
      await moveFile(a.file, to);
      moved.push({ from: a.file, to });
      await fsyncFile(to);
      stored.push({ file: name });
    }
    return stored;
  }

  /** Every report in the queue and the history, newest first; filter by state. */
  list(filter: ListFilter = {}): QueueItem[] {
    return listItems(this.store.entries(), filter, (id) => this.dispatcher.isSending(id));
  }

  get(id: string): QueueItem | null {
    const entry = this.store.get(id);
    return entry ? toItem(entry, this.dispatcher.isSending(id)) : null;
  }

  /**
   * The outcome of the report's next attempt: resolves at its next change to retrying, delivered
   * or failed (at once when it is settled already). For a caller that shows the outcome of what it
   * just accepted — the queue does the sending. `signal` gives up waiting (rejects with its reason).
   * `attemptsSeen`: the report's count when the caller last saw it (default: now); an attempt
   * counted since is the outcome (a fast channel may answer before the caller asks).
   */
  nextOutcome(id: string, options: { signal?: AbortSignal; attemptsSeen?: number } = {}): Promise<QueueItem> {
    const current = this.get(id);
    if (!current) return Promise.reject(new QueueError('not-found', `report ${id} is not in the queue or the history`));
    if (current.state === 'delivered' || current.state === 'failed') return Promise.resolve(current);
    const seen = options.attemptsSeen ?? current.attempts;
    if (current.attempts > seen && current.state !== 'sending') return Promise.resolve(current);
    return this.outcomes.wait(id, current.state === 'sending', seen, options.signal);
  }

  /** Aborts the attempt in hand of one report; it fails for good as cancelled. False when none was in hand. */
  cancel(id: string): boolean {
    return this.dispatcher.cancel(id);
  }

  /** Queues a failed report again with the same id (the center stores it once). */
  resend(id: string): Promise<QueueItem> {
    if (this.closed) return Promise.reject(new QueueError('closed', 'the report queue is closed'));
    return this.dispatcher.resend(id);
  }

  /**
   * The lane's waiting reports whose last attempt failed at `step` are tried again now (within
   * the lane's 通報時間帯), not at their next retry: what refused them has been put right (a new
   * manager certificate accepted). Resolves with how many.
   */
  async retryNow(lane: MethodName, step: string): Promise<number> {
    const now = this.now().getTime();
    const at = firstAttemptAt(this.dispatcher.scheduleOf(lane), now);
    const due = [...this.store.entries()].filter(
      (e) => e.lane === lane && e.state === 'retrying' && e.lastError?.step === step && e.nextAttemptAt !== null && e.nextAttemptAt > at && !this.store.isTaken(e.id),
    );
    await Promise.all(due.map(async (e) => {
      const updated = await this.store.update(e.id, { nextAttemptAt: at });
      if (updated) this.notify(toItem(updated));
    }));
    if (due.length > 0) this.dispatcher.kick();
    return due.length;
  }

  counts(): ReturnType<QueueStore['counts']> {
    return this.store.counts();
  }

  /** Stops delivering, finishes the write in hand, closes the files. */
  async close(): Promise<void> {
    this.closed = true;
    await this.dispatcher.stop();
    await this.store.close();
  }

  private notify(item: QueueItem): void {
    try {
      this.options.onChange?.(item);
    } catch (err) {
      this.options.log?.(`report queue: a listener failed: ${errorText(err)}`);
    }
  }
}

/** Renames, or copies and removes across file systems; the queue's copy is its owner's only (0600). */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fsp.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fsp.copyFile(from, to, constants.COPYFILE_EXCL);
    await fsp.rm(from);
  }
  // A rename keeps the mode the file was made with (an archive under umask 022 is 0644).
  await fsp.chmod(to, 0o600);
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Callers waiting for a report's next outcome. */
class OutcomeWaiters {
  private readonly waiting = new Map<string, { resolvers: Set<(item: QueueItem) => void>; tried: boolean; attempts: number }>();

  /** `attempts`: the report's count when the caller asked; an attempt counted after it is an outcome even if its start was not seen. */
  wait(id: string, sending: boolean, attempts: number, signal?: AbortSignal): Promise<QueueItem> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const entry = this.waiting.get(id) ?? { resolvers: new Set(), tried: false, attempts };
      entry.tried ||= sending;
      this.waiting.set(id, entry);
      const done = (item: QueueItem) => {
        signal?.removeEventListener('abort', abort);
        resolve(item);
      };
      const abort = () => {
        entry.resolvers.delete(done);
        if (entry.resolvers.size === 0) this.waiting.delete(id);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
      entry.resolvers.add(done);
    });
  }

  changed(item: QueueItem): void {
    const entry = this.waiting.get(item.id);
    if (!entry) return;
    if (item.state === 'sending') entry.tried = true;
    // A retry time moved by the window is no outcome: only the end of an attempt is (one that ended
    // between the caller's look and its outcome being stored counts too).
    const outcome = item.state === 'delivered' || item.state === 'failed' || (item.state === 'retrying' && (entry.tried || item.attempts > entry.attempts));
    if (!outcome) return;
    this.waiting.delete(item.id);
    for (const resolve of entry.resolvers) resolve(item);
  }
}

/** The envelope checked (once) and sealed; a sealed one is taken as it is. */
function sealedOf(input: ReportEnvelope | SealedEnvelope): SealedEnvelope {
  if (isSealed(input)) return input;
  const parsed = envelopeChecked(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QueueError('invalid-report', `the envelope is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`);
  }
  return sealEnvelope(parsed.data);
}
