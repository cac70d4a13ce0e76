/**
 * The definition files' messages in Japanese and English. Every check builds an InfText — a
 * catalogue key (src-shared/i18n/inf-ja.ts, inf-en.ts) and its params — and a diagnostic
 * carries it as `code` and `params` beside its English `message`. A param may itself be an
 * InfText (a phrase such as "is empty"), rendered in the same language as the message.
 */
import type { Language } from '../../src-shared/i18n';
import { infEn } from '../../src-shared/i18n/inf-en';
import { infJa } from '../../src-shared/i18n/inf-ja';

export type InfCode = keyof typeof infJa;
export type InfParam = string | number | InfText;
export type InfParams = Readonly<Record<string, InfParam>>;

export interface InfText {
  code: InfCode;
  params: InfParams;
}

const CATALOGUES: Readonly<Record<Language, Readonly<Record<InfCode, string>>>> = { ja: infJa, en: infEn };

/** A coded text. */
export function text(code: InfCode, params: InfParams = {}): InfText {
  return { code, params };
}

/** The text in `lang`, `{name}` placeholders filled (a coded param rendered in `lang` too). */
export function renderInf(t: InfText, lang: Language): string {
  const template = CATALOGUES[lang][t.code] ?? t.code;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(t.params, name) ? t.params[name] : undefined;
    if (value === undefined) return whole;
    return typeof value === 'object' ? renderInf(value, lang) : String(value);
  });
}

/** The English text: the `message` every diagnostic carries. */
export const english = (t: InfText): string => renderInf(t, 'en');

/** Anything with a code and params: a diagnostic, or a text. */
export interface Coded {
  code: InfCode;
  params: InfParams;
}

/** A diagnostic's (or any coded text's) message in `lang`. */
export function renderDiagnostic(d: Coded, lang: Language): string {
  return renderInf(d, lang);
}

/**
 * A diagnostic as the window and the JSON output show it: its message in `lang`, its code, and
 * no params (they are in the message).
 */
export function localizeDiagnostic<D extends Coded & { file: string; line: number; severity: 'error' | 'warning' }>(
  d: D,
  lang: Language,
): { file: string; line: number; severity: 'error' | 'warning'; code: InfCode; message: string } {
  return { file: d.file, line: d.line, severity: d.severity, code: d.code, message: renderInf(d, lang) };
}
