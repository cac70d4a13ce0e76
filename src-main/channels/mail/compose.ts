/**
 * The report mail (docs/formats/mail.md), built with nodemailer's MailComposer: a readable text
 * part, the envelope as report.json (the same bytes the HTTPS channel sends) and one part per
 * attachment, in the chosen encoding (uuencode, the seed's default, or Base64); with S/MIME the
 * whole entity — its Content-Type header included — is enveloped to the center's certificate
 * and sent as application/pkcs7-mime. The headers carry the report id, so the center stores a
 * resend once. Line ends are CRLF; the result is sent as it is (raw).
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerAttachment } from 'nodemailer/lib/mail-composer';
import { translate, type Language, type MessageKey } from '../../../src-shared/i18n';
import type { ReportEnvelope } from '../../../src-shared/report';
import { envelopeTo } from './smime';
import { uuencode } from './uuencode';

export type MailEncoding = 'uuencode' | 'base64';

export interface ComposeInput {
  envelope: ReportEnvelope;
  /** the attachments' bytes, in the envelope's order */
  attachments: { name: string; data: Buffer }[];
  sender: string;
  destination: string;
  encoding: MailEncoding;
  language: Language;
  /** the center certificate (PEM) to envelope to; null without S/MIME */
  smimeCertificatePem: string | null;
  now: Date;
}

export const MESSAGE_ID_DOMAIN = 'express-report.invalid';
export const FORMAT_HEADER_VALUE = '1';

/** The report id as the Message-ID. */
export function messageIdOf(reportId: string): string {
  return `<${reportId}@${MESSAGE_ID_DOMAIN}>`;
}

function localTime(iso: string, lang: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US')} (${d.toISOString()})`;
}

/** The readable text part: what happened, on which server, when. */
export function summaryText(envelope: ReportEnvelope, lang: Language, attachments: number): string {
  const t = (key: MessageKey, params: Record<string, string | number> = {}) => translate(lang, key, params);
  const kind = t(`mail.report.kind.${envelope.kind}` as MessageKey);
  const lines = [t('mail.report.intro', { kind })];
  if (envelope.event?.pseudo) lines.push(t('mail.report.pseudo'));
  lines.push('');
  lines.push(t('mail.report.server', { value: envelope.server.serverName }));
  lines.push(t('mail.report.host', { value: envelope.server.hostName }));
  lines.push(t('mail.report.time', { value: localTime(envelope.event?.time ?? envelope.createdAt, lang) }));
  lines.push(t('mail.report.contract', { value: envelope.contract.userSystemCode || '-' }));
  const event = envelope.event;
  if (event) {
    lines.push(t('mail.report.event', { log: event.log, source: event.source, eventId: event.eventId }));
    if (event.message) lines.push(t('mail.report.message', { value: event.message }));
    if (event.suppressedCount > 0) lines.push(t('mail.report.suppressed', { count: event.suppressedCount }));
  }
  const result = envelope.resultDestination;
  if (result) lines.push(t('mail.report.result', { value: result.kind === 'mail' ? result.address : result.number }));
  lines.push(t('mail.report.id', { value: envelope.id }));
  lines.push('');
  lines.push(t('mail.report.attachments', { count: attachments + 1 }));
  lines.push(t('mail.report.footer'));
  return lines.join('\r\n') + '\r\n';
}

function part(name: string, data: Buffer, contentType: string, encoding: MailEncoding): MailComposerAttachment {
  return encoding === 'uuencode'
    ? { filename: name, contentType, content: uuencode(data, name), contentTransferEncoding: 'x-uuencode' }
    : { filename: name, contentType, content: data, contentTransferEncoding: 'base64' };
}

function attachmentType(name: string): string {
  return /\.zip$/i.test(name) ? 'application/zip' : 'application/octet-stream';
}

/** The headers every report mail carries, S/MIME or not. */
function outerHeaders(input: ComposeInput) {
  const { envelope } = input;
  const server = envelope.server.serverName || envelope.server.hostName;
  const kind = translate(input.language, `mail.report.kind.${envelope.kind}` as MessageKey);
  return {
    from: input.sender,
    to: input.destination,
    subject: translate(input.language, 'mail.report.subject', { kind, server }),
    date: input.now,
    messageId: messageIdOf(envelope.id),
    headers: {
      'X-Express-Report-Id': envelope.id,
      'X-Express-Report-Kind': envelope.kind,
      'X-Express-Report-Format': FORMAT_HEADER_VALUE,
    },
  };
}

function build(composer: MailComposer): Promise<Buffer> {
  return composer.compile().build();
}

/** The entity's header block and body: only its Content-* fields stay (what S/MIME envelopes). */
function entityOf(message: Buffer): Buffer {
  const text = message.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = text.slice(0, end);
  const body = text.slice(end + 4);
  const fields = head.split(/\r\n(?![ \t])/).filter((f) => /^content-/i.test(f));
  return Buffer.from(`${fields.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

/** The whole mail, ready to send raw. */
export async function composeReportMail(input: ComposeInput): Promise<Buffer> {
  const json = Buffer.from(JSON.stringify(input.envelope), 'utf8');
  const parts: MailComposerAttachment[] = [
    part('report.json', json, 'application/json', input.encoding),
    ...input.attachments.map((a) => part(a.name, a.data, attachmentType(a.name), input.encoding)),
  ];
  const headers = outerHeaders(input);
  const plain = new MailComposer({
    ...headers,
    text: summaryText(input.envelope, input.language, input.attachments.length),
    textEncoding: 'base64',
    attachments: parts,
  });
  const message = await build(plain);
  if (input.smimeCertificatePem === null) return message;
  const der = envelopeTo(input.smimeCertificatePem, entityOf(message));
  const enveloped = new MailComposer({
    ...headers,
    attachments: [
      {
        filename: 'smime.p7m',
        contentType: 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
        contentDisposition: 'attachment',
        content: der,
        contentTransferEncoding: 'base64',
      },
    ],
  });
  return build(enveloped);
}
