import type { lockwebJa } from './lockweb-ja';

/** English texts of lockweb-ja.ts; every key. */
export const lockwebEn: Record<keyof typeof lockwebJa, string> = {
  'lockweb.serve.running':
    'A service is already running on this data folder ({dir}) (process {pid}, {base}); a second one does not start. Stop the running service first.',
  'lockweb.forbidden.title': 'This address cannot be used',
  'lockweb.forbidden.body':
    'The token in this address is not valid: the service was probably restarted. Open the new address (url: …) printed by express-report serve.',
  'lockweb.notice.contractSecretLost':
    'The contract’s secrets could not be decrypted (the key file secret.key was lost or replaced): {keys}. They were issued by the center and cannot be entered by hand: open the service again with the opening key file, or ask the center for a new extension key.',
};
