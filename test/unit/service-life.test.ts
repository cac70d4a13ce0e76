import { afterEach, describe, expect, it } from 'vitest';
import { encodeExtensionKey } from '../../src-main/contract/extension-key';
import { extend, isReporting, localIsoDate, msUntilNextChange, serviceStatus, terminate } from '../../src-main/contract/service-life';
import { ApiError } from '../../src-shared/errors';
import { EXPIRY_WARNING_DAYS, serviceStatusSchema } from '../../src-shared/history';
import { defaultSettings, openingSchema, type Settings } from '../../src-shared/settings';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const CODE = 'U2024-0001';
const HOUR = 60 * 60 * 1000;

function opened(expiresAt: string | null, mode: 'key-file' | 'key-code' = 'key-file'): Settings {
  const opening = openingSchema.parse(
    mode === 'key-file'
      ? { mode, openedAt: '2025-04-01T00:00:00.000Z', userSystemCode: CODE, expiresAt, extensionSecret: SECRET }
      : { mode, openedAt: '2025-04-01T00:00:00.000Z', userSystemCode: 'OPFILELESS', keyCode: 'ABCDE', expiresAt: null },
  );
  return { ...defaultSettings(), opening };
}

/** A local time on this machine. */
const local = (y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0) => new Date(y, m - 1, d, h, min, s, ms);
const keyFor = (expiresAt: string, serial = 1, code = CODE, secret = SECRET) => encodeExtensionKey({ userSystemCode: code, expiresAt, serial }, secret);

describe('serviceStatus', () => {
  it('is not-opened before the opening', () => {
    const s = serviceStatus(defaultSettings(), local(2026, 3, 1), 'ja');
    expect(serviceStatusSchema.parse(s)).toEqual({
      state: 'not-opened',
      expiresAt: null,
      daysLeft: null,
      expiryWarning: false,
      terminatedAt: null,
      message: 'エクスプレス通報サービスは開局されていません。',
    });
    expect(isReporting(defaultSettings(), local(2026, 3, 1))).toBe(false);
  });

  it('runs without a warning more than 30 days before the last day', () => {
    const s = serviceStatus(opened('2026-03-31'), local(2026, 2, 28, 12), 'ja');
    expect(s).toMatchObject({ state: 'running', expiresAt: '2026-03-31', daysLeft: 31, expiryWarning: false });
    expect(s.message).toBe('エクスプレス通報サービスの有効期限は 2026-03-31 です。');
    expect(serviceStatus(opened('2026-03-31'), local(2026, 2, 28, 23, 59, 59, 999), 'ja').expiryWarning).toBe(false);
    expect(isReporting(opened('2026-03-31'), local(2026, 2, 28))).toBe(true);
  });

  it('warns from 30 days before the last day, at local midnight', () => {
    expect(EXPIRY_WARNING_DAYS).toBe(30);
    const s = serviceStatus(opened('2026-03-31'), local(2026, 3, 1), 'ja');
    expect(s).toMatchObject({ state: 'running', daysLeft: 30, expiryWarning: true });
    expect(s.message).toBe('エクスプレス通報サービスの有効期限は 2026-03-31 です(あと 30 日)。');
    expect(serviceStatus(opened('2026-03-31'), local(2026, 3, 30, 18), 'en').message).toBe('Express Report Service is valid until 2026-03-31 (days left: 1).');
    expect(isReporting(opened('2026-03-31'), local(2026, 3, 15))).toBe(true);
  });

  it('says so on the last day, which is still inside the contract', () => {
    const s = serviceStatus(opened('2026-03-31'), local(2026, 3, 31, 23, 59, 59, 999), 'ja');
    expect(s).toMatchObject({ state: 'running', daysLeft: 0, expiryWarning: true });
    expect(s.message).toBe('エクスプレス通報サービスの有効期限は本日(2026-03-31)までです。');
    expect(isReporting(opened('2026-03-31'), local(2026, 3, 31, 23, 59, 59, 999))).toBe(true);
  });

  it('expires at the local midnight after the last day', () => {
    const s = serviceStatus(opened('2026-03-31'), local(2026, 4, 1), 'ja');
    expect(s).toMatchObject({ state: 'expired', expiresAt: '2026-03-31', daysLeft: -1, expiryWarning: false });
    expect(s.message).toBe('エクスプレス通報サービスの有効期限が切れています(2026-03-31)。');
    expect(serviceStatus(opened('2026-03-31'), local(2027, 1, 1), 'en').message).toBe('Express Report Service has expired (2026-03-31).');
    expect(isReporting(opened('2026-03-31'), local(2026, 4, 1))).toBe(false);
  });

  it('runs for good when the contract states no end (a key-code opening)', () => {
    for (const settings of [opened(null), opened(null, 'key-code')]) {
      const s = serviceStatus(settings, local(2099, 1, 1), 'ja');
      expect(s).toMatchObject({ state: 'running', expiresAt: null, daysLeft: null, expiryWarning: false });
      expect(s.message).toBe('エクスプレス通報サービスは稼働しています。');
    }
  });

  it('names Express (HTTPS) when that is the method in use', () => {
    const settings = opened('2026-03-31');
    settings.methods['express-https'].enabled = true;
    expect(serviceStatus(settings, local(2026, 4, 1), 'ja').message).toBe('エクスプレス通報サービス(HTTPS)の有効期限が切れています(2026-03-31)。');
  });
});

