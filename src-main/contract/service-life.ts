/**
 * The service's life (seed L1446–1455, L2757–2766): after the opening the service runs until the
 * user ends it with [サービスの終了] or the contract's last day is over; then nothing is reported
 * and the window says so at its lower left. An extension key (期限延長キー) entered in
 * [サービス有効期限の変更] moves the last day and restarts it.
 *
 * Pure functions of the settings and the clock. Days are the machine's local calendar days: the
 * contract is valid through its last day and expires at the local midnight after it.
 */
import { ApiError } from '../../src-shared/errors';
import { EXPIRY_WARNING_DAYS, type ServiceState, type ServiceStatus } from '../../src-shared/history';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { Settings } from '../../src-shared/settings';
import { isoDateOfDay, isoDayNumber, verifyExtensionKey, type ExtensionKeyRefusal } from './extension-key';

/** setTimeout's longest delay; arm a timer with Math.min(msUntilNextChange(…), MAX_TIMER_MS). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** YYYY-MM-DD of the local calendar day of `now`. */
export function localIsoDate(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** The local midnight that starts a calendar day (YYYY-MM-DD); on a DST gap, the first moment of that day. */
function localMidnight(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** The contract's last day, or null when it states none (a malformed date counts as none). */
function lastDay(settings: Settings): string | null {
  const expiresAt = settings.opening?.expiresAt ?? null;
  return isoDayNumber(expiresAt) === null ? null : expiresAt;
}

/** Days from today to the last day (0 on the last day, negative after it), or null. */
function daysLeft(settings: Settings, now: Date): number | null {
  const end = isoDayNumber(lastDay(settings));
  const today = isoDayNumber(localIsoDate(now));
  return end === null || today === null ? null : end - today;
}

function stateOf(settings: Settings, now: Date): ServiceState {
  if (!settings.opening) return 'not-opened';
  if (settings.service.terminatedAt) return 'terminated';
  const left = daysLeft(settings, now);
  return left !== null && left < 0 ? 'expired' : 'running';
}

/** The service's name in the messages: (HTTPS) when Express HTTPS is the one in use. */
function serviceName(settings: Settings, lang: Language): string {
  const https = settings.methods['express-https'].enabled && !settings.methods.express.enabled;
  return translate(lang, https ? 'method.express-https' : 'method.express');
}

/** The status for `service:status` and the window's lower left. */
export function serviceStatus(settings: Settings, now: Date, lang: Language): ServiceStatus {
  const state = stateOf(settings, now);
  const expiresAt = settings.opening ? lastDay(settings) : null;
  const left = settings.opening ? daysLeft(settings, now) : null;
  const expiryWarning = state === 'running' && left !== null && left <= EXPIRY_WARNING_DAYS;
  const service = serviceName(settings, lang);
  let message: string;
  switch (state) {
    case 'not-opened':
      message = translate(lang, 'service.state.notOpened', { service });
      break;
    case 'terminated':
      message = translate(lang, 'service.state.terminated', { service });
      break;
    case 'expired':
      message = translate(lang, 'service.state.expired', { service, date: expiresAt ?? '' });
      break;
    case 'running':
      if (expiresAt === null || left === null) message = translate(lang, 'service.state.running', { service });
      else if (left === 0) message = translate(lang, 'service.state.lastDay', { service, date: expiresAt });
      else if (expiryWarning) message = translate(lang, 'service.state.expiring', { service, date: expiresAt, days: left });
      else message = translate(lang, 'service.state.runningUntil', { service, date: expiresAt });
      break;
  }
  return {
    state,
    expiresAt,
    daysLeft: left,
    expiryWarning,
    terminatedAt: settings.service.terminatedAt,
    message,
  };
}

/** True while alerts are reported: opened, not ended, the contract not past its last day. */
export function isReporting(settings: Settings, now: Date): boolean {
  return stateOf(settings, now) === 'running';
}

/**
 * [サービスの終了]: records when the service ended; nothing is reported from then on. Ending an
 * ended service keeps the first time. Throws `not-ready` before the opening.
 */
export function terminate(settings: Settings, now: Date, lang: Language = 'ja'): Settings {
  if (!settings.opening) {
    throw new ApiError({ code: 'not-ready', message: translate(lang, 'service.error.notOpened', { service: serviceName(settings, lang) }) });
  }
  if (settings.service.terminatedAt) return settings;
  return { ...settings, service: { ...settings.service, terminatedAt: now.toISOString() } };
}

const REFUSAL_MESSAGE: Readonly<Record<ExtensionKeyRefusal, MessageKey>> = {
  'no-contract': 'service.key.noContract',
  format: 'service.key.format',
  checksum: 'service.key.checksum',
  'other-contract': 'service.key.otherContract',
  'not-later': 'service.key.notLater',
  past: 'service.key.past',
};

/** Why a key was refused, in the user's language, without the field's name. */
export function extensionKeyReason(
  reason: ExtensionKeyRefusal,
  lang: Language,
  params: { userSystemCode?: string; keyExpiresAt?: string; currentExpiresAt?: string | null; opened?: boolean } = {},
): string {
  if (reason === 'no-contract' && params.opened === false) return translate(lang, 'service.key.notOpened');
  return translate(lang, REFUSAL_MESSAGE[reason], {
    code: params.userSystemCode ?? '',
    date: params.keyExpiresAt ?? '',
    current: params.currentExpiresAt ?? '',
  });
}

/**
 * [サービス有効期限の変更]: checks the extension key against the opening's contract; on success
 * the contract's last day becomes the key's and a terminated service runs again. A refused key
 * throws `invalid-value` on field `key` with the reason in the user's language.
 */
export function extend(settings: Settings, key: string, now: Date, lang: Language): Settings {
  const opening = settings.opening;
  const verdict = verifyExtensionKey(key, opening, localIsoDate(now));
  if (!verdict.ok) {
    const reason = extensionKeyReason(verdict.reason, lang, {
      userSystemCode: opening?.userSystemCode,
      keyExpiresAt: verdict.expiresAt,
      currentExpiresAt: opening?.expiresAt ?? null,
      opened: opening !== null,
    });
    throw new ApiError({
      code: 'invalid-value',
      field: 'key',
      reason,
      message: translate(lang, 'error.invalid-value', { field: translate(lang, 'service.extensionKey'), reason }),
    });
  }
  return {
    ...settings,
    opening: { ...opening!, expiresAt: verdict.expiresAt },
    service: { ...settings.service, terminatedAt: null },
  };
}

/**
 * Milliseconds from `now` until serviceStatus() changes on its own — its state, its warning or
 * its message — or null when it never does (not opened, terminated, expired, no last day):
 * the local midnight that starts the warning period (EXPIRY_WARNING_DAYS before the last day),
 * then each local midnight within it (the days left change), the last of them the midnight
 * after the last day, when the service expires. Timers cannot wait longer than MAX_TIMER_MS:
 * arm one for the smaller and ask again when it fires.
 */
export function msUntilNextChange(settings: Settings, now: Date): number | null {
  if (stateOf(settings, now) !== 'running') return null;
  const end = isoDayNumber(lastDay(settings));
  const today = isoDayNumber(localIsoDate(now));
  if (end === null || today === null) return null;
  const warningStarts = end - EXPIRY_WARNING_DAYS;
  const nextDay = today < warningStarts ? warningStarts : today + 1;
  return Math.max(0, localMidnight(isoDateOfDay(nextDay)).getTime() - now.getTime());
}
