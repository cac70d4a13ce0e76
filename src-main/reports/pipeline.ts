/**
 * The report pipeline: every report the service makes — test, opening, alert (a fault or the
 * pseudo-failure test), configuration — is accepted into the one durable queue
 * (docs/formats/queue.md) before any reporter sees it, and the queue delivers it on the method's
 * schedule. This module builds the reports (envelope, log collection) and tells the queue where
 * they go; the queue owns retries, the window and the history.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import type { ReportEnvelope, ReportKind, SealedEnvelope } from '../../src-shared/report';
import type { Settings } from '../../src-shared/settings';
import { collect, type CollectedArchive, type CollectionPlan, type CollectionTool, type CollectOptions } from '../collect/collector';
import type { FaultEvent } from '../events/fault-event';
import { toolsFor, type LogDefinition } from '../inf';
import { DEFAULT_LANE, ReportQueue, type AcceptAttachment, type AcceptRoute, type QueueEntry, type QueueItem, type QueueNotice } from '../queue';
import { channelOf, type ChannelRegistry } from '../channels/registry';
import type { Reporter } from '../channels/reporter';
import { translate } from '../../src-shared/i18n';
import { CollectingStore, eventReportId } from './collecting';
import { readDefinition } from './definition-dir';
import { buildEnvelope } from './envelope';
import { errorText } from '../lib/error-text';

export interface PipelineOptions {
  dataDir: string;
  /** the settings as last read (the queue asks synchronously) */
  settings(): Settings;
  now(): Date;
  hostName(): string;
  /** the channels, as registered now */
  channels(): ChannelRegistry;
  /** every change of a report (history view, notices) */
  onChange(item: QueueItem): void;
  log(line: string): void;
  /** damage found (and set aside) when the queue was opened */
  onDamage?(notice: QueueNotice): void;
  /** where collected archives are built; default `<dataDir>/tmp` (same file system as the queue, so they are moved, not copied) */
  tempDir?: string;
  /** tests inject the clock's timer */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** The methods that report a fault now: enabled, with a channel that carries their route. */
export function deliverableMethods(registry: ChannelRegistry, settings: Settings): MethodName[] {
  return METHOD_NAMES.filter((m) => settings.methods[m].enabled && channelOf(registry, settings, m) !== null);
}

/** The event id as a number for AMHTPLOG.INF matching (`0xc0040006` → 3221487622). */
function eventIdNumber(id: string): number {
  return Number.parseInt(id.replace(/^0x/i, ''), 16) >>> 0;
}

/** A window's unsaved values over the stored settings (reports/drafts.ts). */
export type SettingsOverlay = (stored: Settings) => Settings;

export class ReportPipeline {
  /**
   * Reports a window waits for, by id: the draft they are sent with (null: the stored settings).
   * In memory only: a draft is never stored, and no other report sees it.
   */
  private readonly inHand = new Map<string, SettingsOverlay | null>();
  private opened: Promise<ReportQueue> | null = null;
  private running = false;
  /** fault events are collected one at a time: a burst cannot start a hundred tool runs */
  private collecting: Promise<unknown> = Promise.resolve();
  /** aborted by close(): the running collection's tools are killed and its record kept */
  private closing = new AbortController();
  private readonly collectingRecords: CollectingStore;

  constructor(private readonly options: PipelineOptions) {
    this.collectingRecords = new CollectingStore(path.join(options.dataDir, 'collecting'));
  }

  get queueDir(): string {
    return path.join(this.options.dataDir, 'queue');
  }

  /**
   * Collects an archive (docs: src-main/collect) in the pipeline's temp folder — beside the queue,
   * so that accept() moves the file instead of copying it.
   */
  async collect(plan: CollectionPlan, options: Omit<CollectOptions, 'tempDir'> = {}): Promise<CollectedArchive> {
    const tempDir = this.options.tempDir ?? path.join(this.options.dataDir, 'tmp');
    await fsp.mkdir(tempDir, { recursive: true, mode: 0o700 });
    return collect(plan, { ...options, tempDir });
  }

