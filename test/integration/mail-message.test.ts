/**
 * The report mail as docs/formats/mail.md defines it, sent by the mail reporter to a real
 * smtp-server and read back by tools not written here: mailparser (the whole message),
 * sharutils uudecode (the uuencoded parts), openssl cms and openssl smime (S/MIME).
 */
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailReporter } from '../../src-main/channels/mail/mail-reporter';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { createCenterCa, issueSmimeCertificate } from '../center/certs';
import { baseConfig, outgoing } from '../helpers/mail-report';
import { startSmtpPeer, type SmtpPeer } from '../helpers/mail-smtp';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-mail-msg-');
let peer: SmtpPeer;
const zip = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 255));

beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  closeMailConnections();
  await peer.close();
  tmp.remove();
});

/** The uuencoded body of the part named `name`, decoded by sharutils uudecode (no shell). */
function uudecode(raw: string, name: string): Buffer {
  const start = raw.indexOf(`begin 644 ${name}`);
  const end = raw.indexOf('\r\nend\r\n', start);
  expect(start).toBeGreaterThanOrEqual(0);
  const text = raw.slice(start, end + '\r\nend\r\n'.length);
  return execFileSync('uudecode', ['-o', '/dev/stdout'], { input: text });
}

async function sendOne(over: Parameters<typeof baseConfig>[1], report = outgoing('alert', [{ name: 'config.zip', data: zip }])) {
  const before = peer.received.length;
  const out = await createMailReporter(baseConfig(peer.port, over)).send(report, {});
  expect(out).toMatchObject({ ok: true, destination: 'center@example.jp' });
  expect(peer.received.length).toBe(before + 1);
  return { report, got: peer.received.at(-1)! };
}

describe('the report mail (uuencode, the seed default)', () => {
  it('has the envelope headers, a readable Japanese body, and report.json + the attachment as uuencode that uudecode reads', async () => {
    const { report, got } = await sendOne({});
    expect(got.from).toBe('server@example.jp');
    expect(got.to).toEqual(['center@example.jp']);
    const raw = got.raw.toString('latin1');
    expect(raw).not.toMatch(/[^\r]\n/); // CRLF line ends only
    const mail: ParsedMail = await simpleParser(got.raw);
    expect(mail.messageId).toBe(`<${report.envelope.id}@express-report.invalid>`);
    expect(mail.headers.get('x-express-report-id')).toBe(report.envelope.id);
    expect(mail.headers.get('x-express-report-kind')).toBe('alert');
    expect(mail.headers.get('x-express-report-format')).toBe('1');
    expect(mail.subject).toBe('エクスプレス通報 障害通報 SERVER001');
    expect(mail.text).toContain('サーバー名: SERVER001');
    expect(mail.text).toContain('ディスク障害 disk error');
    expect(mail.text).toContain(report.envelope.id);
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    // mailparser sees the parts by name; their bodies are the uuencoded text
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['report.json', 'application/json'],
      ['config.zip', 'application/zip'],
    ]);
    expect(raw).toMatch(/Content-Transfer-Encoding: x-uuencode\r\nContent-Disposition: attachment; filename=report.json/);
    expect(uudecode(raw, 'report.json').toString('utf8')).toBe(JSON.stringify(report.envelope));
    expect(uudecode(raw, 'config.zip').equals(zip)).toBe(true);
  });

  it('writes zero as a backtick, never a space, and ends each part with a backtick line and end', async () => {
    const zeros = Buffer.alloc(90);
    const { got } = await sendOne({}, outgoing('alert', [{ name: 'zeros.bin', data: zeros }]));
    const raw = got.raw.toString('latin1');
    const part = raw.slice(raw.indexOf('begin 644 zeros.bin'), raw.indexOf('\r\nend\r\n', raw.indexOf('begin 644 zeros.bin')) + 7);
    const lines = part.split('\r\n');
    expect(lines.slice(1, 3)).toEqual(['M' + '`'.repeat(60), 'M' + '`'.repeat(60)]);
    expect(lines.slice(3, 5)).toEqual(['`', 'end']);
    expect(uudecode(raw, 'zeros.bin').equals(zeros)).toBe(true);
  });
});

