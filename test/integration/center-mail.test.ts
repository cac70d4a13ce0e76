/**
 * The center simulator's mail side end to end: the real built CLI (`node bin/express-center.cjs
 * serve --smtp-port 0`) receives report mail over real SMTP (nodemailer as the client), built per
 * docs/formats/mail.md by nodemailer's MailComposer and node-forge (and once by `openssl smime`),
 * stores each report once by id with the channel "mail", refuses bad mail with a reason while it
 * keeps serving, and mails test results to a second real smtp-server given with --result-smtp.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMultipartBody } from '../../src-main/channels/https/multipart';
import { readKeyFile } from '../../src-main/opening/keyfile';
import { createCenterCa, issueSmimeCertificate } from '../center/certs';
import { CENTER_BIN, sampleEnvelope } from '../helpers/center';
import { startMailCenter, type MailCenter } from '../helpers/mail-peers/center';
import { buildReportMail, mailEnvelope, sendRaw, type MailAttachment, type SmtpFailure } from '../helpers/mail-peers/report-mail';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-center-mail-');
let center: MailCenter;
/** the second SMTP server: where the center's result mails arrive */
const results: ParsedMail[] = [];
let resultServer: SMTPServer;
let resultPort = 0;

function attachments(): MailAttachment[] {
  return [
    { name: 'config.zip', data: randomBytes(70_001) },
    { name: '構成情報 (1).bin', data: Buffer.alloc(0) },
  ];
}

function send(raw: Buffer) {
  return sendRaw(center.smtpPort, raw, { ca: center.caPem, requireTLS: true });
}

/** The SMTP refusal of a send (it must fail). */
async function refusal(raw: Buffer): Promise<SmtpFailure> {
  try {
    await send(raw);
  } catch (err) {
    return err as SmtpFailure;
  }
  throw new Error('the center accepted a mail it should have refused');
}

function reportsText(): string {
  const r = spawnSync(process.execPath, [CENTER_BIN, 'reports', '--data-dir', center.dataDir], { encoding: 'utf8', timeout: 20_000 });
  expect(r.status).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  resultServer = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          results.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  resultPort = await new Promise<number>((resolve) => resultServer.listen(0, '127.0.0.1', () => resolve((resultServer.server.address() as { port: number }).port)));
  center = await startMailCenter({ dataDir: path.join(tmp.dir, 'data'), https: true, args: ['--result-smtp', `127.0.0.1:${resultPort}`, '--max-mail-mb', '2'] });
}, 120_000);

afterAll(async () => {
  await center?.stop();
  await new Promise<void>((resolve) => (resultServer ? resultServer.close(() => resolve()) : resolve()));
  tmp.remove();
});

