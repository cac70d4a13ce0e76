/**
 * A delivery failure in the user's words (issue 9 item 20): the Japanese window gets what failed
 * and what to check in Japanese, not the reporter's bracketed English sentence; the English one
 * keeps that sentence. The reporter's detail still goes to the log (not tested here).
 */
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src-main/reports/outcome';

const refused = {
  ok: false as const,
  destination: 'https://127.0.0.1:9/Scripts/trsRecvAlert.cgi',
  channel: 'https',
  step: 'connect' as const,
  retryable: true,
  detail: 'could not connect to the center 127.0.0.1:9 (ECONNREFUSED): check the URL, the network and the firewall',
};

describe('delivery failure text', () => {
  it('in Japanese: what to check, no English sentence', () => {
    const { message } = outcomeOf(refused, 'ja');
    expect(message).toBe(`${refused.destination} への通報に失敗しました: URL、ネットワーク、ファイアウォール(ポート 443)を確認してください`);
  });

  it('in Japanese: a cancelled collection says so in Japanese only', () => {
    const { message } = outcomeOf({ ...refused, step: 'cancelled', detail: 'The collection was cancelled.' }, 'ja');
    expect(message).toContain('通報は取り消されました');
    expect(message).not.toContain('The collection was cancelled.');
  });

  it('in Japanese: an HTTP status stays, as a number', () => {
    const { message } = outcomeOf({ ...refused, step: 'http-status', status: 503, detail: 'the center 127.0.0.1:9 answered 503 Service Unavailable' }, 'ja');
    expect(message).toMatch(/を確認してください。拒否が続く場合は保守会社に連絡してください\(HTTP 503\)$/);
    expect(message).not.toContain('Service Unavailable');
  });

  it('in English: the reporter’s sentence is kept', () => {
    expect(outcomeOf(refused, 'en').message).toContain(`(${refused.detail})`);
  });
});
