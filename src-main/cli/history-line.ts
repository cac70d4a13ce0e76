import { queuedUntil, type HistoryItem } from '../../src-shared/history';

/** One line per report: when, kind, method, state (next attempt), attempts, destination, last error. */
export function historyLine(item: HistoryItem): string {
  const until = queuedUntil(item);
  const state =
    item.state === 'retrying' && item.nextAttemptAt ? `retrying (next ${item.nextAttemptAt})` : until ? `queued (waits for the time window until ${until})` : item.state;
  const event = item.event ? ` ${item.event.source} ${item.event.eventId}` : '';
  const error = item.errorText ? ` — ${item.errorText}` : '';
  return `${item.acceptedAt} ${item.id} ${item.kind}${event} ${item.method} ${state} attempts=${item.attempts} ${item.destination ?? '-'}${error}`;
}