describe('express-center serve --smtp-port', () => {
  it('prints its SMTP port and makes its S/MIME certificate and key as PEM files in the data dir', () => {
    expect(center.smtpPort).toBeGreaterThan(0);
    expect(center.smimeCertFile).toBe(path.join(center.dataDir, 'smime', 'center-cert.pem'));
    expect(center.smimeCertPem()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(readFileSync(path.join(center.dataDir, 'smime', 'center-key.pem'), 'utf8')).toMatch(/PRIVATE KEY/);
  });

  for (const encoding of ['uuencode', 'base64'] as const) {
    for (const smime of [false, true]) {
      it(`stores a ${encoding} report${smime ? ' enveloped with S/MIME (node-forge)' : ''} with its attachments once, channel mail`, async () => {
        const files = attachments();
        const envelope = mailEnvelope('alert', files);
        const raw = await buildReportMail({ envelope, attachments: files, encoding, smimeCertPem: smime ? center.smimeCertPem() : undefined });
        const sent = await send(raw);
        expect(sent.response).toMatch(new RegExp(`^250 .*report ${envelope.id} stored`));

        const listed = center.reports().find((r) => r.id === envelope.id);
        expect(listed).toMatchObject({ channel: 'mail', kind: 'alert', method: 'express', serverName: 'SERVER001' });
        expect(listed!.attachments).toEqual(envelope.attachments);
        const stored = JSON.parse(readFileSync(path.join(listed!.dir, 'report.json'), 'utf8')) as { envelope: unknown; mail: { smime: boolean; encoding: string; from: string } };
        expect(stored.envelope).toEqual(envelope);
        expect(stored.mail).toMatchObject({ smime, encoding, from: 'sousin@foo.co.jp' });
        files.forEach((f, i) => {
          const kept = readFileSync(path.join(listed!.dir, `attachment-${String(i + 1).padStart(2, '0')}.zip`));
          expect(createHash('sha256').update(kept).digest('hex')).toBe(createHash('sha256').update(f.data).digest('hex'));
        });
        expect(reportsText()).toMatch(new RegExp(`${envelope.id}  alert  mail `));
      });
    }
  }

  it('acknowledges a resend of the same report with 250 and stores it once', async () => {
    const envelope = mailEnvelope('heartbeat');
    const raw = await buildReportMail({ envelope, smimeCertPem: center.smimeCertPem() });
    expect((await send(raw)).response).toMatch(/stored/);
    // a resend is made anew by the product: another S/MIME key, the same id
    const again = await buildReportMail({ envelope, encoding: 'base64', smimeCertPem: center.smimeCertPem() });
    expect((await send(again)).response).toMatch(new RegExp(`^250 .*report ${envelope.id} already stored`));
    expect((await send(raw)).response).toMatch(/already stored/);
    expect(center.reports().filter((r) => r.id === envelope.id)).toHaveLength(1);
    await center.waitForLine(new RegExp(`mail report ${envelope.id} heartbeat duplicate`));
    const stats = (await (await fetch(new URL('/stats', center.admin))).json()) as { mail: { stored: number; duplicates: number } };
    expect(stats.mail.stored).toBeGreaterThanOrEqual(1);
    expect(stats.mail.duplicates).toBeGreaterThanOrEqual(2);
  });

  for (const tool of ['smime', 'cms'] as const) {
    it(`decrypts a report enveloped by openssl ${tool} -encrypt (AES-256, ${tool === 'smime' ? 'application/x-pkcs7-mime' : 'application/pkcs7-mime'})`, async () => {
      const envelope = mailEnvelope('alert');
      const plain = (await buildReportMail({ envelope, encoding: 'base64' })).toString('binary');
      const split = plain.indexOf('\r\n\r\n');
      const headers = plain.slice(0, split).split(/\r\n(?![ \t])/);
      const entity = `${headers.filter((h) => /^content-/i.test(h)).join('\r\n')}\r\n\r\n${plain.slice(split + 4)}`;
      const inFile = path.join(tmp.dir, `entity-${tool}.eml`);
      writeFileSync(inFile, entity, 'binary');
      const enc = spawnSync('openssl', [tool, '-encrypt', '-aes256', '-binary', '-in', inFile, center.smimeCertFile], { timeout: 20_000 });
      expect(enc.status, enc.stderr?.toString()).toBe(0);
      const smimeOut = enc.stdout.toString('binary').replace(/\r?\n/g, '\r\n');
      expect(smimeOut).toMatch(tool === 'smime' ? /application\/x-pkcs7-mime/ : /application\/pkcs7-mime/);
      const outer = headers.filter((h) => !/^(content-|mime-version)/i.test(h)).join('\r\n');
      const sent = await send(Buffer.from(`${outer}\r\n${smimeOut}`, 'binary'));
      expect(sent.response).toMatch(/stored/);
      expect(center.reports().find((r) => r.id === envelope.id)?.channel).toBe('mail');
      await center.waitForLine(new RegExp(`mail report ${envelope.id} alert stored \\(0 attachments, S/MIME \\(smime/center-cert\\.pem\\), base64\\)`));
    });
  }

  it('stores once when the same report arrives on five connections at once', async () => {
    const files = [{ name: 'same.zip', data: randomBytes(20_000) }];
    const envelope = mailEnvelope('alert', files);
    const copies = await Promise.all([0, 1, 2, 3, 4].map((i) => buildReportMail({ envelope, attachments: files, encoding: i % 2 ? 'base64' : 'uuencode', smimeCertPem: i < 3 ? center.smimeCertPem() : undefined })));
    const answers = await Promise.all(copies.map((raw) => send(raw)));
    for (const a of answers) expect(a.response).toMatch(new RegExp(`^250 .*report ${envelope.id} (stored|already stored)`));
    expect(answers.filter((a) => / stored$/.test(a.response) && !/already/.test(a.response))).toHaveLength(1);
    expect(center.reports().filter((r) => r.id === envelope.id)).toHaveLength(1);
  });

  it('decrypts with every S/MIME key it issued: a key file from before and the newest one', async () => {
    const issue = (out: string) => {
      const r = spawnSync(process.execPath, [CENTER_BIN, 'issue-key-file', '--out', out, '--data-dir', center.dataDir, '--user-system-code', 'U2026-0011', '--encoding', 'utf8'], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(0);
    };
    issue(path.join(tmp.dir, 'first.ini'));
    const first = await readKeyFile(path.join(tmp.dir, 'first.ini'));
    const pem = (text: string) => text.replace(/\r\n/g, '\n').trim();
    expect(pem(first.centerCertificatePem)).toBe(pem(center.smimeCertPem()));
    issue(path.join(tmp.dir, 'second.ini'));
    const second = await readKeyFile(path.join(tmp.dir, 'second.ini'));
    expect(second.centerCertificatePem).not.toBe(first.centerCertificatePem);
    expect(pem(second.centerCertificatePem)).toBe(pem(center.smimeCertPem()));
    for (const cert of [first.centerCertificatePem, second.centerCertificatePem]) {
      const envelope = mailEnvelope('test');
      envelope.resultDestination = null;
      const sent = await send(await buildReportMail({ envelope, smimeCertPem: cert }));
      expect(sent.response).toMatch(/stored/);
    }
  });

  it('keeps the channel https for a report that came over HTTPS', async () => {
    const envelope = sampleEnvelope('alert');
    const body = buildMultipartBody(JSON.stringify(envelope), []);
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(center.url!, { method: 'POST', ca: center.caPem, headers: { 'content-type': body.contentType, 'content-length': body.contentLength } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      body.body.pipe(req);
    });
    expect(status).toBe(200);
    expect(center.reports().find((r) => r.id === envelope.id)?.channel).toBe('https');
    expect(reportsText()).toMatch(new RegExp(`${envelope.id}  alert  https `));
    // the same id by mail afterwards is a resend: acknowledged, not stored again
    const again = { ...envelope, method: 'express' as const };
    expect((await send(await buildReportMail({ envelope: again }))).response).toMatch(/already stored/);
    expect(center.reports().filter((r) => r.id === envelope.id).map((r) => r.channel)).toEqual(['https']);
  });
});

describe('bad mail is refused with a reason, and the center keeps serving', () => {
  const foreign = issueSmimeCertificate(createCenterCa(), { email: 'other@example.jp', notBefore: new Date(Date.now() - 3_600_000), notAfter: new Date(Date.now() + 86_400_000) });
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    ['garbage', async () => Buffer.from('\x00\x01 this is not a mail\r\n'), /^5\d\d .*X-Express-Report-Id/],
    [
      'a broken S/MIME body',
      async () => {
        const raw = (await buildReportMail({ envelope: mailEnvelope('alert'), smimeCertPem: center.smimeCertPem() })).toString('binary');
        return Buffer.from(raw.replace(/\r\n\r\n[\s\S]*$/, `\r\n\r\n${randomBytes(600).toString('base64')}\r\n`), 'binary');
      },
      /^554 .*not PKCS#7 enveloped-data/,
    ],
    ['S/MIME to another center', async () => buildReportMail({ envelope: mailEnvelope('alert'), smimeCertPem: foreign.certPem }), /^554 .*not encrypted to a certificate of this center/],
    [
      'no report envelope (report.json missing)',
      async () => {
        const raw = (await buildReportMail({ envelope: mailEnvelope('alert') })).toString('binary');
        return Buffer.from(raw.replace(/filename=report\.json/g, 'filename=other.json').replace(/name=report\.json/g, 'name=other.json'), 'binary');
      },
      /^554 .*no report\.json part/,
    ],
    ['an envelope that is not JSON', async () => buildReportMail({ envelope: mailEnvelope('alert'), reportJson: '{"formatVersion":1,' }), /^554 .*report\.json is not JSON/],
    ['an envelope id other than the header', async () => buildReportMail({ envelope: mailEnvelope('alert'), headerId: randomUUID() }), /^554 .*X-Express-Report-Id .* is not the envelope's id/],
    [
      'a broken uuencode line',
      async () => {
        const raw = (await buildReportMail({ envelope: mailEnvelope('alert'), encoding: 'uuencode' })).toString('binary');
        return Buffer.from(raw.replace(/(begin 644 report\.json\r\n)M(.{60})/, '$1M$2~~'), 'binary');
      },
      /^554 .*report\.json: uuencode line 2: .* the line has 62/,
    ],
    [
      'an attachment that does not match its sha256',
      async () => {
        const files = [{ name: 'a.zip', data: randomBytes(100) }];
        const envelope = mailEnvelope('alert', files);
        return buildReportMail({ envelope, attachments: [{ name: 'a.zip', data: randomBytes(100) }], encoding: 'base64' });
      },
      /^554 .*attachment a\.zip does not match the sha256/,
    ],
    [
      'a mail over the size limit',
      async () => {
        const files = [{ name: 'big.zip', data: randomBytes(2 * 1024 * 1024) }];
        return buildReportMail({ envelope: mailEnvelope('alert', files), attachments: files, encoding: 'base64' });
      },
      /^552 /,
    ],
  ];
  for (const [name, make, reason] of cases) {
    it(`${name}: refused, nothing stored`, async () => {
      const before = center.reports().length;
      const err = await refusal(await make());
      expect(err.responseCode).toBeGreaterThanOrEqual(500);
      expect(err.response).toMatch(reason);
      expect(center.reports()).toHaveLength(before);
      // the center still serves
      const envelope = mailEnvelope('heartbeat');
      expect((await send(await buildReportMail({ envelope }))).response).toMatch(/stored/);
    });
  }
});

describe('a client that drops the connection during DATA', () => {
  it('leaves nothing stored and the center serving', async () => {
    const envelope = mailEnvelope('alert');
    const raw = (await buildReportMail({ envelope })).toString('binary');
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(center.smtpPort, '127.0.0.1');
      const script = ['EHLO client.test', 'MAIL FROM:<sousin@foo.co.jp>', 'RCPT TO:<express-center@center.example.jp>', 'DATA'];
      let buffer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        // answer each complete reply (the last line of a multi-line reply has a space after the code)
        while (/^\d{3} .*\r\n/m.test(buffer)) {
          const end = buffer.search(/^\d{3} .*\r\n/m);
          const line = /^\d{3} .*\r\n/m.exec(buffer.slice(end))![0];
          buffer = buffer.slice(end + line.length);
          if (line.startsWith('354')) {
            socket.write(raw.slice(0, Math.floor(raw.length / 2)), 'binary');
            setTimeout(() => socket.destroy(), 100);
            return;
          }
          const next = script.shift();
          if (next) socket.write(`${next}\r\n`);
        }
      });
      socket.once('close', () => resolve());
      socket.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(center.reports().some((r) => r.id === envelope.id)).toBe(false);
    expect((await send(await buildReportMail({ envelope }))).response).toMatch(new RegExp(`report ${envelope.id} stored`));
  });
});

