/**
 * A report accepted outside the 通報時間帯 waits for the window: the window's history and the
 * CLI say until when (from the item the queue returns, through the real catalogues).
 */
import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src-shared/history';
import { historyLine } from '../../src-main/cli/history-line';
import { stateText, timeFormat } from '../../src-renderer/history/history-labels';
import { makeI18n } from '../../src-renderer/lib/i18n-context';

const base: HistoryItem = {
  id: '6f1c2d4e-0000-4000-8000-000000000001',
  seq: 1,
  kind: 'alert',
  method: 'express-https',
  acceptedAt: new Date(2026, 2, 2, 6, 0).toISOString(),
  state: 'queued',
  attempts: 0,
  nextAttemptAt: new Date(2026, 2, 2, 9, 0).toISOString(),
  lastAttemptAt: null,
  settledAt: null,
  destination: null,
  failure: null,
  event: { source: 'disk', eventId: '0xc0040007' },
  lastError: null,
  errorText: null,
};
const today = () => new Date(2026, 2, 2, 6, 0);

describe('a report held for the time window says until when', () => {
  it('in the window: Japanese by default, English on request', () => {
    const ja = makeI18n('ja');
    const en = makeI18n('en');
    expect(stateText(ja, timeFormat(ja, today), base)).toBe('待機中 — 送信予定 09:00:00');
    expect(stateText(en, timeFormat(en, today), base)).toBe('Waiting — to be sent at 09:00:00');
    // One that goes as soon as it can says only that it waits.
    const now = { ...base, nextAttemptAt: base.acceptedAt };
    expect(stateText(ja, timeFormat(ja, today), now)).toBe('待機中');
  });

  it('in the CLI (report, queue, history)', () => {
    expect(historyLine(base)).toContain(`queued (waits for the time window until ${base.nextAttemptAt})`);
    expect(historyLine({ ...base, nextAttemptAt: base.acceptedAt })).toMatch(/ queued attempts=0 /);
  });
});