describe('terminate', () => {
  it('ends the service: nothing is reported, the window says it has ended', () => {
    const now = local(2026, 1, 10, 9);
    const ended = terminate(opened('2026-03-31'), now);
    expect(ended.service.terminatedAt).toBe(now.toISOString());
    expect(isReporting(ended, now)).toBe(false);
    const s = serviceStatus(ended, now, 'ja');
    expect(s).toMatchObject({ state: 'terminated', terminatedAt: now.toISOString(), expiryWarning: false, daysLeft: 80 });
    expect(s.message).toBe('エクスプレス通報サービスは終了しています。');
    expect(serviceStatus(ended, now, 'en').message).toBe('Express Report Service has been ended.');
    // ending again keeps the first time; ending an expired service marks it ended
    expect(terminate(ended, local(2026, 2, 1)).service.terminatedAt).toBe(now.toISOString());
    expect(serviceStatus(terminate(opened('2025-03-31'), now), now, 'ja').state).toBe('terminated');
  });

  it('is refused before the opening', () => {
    expect(() => terminate(defaultSettings(), local(2026, 1, 1))).toThrow(ApiError);
    try {
      terminate(defaultSettings(), local(2026, 1, 1), 'en');
    } catch (err) {
      expect((err as ApiError).code).toBe('not-ready');
      expect((err as ApiError).message).toBe('Express Report Service has not been opened, so it cannot be ended.');
    }
  });

  it('does not change the settings it is given', () => {
    const settings = opened('2026-03-31');
    terminate(settings, local(2026, 1, 1));
    expect(settings.service.terminatedAt).toBeNull();
  });
});

describe('extend', () => {
  const refusal = (fn: () => unknown): ApiError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ApiError) return err;
      throw err;
    }
    throw new Error('not refused');
  };

  it('moves the last day and restarts an ended service', () => {
    const now = local(2026, 3, 20, 10);
    const ended = terminate(opened('2026-03-31'), now);
    const extended = extend(ended, keyFor('2027-03-31').toLowerCase(), now, 'ja');
    expect(extended.opening?.expiresAt).toBe('2027-03-31');
    expect(extended.service.terminatedAt).toBeNull();
    expect(extended.opening?.extensionSecret).toBe(SECRET);
    expect(serviceStatus(extended, now, 'ja')).toMatchObject({ state: 'running', expiresAt: '2027-03-31', expiryWarning: false });
    expect(ended.opening?.expiresAt).toBe('2026-03-31');
  });

  it('restarts an expired service', () => {
    const now = local(2026, 5, 1);
    const settings = opened('2026-03-31');
    expect(isReporting(settings, now)).toBe(false);
    const extended = extend(settings, keyFor('2027-03-31'), now, 'en');
    expect(isReporting(extended, now)).toBe(true);
  });

  it('refuses a wrong key as invalid-value on field key, with the reason in the user’s language', () => {
    const now = local(2026, 3, 20);
    const settings = opened('2026-03-31');
    const key = keyFor('2027-03-31');
    const altered = key.slice(0, 7) + (key[7] === 'A' ? 'B' : 'A') + key.slice(8);
    const cases: Array<[string, string, string]> = [
      ['abc', 'ja', '英数字 30 文字(5 文字ずつ 6 組、例: 1ABCD-EFGH2-...)で入力してください。'],
      [altered, 'ja', '正しくありません。入力に誤りがないか確認してください。'],
      [keyFor('2027-03-31', 1, 'U2024-0002'), 'ja', '別の契約のキーです。ユーザシステムコード U2024-0001 の期限延長キーを入力してください。'],
      [keyFor('2026-03-31'), 'ja', 'キーの有効期限 2026-03-31 が現在の有効期限 2026-03-31 より後ではありません。すでに入力したキーではないか確認してください。'],
      [keyFor('2027-03-31', 1, 'U2024-0002'), 'en', 'This key is for another contract. Enter the extension key for user system code U2024-0001.'],
    ];
    for (const [k, lang, reason] of cases) {
      const err = refusal(() => extend(settings, k, now, lang as 'ja' | 'en'));
      expect(err.code).toBe('invalid-value');
      expect(err.field).toBe('key');
      expect(err.reason).toBe(reason);
      expect(err.message).toBe(`${lang === 'ja' ? '期限延長キー' : 'Extension key'}: ${reason}`);
    }
    const lapsed = opened('2024-03-31');
    expect(refusal(() => extend(lapsed, keyFor('2025-03-31'), now, 'ja')).reason).toBe('キーの有効期限 2025-03-31 はすでに過ぎています。');
  });

  it('says extension keys do not apply to a key-code opening, or before the opening', () => {
    const now = local(2026, 3, 20);
    expect(refusal(() => extend(opened(null, 'key-code'), keyFor('2027-03-31'), now, 'ja')).reason).toBe(
      '通報開局キーコードで開局した場合は使用できません(有効期限はありません)。',
    );
    expect(refusal(() => extend(defaultSettings(), keyFor('2027-03-31'), now, 'ja')).reason).toBe('開局していないため使用できません。');
  });

  it('ends a day later exactly as it says: a key for today restarts a lapsed contract until midnight', () => {
    const now = local(2026, 5, 1, 8);
    const extended = extend(opened('2026-03-31'), keyFor('2026-05-01'), now, 'ja');
    expect(serviceStatus(extended, now, 'ja')).toMatchObject({ state: 'running', daysLeft: 0 });
    expect(serviceStatus(extended, local(2026, 5, 2), 'ja').state).toBe('expired');
  });
});

