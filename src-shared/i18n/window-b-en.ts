import type { windowBJa } from './window-b-ja';

/** English texts of window-b-ja.ts; every key of it. */
export const windowBEn: Record<keyof typeof windowBJa, string> = {
  'https.dest.restoreFailed': 'The earlier settings could not be restored.',
  'https.proxy.userForPassword': 'Enter the user name as well when a password is set (Basic authentication sends both).',
  'ui.basic.disableQuestion': 'Disable {method}?',
  'ui.basic.disableNote': 'While it is disabled, faults are not reported by {method}.',
};
