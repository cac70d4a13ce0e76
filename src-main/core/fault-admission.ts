/**
 * How a fault comes in: 通報の抑制 decides (its state kept in `<data dir>/suppression.json` across
 * restarts), the pipeline makes the fault durable, and only then is the suppression entry saved —
 * a crash in between means a repeat is reported, never that a fault is held back that was not
 * reported. A fault the pipeline refuses leaves suppression as it was.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Language } from '../../src-shared/i18n';
import { METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import type { FaultEvent } from '../events/fault-event';
import { Suppressor } from '../events/suppression';
import type { QueueItem } from '../queue';
import type { ReportPipeline } from '../reports/pipeline';
import { writeFileAtomic } from '../lib/atomic-file';
import { reportingMethods } from './report-handlers';
import { errorText } from '../lib/error-text';

export interface FaultAdmissionDeps {
  dataDir: string;
  pipeline: ReportPipeline;
  settings(): Settings;
  reporting(): boolean;
  language(): Language;
  now(): Date;
  log(line: string): void;
}

/** A fault after 通報の抑制: held back, or made durable (`done` resolves once its reports are in the queue). */
export interface Admitted {
  suppressed: boolean;
  done: Promise<QueueItem[]>;
}

export class FaultAdmission {
  /** faults are admitted one at a time (a few fsyncs each): the suppression decision of one is final before the next */
  private admitting: Promise<unknown> = Promise.resolve();
  private suppressors: Promise<Map<MethodName, Suppressor>> | null = null;

  constructor(private readonly deps: FaultAdmissionDeps) {}

  private get file(): string {
    return path.join(this.deps.dataDir, 'suppression.json');
  }

  /**
   * Suppression, then the pipeline; resolves once the fault is durable (in the queue, or recorded
   * while its logs are collected). Throws (ApiError) when nothing can report it.
   */
  admit(event: FaultEvent): Promise<Admitted> {
    const work = this.admitting.then(async () => {
      const { deps } = this;
      const settings = deps.settings();
      const methods = reportingMethods(deps.pipeline, settings, deps.reporting(), deps.language());
      // One decision per event: the methods share it (Express and Express (HTTPS) never run together).
      const method = methods[0]!;
      const suppressors = await this.suppression();
      const suppressor = suppressors.get(method) ?? new Suppressor();
      const before = suppressor.toJSON();
      suppressors.set(method, suppressor);
      const decision = suppressor.offer({ source: event.source, eventId: event.eventId }, deps.now(), settings.methods[method].suppression);
      if (!decision.report) {
        await this.save();
        deps.log(`event ${event.source} ${event.eventId} suppressed (通報の抑制)`);
        return { suppressed: true, done: Promise.resolve([] as QueueItem[]) };
      }
      let admission;
      try {
        admission = await deps.pipeline.admitEvent(event, { suppressedCount: decision.suppressedCount });
      } catch (err) {
        suppressors.set(method, Suppressor.fromJSON(before));
        throw err;
      }
      await this.save();
      const done = admission.done.then((items) => {
        for (const item of items) deps.log(`event ${event.source} ${event.eventId}: report ${item.id} accepted (${item.method})`);
        return items;
      });
      done.catch(() => undefined);
      return { suppressed: false, done };
    });
    this.admitting = work.catch(() => undefined);
    return work;
  }

  /**
   * What an event source hands a fault to: resolves once the fault is durable or refused — so
   * the source commits its place in the log (the journal cursor) only then. Never rejects.
   */
  async fromSource(event: FaultEvent): Promise<void> {
    try {
      const { done } = await this.admit(event);
      void done.catch((err: unknown) => this.deps.log(`event ${event.source} ${event.eventId}: ${errorText(err)}`));
    } catch (err) {
      this.deps.log(`event ${event.source} ${event.eventId} not reported: ${errorText(err)}`);
    }
  }

  /** A fault reported by every delivering method unless suppressed; the reports once queued ([] when refused). */
  async report(event: FaultEvent): Promise<QueueItem[]> {
    try {
      return await (await this.admit(event)).done;
    } catch (err) {
      this.deps.log(`event ${event.source} ${event.eventId} not reported: ${errorText(err)}`);
      return [];
    }
  }

  /** What was suppressed before a restart still counts (a lost file only means one extra report). */
  private suppression(): Promise<Map<MethodName, Suppressor>> {
    this.suppressors ??= (async () => {
      const map = new Map<MethodName, Suppressor>();
      const raw = await fsp.readFile(this.file, 'utf8').catch(() => null);
      let data: unknown = null;
      try {
        data = raw === null ? null : JSON.parse(raw);
      } catch {
        this.deps.log(`${this.file} is not JSON: suppression starts afresh`);
      }
      for (const name of METHOD_NAMES) {
        const state = (data as Record<string, unknown> | null)?.[name];
        if (state !== undefined) map.set(name, Suppressor.fromJSON(state));
      }
      return map;
    })();
    return this.suppressors;
  }

  /** A failed save is said and does not stop the report: the worst is one repeat reported. */
  private async save(): Promise<void> {
    if (!this.suppressors) return;
    try {
      const data = Object.fromEntries([...(await this.suppressors)].map(([name, s]) => [name, s.toJSON()]));
      await writeFileAtomic(this.file, JSON.stringify(data));
    } catch (err) {
      this.deps.log(`suppression state not saved: ${errorText(err)}`);
    }
  }
}
