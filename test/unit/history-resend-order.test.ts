/**
 * [再送] in the history: the reply of history:resend and the live `report:changed` events travel
 * apart. On a busy machine the resent report's `sending` and `delivered` events can arrive before
 * the reply; the reply (待機中) must not set the row back (the CI flake of stop 15).
 */
import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src-shared/history';
import { upsertItem, withResent } from '../../src-renderer/history/use-history';

const failed: HistoryItem = {
  id: '6f1c2d4e-0000-4000-8000-000000000002',
  seq: 2,
  kind: 'alert',
  method: 'express-https',
  acceptedAt: new Date(2026, 2, 2, 6, 0).toISOString(),
  state: 'failed',
  attempts: 1,
  nextAttemptAt: null,
  lastAttemptAt: new Date(2026, 2, 2, 6, 0).toISOString(),
  settledAt: new Date(2026, 2, 2, 6, 0).toISOString(),
  destination: 'https://center.example/primary',
  failure: 'permanent',
  event: { source: 'disk', eventId: '0xc0040007' },
  lastError: null,
  errorText: '404',
};
const reply: HistoryItem = { ...failed, state: 'queued', nextAttemptAt: new Date(2026, 2, 2, 6, 1).toISOString(), settledAt: null, failure: null };
const delivered: HistoryItem = { ...failed, state: 'delivered', attempts: 2, failure: null, errorText: null };

describe('the reply of [再送] and the live events', () => {
  it('the reply shows 待機中 while the row still shows the failure it resent', () => {
    expect(withResent([failed], reply)).toEqual([reply]);
  });

  it('a delivered event that came first is kept: the reply does not set the row back', () => {
    const list = upsertItem([failed], delivered);
    expect(withResent(list, reply)).toEqual([delivered]);
  });

  it('a sending event that came first is kept too', () => {
    const sending: HistoryItem = { ...reply, state: 'sending', nextAttemptAt: null };
    expect(withResent([sending], reply)).toEqual([sending]);
  });

  it('a second failure that came first (one round more) is kept', () => {
    const again: HistoryItem = { ...failed, attempts: 2 };
    expect(withResent([again], reply)).toEqual([again]);
  });
});