describe('the report mail in Base64, and in English', () => {
  it('carries report.json and the attachment as base64 parts that mailparser decodes byte for byte', async () => {
    const { report, got } = await sendOne({ encoding: 'base64', language: 'en' });
    const mail = await simpleParser(got.raw);
    expect(mail.subject).toBe('Express Report alert SERVER001');
    expect(mail.text).toContain('Server name: SERVER001');
    expect(got.raw.toString('latin1')).toMatch(/filename=report.json\r\n\r\n|Content-Transfer-Encoding: base64/);
    expect(mail.attachments[0]!.content.toString('utf8')).toBe(JSON.stringify(report.envelope));
    expect(mail.attachments[1]!.content.equals(zip)).toBe(true);
  });
});

describe('S/MIME (the center certificate of a key-file opening)', () => {
  const ca = createCenterCa();
  const now = new Date();
  const cert = issueSmimeCertificate(ca, { email: 'center@example.jp', notBefore: new Date(now.getTime() - 86_400_000), notAfter: new Date(now.getTime() + 86_400_000) });

  it('envelopes the whole entity to the certificate; openssl cms and openssl smime both decrypt it, and the entity is the plain mail', async () => {
    const { report, got } = await sendOne({ smimeCertificatePem: cert.certPem });
    const outer = await simpleParser(got.raw);
    expect(outer.messageId).toBe(`<${report.envelope.id}@express-report.invalid>`);
    expect(outer.headers.get('x-express-report-id')).toBe(report.envelope.id);
    const raw = got.raw.toString('latin1');
    expect(raw).toMatch(/Content-Type: application\/pkcs7-mime; smime-type=enveloped-data;\s+name="?smime.p7m"?/);
    expect(raw).toMatch(/Content-Disposition: attachment; filename="?smime.p7m"?/);
    expect(raw).not.toContain(report.envelope.id + '"'); // the JSON is not readable outside
    const dir = path.join(tmp.dir, 'smime');
    await fsp.mkdir(dir, { recursive: true });
    const [mailFile, certFile, keyFile] = ['mail.eml', 'cert.pem', 'key.pem'].map((n) => path.join(dir, n)) as [string, string, string];
    await fsp.writeFile(mailFile, got.raw);
    await fsp.writeFile(certFile, cert.certPem);
    await fsp.writeFile(keyFile, cert.keyPem);
    const cms = execFileSync('openssl', ['cms', '-decrypt', '-in', mailFile, '-recip', certFile, '-inkey', keyFile]);
    const smime = execFileSync('openssl', ['smime', '-decrypt', '-in', mailFile, '-recip', certFile, '-inkey', keyFile]);
    expect(smime.equals(cms)).toBe(true);
    const info = execFileSync('openssl', ['cms', '-cmsout', '-print', '-in', mailFile]).toString();
    expect(info).toContain('aes-256-cbc');
    expect(info).toContain('rsaEncryption');
    const inner = await simpleParser(cms);
    expect(inner.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    expect(inner.text).toContain('SERVER001');
    expect(uudecode(cms.toString('latin1'), 'report.json').toString('utf8')).toBe(JSON.stringify(report.envelope));
    expect(uudecode(cms.toString('latin1'), 'config.zip').equals(zip)).toBe(true);
  });

  it('refuses an expired certificate before connecting, saying so', async () => {
    const expired = issueSmimeCertificate(ca, { email: 'center@example.jp', notBefore: new Date(now.getTime() - 10 * 86_400_000), notAfter: new Date(now.getTime() - 86_400_000) });
    const before = peer.received.length;
    const out = await createMailReporter(baseConfig(peer.port, { smimeCertificatePem: expired.certPem })).send(outgoing(), {});
    expect(out).toMatchObject({ ok: false, channel: 'mail', step: 'config', retryable: false });
    expect(!out.ok && out.detail).toContain('S/MIME certificate expired');
    expect(peer.received.length).toBe(before);
  });
});
