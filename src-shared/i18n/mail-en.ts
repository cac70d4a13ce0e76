import type { mailJa } from './mail-ja';

/** English texts of mail-ja.ts: the report mail, the refusals, the hints; every key of it. */
export const mailEn: Record<keyof typeof mailJa, string> = {
  'mail.report.kind.test': 'test report',
  'mail.report.kind.opening': 'opening report',
  'mail.report.kind.alert': 'alert',
  'mail.report.kind.heartbeat': 'configuration report',
  'mail.report.kind.reach-test': 'reach test',
  'mail.report.subject': 'Express Report {kind} {server}',
  'mail.report.intro': 'This is a {kind} from Express Report Service.',
  'mail.report.pseudo': 'This is a report test (a pseudo failure), not a real fault.',
  'mail.report.server': 'Server name: {value}',
  'mail.report.host': 'Host name: {value}',
  'mail.report.time': 'Time: {value}',
  'mail.report.contract': 'User system code: {value}',
  'mail.report.event': 'Event: {log} / {source} / ID {eventId}',
  'mail.report.message': 'Message: {value}',
  'mail.report.suppressed': 'Suppressed reports of the same event: {count}',
  'mail.report.result': 'Test result to: {value}',
  'mail.report.id': 'Report ID: {value}',
  'mail.report.attachments': 'The report is in the attached report.json ({count} attachments).',
  'mail.report.footer': 'This mail was sent automatically by Express Report Service.',

  'mail.refuse.smime-missing':
    "S/MIME is on, but the opening holds no certificate of the maintenance center: open again with a key file, or clear [S/MIME enabled].",
  'mail.refuse.smime-unreadable': "The maintenance center's S/MIME certificate cannot be read ({reason}): open again with a key file.",
  'mail.refuse.smime-expired': "The maintenance center's S/MIME certificate expired ({date}): open again with a new key file.",
  'mail.refuse.smime-not-yet-valid': "The maintenance center's S/MIME certificate is not valid yet (valid from {date}): check this computer's clock.",
  'mail.refuse.smime-no-rsa': "The maintenance center's S/MIME certificate holds no RSA key: contact the maintenance company.",
  'mail.refuse.auth-none': '[This server requires SMTP authentication] is ticked, but no method (CRAM-MD5 / LOGIN / PLAIN / OAuth 2.0) is chosen.',
  'mail.refuse.auth-account': 'The SMTP authentication account name is not set.',
  'mail.refuse.oauth': 'The OAuth 2.0 token endpoint, client ID, and client secret or refresh token are not set.',
  'mail.refuse.pop': 'The POP before SMTP mail server (POP) or account name is not set.',
  'mail.refuse.remote-access': 'The remote access [entry to use] is not set.',

  'delivery.mail.dns': 'check the host name of the mail server (SMTP / POP) and the DNS settings of this computer',
  'delivery.mail.tls':
    "check the connection security (STARTTLS / TLS) and the port, the CA file and this computer's clock (port 465 is TLS, 25 and 587 are STARTTLS)",
  'delivery.mail.timeout': 'check the host name and port of the mail server (SMTP) and the network (timed out)',
  'delivery.mail.protocol': 'check the host name and port of the mail server (SMTP) (the answer did not come from a mail server)',
};
