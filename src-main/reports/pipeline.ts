/**
 * The report pipeline: every report the service makes — test, opening, alert (a fault or the
 * pseudo-failure test), configuration — is accepted into the one durable queue
 * (docs/formats/queue.md) before any reporter sees it, and the queue delivers it on the method's
 * schedule. This module builds the reports (envelope, log collection) and tells the queue where
 * they go; the queue owns retries, the window and the history.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { MethodName } from '../../src-shared/methods';
import type { ReportEnvelope, ReportKind } from '../../src-shared/report';
import type { Settings } from '../../src-shared/settings';
import { collect, type CollectedArchive, type CollectionPlan, type CollectionTool, type CollectOptions } from '../collect/collector';
import type { FaultEvent } from '../events/fault-event';
import { toolsFor, type LogDefinition } from '../inf';
import { ReportQueue, type AcceptAttachment, type AcceptRoute, type QueueEntry, type QueueItem, type QueueNotice } from '../queue';
import type { HttpsReporterConfig } from '../reporters/https/https-reporter';
import type { Reporter } from '../reporters/reporter';
import { readDefinition } from './definition-dir';
import { buildEnvelope } from './envelope';

export interface PipelineOptions {
  dataDir: string;
  /** the settings as last read (the queue asks synchronously) */
  settings(): Settings;
  now(): Date;
  hostName(): string;
  makeReporter(config: HttpsReporterConfig): Reporter;
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

/** The methods this version delivers itself; the others have no reporter yet. */
export function deliverableMethods(settings: Settings): MethodName[] {
  const https = settings.methods['express-https'];
  return https.enabled && https.route === 'https' ? ['express-https'] : [];
}

/** The Express (HTTPS) destinations in order (primary, secondary), or only the pinned one. */
export function httpsDestinations(settings: Settings, pin: number | null): { index: 1 | 2; config: HttpsReporterConfig }[] {
  const m = settings.methods['express-https'];
  if (m.route !== 'https') return [];
  const proxy = m.proxy.enabled ? { host: m.proxy.host, port: m.proxy.port, user: m.proxy.user, password: m.proxy.password } : null;
  const all = [
    { index: 1 as const, url: m.url1 },
    { index: 2 as const, url: m.url2 },
  ];
  return all
    .filter((d) => d.url.trim() !== '' && (pin === null || d.index === pin))
    .map((d) => ({ index: d.index, config: { url: d.url, caFile: m.caFile || null, proxy } }));
}

/** The event id as a number for AMHTPLOG.INF matching (`0xc0040006` → 3221487622). */
function eventIdNumber(id: string): number {
  return Number.parseInt(id.replace(/^0x/i, ''), 16) >>> 0;
}