  /** The queue, opened (and replayed) on first use; throws QueueLockedError when another process has it. */
  queue(): Promise<ReportQueue> {
    this.opened ??= ReportQueue.open({
      dir: this.queueDir,
      now: this.options.now,
      setTimer: this.options.setTimer,
      clearTimer: this.options.clearTimer,
      scheduleFor: (method) => this.options.settings().methods[method].schedule,
      laneFor: (method) => {
        const settings = this.options.settings();
        return channelOf(this.options.channels(), settings, method)?.limits(settings, method) ?? DEFAULT_LANE;
      },
      reportersFor: (entry) => this.reportersFor(entry),
      onChange: (item) => this.options.onChange(item),
      log: this.options.log,
    }).then(
      async (q) => {
        for (const n of q.notices) {
          this.options.log(`report queue: ${n.reason} (kept aside as ${n.aside ?? 'nothing'})`);
          this.options.onDamage?.(n);
        }
        // Only the queue's owner collects, so what is left here was left by a run that ended.
        await this.recoverCollecting(q).catch((err: unknown) => this.options.log(`collecting records not recovered: ${errorText(err)}`));
        if (this.running) q.start();
        return q;
      },
      (err: unknown) => {
        this.opened = null;
        throw err;
      },
    );
    return this.opened;
  }

  /** Starts delivering (the service runs); everything pending resumes. */
  async start(): Promise<void> {
    const queue = await this.queue();
    this.running = true;
    queue.start();
  }

  /** Stops delivering (service ended); reports stay in the queue until the next start. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.opened) await (await this.opened).stop();
  }

  /** Resolves when no attempt or change is in hand (and no fault is being collected). */
  async idle(): Promise<void> {
    await this.collecting.catch(() => undefined);
    const queue = await this.opened?.catch(() => null);
    await queue?.idle();
  }

  /** The method's waiting reports refused at `step` go now, not at their next retry (ReportQueue.retryNow). */
  async retryNow(method: MethodName, step: string): Promise<number> {
    return (await this.queue()).retryNow(method, step);
  }

  /** Looks at the schedule again (a method's window or interval changed): waiting reports are planned again. */
  kick(): void {
    void this.opened?.then(
      (q) => q.replan().catch((err: unknown) => this.options.log(`report queue: waiting reports not planned again: ${errorText(err)}`)),
      () => undefined,
    );
  }

  /** The methods that report a fault now (deliverableMethods with the channels registered now). */
  deliverable(settings: Settings): MethodName[] {
    return deliverableMethods(this.options.channels(), settings);
  }

  get isRunning(): boolean {
    return this.running;
  }

  async close(): Promise<void> {
    this.running = false;
    // The running collection's tools are killed (its record stays for the next start); one that
    // finished a moment before still goes into the queue, which is closed only after it.
    this.closing.abort();
    await this.collecting.catch(() => undefined);
    this.closing = new AbortController();
    const opened = this.opened;
    this.opened = null;
    if (opened) await (await opened.catch(() => null))?.close();
  }

  private reportersFor(entry: QueueEntry): Reporter[] {
    const overlay = this.inHand.get(entry.id);
    // A single attempt is made for a window that waits (a test of what it shows); left by a run
    // that ended, nobody waits and the values it was made with may never have been stored.
    if (entry.singleAttempt && overlay === undefined) {
      throw new Error(`report ${entry.id} was made for a window that is gone (the service stopped first); it is not sent with values it was not made with`);
    }
    const stored = this.options.settings();
    const settings = overlay ? overlay(stored) : stored;
    // The lane is the method that delivers (a manager forwards an agent's report on its own method).
    const channel = channelOf(this.options.channels(), settings, entry.lane);
    return channel ? channel.destinations(settings, entry.lane, entry.pin).map((d) => channel.reporter(settings, entry.lane, d)) : [];
  }

  envelope(kind: ReportKind, method: MethodName, extra: Partial<Pick<ReportEnvelope, 'resultDestination' | 'attachments' | 'event'>> & { id?: string } = {}): ReportEnvelope {
    return buildEnvelope(this.options.settings(), { kind, method, hostName: this.options.hostName(), now: this.options.now(), ...extra });
  }

