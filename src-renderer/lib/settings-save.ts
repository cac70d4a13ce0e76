import type { ApiClient } from '../../src-shared/api';
import type { ApiError } from '../../src-shared/errors';
import type { Language } from '../../src-shared/i18n';
import type { Settings } from '../../src-shared/settings';
import { asApiError } from './errors';

/** One value to store with `settings:set`. */
export interface SettingChange {
  key: string;
  value: unknown;
}

export type SaveOutcome =
  /** `settings` is the backend's (secrets masked) after the last change, or null when nothing changed */
  | { ok: true; settings: Settings | null }
  /** stopped at a refusal: the changes before it are stored, the rest are not sent */
  | { ok: false; error: ApiError; settings: Settings | null };

/**
 * Stores the changes one key at a time, in the order given, and stops at the first refusal so
 * that nothing after a bad value is stored (put switches such as `proxy.enabled` last).
 */
export async function saveChanges(client: ApiClient, changes: readonly SettingChange[], lang: Language): Promise<SaveOutcome> {
  let settings: Settings | null = null;
  for (const change of changes) {
    try {
      settings = await client.call('settings:set', change);
    } catch (error) {
      return { ok: false, error: asApiError(error, lang), settings };
    }
  }
  return { ok: true, settings };
}

/** Only the changes whose value differs from what is stored. */
export function changed(entries: readonly (SettingChange & { stored: unknown })[]): SettingChange[] {
  return entries.filter((e) => e.value !== e.stored).map(({ key, value }) => ({ key, value }));
}

/** A refusal's text for under its field: the reason alone (the field names itself), else the message. */
export function refusalText(error: ApiError): string {
  return [error.reason ?? error.message, ...(error.details ?? [])].join(' ');
}
