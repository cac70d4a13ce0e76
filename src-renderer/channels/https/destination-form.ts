/** The form of エクスプレス通報サービス(HTTPS)の宛先設定: its fields, their settings keys and the window's own checks. */
import type { HttpsDraft } from '../../../src-shared/api';
import type { Settings } from '../../../src-shared/settings';
import type { I18n } from '../../lib/i18n-context';
import { plainLabel } from '../../ui/mnemonic-text';

type Https = Settings['methods']['express-https'];
export type FieldName = 'url1' | 'url2' | 'caFile' | 'remoteEntry' | 'remoteUser' | 'remotePassword';
export type FieldErrors = Partial<Record<FieldName, string>>;

const BASE = 'methods.express-https';
export const KEYS: Readonly<Record<FieldName | 'remoteUse', string>> = {
  url1: `${BASE}.url1`,
  url2: `${BASE}.url2`,
  caFile: `${BASE}.caFile`,
  remoteUse: `${BASE}.remoteAccess.use`,
  remoteEntry: `${BASE}.remoteAccess.entry`,
  remoteUser: `${BASE}.remoteAccess.user`,
  remotePassword: `${BASE}.remoteAccess.password`,
};
export const FIELD_ORDER: readonly FieldName[] = ['url1', 'url2', 'caFile', 'remoteEntry', 'remoteUser', 'remotePassword'];

export interface Form {
  url1: string;
  url2: string;
  caFile: string;
  remoteUse: boolean;
  remoteEntry: string;
  remoteUser: string;
  remotePassword: string;
}

export function formOf(m: Https): Form {
  return {
    url1: m.url1,
    url2: m.url2,
    caFile: m.caFile,
    remoteUse: m.remoteAccess.use,
    remoteEntry: m.remoteAccess.entry,
    remoteUser: m.remoteAccess.user,
    remotePassword: m.remoteAccess.password,
  };
}

/** What the window shows, as the draft a test uses and OK stores; with remote access off, its greyed-out fields keep what is stored. */
export function draftOf(form: Form): HttpsDraft {
  const remoteAccess = form.remoteUse ? { use: true, entry: form.remoteEntry, user: form.remoteUser, password: form.remotePassword } : { use: false };
  return { url1: form.url1.trim(), url2: form.url2.trim(), caFile: form.caFile.trim(), remoteAccess };
}

/** The values of a draft that decide where a report goes: a test of them is a test of the destinations. */
export function deliveryOf(draft: HttpsDraft): string {
  return JSON.stringify([draft.url1 ?? '', draft.url2 ?? '', draft.caFile ?? '']);
}

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
