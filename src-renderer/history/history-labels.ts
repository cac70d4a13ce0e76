import { queuedUntil, type HistoryItem, type HistoryState } from '../../src-shared/history';
import type { MessageKey } from '../../src-shared/i18n';
import type { ReportKind } from '../../src-shared/report';
import type { I18n } from '../lib/i18n-context';

const KIND_LABEL: Readonly<Record<ReportKind, MessageKey>> = {
  test: 'history.kind.test',
  opening: 'history.kind.opening',
  alert: 'history.kind.alert',
  heartbeat: 'history.kind.heartbeat',
  'reach-test': 'history.kind.reach-test',
};

export const STATE_LABEL: Readonly<Record<HistoryState, MessageKey>> = {
  queued: 'history.state.queued',
  sending: 'history.state.sending',
  retrying: 'history.state.retrying',
  delivered: 'history.state.delivered',
  failed: 'history.state.failed',
};

const FAILURE_LABEL: Readonly<Record<NonNullable<HistoryItem['failure']>, MessageKey>> = {
  permanent: 'history.failure.permanent',
  'retry-limit': 'history.failure.retry-limit',
  'no-destination': 'history.failure.no-destination',
  'single-attempt': 'history.failure.single-attempt',
};

/** Formats ISO times for the history: the date and time, or only the time when it is today. */
export interface TimeFormat {
  full(iso: string | null): string;
  /** the time alone for today, else the date and time */
  short(iso: string | null): string;
}

export function timeFormat({ t, lang }: I18n, now: () => Date = () => new Date()): TimeFormat {
  const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
  const date = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const parse = (iso: string | null): Date | null => {
    if (iso === null) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    full: (iso) => {
      const d = parse(iso);
      return d ? `${date.format(d)} ${time.format(d)}` : (iso ?? t('history.none'));
    },
    short: (iso) => {
      const d = parse(iso);
      if (!d) return iso ?? t('history.none');
      return date.format(d) === date.format(now()) ? time.format(d) : `${date.format(d)} ${time.format(d)}`;
    },
  };
}

/** 障害(atapi 0xc0040006), テスト, 構成情報 … */
export function kindText({ t }: I18n, item: HistoryItem): string {
  const kind = t(KIND_LABEL[item.kind]);
  return item.event ? t('history.kind.withEvent', { kind, source: item.event.source, eventId: item.event.eventId }) : kind;
}

/** 待機中 — 送信予定 09:00:00 / 送信中 / 再送待ち — 次回 13:45:00 / 送信済み / 送信失敗. */
export function stateText({ t }: I18n, format: TimeFormat, item: HistoryItem): string {
  if (item.state === 'retrying' && item.nextAttemptAt) return t('history.state.retryingAt', { time: format.short(item.nextAttemptAt) });
  const until = queuedUntil(item);
  if (until) return t('pipeline.state.queuedUntil', { time: format.short(until) });
  return t(STATE_LABEL[item.state]);
}

/** Why a failed report failed for good, in words; null when it has not failed. */
export function failureText({ t }: I18n, item: HistoryItem): string | null {
  return item.failure ? t(FAILURE_LABEL[item.failure]) : null;
}
