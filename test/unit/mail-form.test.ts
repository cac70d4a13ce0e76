/** The mail windows' own field rules (src-renderer/channels/mail/mail-form.ts): what the dialogs check before the backend does. */
import { describe, expect, it } from 'vitest';
import { isMailAddress, mailKeys, mechanismsOf, nestValues, parseWait } from '../../src-renderer/channels/mail/mail-form';
import { settingAt } from '../../src-renderer/lib/settings-form';
import { smimeBlocked } from '../../src-renderer/methods/express-basic-settings-dialog';
import { defaultSettings, type Settings } from '../../src-shared/settings';

describe('the mail windows’ field rules', () => {
  it('names every key below methods.<method>.mail, for Express and the manager’s forwarding', () => {
    const keys = mailKeys('express');
    expect(keys.server.host).toBe('methods.express.mail.smtpHost');
    expect(keys.oauth.refreshToken).toBe('methods.express.mail.smtp.oauth.refreshToken');
    expect(mailKeys('manager-express').pop.wait).toBe('methods.manager-express.mail.pop.waitSeconds');
    // each key is a real setting (the form reads it from the settings tree)
    const settings = defaultSettings();
    for (const key of [...keys.serverKeys, ...keys.authKeys, keys.destination, keys.encoding]) expect(settingAt(settings, key), key).not.toBeUndefined();
  });

  it('takes a wait of 0–600 seconds, full-width digits too', () => {
    expect(parseWait('0')).toBe(0);
    expect(parseWait(' ６００ ')).toBe(600);
    expect(parseWait('601')).toBeNull();
    expect(parseWait('-1')).toBeNull();
    expect(parseWait('1.5')).toBeNull();
    expect(parseWait('')).toBeNull();
  });

  it('checks mail addresses as the settings utility does', () => {
    expect(isMailAddress('sousin@foo.co.jp')).toBe(true);
    expect(isMailAddress('sousin@foo')).toBe(false);
    expect(isMailAddress('so usin@foo.co.jp')).toBe(false);
  });

  it('lists the checked mechanisms in the seed’s order, XOAUTH2 last', () => {
    const k = mailKeys('express');
    expect(mechanismsOf({ [k.smtp.plain]: true, [k.smtp.xoauth2]: true, [k.smtp.cramMd5]: true, [k.smtp.login]: false }, k)).toEqual(['CRAM-MD5', 'PLAIN', 'XOAUTH2']);
    expect(mechanismsOf({}, k)).toEqual([]);
  });

  it('nests dotted keys as a settings form reads them, a "__proto__" part staying a plain key', () => {
    const nested = nestValues({ 'a.b.c': 1, 'a.b.d': 'x', 'a.e': true, '__proto__.polluted': 'no' });
    expect(settingAt(nested, 'a.b.c')).toBe(1);
    expect(settingAt(nested, 'a.b.d')).toBe('x');
    expect(settingAt(nested, 'a.e')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says why S/MIME cannot be set: no opening, a key-code opening, a route other than mail or dial-up', () => {
    const opening = (mode: 'key-file' | 'key-code') => ({ mode }) as NonNullable<Settings['opening']>;
    expect(smimeBlocked(null, 'mail')).toBe('mailui.basic.smimeNoOpening');
    expect(smimeBlocked(opening('key-code'), 'mail')).toBe('mailui.basic.smimeKeyCode');
    expect(smimeBlocked(opening('key-file'), 'manager')).toBe('mailui.basic.smimeRoute');
    expect(smimeBlocked(opening('key-file'), '')).toBe('mailui.basic.smimeRoute');
    expect(smimeBlocked(opening('key-file'), 'mail')).toBeNull();
    expect(smimeBlocked(opening('key-file'), 'dialup')).toBeNull();
  });
});
