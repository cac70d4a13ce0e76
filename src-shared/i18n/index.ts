import { en } from './en';
import { ja, type MessageKey } from './ja';

export type { MessageKey };
export type Language = 'ja' | 'en';
export type LanguageSetting = Language | 'auto';
export const CATALOGS: Readonly<Record<Language, Record<MessageKey, string>>> = { ja, en };

/**
 * The language for an OS locale such as `ja_JP.UTF-8`, `en-US` or `C`. The product speaks
 * Japanese by default; only an explicitly non-Japanese locale switches to English.
 */
export function languageForLocale(locale: string | undefined): Language {
  const l = (locale ?? '').trim().toLowerCase();
  if (l === '' || l === 'c' || l === 'posix' || l.startsWith('c.') || l.startsWith('ja')) return 'ja';
  return 'en';
}

export function resolveLanguage(setting: LanguageSetting, osLocale: string | undefined): Language {
  return setting === 'auto' ? languageForLocale(osLocale) : setting;
}

export type MessageParams = Readonly<Record<string, string | number>>;

/** Looks up a message and fills `{name}` placeholders. */
export function translate(lang: Language, key: MessageKey, params: MessageParams = {}): string {
  return CATALOGS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Splits a label with a mnemonic marker: '設定(&S)' → { text: '設定(S)', key: 's' }. */
export function mnemonic(label: string): { text: string; key: string | null } {
  const i = label.indexOf('&');
  if (i < 0 || i === label.length - 1) return { text: label, key: null };
  return { text: label.slice(0, i) + label.slice(i + 1), key: label[i + 1]!.toLowerCase() };
}
