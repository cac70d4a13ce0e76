/**
 * The report history (S2) and the pseudo-failure test (W2 通報テスト): the window's view of the
 * queue. A report that fails for good becomes a notice, a line in the service log and — in
 * Electron — an OS notification (electron/main.ts listens for `report:changed`).
 */
import { escapeControls, firstControl } from '../../src-shared/control-chars';
import type { HistoryItem } from '../../src-shared/history';
import { ApiError } from '../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import { normalizeEventId, type FaultEvent } from '../events/fault-event';
import { QueueError, type QueueItem } from '../queue';
import { outcomeOf } from '../reports/outcome';
import type { ReportPipeline } from '../reports/pipeline';
import type { Handlers, ServiceContext } from './handlers';

type ReportHandlers = Pick<Handlers, 'report:pseudoFault' | 'report:event' | 'history:list' | 'history:resend'>;

/** What a fault comes to after 通報の抑制: held back, or the reports accepted. */
export type FaultOutcome = { suppressed: boolean; items: QueueItem[] };

/** The refusal of any report while the service has ended ([サービスの終了] or the contract's end). */
export function serviceEnded(lang: Language): ApiError {
  return new ApiError({ code: 'not-ready', field: 'service', message: translate(lang, 'error.service-ended') });
}

/** The methods that report a fault now; refused when none delivers or the service has ended. */
export function reportingMethods(pipeline: Pick<ReportPipeline, 'deliverable'>, settings: Settings, reporting: boolean, lang: Language): MethodName[] {
  const methods = pipeline.deliverable(settings);
  if (methods.length === 0) throw new ApiError({ code: 'not-ready', field: 'methods', message: translate(lang, 'error.no-method') });
  if (!reporting) throw serviceEnded(lang);
  return methods;
}

/** A source name as typed: a control character (a line break …) is refused, naming the field. */
function sourceOf(source: string, lang: Language): string {
  const control = firstControl(source);
  if (control === null) return source;
  const reason = translate(lang, 'error.source-control', { char: control });
  throw new ApiError({ code: 'invalid-value', field: 'source', reason, message: translate(lang, 'error.invalid-value', { field: 'source', reason }) });
}

/** An event id as typed (0xC0040006, 3221487622) in the catalogue's form, or the refusal naming it. */
function eventIdOf(eventId: string, lang: Language): string {
  const id = normalizeEventId(eventId);
  if (id) return id;
  const reason = translate(lang, 'error.event-id', { value: escapeControls(eventId) });
  throw new ApiError({ code: 'invalid-value', field: 'eventId', reason, message: translate(lang, 'error.invalid-value', { field: 'eventId', reason }) });
}

/** The last error of a report in plain words: why it failed for good, what failed and what to check. */
export function errorTextOf(item: QueueItem, lang: Language): string | null {
  const parts: string[] = [];
  if (item.state === 'failed' && item.failure) parts.push(translate(lang, `failure.${item.failure}` as MessageKey));
  const e = item.lastError;
  if (e) parts.push(outcomeOf({ ok: false, destination: e.destination || item.destination || '-', channel: e.channel, step: e.step, retryable: e.retryable, detail: e.detail, status: e.status }, lang).message);
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * A report as the history shows it. Every text field that can hold outside text (an event source,
 * a destination, a server's answer) has its control characters written out, so no field can
 * forge a line in the history, the CLI's `history` or a log.
 */
export function historyItem(item: QueueItem, lang: Language): HistoryItem {
  const esc = (s: string | null): string | null => (s === null ? null : escapeControls(s));
  const e = item.lastError;
  const errorText = errorTextOf(item, lang);
  return {
    ...item,
    destination: esc(item.destination),
    event: item.event ? { ...item.event, source: escapeControls(item.event.source), eventId: escapeControls(item.event.eventId) } : null,
    lastError: e ? { ...e, channel: escapeControls(e.channel), step: escapeControls(e.step), detail: escapeControls(e.detail), destination: escapeControls(e.destination) } : null,
    errorText: esc(errorText),
    from: item.from ? { userSystemCode: escapeControls(item.from.userSystemCode), serverName: escapeControls(item.from.serverName), address: escapeControls(item.from.address) } : null,
  };
}

/** A queue refusal as the contract's error. */
function fromQueueError(err: unknown, lang: Language): unknown {
  if (!(err instanceof QueueError)) return err;
  if (err.code === 'not-found') return new ApiError({ code: 'invalid-value', field: 'id', message: translate(lang, 'error.report-not-found'), reason: err.message });
  if (err.code === 'not-failed') return new ApiError({ code: 'invalid-value', field: 'id', message: translate(lang, 'error.report-not-failed'), reason: err.message });
  return new ApiError({ code: 'not-ready', message: err.message });
}

/**
 * `reportFault` is the service's way in for a fault (通報の抑制, then the pipeline); the
 * pseudo-failure test skips the suppression but is refused for the same reasons.
 */
export function reportHandlers(ctx: ServiceContext, pipeline: ReportPipeline, reportFault: (event: FaultEvent) => Promise<FaultOutcome>): ReportHandlers {
  return {
    'report:pseudoFault': async ({ log, source: typed, eventId }) => {
      const lang = ctx.language();
      const source = sourceOf(typed, lang);
      const id = eventIdOf(eventId, lang);
      reportingMethods(pipeline, await ctx.current(), ctx.reporting(), lang);
      const items = await pipeline.reportEvent(
        { log, source, eventId: id, time: ctx.now().toISOString(), message: translate('en', 'pseudo.message', { source, eventId: id }) },
        { pseudo: true },
      );
      return items.map((i) => historyItem(i, lang));
    },

    'report:event': async ({ log, source, eventId, message, wait }) => {
      const lang = ctx.language();
      const { suppressed, items } = await reportFault({ log, source: sourceOf(source, lang), eventId: eventIdOf(eventId, lang), time: ctx.now().toISOString(), message });
      // Waiting covers the first attempt when it is due now; one held for the time window is returned as queued.
      const dueNow = (i: QueueItem) => !i.nextAttemptAt || Date.parse(i.nextAttemptAt) <= ctx.now().getTime();
      const settled = wait ? await Promise.all(items.map((i) => (dueNow(i) ? pipeline.outcomeOf(i.id, undefined, i) : i))) : items;
      return { suppressed, items: settled.map((i) => historyItem(i, lang)) };
    },

    'history:list': async ({ states }) => {
      const lang = ctx.language();
      const queue = await pipeline.queue();
      return queue.list(states ? { state: states } : {}).map((i) => historyItem(i, lang));
    },

    'history:resend': async ({ id }) => {
      const lang = ctx.language();
      if (!ctx.reporting()) throw serviceEnded(lang);
      const queue = await pipeline.queue();
      try {
        return historyItem(await queue.resend(id), lang);
      } catch (err) {
        throw fromQueueError(err, lang);
      }
    },
  };
}
