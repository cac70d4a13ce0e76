import type { Language } from '../../src-shared/i18n';

/** A stored time (ISO) as the window shows it in the user's language; the text itself when it is not a time. */
export function dateText(lang: Language, iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
}