describe('msUntilNextChange', () => {
  it('is the local midnight that starts the warning period', () => {
    const now = local(2026, 1, 10, 15, 30);
    expect(msUntilNextChange(opened('2026-03-31'), now)).toBe(local(2026, 3, 1).getTime() - now.getTime());
  });
  it('is the next local midnight within the warning period, the last one the expiry', () => {
    const now = local(2026, 3, 15, 6);
    expect(msUntilNextChange(opened('2026-03-31'), now)).toBe(local(2026, 3, 16).getTime() - now.getTime());
    const lastDay = local(2026, 3, 31, 23, 0);
    const ms = msUntilNextChange(opened('2026-03-31'), lastDay)!;
    expect(ms).toBe(local(2026, 4, 1).getTime() - lastDay.getTime());
    // when it fires, the state has changed
    expect(serviceStatus(opened('2026-03-31'), new Date(lastDay.getTime() + ms), 'ja').state).toBe('expired');
    expect(serviceStatus(opened('2026-03-31'), new Date(lastDay.getTime() + ms - 1), 'ja').state).toBe('running');
  });
  it('is null when nothing changes on its own', () => {
    const now = local(2026, 3, 15);
    expect(msUntilNextChange(defaultSettings(), now)).toBeNull();
    expect(msUntilNextChange(opened(null), now)).toBeNull();
    expect(msUntilNextChange(terminate(opened('2026-03-31'), now), now)).toBeNull();
    expect(msUntilNextChange(opened('2026-03-31'), local(2026, 4, 1))).toBeNull();
  });
  it('every change it predicts is a real change of the status', () => {
    const settings = opened('2026-03-31');
    let now = local(2026, 1, 1, 12);
    let steps = 0;
    for (let ms = msUntilNextChange(settings, now); ms !== null; ms = msUntilNextChange(settings, now)) {
      const before = serviceStatus(settings, now, 'ja');
      const at = new Date(now.getTime() + ms);
      expect(serviceStatus(settings, new Date(at.getTime() - 1), 'ja').message).toBe(before.message);
      expect(serviceStatus(settings, at, 'ja').message).not.toBe(before.message);
      now = at;
      steps += 1;
    }
    expect(steps).toBe(1 + EXPIRY_WARNING_DAYS + 1);
    expect(serviceStatus(settings, now, 'ja').state).toBe('expired');
  });
});

describe('in another time zone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('uses the local calendar: Tokyo expires at 15:00 UTC, New York at 04:00 UTC', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(localIsoDate(new Date('2026-03-31T14:59:59.999Z'))).toBe('2026-03-31');
    expect(isReporting(opened('2026-03-31'), new Date('2026-03-31T14:59:59.999Z'))).toBe(true);
    expect(isReporting(opened('2026-03-31'), new Date('2026-03-31T15:00:00.000Z'))).toBe(false);
    expect(msUntilNextChange(opened('2026-03-31'), new Date('2026-03-31T12:00:00.000Z'))).toBe(3 * HOUR);

    process.env.TZ = 'America/New_York';
    expect(isReporting(opened('2026-03-31'), new Date('2026-04-01T03:59:59.999Z'))).toBe(true);
    expect(isReporting(opened('2026-03-31'), new Date('2026-04-01T04:00:00.000Z'))).toBe(false);
    // across the change to summer time (2026-03-08) the midnight is still local
    expect(msUntilNextChange(opened('2026-04-30'), new Date('2026-03-07T12:00:00.000Z'))).toBe(
      new Date('2026-03-31T04:00:00.000Z').getTime() - new Date('2026-03-07T12:00:00.000Z').getTime(),
    );
  });
});