describe('--result-smtp: the test result mail', () => {
  it('mails the result of a test report to its result destination, once', async () => {
    const envelope = mailEnvelope('test');
    envelope.resultDestination = { kind: 'mail', address: 'kanri@foo.co.jp' };
    const raw = await buildReportMail({ envelope, smimeCertPem: center.smimeCertPem(), to: 'express-center@center.example.jp' });
    expect((await send(raw)).response).toMatch(/stored/);
    await center.waitForLine(new RegExp(`result mail for ${envelope.id} sent to kanri@foo\\.co\\.jp`));
    const mail = results.find((m) => m.headers.get('x-express-report-id') === envelope.id);
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe('テスト通報を受け付けました (SERVER001)');
    expect(mail!.text).toContain(`通報 ID: ${envelope.id}`);
    expect(mail!.text).toContain('ユーザシステムコード: U2024-0001');
    expect((mail!.to as { text: string }).text).toBe('kanri@foo.co.jp');
    expect((mail!.from as { text: string }).text).toBe('express-center@center.example.jp');
    const record = JSON.parse(readFileSync(path.join(center.dataDir, 'reports', envelope.id, 'result.json'), 'utf8')) as { sentAt: string | null; to: string };
    expect(record).toMatchObject({ to: 'kanri@foo.co.jp' });
    expect(record.sentAt).not.toBeNull();

    // the resend is stored once and mails no second result
    expect((await send(raw)).response).toMatch(/already stored/);
    const opening = mailEnvelope('alert');
    await send(await buildReportMail({ envelope: opening }));
    await center.waitForLine(new RegExp(`mail report ${opening.id} alert stored`));
    expect(results.filter((m) => m.headers.get('x-express-report-id') === envelope.id)).toHaveLength(1);
    expect(results.some((m) => m.headers.get('x-express-report-id') === opening.id)).toBe(false);
  });
});
