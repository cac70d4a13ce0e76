import { mailEn } from './mail-en';
import { dialupuiEn } from './dialupui-en';
import type { MessageKey } from './ja';
import { historyEn } from './history-en';
import { httpsEn } from './https-en';
import { infEn } from './inf-en';
import { readersEn } from './readers-en';
import { pipelineEn } from './pipeline-en';
import { serviceEn } from './service-en';
import { settingsEn } from './settings-en';
import { lockwebEn } from './lockweb-en';
import { windowBEn } from './window-b-en';
import { windowAEn } from './window-a-en';
import { openingEn } from './opening-en';
import { channelsEn } from './channels-en';
import { deliveryEn } from './delivery-en';
import { relayEn } from './relay-en';
import { relayuiEn } from './relayui-en';
import { mailuiEn } from './mailui-en';
import { dialupEn } from './dialup-en';

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

  'invalid.window': 'Give the reporting window as HH:MM-HH:MM (00:00-24:00 is all day).',
  'invalid.retry-until-short': 'The retry limit must be longer than the retry interval.',
  'invalid.type': 'Give {expected}.',

  'notice.secrets-lost': 'Stored passwords could not be decrypted (the key file secret.key was lost or replaced). Enter these passwords again: {keys}',
  'delivery.ok': 'The report to {destination} was delivered.',
  'delivery.failed': 'The report to {destination} failed: {what} ({detail})',
  'error.test-first': 'The opening report can be sent after a successful test report.',
  'error.route-manager': 'Reporting through a manager cannot be sent by this version yet.',
  'delivery.retrying': 'The next attempt is at {time}.',
  'error.service-ended': 'Express Report Service has ended. To restart it, enter an extension key in [Change Service Expiration Date].',
  'error.no-method': 'No report method is enabled. Set up and enable a method in [Base Setting].',
  'error.report-not-found': 'The report is not in the report history.',
  'error.report-not-failed': 'Only a report that failed can be resent.',
  'failure.retry-limit': 'The retry limit passed; the report was given up.',
  'failure.permanent': 'The destination did not accept the report.',
  'failure.no-destination': 'No destination is set up.',
  'failure.single-attempt': 'The report could not be sent (test and opening reports are not retried).',
  'notice.report-failed': 'The {report} report accepted at {time} could not be sent. {why}',
  'pseudo.message': 'Pseudo-failure report test: {source} {eventId}',
  'error.event-id': 'Event ID {value}: give 0x and 8 hex digits (e.g. 0xc0040006) or a decimal number.',
  'tray.open': '&Open AlertManager Setting Window',
  'tray.quit': 'E&xit',
  'notification.failed.title': 'Express Report Service: a report could not be sent',
  'notification.failed.body': 'Report {id} could not be sent. See the report history.',
  'notice.queue-damage': 'A damaged part of the report queue file {file} was set aside as {aside} ({reason}). No other report was lost.',
  'error.queue-locked': 'The report queue is in use by another process (process ID {pid}). Work through that process (express-report serve, …) or stop it and try again.',
  'delivery.waiting': 'It will be sent at {time}, when the reporting time window opens (see the report history).',
  'error.busy': 'Another report is being sent; wait until it ends.',
  'error.address-file': 'The destination file {file} has errors.',
  'notice.settings-corrupt':
    'The settings file {file} could not be read ({reason}); it was kept aside as {aside} and the defaults are in use. The kept file has not been deleted.',
  'ui.ok': 'OK',
  'ui.cancel': 'Cancel',
  'ui.close': 'Close',
  'ui.loading': 'Loading...',
  'ui.loadFailed': 'The settings could not be loaded.',
  'ui.retry': 'Retry',
  'ui.menubar': 'Menu bar',
  'ui.messageBox.title': 'AlertManager',
  'ui.notice.dismiss': 'Dismiss notice',
  'ui.notices': 'Notices',
  'ui.noToken': 'The address has no session token (?token=...). Open the address that express-report serve printed.',
  'ui.exit.title': 'Exit',
  'ui.exit.browser':
    'This window is shown in a browser: close the browser tab or window to exit. Settings are saved as soon as they change, so nothing is lost.',

  'ui.tree.label': 'Event Log',
  'ui.details.label': 'Details',
  'ui.details.empty': 'Select an item in the event log tree on the left.',
  'ui.details.log': 'Log',
  'ui.details.source': 'Source',
  'ui.details.eventId': 'Event ID',
  'ui.details.shortId': 'Short ID',
  'ui.details.severity': 'Type',
  'ui.details.description': 'Description',
  'ui.details.sources': 'Sources: {count}',
  'ui.details.events': 'Events: {count}',
  'ui.severity.error': 'Error',
  'ui.severity.warning': 'Warning',
  'ui.severity.information': 'Information',

  'ui.basic.title': 'Base Setting',
  'ui.basic.tab.methods': 'Report Method Setting',
  'ui.basic.list': 'Report methods',
  'ui.basic.column.state': 'Enabled/Disabled',
  'ui.basic.column.method': 'Report method',
  'ui.basic.column.status': 'Status',
  'ui.basic.enabled': 'Enabled',
  'ui.basic.disabled': 'Disabled',
  'ui.basic.toggle': '{method}: {state}',
  'ui.basic.configured': 'Set up',
  'ui.basic.notConfigured': 'Not set up',
  'ui.basic.setup': 'Setting...',
  'ui.basic.setupName': '{method} Setting...',
  'ui.basic.hint':
    'Click the enabled/disabled bitmap to enable (green) or disable a report method. Changes are saved immediately.',
  'ui.basic.refused': '{method} cannot be enabled',

  'ui.setup.missing': 'Before it can be enabled, these items must be set:',

  'ui.dest.title': 'Destination List Setting',
  'ui.dest.idList': 'ID List',
  'ui.dest.column.id': 'ID',
  'ui.dest.column.schedule': 'Schedule',
  'ui.dest.modify': 'Modify...',
  'ui.dest.hint': 'Select an ID and click [Modify...].',

  'ui.id.title': 'ID Setting',
  'ui.id.id': 'ID',
  'ui.id.state': 'Report method state',
  'ui.id.schedule': 'Schedule',
  'ui.id.destinations': 'Destination...',
  'ui.id.scheduleButton': 'Schedule...',

  'ui.schedule.title': 'Schedule Setting',
  'ui.schedule.retry': 'Report retry',
  'ui.schedule.interval': 'Interval',
  'ui.schedule.intervalUnit': 'minutes',
  'ui.schedule.until': 'Expiration',
  'ui.schedule.untilUnit': 'hours',
  'ui.schedule.window': 'Report time',
  'ui.schedule.allDay': 'Report 24 hours a day',
  'ui.schedule.from': 'Start time',
  'ui.schedule.to': 'End time',
  'ui.schedule.hint':
    'The defaults retry every 5 minutes for up to 72 hours and report 24 hours a day. These are the recommended values; do not change them without a reason.',
  'ui.schedule.summary': 'every {interval} min, for {until} h, {window}',
  'ui.schedule.summaryAllDay': '24 hours',
  'ui.schedule.wraps': 'When the end time is before the start time, the window runs until the end time on the next day.',
  'ui.schedule.saveFailed': 'The schedule could not be saved.',
  'ui.validate.integer': '{field}: enter a whole number from {min} to {max}.',
  'ui.validate.time': '{field}: enter a time as HH:MM (00:00 to {max}).',
  'ui.validate.sameTime': '{field}: enter a time different from the start time.',

  'ui.version.title': 'About',
  'ui.version.product': 'Product version',
  'ui.version.module': 'Report module (AlertManager) version',
  'ui.version.dataDir': 'Settings folder',

  'ui.server.openedKeyFile': 'Opened (key file, user system code {code}, {date})',
  'ui.server.openedKeyCode': 'Opened (key code, user ID {code}, {date})',
  'ui.server.notOpened': 'Not opened yet.',
  'ui.server.state': 'Opening state',
  'ui.status.label': 'Status bar',

  'ui.combobox.open': 'Open the list',
  'ui.setup.opening': 'Opening information',
  'ui.setup.openingInput': 'Enter opening &information',
  'ui.setup.openingChange': '&Change settings...',
  ...openingEn,
  ...channelsEn,
  ...httpsEn,
  ...historyEn,
  ...serviceEn,
  ...settingsEn,
  ...lockwebEn,
  ...readersEn,
  ...pipelineEn,
  ...windowBEn,
  ...windowAEn,
  ...infEn,
  ...deliveryEn,
  ...relayEn,
  ...relayuiEn,
  ...mailuiEn,
  ...mailEn,
  ...dialupEn,
  ...dialupuiEn,
};
