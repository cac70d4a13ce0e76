/** The fields of the dial-up windows by settings key, and the window's own checks of them. */
import type { SettingsChanges } from '../../../src-shared/api';
import { dialNumberProblem } from '../../../src-shared/dial-number';
import type { MethodName } from '../../../src-shared/methods';
import type { Settings } from '../../../src-shared/settings';
import type { I18n } from '../../lib/i18n-context';

/** The methods whose reports can go by modem: Express, and the manager's forwarding. */
export type DialupMethod = 'express' | 'manager-express';

export function dialupMethodOf(method: MethodName): DialupMethod {
  return method === 'manager-express' ? 'manager-express' : 'express';
}

/** The settings keys of one method's dial-up set-up (methods.<method>.dialup.*). */
export function dialupKeys(method: DialupMethod) {
  const base = `methods.${method}.dialup`;
  const keys = {
    base,
    via: `${base}.via`,
    primaryNumber: `${base}.primary.number`,
    primaryComment: `${base}.primary.comment`,
    secondaryNumber: `${base}.secondary.number`,
    secondaryComment: `${base}.secondary.comment`,
    port: `${base}.serialPort`,
    share: `${base}.sharePortWithRemoteAccess`,
    interval: `${base}.dialIntervalSeconds`,
    mode: `${base}.dialMode`,
  };
  return keys;
}
export type DialupKeys = ReturnType<typeof dialupKeys>;

/** what 通報先の設定(シリアルポート経由) edits, in the order of its fields */
export function destinationKeys(k: DialupKeys): string[] {
  return [k.primaryNumber, k.primaryComment, k.secondaryNumber, k.secondaryComment, k.port, k.share, k.interval, k.mode];
}

/** the schema's limits (src-shared/settings.ts) */
export const COMMENT_MAX = 255;
export const PORT_MAX = 255;
export const INTERVAL_RANGE = { min: 1, max: 3600 } as const;

export type Dialup = Settings['methods']['express']['dialup'];

/** The values that decide how the modem delivers: a test of them is a test of the destinations. */
export function deliveryOf(values: { via: unknown; primary: unknown; secondary: unknown; port: unknown; mode: unknown }): string {
  return JSON.stringify([values.via ?? '', values.primary ?? '', values.secondary ?? '', values.port ?? '', values.mode ?? '']);
}

export function storedDelivery(dialup: Dialup): string {
  return deliveryOf({ via: dialup.via, primary: dialup.primary.number, secondary: dialup.secondary.number, port: dialup.serialPort, mode: dialup.dialMode });
}

export function draftDelivery(k: DialupKeys, draft: SettingsChanges): string {
  return deliveryOf({ via: draft[k.via], primary: draft[k.primaryNumber], secondary: draft[k.secondaryNumber], port: draft[k.port], mode: draft[k.mode] });
}

/** The window's own check of a phone number (the field named as the message says it), or null. */
export function numberProblem({ t }: I18n, number: string, field: string): string | null {
  if (number === '') return null;
  switch (dialNumberProblem(number)) {
    case 'chars':
      return t('dialupui.check.chars', { field });
    case 'no-digit':
      return t('dialupui.check.noDigit', { field });
    case 'too-long':
      return t('dialupui.check.tooLong', { field, max: 64 });
    case null:
      return null;
  }
}

/** 秒 as typed: a whole number within INTERVAL_RANGE (full-width digits allowed), else null. */
export function parseInterval(text: string): number | null {
  const digits = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d{1,4}$/.test(digits)) return null;
  const seconds = Number(digits);
  return seconds >= INTERVAL_RANGE.min && seconds <= INTERVAL_RANGE.max ? seconds : null;
}

export interface DestinationValues {
  primaryNumber: string;
  primaryComment: string;
  secondaryNumber: string;
  secondaryComment: string;
  port: string;
  interval: string;
}

/**
 * The checks of 通報先の設定(シリアルポート経由), each under its field: the numbers (what may be
 * dialled; no secondary without a primary), the comments' length, the port (needed to dial a
 * number by the serial-port route), the interval. `need` is the destination a test is about to
 * dial (it must be set).
 */
export function destinationProblems(
  i18n: I18n,
  v: DestinationValues,
  options: { need?: 1 | 2 | null; portNeeded: boolean },
): Partial<Record<keyof DestinationValues, string>> {
  const need = options.need ?? null;
  const { t } = i18n;
  const out: Partial<Record<keyof DestinationValues, string>> = {};
  const primary = t('dialupui.primary');
  const secondary = t('dialupui.secondary');
  const p = numberProblem(i18n, v.primaryNumber, primary);
  const s = numberProblem(i18n, v.secondaryNumber, secondary);
  if (p) out.primaryNumber = p;
  else if (v.primaryNumber === '' && (v.secondaryNumber !== '' || need !== null)) out.primaryNumber = t(v.secondaryNumber !== '' ? 'dialupui.check.secondaryOnly' : 'dialupui.check.primaryRequired');
  if (s) out.secondaryNumber = s;
  else if (need === 2 && v.secondaryNumber === '') out.secondaryNumber = t('dialupui.check.secondaryRequired');
  if ([...v.primaryComment].length > COMMENT_MAX) out.primaryComment = t('dialupui.check.commentTooLong', { field: primary, max: COMMENT_MAX });
  if ([...v.secondaryComment].length > COMMENT_MAX) out.secondaryComment = t('dialupui.check.commentTooLong', { field: secondary, max: COMMENT_MAX });
  // eslint-disable-next-line no-control-regex
  if ([...v.port].length > PORT_MAX || /[\u0000-\u001f\u007f]/.test(v.port)) out.port = t('dialupui.check.portText');
  else if (options.portNeeded && v.port === '' && (v.primaryNumber !== '' || need !== null)) out.port = t('dialupui.check.port');
  if (parseInterval(v.interval) === null) out.interval = t('dialupui.check.interval', INTERVAL_RANGE);
  return out;
}
