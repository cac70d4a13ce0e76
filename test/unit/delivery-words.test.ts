/**
 * A delivery failure in the user's words (issue 9 item 20): the Japanese window gets what failed
 * and what to check in Japanese, not the reporter's bracketed English sentence; the English one
 * keeps that sentence. The reporter's detail still goes to the log (not tested here).
 */
import { describe, expect, it } from 'vitest';
import { CHANNEL_STEPS, GENERIC_STEPS, isStepOf, KNOWN_CHANNELS } from '../../src-main/channels/steps';
import { outcomeOf, stepHint } from '../../src-main/reports/outcome';
import { CATALOGS, type Language, type MessageKey } from '../../src-shared/i18n';

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

describe('hints by channel and step (issue 10 item 3)', () => {
  const has = (lang: Language, key: string) => Object.prototype.hasOwnProperty.call(CATALOGS[lang], key);

  it('every generic step has a generic text, every step a channel declares has that channel’s, in both languages', () => {
    for (const lang of ['ja', 'en'] as const) {
      for (const step of GENERIC_STEPS) expect(has(lang, `delivery.step.${step}`), `${lang} ${step}`).toBe(true);
      for (const channel of KNOWN_CHANNELS) {
        for (const step of CHANNEL_STEPS[channel]) expect(has(lang, `delivery.${channel}.${step}`), `${lang} ${channel} ${step}`).toBe(true);
        // A channel words only steps it can fail at: a key for another step would never be shown.
        const own = Object.keys(CATALOGS[lang]).filter((k) => k.startsWith(`delivery.${channel}.`)).map((k) => k.slice(`delivery.${channel}.`.length));
        for (const step of own) expect(step === 'status' || isStepOf(channel, step), `${lang} delivery.${channel}.${step}`).toBe(true);
      }
    }
  });

  it('the generic texts name no channel', () => {
    for (const step of [...GENERIC_STEPS, 'fallback']) {
      expect(CATALOGS.ja[`delivery.step.${step}` as MessageKey]).not.toMatch(/HTTPS|URL|プロキシ|SMTP|モデム|マネージャ/);
      expect(CATALOGS.en[`delivery.step.${step}` as MessageKey]).not.toMatch(/HTTPS|URL|proxy|SMTP|modem|manager/i);
    }
  });

  it('looks up delivery.<channel>.<step>, then the generic step, then the generic "delivery failed"', () => {
    expect(stepHint('ja', 'https', 'connect')).toBe('URL、ネットワーク、ファイアウォール(ポート 443)を確認してください');
    expect(stepHint('ja', 'mail', 'connect')).toContain('メールサーバー(SMTP)');
    expect(stepHint('ja', 'dialup', 'dns')).toBe(CATALOGS.ja['delivery.step.dns']);
    expect(stepHint('en', 'mail', 'auth')).not.toBe(stepHint('en', 'https', 'auth'));
    expect(stepHint('en', 'relay', 'manager-refused')).toBe(CATALOGS.en['delivery.relay.manager-refused']);
    expect(stepHint('ja', 'queue', 'config')).toBe(CATALOGS.ja['delivery.step.config']);
    expect(stepHint('ja', 'https', 'no-such-step')).toBe(CATALOGS.ja['delivery.step.fallback']);
    expect(stepHint('en', 'nobody', 'no-such-step')).toBe(CATALOGS.en['delivery.step.fallback']);
  });

  it('a refusal carries the peer’s code in the channel’s words', () => {
    const mail = { ...refused, destination: 'smtp.example', channel: 'mail', step: 'rcpt-to' as const, retryable: false, status: 550, detail: '550 5.1.1 no such user' };
    expect(outcomeOf(mail, 'ja').message).toBe('smtp.example への通報に失敗しました: 通報先のメールアドレスを確認してください(メールサーバーが受け付けませんでした)(SMTP 550)');
    const other = { ...mail, channel: 'relay', step: 'refused' as const };
    expect(outcomeOf(other, 'ja').message).toMatch(/拒否が続く場合は保守会社に連絡してください\(応答コード 550\)$/);
    expect(outcomeOf(other, 'en').message).toBe(`The report to smtp.example failed: ${CATALOGS.en['delivery.step.refused']} (550 5.1.1 no such user)`);
  });
});
