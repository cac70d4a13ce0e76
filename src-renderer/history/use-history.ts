import { useCallback, useEffect, useState } from 'react';
import type { HistoryItem, HistoryState } from '../../src-shared/history';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { useI18n } from '../lib/i18n-context';

/** How far a report has got, to tell an old `report:changed` from a newer listing. */
const PROGRESS: Readonly<Record<HistoryState, number>> = { queued: 0, retrying: 0, sending: 1, delivered: 2, failed: 2 };

/** Whether `candidate` is at least as far on as `current` (same report). */
function notOlder(candidate: HistoryItem, current: HistoryItem): boolean {
  if (candidate.attempts !== current.attempts) return candidate.attempts > current.attempts;
  return PROGRESS[candidate.state] >= PROGRESS[current.state];
}

/** The list with `item` in its place (newest first, by acceptance order), replacing its old version. */
export function upsertItem(list: readonly HistoryItem[], item: HistoryItem): HistoryItem[] {
  const at = list.findIndex((i) => i.id === item.id);
  if (at >= 0) {
    const next = list.slice();
    next[at] = item;
    return next;
  }
  let pos = 0;
  while (pos < list.length && list[pos]!.seq > item.seq) pos++;
  return [...list.slice(0, pos), item, ...list.slice(pos)];
}

/**
 * The list after history:resend answered with `item` (queued again). The reply travels apart from
 * the events: on a busy machine the attempt's `sending` and `delivered` events can come first, and
 * the reply must not set the report back to 待機中. So it is applied only while the list still
 * shows the failure it resent (same rounds).
 */
export function withResent(list: HistoryItem[], item: HistoryItem): HistoryItem[] {
  const current = list.find((i) => i.id === item.id);
  if (current && (current.state !== 'failed' || current.attempts !== item.attempts)) return list;
  return upsertItem(list, item);
}

export interface HistoryData {
  /** newest first; null while loading */
  items: HistoryItem[] | null;
  loadError: string | null;
  /** applies the item history:resend returned, unless live events have already moved the report on */
  applyResent(item: HistoryItem): void;
}

/**
 * The report history, loaded once and then kept current from `report:changed` events (no polling).
 * Events that arrive while the list is on its way are applied to it unless the list is newer.
 */
export function useHistory(): HistoryData {
  const client = useApiClient();
  const { lang } = useI18n();
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let loaded = false;
    const early: HistoryItem[] = [];
    const unsubscribe = client.subscribe((event) => {
      if (event.type !== 'report:changed') return;
      if (loaded) setItems((list) => upsertItem(list ?? [], event.item));
      else early.push(event.item);
    });
    client.call('history:list', {}).then(
      (list) => {
        if (cancelled) return;
        let merged = list;
        for (const item of early) {
          const current = merged.find((i) => i.id === item.id);
          if (!current || notOlder(item, current)) merged = upsertItem(merged, item);
        }
        loaded = true;
        setItems(merged);
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(asApiError(error, lang).message);
      },
    );
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [client, lang]);

  const applyResent = useCallback((item: HistoryItem) => setItems((list) => withResent(list ?? [], item)), []);

  return { items, loadError, applyResent };
}