  /**
   * Accepts a report (durable when this resolves). A window that waits for it (`waited`) then
   * calls outcomeOf, or release when it does not wait after all; `overlay` (the window's draft)
   * is used for its attempts until then — set before the queue has the report, so that no
   * attempt is made without it.
   */
  async accept(envelope: ReportEnvelope | SealedEnvelope, attachments: readonly AcceptAttachment[] = [], route: AcceptRoute = {}, waited?: { overlay?: SettingsOverlay }): Promise<QueueItem> {
    const queue = await this.queue();
    if (waited) this.inHand.set(envelope.id, waited.overlay ?? null);
    try {
      return await queue.accept(envelope, attachments, route);
    } catch (err) {
      this.release(envelope.id);
      throw err;
    }
  }

  /**
   * A report the window waits for (test, opening): accepted (for one destination and one round,
   * as `route` says) and the outcome of its attempt awaited; `overlay` is the window's draft.
   */
  async sendAndWait(envelope: ReportEnvelope, attachments: readonly AcceptAttachment[], route: AcceptRoute, signal?: AbortSignal, overlay?: SettingsOverlay): Promise<QueueItem> {
    const item = await this.accept(envelope, attachments, route, { overlay });
    return this.outcomeOf(item.id, signal, item);
  }

  /**
   * The outcome of the report's next attempt (or of the one made since `since`, the report as the
   * caller last saw it); aborting `signal` cancels the attempt (the report fails as cancelled). Its draft goes with the outcome: a later attempt uses the stored settings.
   */
  async outcomeOf(id: string, signal?: AbortSignal, since?: QueueItem): Promise<QueueItem> {
    const queue = await this.queue();
    // The window waits for this one: it goes even while the service is not delivering in the background (the CLI).
    if (!this.running) queue.start();
    const cancel = () => queue.cancel(id);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await queue.nextOutcome(id, { attemptsSeen: since?.attempts });
    } finally {
      signal?.removeEventListener('abort', cancel);
      this.release(id);
    }
  }

  /** The window does not wait for this report (any more): its attempts use the stored settings. */
  release(id: string): void {
    this.inHand.delete(id);
  }

  /**
   * A fault (or the pseudo-failure test): reported by each method that delivers. Waits until the
   * reports are in the queue — after their logs are collected; see admitEvent for the moment the
   * fault is safe.
   */
  async reportEvent(event: FaultEvent, options: EventReportOptions = {}): Promise<QueueItem[]> {
    return (await this.admitEvent(event, options)).done;
  }

  /**
   * Makes a fault durable at once and resolves then: a report that collects nothing is accepted
   * into the queue; one whose AMHTPLOG.INF names tools is written to the collecting records
   * (collecting.ts) and accepted with its archive once the logs are collected. Collections run
   * one at a time (a burst cannot start a hundred tool runs); acceptance never waits behind them.
   * `done` resolves with the accepted reports. `suppressedCount` is the number of repeats
   * suppressed since the last report of this event; `pseudo` marks the 通報テスト.
   */
  async admitEvent(event: FaultEvent, options: EventReportOptions = {}): Promise<Admission> {
    const queue = await this.queue();
    const plan = await this.planFor(event);
    const waiting: Promise<QueueItem | null>[] = [];
    for (const method of deliverableMethods(this.options.channels(), this.options.settings())) {
      const envelope = this.envelope('alert', method, {
        id: eventReportId(method, event),
        event: {
          log: event.log,
          source: event.source,
          eventId: event.eventId,
          time: event.time,
          message: event.message.slice(0, 8192),
          suppressedCount: options.suppressedCount ?? 0,
          pseudo: options.pseudo ?? false,
        },
      });
      // The same log entry read again (a restart before its cursor was saved) is not a new fault.
      if (queue.get(envelope.id) || (await this.collectingRecords.has(envelope.id))) continue;
      if (!plan) {
        waiting.push(Promise.resolve(await queue.accept(envelope, [])));
        continue;
      }
      await this.collectingRecords.write({ envelope, startedAt: this.options.now().toISOString() });
      waiting.push(this.collectAndAccept(envelope, plan, event));
    }
    const done = Promise.all(waiting).then((items) => items.filter((i): i is QueueItem => i !== null));
    done.catch(() => undefined);
    return { done };
  }

  /** In the collection line: the tools, the archive, then the alert with it; null when stopped first (the record stays). */
  private collectAndAccept(envelope: ReportEnvelope, plan: CollectionPlan, event: FaultEvent): Promise<QueueItem | null> {
    const work = this.collecting.then(async () => {
      if (this.closing.signal.aborted) return null;
      const collected = await this.collectPlan(plan, event);
      if (!collected) return null;
      try {
        const item = await (await this.queue()).accept({ ...envelope, attachments: collected.infos }, collected.attachments);
        await this.collectingRecords.remove(envelope.id);
        return item;
      } finally {
        await collected.dispose();
      }
    });
    this.collecting = work.catch((err: unknown) => {
      this.options.log(`report ${envelope.id} not accepted yet (${errorText(err)}); it is accepted at the next start`);
    });
    return work;
  }

  /**
   * At the opening of the queue: every collecting record left by an earlier run (a crash or a
   * stop during a collection) is accepted without its archive, with the reason in its message.
   */
  private async recoverCollecting(queue: ReportQueue): Promise<void> {
    for (const found of await this.collectingRecords.list()) {
      if (!found.record) {
        this.options.log(`collecting record ${found.file} set aside as ${found.file}.bad: ${found.problem ?? 'unreadable'}`);
        continue;
      }
      const { envelope, startedAt } = found.record;
      if (!queue.get(envelope.id)) {
        const note = translate('en', 'pipeline.collection-interrupted', { startedAt });
        const event = envelope.event ? { ...envelope.event, message: `${envelope.event.message}\n${note}`.slice(-8192) } : null;
        await queue.accept({ ...envelope, event, attachments: [] });
        this.options.log(`report ${envelope.id}: the log collection begun ${startedAt} was interrupted; accepted without its logs`);
      }
      await this.collectingRecords.remove(envelope.id);
    }
  }

  /** What AMHTPLOG.INF collects for the event, or null when it says not to collect. */
  private async planFor(event: FaultEvent): Promise<CollectionPlan | null> {
    const log = await readDefinition(this.options.dataDir, 'log');
    const definition = log.value as LogDefinition | null;
    if (!definition) return null;
    const selection = toolsFor(definition, { source: event.source, eventId: eventIdNumber(event.eventId) });
    if (!selection.collect) return null;
    const tools: CollectionTool[] = selection.tools.map((t) => ({ name: t.section, command: t.command, directory: t.directory, logFiles: t.logFiles }));
    return { tools, timeoutSeconds: definition.timeoutSeconds, maxBytes: definition.maxSizeBytes, archiveName: 'log.zip' };
  }

  /** The log archive; none when the collection failed; null when the pipeline is closing (the record is kept for the next start). */
  private async collectPlan(plan: CollectionPlan, event: FaultEvent): Promise<Collected | null> {
    try {
      const archive = await this.collect(plan, { signal: this.closing.signal });
      return { attachments: [{ file: archive.path }], infos: [{ name: 'log.zip', size: archive.size, sha256: archive.sha256 }], dispose: archive.dispose };
    } catch (err) {
      if (this.closing.signal.aborted) return null;
      // The fault is reported all the same, without its logs: a report is worth more than its attachment.
      this.options.log(`log collection for ${event.source} ${event.eventId} failed: ${errorText(err)}`);
      return { attachments: [], infos: [], dispose: async () => undefined };
    }
  }
}

export interface EventReportOptions {
  suppressedCount?: number;
  pseudo?: boolean;
}

/** A fault made durable; `done` resolves with its reports once they are in the queue. */
export interface Admission {
  done: Promise<QueueItem[]>;
}


interface Collected {
  attachments: AcceptAttachment[];
  infos: ReportEnvelope['attachments'];
  /** removes the work folder (and the archive, unless the queue took it) */
  dispose(): Promise<void>;
}
