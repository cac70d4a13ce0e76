import type { MessageKey } from './ja';

/** English catalogue; the compiler checks it has every key of the Japanese one. */
export const en: Record<MessageKey, string> = {
  'app.title': 'AlertManager Settings',
  'app.productName': 'Express Report Service',

  'menu.file': '&File',
  'menu.file.exit': 'E&xit',
  'menu.settings': '&Settings',
  'menu.settings.basic': '&Base Setting...',
  'menu.settings.destinations': 'Destination &List Setting...',
  'menu.tools': '&Tools',
  'menu.tools.express': '&Express Report Service',
  'menu.tools.express.server': '&Server',
  'menu.help': '&Help',
  'menu.help.version': '&About...',
  'menu.help.language': '日本語(&L)',

  'tree.root': 'Event Log',
  'tree.log.System': 'System',
  'tree.log.Application': 'Application',

  'method.express': 'Express Report Service',
  'method.express-https': 'Express Report Service (HTTPS)',
  'method.manager-express': 'Express Report from Manager',
  'method.manager-express-https': 'Express Report from Manager (HTTPS)',

  'missing.opening': 'The opening information has not been entered (Tools > Express Report Service > Server).',
  'missing.route': 'No report route (Internet mail, dial-up or manager) has been chosen.',
  'missing.mail-server': 'No SMTP server has been set.',
  'missing.mail-sender': 'No sender mail address has been set.',
  'missing.mail-destination': 'No destination mail address has been set.',
  'missing.dial-number': 'No primary phone number has been set.',
  'missing.manager-host': "The manager's IP address or host name has not been set.",
  'missing.url': 'No primary destination URL has been set.',
  'missing.center-destinations': "The maintenance center's destinations have not been registered (Register).",
  'missing.forward': 'No forwarding route (Internet mail or dial-up) has been chosen.',
  'missing.opening-report': 'The opening report has not been sent. Send a test report, then the opening report.',

  'error.mutual-exclusion':
    'Express Report Service (HTTPS) and Express Report Service cannot be used together. Disable {other} before enabling {method}.',
  'error.not-configured': '{method} has not been set up yet and cannot be enabled.',
  'error.invalid-value': '{field}: {reason}',
  'error.unknown-key': 'There is no setting {field}.',
  'error.unknown-method': 'There is no report method {method}.',
  'error.internal': 'Internal error: {detail}',
  'error.transport': 'Cannot reach the service: {detail}',

  'notice.settings-corrupt':
    'The settings file {file} could not be read ({reason}); it was kept aside as {aside} and the defaults are in use. The kept file has not been deleted.',
};
