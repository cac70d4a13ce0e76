import type { settingsJa } from './settings-ja';

/** English texts of the settings rules; the compiler checks every Japanese key is here. */
export const settingsEn: Record<keyof typeof settingsJa, string> = {
  'error.protected-key': '{field} cannot be changed as a setting. It is changed by {action}.',
  'settings.action.open': 'the opening (Open in the settings utility, express-report open)',
  'settings.action.extend': 'an extension (an extension key in Change Service Expiration, express-report extend)',
  'settings.action.terminate': 'End Service (express-report terminate; Change Service Expiration starts it again)',
  'settings.action.test': 'a test report (Test in the destination settings, express-report test)',
  'settings.action.opening-report': 'the opening report (Opening Report in the destination settings, express-report opening-report)',
  'settings.action.register': 'registering the destinations (Register)',
  'notice.settings-repaired':
    'These fields of the settings file {file} were wrong and have been reset to their defaults: {fields}. All other settings are kept. The original file was kept aside as {aside}.',
};
