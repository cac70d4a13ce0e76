import type { serviceJa } from './service-ja';

/** English texts of the service windows and messages; every key of service-ja.ts. */
export const serviceEn: Record<keyof typeof serviceJa, string> = {
  'service.extensionKey': 'Extension key',

  'service.state.notOpened': '{service} has not been opened.',
  'service.state.running': '{service} is running.',
  'service.state.runningUntil': '{service} is valid until {date}.',
  'service.state.expiring': '{service} is valid until {date} (days left: {days}).',
  'service.state.lastDay': '{service} is valid until today ({date}).',
  'service.state.expired': '{service} has expired ({date}).',
  'service.state.terminated': '{service} has been ended.',

  'service.key.format': 'Enter 30 letters and digits (6 groups of 5, e.g. 1ABCD-EFGH2-...).',
  'service.key.checksum': 'Not valid. Check the key for typing mistakes.',
  'service.key.otherContract': 'This key is for another contract. Enter the extension key for user system code {code}.',
  'service.key.notLater': 'The key’s expiry date {date} is not after the current one ({current}). Has this key been entered already?',
  'service.key.past': 'The key’s expiry date {date} has already passed.',
  'service.key.noContract': 'Not used when the service was opened with an opening key code (there is no expiry date).',
  'service.key.notOpened': 'Not used before the service is opened.',
  'service.error.notOpened': '{service} has not been opened, so it cannot be ended.',
};
