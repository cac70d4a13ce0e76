import { ApiError } from '../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { Settings } from '../../src-shared/settings';
import { getAt } from './settings-keys';

/**
 * Contract and workflow state: what the opening, an extension, [サービスの終了], a test report and
 * the opening report record. It looks like configuration in the settings tree, but only its own
 * action may change it (an expiry typed by hand would be an extension without a key; a
 * `testedAt` typed by hand would enable a method that never reached the center).
 */
export type StateAction = 'open' | 'extend' | 'terminate' | 'test' | 'opening-report' | 'register';

/** Each protected value by its dotted key, with the action that changes it. */
export const PROTECTED_KEYS: readonly (readonly [key: string, action: StateAction])[] = [
  // whether there is an opening at all (null ⇄ an object) is the opening's, too
  ['opening', 'open'],
  ['opening.mode', 'open'],
  ['opening.openedAt', 'open'],
  ['opening.userSystemCode', 'open'],
  ['opening.keyCode', 'open'],
  ['opening.destinations', 'open'],
  ['opening.centerCertificatePem', 'open'],
  ['opening.extensionSecret', 'open'],
  ['opening.expiresAt', 'extend'],
  ['service.terminatedAt', 'terminate'],
  ['methods.express.testedAt', 'test'],
  ['methods.express-https.testedAt', 'test'],
  ['methods.express.openingReportedAt', 'opening-report'],
  ['methods.express-https.openingReportedAt', 'opening-report'],
  ['methods.manager-express.destinationsRegisteredAt', 'register'],
  ['methods.manager-express.centerCertificatePem', 'register'],
];

/** The value's identity for comparison; for `opening` itself only whether there is one. */
function stateOf(settings: Settings, key: string): string {
  const at = getAt(settings, key);
  if (!at.found) return 'absent';
  if (key === 'opening') return at.value === null ? 'null' : 'present';
  return JSON.stringify(at.value);
}

/** The first protected value that differs between `before` and `after`, or null. */
export function changedState(before: Settings, after: Settings): { key: string; action: StateAction } | null {
  for (const [key, action] of PROTECTED_KEYS) {
    if (stateOf(before, key) !== stateOf(after, key)) return { key, action };
  }
  return null;
}

function refusal(field: string, action: StateAction, lang: Language): ApiError {
  return new ApiError({
    code: 'protected-key',
    field,
    message: translate(lang, 'error.protected-key', { field, action: translate(lang, `settings.action.${action}` as MessageKey) }),
  });
}

/**
 * Refuses a settings change (`settings:set`, `config set`) that would change contract or
 * workflow state, naming the action to use instead. `key` is the key the user set: a protected
 * key (or one inside it) is refused whatever the value; a whole subtree (`methods.express-https`,
 * `opening`) is refused if, once validated, it carries a changed protected value.
 */
export function refuseStateKey(key: string, lang: Language): void {
  const hit = PROTECTED_KEYS.find(([p]) => p !== 'opening' && (key === p || key.startsWith(`${p}.`)));
  if (hit) throw refusal(key, hit[1], lang);
}

/** See refuseStateKey: `after` is the validated tree with the user's value in place. */
export function refuseStateChange(before: Settings, after: Settings, key: string, lang: Language): void {
  const changed = changedState(before, after);
  if (!changed) return;
  throw refusal(changed.key === key || changed.key.startsWith(`${key}.`) ? changed.key : key, changed.action, lang);
}

/** refuseStateChange for several keys set together: the refusal names the key that holds the change. */
export function refuseStateChanges(before: Settings, after: Settings, keys: readonly string[], lang: Language): void {
  const changed = changedState(before, after);
  if (!changed) return;
  const holder = keys.find((k) => changed.key === k || changed.key.startsWith(`${k}.`)) ?? keys[0] ?? changed.key;
  refuseStateChange(before, after, holder, lang);
}
