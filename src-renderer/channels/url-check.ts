/** What the windows of every HTTPS destination share: the URL check and the date shown (Express (HTTPS) and the manager's HTTPS edition). */
import type { I18n } from '../lib/i18n-context';
import { plainLabel } from '../lib/mnemonics';

/** The window's own URL checks, in the user's language (the backend checks again). */
export function urlProblem({ t }: I18n, url: string, label: string): string | null {
  // the seed's rule (AMHTPADR.INF: 500 文字以内); the field has no maxlength, which would cut a pasted URL silently
  if ([...url].length > 500) return t('https.dest.urlTooLong', { field: plainLabel(label) });
  if ([...url].some((c) => c < '!' || c > '~')) return t('https.dest.urlAscii');
  if (!/^https:\/\/[^/?#]/i.test(url)) return t('https.dest.urlHttps');
  return null;
}

export function dateText(lang: I18n['lang'], iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
}
