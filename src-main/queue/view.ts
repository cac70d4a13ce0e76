/**
 * What the history view, the CLI and the events show of a report: no envelope, no attachment
 * data, times as ISO 8601.
 */
import type { MethodName } from '../../src-shared/methods';
import type { ReportKind } from '../../src-shared/report';
import type { LastError, QueueEntry, QueueState } from './records';

export interface QueueItem {
  id: string;
  /** acceptance order */
  seq: number;
  kind: ReportKind;
  method: MethodName;
  acceptedAt: string;
  /** queued | sending | retrying (see nextAttemptAt) | delivered | failed (for good) */
  state: QueueState;
  /** rounds tried so far (each round tries the primary, then the secondary destination) */
  attempts: number;
  /** when a pending report is tried next */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  settledAt: string | null;
  /** delivered to, or last tried */
  destination: string | null;
  lastError: LastError | null;
  /** why a failed report failed for good: refused for good, the retry limit passed, or no destination set up */
  failure: QueueEntry['failure'];
  /** the fault of an alert report */
  event: QueueEntry['event'];
  /** the method that delivers it: its own, or the manager method forwarding an agent's report */
  lane: MethodName;
  /** the agent a manager received it from; null for this machine's own reports */
  from: NonNullable<QueueEntry['from']> | null;
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export function toItem(entry: QueueEntry, sending = false): QueueItem {
  return {
    id: entry.id,
    seq: entry.seq,
    kind: entry.kind,
    method: entry.method,
    acceptedAt: new Date(entry.acceptedAt).toISOString(),
    state: sending ? 'sending' : entry.state,
    attempts: entry.attempts,
    nextAttemptAt: sending ? null : iso(entry.nextAttemptAt),
    lastAttemptAt: iso(entry.lastAttemptAt),
    settledAt: iso(entry.settledAt),
    destination: entry.destination,
    lastError: entry.lastError,
    failure: entry.failure,
    event: entry.event,
    lane: entry.lane,
    from: entry.from ?? null,
  };
}

export type QueueErrorCode = 'invalid-report' | 'attachment' | 'not-found' | 'not-failed' | 'closed';

/** A request the queue refuses; `code` says which rule. */
export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}
