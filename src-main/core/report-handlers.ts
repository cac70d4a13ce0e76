/**
 * The report history (S2) and the pseudo-failure test (W2 通報テスト): the window's view of the
 * queue. A report that fails for good becomes a notice, a line in the service log and — in
 * Electron — an OS notification (electron/main.ts listens for `report:changed`).
 */
import type { HistoryItem } from '../../src-shared/history';
import { ApiError } from '../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import { normalizeEventId } from '../events/fault-event';
import { QueueError, type QueueItem } from '../queue';
import { deliverableMethods, type ReportPipeline } from '../reports/pipeline';
import type { Handlers, ServiceContext } from './handlers';

type ReportHandlers = Pick<Handlers, 'report:pseudoFault' | 'history:list' | 'history:resend'>;

/** The last error of a report in plain words: why it failed for good, what failed and what to check. */
export function errorTextOf(item: QueueItem, lang: Language): string | null {
  const parts: string[] = [];
  if (item.state === 'failed' && item.failure) parts.push(translate(lang, `failure.${item.failure}` as MessageKey));
  const e = item.lastError;
  if (e) {
    parts.push(
      translate(lang, 'delivery.failed', {
        destination: e.destination || item.destination || '-',
        what: translate(lang, `delivery.step.${e.step}` as MessageKey),
        detail: e.detail,
      }),
    );
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

export function historyItem(item: QueueItem, lang: Language): HistoryItem {
  return { ...item, lastError: item.lastError ? { ...item.lastError } : null, errorText: errorTextOf(item, lang) };
}

/** A queue refusal as the contract's error. */
function fromQueueError(err: unknown, lang: Language): unknown {
  if (!(err instanceof QueueError)) return err;
  if (err.code === 'not-found') return new ApiError({ code: 'invalid-value', field: 'id', message: translate(lang, 'error.report-not-found'), reason: err.message });
  if (err.code === 'not-failed') return new ApiError({ code: 'invalid-value', field: 'id', message: translate(lang, 'error.report-not-failed'), reason: err.message });
  return new ApiError({ code: 'not-ready', message: err.message });
}

export function reportHandlers(ctx: ServiceContext, pipeline: ReportPipeline): ReportHandlers {
  return {
    'report:pseudoFault': async ({ log, source, eventId }) => {
      const lang = ctx.language();
      const settings = await ctx.current();
      const id = normalizeEventId(eventId);
      if (!id) {
        const reason = translate(lang, 'error.event-id', { value: eventId });
        throw new ApiError({ code: 'invalid-value', field: 'eventId', reason, message: translate(lang, 'error.invalid-value', { field: 'eventId', reason }) });
      }
      if (deliverableMethods(settings).length === 0) throw new ApiError({ code: 'not-ready', field: 'methods', message: translate(lang, 'error.no-method') });
      if (!ctx.reporting()) throw new ApiError({ code: 'not-ready', field: 'service', message: translate(lang, 'error.service-ended') });
      const items = await pipeline.reportEvent({
        log,
        source,
        eventId: id,
        time: ctx.now().toISOString(),
        message: translate('en', 'pseudo.message', { source, eventId: id }),
      }, { pseudo: true });
      return items.map((i) => historyItem(i, lang));
    },

    'history:list': async ({ states }) => {
      const lang = ctx.language();
      const queue = await pipeline.queue();
      return queue.list(states ? { state: states } : {}).map((i) => historyItem(i, lang));
    },

    'history:resend': async ({ id }) => {
      const lang = ctx.language();
      if (!ctx.reporting()) throw new ApiError({ code: 'not-ready', field: 'service', message: translate(lang, 'error.service-ended') });
      const queue = await pipeline.queue();
      try {
        return historyItem(await queue.resend(id), lang);
      } catch (err) {
        throw fromQueueError(err, lang);
      }
    },
  };
}
