/**
 * A delivery and a queued report's state in the user's words: what failed and what to check
 * (`delivery.step.*`), with the reporter's one-line detail.
 */
import type { DeliveryOutcome } from '../../src-shared/api';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { QueueItem } from '../queue';
import type { Delivery } from '../channels/reporter';

/** A delivery in the user's words: what failed and what to check, with the reporter's detail. */
export function outcomeOf(delivery: Delivery, lang: Language): DeliveryOutcome {
  if (delivery.ok) {
    return { delivered: true, destination: delivery.destination, step: null, message: translate(lang, 'delivery.ok', { destination: delivery.destination }) };
  }
  return {
    delivered: false,
    destination: delivery.destination,
    step: delivery.step,
    // The reporter's detail is one line of English for the log and support: the English message
    // carries it; the Japanese one says what to check in Japanese and keeps only the HTTP status.
    message: translate(lang, 'delivery.failed', {
      destination: delivery.destination,
      what: translate(lang, `delivery.step.${delivery.step}` as MessageKey),
      detail: delivery.detail,
      status: delivery.status === undefined ? '' : translate(lang, 'delivery.httpStatus', { status: String(delivery.status) }),
    }),
  };
}

/** A report's state after an attempt, in the user's words (the window's result of a test or opening report). */
export function itemOutcome(item: QueueItem, lang: Language): DeliveryOutcome {
  if (item.state === 'delivered') return outcomeOf({ ok: true, destination: item.destination ?? '', detail: '' }, lang);
  const e = item.lastError;
  const outcome = outcomeOf(
    { ok: false, destination: e?.destination || item.destination || '', step: e?.step ?? 'config', retryable: e?.retryable ?? false, detail: e?.detail ?? '' },
    lang,
  );
  if (item.state === 'retrying' && item.nextAttemptAt) {
    outcome.message += ' ' + translate(lang, 'delivery.retrying', { time: localTime(item.nextAttemptAt, lang) });
  }
  return outcome;
}

/** An ISO time as the user reads it. */
export function localTime(iso: string, lang: Language): string {
  return new Date(iso).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
}
