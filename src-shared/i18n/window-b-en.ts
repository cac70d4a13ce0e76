import type { windowBJa } from './window-b-ja';

/** English texts of window-b-ja.ts; every key of it. */
export const windowBEn: Record<keyof typeof windowBJa, string> = {
  'https.proxy.userForPassword': 'Enter the user name as well when a password is set (Basic authentication sends both).',
  'ui.basic.disableQuestion': 'Disable {method}?',
  'ui.basic.disableNote': 'While it is disabled, faults are not reported by {method}.',
  'error.address-file-missing': 'There is no destination file {file} (looked for in {dir}). Put the {file} the maintenance company gave you in this folder, then click [Load destinations].',
  'https.dest.loadedUrl1': 'Primary: {url}',
  'https.dest.loadedUrl2': 'Secondary: {url}',
  'opening.utility.moreIssue': 'Check 1 more field as well.',
  'https.result.defaultResultMail': 'The default is the result mail address of the opening information.',
  'https.result.defaultCustomer': "The default is the customer's e-mail address of the settings (no result mail address is registered).",
  'https.result.defaultNone': "There is no default: the opening information has neither a result mail address nor a customer's e-mail address.",
};
