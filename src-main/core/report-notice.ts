/**
 * The notice after a report failed for good names the report the way the history does — when it
 * was accepted, its kind and event — and says why in the user's language. The notice is stored
 * with language-neutral facts and put into words each time it is shown, so it follows a change
 * of ui.language like everything else.
 */
import { CATALOGS, translate, type Language, type MessageKey, type MessageParams } from '../../src-shared/i18n';
import type { QueueItem } from '../queue';
import { stepHint } from '../reports/outcome';

/** What `notice.report-failed` stores: no id, no internal words. */
export function reportFailedFacts(item: QueueItem): Record<string, string> {
  return {
    acceptedAt: item.acceptedAt,
    kind: item.kind,
    source: item.event?.source ?? '',
    eventId: item.event?.eventId ?? '',
    failure: item.failure ?? '',
    channel: item.lastError?.channel ?? '',
    step: item.lastError?.step ?? '',
  };
}

function has(lang: Language, key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(CATALOGS[lang], key);
}

/** The history's date and time (2026/12/02 14:05:09). */
function historyTime(iso: string, lang: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
  const date = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d);
  return `${date} ${time}`;
}

/** The stored facts in the user's words: {time}, {report} (kind and event), {why}. */
export function reportFailedParams(facts: MessageParams, lang: Language): MessageParams {
  const text = (key: string, params: MessageParams = {}) => (has(lang, key) ? translate(lang, key, params) : '');
  const kindKey = `history.kind.${String(facts.kind ?? '')}`;
  const kind = text(kindKey) || text('history.kind.alert');
  const report = facts.source && facts.eventId ? text('history.kind.withEvent', { kind, source: facts.source, eventId: facts.eventId }) : kind;
  // A notice stored before failures named their channel came from the HTTPS reporter (the only one then).
  const channel = String(facts.channel ?? 'https');
  const why = [facts.failure ? text(`failure.${String(facts.failure)}`) : '', facts.step ? stepHint(lang, channel, String(facts.step)) : '']
    .filter((part) => part !== '')
    .join(' ');
  return { ...facts, time: facts.acceptedAt ? historyTime(String(facts.acceptedAt), lang) : '-', report, why: why || '-' };
}