export class ReportPipeline {
  private opened: Promise<ReportQueue> | null = null;
  private running = false;
  /** fault events are collected one at a time: a burst cannot start a hundred tool runs */
  private collecting: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PipelineOptions) {}

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
      reportersFor: (entry) => this.reportersFor(entry),
      onChange: (item) => this.options.onChange(item),
      log: this.options.log,
    }).then(
      (q) => {
        for (const n of q.notices) {
          this.options.log(`report queue: ${n.reason} (kept aside as ${n.aside ?? 'nothing'})`);
          this.options.onDamage?.(n);
        }
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

  /** Looks at the schedule again (a method's window or interval changed). */
  kick(): void {
    void this.opened?.then((q) => q.kick(), () => undefined);
  }

  get isRunning(): boolean {
    return this.running;
  }

  async close(): Promise<void> {
    this.running = false;
    const opened = this.opened;
    this.opened = null;
    await this.collecting.catch(() => undefined);
    if (opened) await (await opened.catch(() => null))?.close();
  }

  private reportersFor(entry: QueueEntry): Reporter[] {
    if (entry.method !== 'express-https') return [];
    return httpsDestinations(this.options.settings(), entry.pin).map((d) => this.options.makeReporter(d.config));
  }

  envelope(kind: ReportKind, method: MethodName, extra: Partial<Pick<ReportEnvelope, 'resultDestination' | 'attachments' | 'event'>> = {}): ReportEnvelope {
    return buildEnvelope(this.options.settings(), { kind, method, hostName: this.options.hostName(), now: this.options.now(), ...extra });
  }

  /** Accepts a report (durable when this resolves). */
  async accept(envelope: ReportEnvelope, attachments: readonly AcceptAttachment[] = [], route: AcceptRoute = {}): Promise<QueueItem> {
    const queue = await this.queue();
    return queue.accept(envelope, attachments, route);
  }

  /**
   * A report the window waits for (test, opening): accepted (for one destination and one round,
   * as `route` says) and the outcome of its attempt awaited.
   */
  async sendAndWait(envelope: ReportEnvelope, attachments: readonly AcceptAttachment[], route: AcceptRoute, signal?: AbortSignal): Promise<QueueItem> {
    const item = await this.accept(envelope, attachments, route);
    return this.outcomeOf(item.id, signal);
  }

  /** The outcome of the report's next attempt; aborting `signal` cancels the attempt (the report fails as cancelled). */
  async outcomeOf(id: string, signal?: AbortSignal): Promise<QueueItem> {
    const queue = await this.queue();
    // The window waits for this one: it goes even while the service is not delivering in the background (the CLI).
    if (!this.running) queue.start();
    const cancel = () => queue.cancel(id);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await queue.nextOutcome(id);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /**
   * A fault (or the pseudo-failure test): for each method that delivers, collect the logs
   * AMHTPLOG.INF names for the event and accept the alert report. `suppressedCount` is the number
   * of repeats suppressed since the last report of this event; `pseudo` marks the 通報テスト.
   */
  reportEvent(event: FaultEvent, options: { suppressedCount?: number; pseudo?: boolean } = {}): Promise<QueueItem[]> {
    const suppressedCount = options.suppressedCount ?? 0;
    const pseudo = options.pseudo ?? false;
    const work = this.collecting.then(async () => {
      const methods = deliverableMethods(this.options.settings());
      const items: QueueItem[] = [];
      for (const method of methods) {
        const collected = await this.collectFor(event);
        try {
          const envelope = this.envelope('alert', method, {
            event: { log: event.log, source: event.source, eventId: event.eventId, time: event.time, message: event.message.slice(0, 8192), suppressedCount, pseudo },
            attachments: collected.infos,
          });
          items.push(await this.accept(envelope, collected.attachments));
        } finally {
          await collected.dispose();
        }
      }
      return items;
    });
    this.collecting = work.catch(() => undefined);
    return work;
  }

  /** The log archive of AMHTPLOG.INF for the event, or none when the file says not to collect. */
  private async collectFor(event: FaultEvent): Promise<Collected> {
    const none: Collected = { attachments: [], infos: [], dispose: async () => undefined };
    const log = await readDefinition(this.options.dataDir, 'log');
    const definition = log.value as LogDefinition | null;
    if (!definition) return none;
    const selection = toolsFor(definition, { source: event.source, eventId: eventIdNumber(event.eventId) });
    if (!selection.collect) return none;
    const tools: CollectionTool[] = selection.tools.map((t) => ({ name: t.section, command: t.command, directory: t.directory, logFiles: t.logFiles }));
    try {
      const archive = await this.collect({ tools, timeoutSeconds: definition.timeoutSeconds, maxBytes: definition.maxSizeBytes, archiveName: 'log.zip' });
      return { attachments: [{ file: archive.path }], infos: [{ name: 'log.zip', size: archive.size, sha256: archive.sha256 }], dispose: archive.dispose };
    } catch (err) {
      // The fault is reported all the same, without its logs: a report is worth more than its attachment.
      this.options.log(`log collection for ${event.source} ${event.eventId} failed: ${err instanceof Error ? err.message : String(err)}`);
      return none;
    }
  }
}

interface Collected {
  attachments: AcceptAttachment[];
  infos: ReportEnvelope['attachments'];
  /** removes the work folder (and the archive, unless the queue took it) */
  dispose(): Promise<void>;
}
