/** The fields of エクスプレス通報サービス(HTTPS)の宛先設定 by settings key, and the window's own checks. */
import type { SettingsChanges } from '../../../src-shared/api';
import type { Settings } from '../../../src-shared/settings';
import type { SettingsForm } from '../../lib/settings-form';
import { remoteAccessKeys } from '../remote-access';

const BASE = 'methods.express-https';
export const URL1 = `${BASE}.url1`;
export const URL2 = `${BASE}.url2`;
export const CA_FILE = `${BASE}.caFile`;
const REMOTE = remoteAccessKeys(`${BASE}.remoteAccess`);
const REMOTE_USE = REMOTE.use;
export const DESTINATION_KEYS = [URL1, URL2, CA_FILE, ...REMOTE.all];
/** switching remote access off greys out its fields: their messages go */
export const RELATED = REMOTE.related;

export type DestinationForm = SettingsForm<string>;

/** The values that decide where a report goes: a test of them is a test of the destinations. */
export function deliveryOf(url1: unknown, url2: unknown, caFile: unknown): string {
  return JSON.stringify([url1 ?? '', url2 ?? '', caFile ?? '']);
}

/** The stored destinations' delivery values. */
export function storedDelivery(https: Settings['methods']['express-https']): string {
  return deliveryOf(https.url1, https.url2, https.caFile);
}

/**
 * What the window shows, as the draft a test uses and OK stores (trimmed); with remote access
 * off, its greyed-out fields keep what is stored.
 */
export function draftOf(form: DestinationForm): SettingsChanges {
  const keys = form.checked(REMOTE_USE) ? DESTINATION_KEYS : [URL1, URL2, CA_FILE, REMOTE_USE];
  return { ...form.changes(keys), [URL1]: form.text(URL1).trim(), [URL2]: form.text(URL2).trim(), [CA_FILE]: form.text(CA_FILE).trim() };
}

export { dateText, urlProblem } from '../url-check';
