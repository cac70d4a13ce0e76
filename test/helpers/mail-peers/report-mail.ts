/**
 * Report mail as /work/notes/mail-contract.md (docs/formats/mail.md) defines it, built for tests
 * with nodemailer's MailComposer (the entity) and node-forge (S/MIME enveloped-data): what the
 * product's mail channel sends, made independently of it, to feed the center simulator and the
 * MTAs. Also a uuencoder (sharutils' format) and a raw SMTP send.
 */
import { createHash, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { ReportEnvelope, ReportKind } from '../../../src-shared/report';
import { sampleEnvelope } from '../center';

export interface MailAttachment {
  name: string;
  data: Buffer;
}

/** uuencode as sharutils writes it: `begin 644 NAME`, 45-byte lines, a backtick line, `end`. */
export function uuencode(name: string, data: Buffer): string {
  const char = (v: number) => (v === 0 ? '`' : String.fromCharCode(v + 32));
  const lines = [`begin 644 ${name}`];
  for (let at = 0; at < data.length; at += 45) {
    const chunk = data.subarray(at, at + 45);
    let line = char(chunk.length);
    for (let i = 0; i < chunk.length; i += 3) {
      const a = chunk[i]!;
      const b = chunk[i + 1] ?? 0;
      const c = chunk[i + 2] ?? 0;
      line += char(a >> 2) + char(((a << 4) | (b >> 4)) & 63) + char(((b << 2) | (c >> 6)) & 63) + char(c & 63);
    }
    lines.push(line);
  }
  lines.push('`', 'end', '');
  return lines.join('\r\n');
}

/** An envelope of a mail report (method express) listing these attachments. */
export function mailEnvelope(kind: ReportKind = 'test', attachments: MailAttachment[] = [], id: string = randomUUID()): ReportEnvelope {
  const digests = attachments.map((a) => ({ name: a.name, size: a.data.length, sha256: createHash('sha256').update(a.data).digest('hex') }));
  return { ...sampleEnvelope(kind, digests, id), method: 'express' };
}

export interface ReportMailOptions {
  envelope: ReportEnvelope;
  attachments?: MailAttachment[];
  encoding?: 'uuencode' | 'base64';
  /** envelope the entity to this certificate (S/MIME) */
  smimeCertPem?: string;
  from?: string;
  to?: string;
  subject?: string;
  /** the X-Express-Report-Id header: the envelope's id by default, null leaves it out */
  headerId?: string | null;
  /** the JSON of report.json, byte for byte (default: the envelope's JSON) */
  reportJson?: string;
}

function compose(options: Mail.Options): Promise<Buffer> {
  return new Promise((resolve, reject) => new MailComposer(options).compile().build((err, message) => (err ? reject(err) : resolve(message))));
}

function part(name: string, data: Buffer, encoding: 'uuencode' | 'base64', contentType: string) {
  return encoding === 'uuencode'
    ? { filename: name, content: uuencode(name, data), contentType, contentTransferEncoding: 'x-uuencode' as const }
    : { filename: name, content: data, contentType, contentTransferEncoding: 'base64' as const };
}

/** The multipart/mixed entity: text, report.json, the attachments. */
export function buildEntity(options: ReportMailOptions, outer: Mail.Options = {}): Promise<Buffer> {
  const e = options.envelope;
  const encoding = options.encoding ?? 'uuencode';
  return compose({
    ...outer,
    text: `テスト通報です。\r\nサーバ: ${e.server.serverName}\r\n日時: ${e.createdAt}\r\n`,
    attachments: [
      part('report.json', Buffer.from(options.reportJson ?? JSON.stringify(e), 'utf8'), encoding, 'application/json'),
      ...(options.attachments ?? []).map((a) => part(a.name, a.data, encoding, 'application/octet-stream')),
    ],
  });
}

/** Only the Content-* header lines and the body of a built message (the S/MIME inner entity). */
function entityOnly(message: Buffer): Buffer {
  const text = message.toString('binary');
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split).split(/\r\n(?![ \t])/);
  const keep = head.filter((h) => /^content-/i.test(h));
  return Buffer.from(`${keep.join('\r\n')}\r\n\r\n${text.slice(split + 4)}`, 'binary');
}

/** DER PKCS#7 enveloped-data (RSA PKCS#1 v1.5, AES-256-CBC) of `content` to `certPem`. */
export function envelopeTo(certPem: string, content: Buffer): Buffer {
  const p7 = forge.pkcs7.createEnvelopedData();
  p7.addRecipient(forge.pki.certificateFromPem(certPem));
  p7.content = forge.util.createBuffer(content.toString('binary'));
  p7.encrypt(undefined, forge.pki.oids['aes256-CBC']);
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

function outerHeaders(options: ReportMailOptions): Record<string, string> {
  const e = options.envelope;
  const out: Record<string, string> = {};
  if (options.headerId !== null) out['X-Express-Report-Id'] = options.headerId ?? e.id;
  out['X-Express-Report-Kind'] = e.kind;
  out['X-Express-Report-Format'] = '1';
  return out;
}

/** The whole report mail, CRLF line ends, as the product sends it raw. */
export async function buildReportMail(options: ReportMailOptions): Promise<Buffer> {
  const e = options.envelope;
  const from = options.from ?? 'sousin@foo.co.jp';
  const to = options.to ?? 'express-center@center.example.jp';
  const subject = options.subject ?? `Express Report ${e.kind} ${e.server.serverName}`;
  const messageId = `<${e.id}@express-report.invalid>`;
  if (!options.smimeCertPem) {
    return buildEntity(options, { from, to, subject, messageId, headers: outerHeaders(options) });
  }
  const inner = entityOnly(await buildEntity(options));
  const der = envelopeTo(options.smimeCertPem, inner);
  const b64 = der.toString('base64').replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '');
  const head = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: =?UTF-8?B?${Buffer.from(subject, 'utf8').toString('base64')}?=`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    ...Object.entries(outerHeaders(options)).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
    'Content-Disposition: attachment; filename="smime.p7m"',
    'Content-Transfer-Encoding: base64',
  ];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${b64}\r\n`, 'binary');
}

export interface SendResult {
  /** the server's last reply line */
  response: string;
}

/** An SMTP error as nodemailer reports it: the reply code and text. */
export interface SmtpFailure extends Error {
  responseCode?: number;
  response?: string;
  code?: string;
}

/** Sends raw bytes to 127.0.0.1:port (STARTTLS when offered, verified against `ca`). */
export async function sendRaw(port: number, raw: Buffer, options: { from?: string; to?: string; ca?: string; auth?: { user: string; pass: string }; requireTLS?: boolean } = {}): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: options.requireTLS ?? false,
    tls: options.ca ? { ca: options.ca } : undefined,
    auth: options.auth,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    const info = await transport.sendMail({ envelope: { from: options.from ?? 'sousin@foo.co.jp', to: options.to ?? 'express-center@center.example.jp' }, raw });
    return { response: info.response };
  } finally {
    transport.close();
  }
}
