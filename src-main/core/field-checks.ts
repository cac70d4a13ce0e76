import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DIAL_NUMBER_MAX, dialNumberProblem } from '../../src-shared/dial-number';
import { translate, type Language } from '../../src-shared/i18n';
import { destinationUrlReason, renderInf, text, type InfText } from '../inf';

/**
 * Rules for settings that the schema alone cannot express, applied to `settings:set` exactly as
 * to the window's fields. Each returns why the value is refused, in `lang` (English unless
 * told), or null. The texts are the definition files' catalogue (src-shared/i18n/inf-ja.ts).
 */
const URL_KEY = /^methods\.(express-https|manager-express-https)\.url[12]$/;
const CA_KEY = /^methods\.(express-https|manager-express-https)\.caFile$|^methods\.(express|manager-express)\.mail\.caFile$/;

function caFileProblem(file: string): InfText | null {
  if (!path.isAbsolute(file)) return text('inf.ca.relative');
  try {
    if (statSync(file).size > 1024 * 1024) return text('inf.ca.tooLarge');
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(readFileSync(file, 'utf8'));
    if (!pem) return text('inf.ca.noPem');
    new X509Certificate(pem[0]);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return text('inf.ca.notFound');
    if (code === 'EACCES') return text('inf.ca.permission');
    return text('inf.ca.invalid', { reason: (err as Error).message });
  }
}

/** Why `value` is refused for `key`, coded (messages.ts), or null. */
export function fieldReason(key: string, value: unknown): InfText | null {
  if (typeof value !== 'string' || value === '') return null;
  if (URL_KEY.test(key)) {
    const problem = destinationUrlReason(value);
    return problem && text('inf.field.url', { problem });
  }
  if (CA_KEY.test(key)) {
    const problem = caFileProblem(value);
    return problem && text('inf.field.caFile', { file: value, problem });
  }
  return null;
}

const DIAL_NUMBER_KEY = /^methods\.(express|manager-express)\.dialup\.(primary|secondary)\.number$/;
const DIAL_PROBLEM_TEXT = { chars: 'dialupui.check.chars', 'no-digit': 'dialupui.check.noDigit', 'too-long': 'dialupui.check.tooLong' } as const;

/** A dial-up destination number holds only what a modem dials (src-shared/dial-number.ts), as the window checks it. */
function dialNumberText(key: string, value: unknown, lang: Language): string | null {
  const m = DIAL_NUMBER_KEY.exec(key);
  if (!m || typeof value !== 'string' || value.trim() === '') return null;
  const problem = dialNumberProblem(value.trim());
  return problem && translate(lang, DIAL_PROBLEM_TEXT[problem], { field: translate(lang, m[2] === 'primary' ? 'dialupui.primary' : 'dialupui.secondary'), max: DIAL_NUMBER_MAX });
}

/** Why `value` is refused for `key`, in `lang`, or null. */
export function fieldProblem(key: string, value: unknown, lang: Language = 'en'): string | null {
  const dial = dialNumberText(key, value, lang);
  if (dial) return dial;
  const reason = fieldReason(key, value);
  return reason && renderInf(reason, lang);
}
