import type { windowAJa } from './window-a-ja';

/** English texts of the window's connection to the service; every key of window-a-ja.ts. */
export const windowAEn: Record<keyof typeof windowAJa, string> = {
  'ui.basic.refusedDisable': '{method} cannot be disabled',
  'connection.lost.title': 'The service is not running',
  'connection.lost':
    'Express Report Service has stopped, so settings cannot be read or saved. What you typed is kept; the window reconnects by itself when the service is back.',
  'connection.lost.detail': 'the service is not running',
  'connection.replaced.title': 'The service was restarted',
  'connection.replaced':
    'The service was restarted, so this page can no longer talk to it. Open the new address that express-report serve printed (url: http://127.0.0.1:…/?token=…).',
  'connection.replaced.detail': 'the service was restarted; open the new address that serve printed',
};
