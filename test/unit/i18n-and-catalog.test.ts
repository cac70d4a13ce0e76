import { describe, expect, it } from 'vitest';
import { findCatalogEvent, EVENT_CATALOG } from '../../src-shared/event-catalog';
import { CATALOGS, languageForLocale, mnemonic, resolveLanguage, translate } from '../../src-shared/i18n';
import { isInsideWindow, parseWindow } from '../../src-shared/schedule';

describe('language choice', () => {
  it('is Japanese for Japanese and unset locales, English for any other', () => {
    expect(languageForLocale('ja_JP.UTF-8')).toBe('ja');
    expect(languageForLocale('ja')).toBe('ja');
    expect(languageForLocale('')).toBe('ja');
    expect(languageForLocale('C.UTF-8')).toBe('ja');
    expect(languageForLocale('en_US.UTF-8')).toBe('en');
    expect(languageForLocale('de-DE')).toBe('en');
  });
  it('follows the user’s choice over the OS locale', () => {
    expect(resolveLanguage('en', 'ja_JP.UTF-8')).toBe('en');
    expect(resolveLanguage('ja', 'en_US')).toBe('ja');
    expect(resolveLanguage('auto', 'en_US')).toBe('en');
  });
});

describe('catalogues', () => {
  it('have the same keys and no empty message', () => {
    expect(Object.keys(CATALOGS.en).sort()).toEqual(Object.keys(CATALOGS.ja).sort());
    for (const lang of ['ja', 'en'] as const) {
      for (const [key, text] of Object.entries(CATALOGS[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });
  it('carry the seed’s menu labels with their mnemonics', () => {
    expect(mnemonic(CATALOGS.ja['menu.file'])).toEqual({ text: 'ファイル(F)', key: 'f' });
    expect(mnemonic(CATALOGS.ja['menu.settings'])).toEqual({ text: '設定(S)', key: 's' });
    expect(mnemonic(CATALOGS.ja['menu.tools'])).toEqual({ text: 'ツール(T)', key: 't' });
    expect(mnemonic(CATALOGS.ja['menu.help'])).toEqual({ text: 'ヘルプ(H)', key: 'h' });
    expect(mnemonic(CATALOGS.ja['menu.settings.basic']).text).toContain('通報基本設定');
    expect(mnemonic(CATALOGS.ja['menu.settings.destinations']).text).toContain('通報先リストの設定');
  });
  it('fill placeholders', () => {
    expect(translate('en', 'error.invalid-value', { field: 'a.b', reason: 'too big' })).toBe('a.b: too big');
  });
  it('names the four methods as the seed does', () => {
    expect(CATALOGS.ja['method.express']).toBe('エクスプレス通報サービス');
    expect(CATALOGS.ja['method.express-https']).toBe('エクスプレス通報サービス(HTTPS)');
    expect(CATALOGS.ja['method.manager-express']).toBe('マネージャからのエクスプレス通報');
    expect(CATALOGS.ja['method.manager-express-https']).toBe('マネージャからのエクスプレス通報(HTTPS)');
  });
});

describe('event catalogue', () => {
  it('has System / atapi / 0xc0040006, found by full or short id (seed L2740)', () => {
    expect(EVENT_CATALOG.find((l) => l.log === 'System')?.sources.some((s) => s.name === 'atapi')).toBe(true);
    expect(findCatalogEvent('System', 'atapi', '0xc0040006')?.shortId).toBe(6);
    expect(findCatalogEvent('System', 'atapi', '6')?.id).toBe('0xc0040006');
    expect(findCatalogEvent('System', 'atapi', '0xdeadbeef')).toBeUndefined();
  });
  it('writes every id as 0x + 8 lower-case hex digits', () => {
    for (const log of EVENT_CATALOG) for (const s of log.sources) for (const e of s.events) expect(e.id).toMatch(/^0x[0-9a-f]{8}$/);
  });
});

describe('reporting window', () => {
  it('contains its start, not its end, and wraps midnight', () => {
    const day = parseWindow('08:00-20:00')!;
    expect(isInsideWindow(day, 8 * 60)).toBe(true);
    expect(isInsideWindow(day, 20 * 60)).toBe(false);
    const night = parseWindow('22:00-06:00')!;
    expect(isInsideWindow(night, 23 * 60)).toBe(true);
    expect(isInsideWindow(night, 5 * 60)).toBe(true);
    expect(isInsideWindow(night, 12 * 60)).toBe(false);
    const all = parseWindow('00:00-24:00')!;
    expect(isInsideWindow(all, 0)).toBe(true);
    expect(isInsideWindow(all, 1439)).toBe(true);
  });
});
