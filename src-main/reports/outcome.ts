/**
 * A delivery and a queued report's state in the user's words: what failed and what to check,
 * looked up by channel and step (`delivery.<channel>.<step>`, then the generic
 * `delivery.step.<step>`, then `delivery.step.fallback`), with the reporter's one-line detail.
 */
import type { DeliveryOutcome } from '../../src-shared/api';
import { CATALOGS, translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { QueueItem } from '../queue';
import type { Delivery } from '../channels/reporter';
import { QUEUE_CHANNEL } from '../channels/steps';

function firstKey(lang: Language, keys: readonly string[]): MessageKey | null {
  for (const key of keys) if (Object.prototype.hasOwnProperty.call(CATALOGS[lang], key)) return key as MessageKey;
  return null;
}

/**
 * What to check after `channel` failed at `step`, in the user's language. A channel words the
 * steps its settings explain better (HTTPS names its URL and CA file); every other step gets the
 * generic text, and a step nobody knows the generic "delivery failed" one.
 */
export function stepHint(lang: Language, channel: string, step: string): string {
  return translate(lang, firstKey(lang, [`delivery.${channel}.${step}`, `delivery.step.${step}`]) ?? 'delivery.step.fallback');
}

/** The peer's code as the hint's suffix: "(HTTP 503)" for HTTPS, "(SMTP 550)" for mail, generic otherwise. */
function statusText(lang: Language, channel: string, status: number): string {
  return translate(lang, firstKey(lang, [`delivery.${channel}.status`]) ?? 'delivery.status', { status: String(status) });
}

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
    // carries it; the Japanese one says what to check in Japanese and keeps only the peer's code.
    message: translate(lang, 'delivery.failed', {
      destination: delivery.destination,
      what: stepHint(lang, delivery.channel, delivery.step),
      detail: delivery.detail,
      status: delivery.status === undefined ? '' : statusText(lang, delivery.channel, delivery.status),
    }),
  };
}

/** A report's state after an attempt, in the user's words (the window's result of a test or opening report). */
export function itemOutcome(item: QueueItem, lang: Language): DeliveryOutcome {
  if (item.state === 'delivered') return outcomeOf({ ok: true, destination: item.destination ?? '', detail: '' }, lang);
  const e = item.lastError;
  // The result box of a test or opening report leaves the peer's code out; the history's text keeps it.
  const outcome = outcomeOf(
    {
      ok: false,
      destination: e?.destination || item.destination || '',
      channel: e?.channel ?? QUEUE_CHANNEL,
      step: e?.step ?? 'config',
      retryable: e?.retryable ?? false,
      detail: e?.detail ?? '',
    },
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
