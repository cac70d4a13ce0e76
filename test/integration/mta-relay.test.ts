/**
 * Report mail through real mail servers to the center simulator (the built CLI, `serve
 * --smtp-port`): Debian's Postfix (a private instance, mail-peers/postfix.ts) takes submissions
 * with STARTTLS and SMTP AUTH (Dovecot SASL) and relays them to the center over STARTTLS with the
 * center's certificate verified; the POP-before-SMTP gate (Debian dovecot-pop3d + smtp-server)
 * relays only for a client that logged in to POP a moment ago — the POP login is a real one
 * against dovecot by the tiny client in mail-peers/pop-client.ts.
 */
import { existsSync, promises as fsp } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { createMailReporter } from '../../src-main/channels/mail/mail-reporter';
import { createCenterCa } from '../center/certs';
import { startMailCenter, type MailCenter } from '../helpers/mail-peers/center';
import { DOVECOT, startPopBeforeSmtp, type PopBeforeSmtp } from '../helpers/mail-peers/pop-before-smtp';
import { popLogin } from '../helpers/mail-peers/pop-client';
import { groupMembers, POSTFIX_MASTER, startPostfix, type Postfix } from '../helpers/mail-peers/postfix';
import { buildReportMail, mailEnvelope, sendRaw, type SmtpFailure } from '../helpers/mail-peers/report-mail';
import { baseConfig, outgoing } from '../helpers/mail-report';
import { tempDir } from '../helpers/temp';

const hasPostfix = existsSync(POSTFIX_MASTER) && existsSync(DOVECOT);
const USER = { user: 'sousin', password: 'Pa55-word' };

const tmp = tempDir('er-mta-relay-');
let center: MailCenter;

beforeAll(async () => {
  center = await startMailCenter();
}, 60_000);

afterAll(async () => {
  await center?.stop();
  tmp.remove();
});

async function refusedWith(promise: Promise<unknown>): Promise<SmtpFailure> {
  try {
    await promise;
  } catch (err) {
    return err as SmtpFailure;
  }
  throw new Error('the server accepted what it should have refused');
}

function storedOnce(id: string) {
  const listed = center.reports().filter((r) => r.id === id);
  expect(listed).toHaveLength(1);
  return listed[0]!;
}

async function waitForOutput(peer: { output(): string }, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !pattern.test(peer.output()) && waited < timeoutMs; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(peer.output()).toMatch(pattern);
}

/** Submits raw report mail with STARTTLS required and the given SASL mechanism. */
async function submit(mta: Postfix, raw: Buffer, method: 'PLAIN' | 'LOGIN', pass = USER.password): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, requireTLS: true, tls: { ca: mta.caPem }, auth: { user: USER.user, pass }, authMethod: method, connectionTimeout: 10_000, greetingTimeout: 10_000 });
  try {
    const info = await transport.sendMail({ envelope: { from: 'sousin@foo.co.jp', to: 'express-center@center.example.jp' }, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

/** A plain-text SMTP dialogue on node:net: each command's whole reply (multi-line joined by \n). */
function dialogue(port: number, commands: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const replies: string[] = [];
    let buffer = '';
    let lines: string[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply within 10 s: ${replies.join(' | ')}`));
    }, 10_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        lines.push(line);
        if (!/^\d{3} /.test(line)) continue;
        replies.push(lines.join('\n'));
        lines = [];
        const next = commands[replies.length - 1];
        if (next === undefined) socket.end();
        else socket.write(`${next}\r\n`);
      }
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(replies);
    });
  });
}

describe.skipIf(!hasPostfix)('Postfix relaying to the center (skipped without /usr/lib/postfix/sbin/master and /usr/sbin/dovecot)', () => {
  describe('submission with STARTTLS and SMTP AUTH (Dovecot SASL); the hop to the center over STARTTLS, the center certificate verified', () => {
    let mta: Postfix;
    beforeAll(async () => {
      mta = await startPostfix({ relayTo: { host: '127.0.0.1', port: center.smtpPort }, users: [USER], relayCaPem: center.caPem });
    }, 60_000);
    afterAll(async () => {
      await mta?.stop();
    });

    for (const method of ['PLAIN', 'LOGIN'] as const) {
      it(`an S/MIME report submitted with STARTTLS + AUTH ${method} is queued by Postfix, relayed to the center and stored once with channel mail`, async () => {
        const files = [{ name: 'config.zip', data: Buffer.from('PK\x03\x04 not really a zip') }];
        const envelope = mailEnvelope('alert', files);
        const raw = await buildReportMail({ envelope, attachments: files, smimeCertPem: center.smimeCertPem() });
        // Postfix's own answer: the message is in its queue
        expect(await submit(mta, raw, method)).toMatch(/^250 2\.0\.0 Ok: queued as \w+/);
        await center.waitForLine(new RegExp(`mail report ${envelope.id} alert stored`));
        const listed = storedOnce(envelope.id);
        expect(listed.channel).toBe('mail');
        expect(listed.attachments).toEqual(envelope.attachments);
        // through Postfix: its log shows the login, the verified hop and the center's answer
        const log = () => mta.output();
        expect(log()).toMatch(new RegExp(`sasl_method=${method}, sasl_username=${USER.user}`));
        await waitForOutput(mta, new RegExp(`status=sent \\(250 2\\.6\\.0 report ${envelope.id} stored\\)`));
        expect(log()).toMatch(new RegExp(`Verified TLS connection established to 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${center.smtpPort}`));
      });
    }

    it("the product's mail reporter (security starttls, the CA file, AUTH with CRAM-MD5/LOGIN/PLAIN checked) delivers an alert through Postfix to the center; a wrong password fails for good with 535", async () => {
      const caFile = path.join(tmp.dir, 'postfix-ca.pem');
      await fsp.writeFile(caFile, mta.caPem);
      const config = (password: string) =>
        baseConfig(mta.port, {
          security: 'starttls',
          caFile,
          sender: 'sousin@foo.co.jp',
          destination: 'express-center@center.example.jp',
          auth: { account: USER.user, password, mechanisms: ['CRAM-MD5', 'LOGIN', 'PLAIN'], oauth: null },
          smimeCertificatePem: center.smimeCertPem(),
          timeoutMs: 20_000,
        });
      const files = [{ name: 'event.log', data: Buffer.from('disk error\r\n') }];
      const report = outgoing('alert', files);
      try {
        const delivered = await createMailReporter(config(USER.password)).send(report, {});
        expect(delivered).toMatchObject({ ok: true, destination: 'express-center@center.example.jp' });
        await center.waitForLine(new RegExp(`mail report ${report.envelope.id} alert stored`));
        expect(storedOnce(report.envelope.id)).toMatchObject({ channel: 'mail', method: 'express' });
        // Postfix offers PLAIN LOGIN: CRAM-MD5 is skipped, LOGIN (next in the seed's order) is used
        expect(mta.output()).toMatch(new RegExp(`sasl_method=LOGIN, sasl_username=${USER.user}`));
        await waitForOutput(mta, new RegExp(`status=sent \\(250 2\\.6\\.0 report ${report.envelope.id} stored\\)`));

        const refused = await createMailReporter(config('not-the-password')).send(outgoing('alert'), {});
        expect(refused).toMatchObject({ ok: false, channel: 'mail', status: 535, retryable: false });
        expect(JSON.stringify(refused)).not.toContain('not-the-password');
      } finally {
        closeMailConnections();
      }
    }, 40_000);

    it('AUTH before STARTTLS is refused: the plain EHLO offers STARTTLS but no AUTH, and AUTH PLAIN gets 503', async () => {
      const credentials = Buffer.from(`\0${USER.user}\0${USER.password}`).toString('base64');
      const replies = await dialogue(mta.port, ['EHLO client.example.jp', `AUTH PLAIN ${credentials}`, 'QUIT']);
      expect(replies[0]).toMatch(/^220 mta\.express-report\.test ESMTP/);
      expect(replies[1]).toMatch(/^250-STARTTLS$/m);
      expect(replies[1]).not.toMatch(/AUTH/);
      expect(replies[2]).toMatch(/^503 5\.5\.1 Error: authentication not enabled/);
    });

    it('a wrong password is refused with 535 after STARTTLS and nothing is relayed', async () => {
      const envelope = mailEnvelope('alert');
      const wrong = await refusedWith(submit(mta, await buildReportMail({ envelope }), 'PLAIN', 'not-the-password'));
      expect(wrong.responseCode).toBe(535);
      expect(wrong.response).toMatch(/^535 5\.7\.8 Error: authentication failed/);
      expect(center.reports().some((r) => r.id === envelope.id)).toBe(false);
    });

    it('without AUTH a RCPT to an outside domain is refused with 554 Relay access denied (plain and after STARTTLS)', async () => {
      const plain = await dialogue(mta.port, ['EHLO client.example.jp', 'MAIL FROM:<sousin@foo.co.jp>', 'RCPT TO:<express-center@center.example.jp>', 'QUIT']);
      expect(plain[2]).toMatch(/^250 /);
      expect(plain[3]).toMatch(/^554 5\.7\.1 <express-center@center\.example\.jp>: Relay access denied/);
      const envelope = mailEnvelope('alert');
      const refused = await refusedWith(sendRaw(mta.port, await buildReportMail({ envelope }), { ca: mta.caPem, requireTLS: true }));
      expect(refused.responseCode).toBe(554);
      expect(refused.response).toMatch(/^554 5\.7\.1 <express-center@center\.example\.jp>: Relay access denied/);
      expect(center.reports().some((r) => r.id === envelope.id)).toBe(false);
      expect(mta.output()).toMatch(/NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 554 5\.7\.1/);
    });
  });

  it('without relayCaPem the hop to the center is plain SMTP (no STARTTLS), and the report is stored', async () => {
    const mta = await startPostfix({ relayTo: { host: '127.0.0.1', port: center.smtpPort }, users: [USER] });
    try {
      const envelope = mailEnvelope('test');
      expect(await submit(mta, await buildReportMail({ envelope, encoding: 'base64' }), 'PLAIN')).toMatch(/^250 /);
      await center.waitForLine(new RegExp(`mail report ${envelope.id} test stored`));
      await waitForOutput(mta, new RegExp(`status=sent \\(250 2\\.6\\.0 report ${envelope.id} stored\\)`));
      expect(mta.output()).not.toMatch(/TLS connection established to/);
    } finally {
      await mta.stop();
    }
  }, 30_000);

  it('with another CA than the center\'s, Postfix keeps the report queued and does not deliver over the unverified hop', async () => {
    const mta = await startPostfix({ relayTo: { host: '127.0.0.1', port: center.smtpPort }, users: [USER], relayCaPem: createCenterCa().certPem });
    try {
      const envelope = mailEnvelope('alert');
      expect(await submit(mta, await buildReportMail({ envelope }), 'PLAIN')).toMatch(/^250 /);
      await waitForOutput(mta, /certificate verification failed for 127\.0\.0\.1\[127\.0\.0\.1\]:\d+: untrusted issuer[\s\S]*status=deferred \(Server certificate not verified\)/);
      expect(mta.output()).not.toMatch(/status=sent/);
      expect(center.reports().some((r) => r.id === envelope.id)).toBe(false);
    } finally {
      await mta.stop();
    }
    // stop() leaves no Postfix daemon behind (master's process group is empty)
    expect(groupMembers(mta.pid)).toEqual([]);
  }, 30_000);
});

describe.skipIf(!existsSync(DOVECOT))('POP before SMTP (dovecot-pop3d + a gated smtp-server) relaying to the center (skipped without /usr/sbin/dovecot)', () => {
  let gate: PopBeforeSmtp;
  beforeAll(async () => {
    gate = await startPopBeforeSmtp({ users: { alice: 's3cret' }, windowMinutes: 10, starttls: true, relayTo: { host: '127.0.0.1', port: center.smtpPort, ca: center.caPem } });
  }, 60_000);
  afterAll(async () => {
    await gate?.stop();
  });

  it('refuses relaying before a POP login (554 relay access denied) and relays after one (over STARTTLS); the center stores it', async () => {
    const envelope = mailEnvelope('test');
    envelope.resultDestination = null;
    const raw = await buildReportMail({ envelope, encoding: 'base64' });

    const viaTls = { ca: gate.caPem!, requireTLS: true };
    const before = await refusedWith(sendRaw(gate.smtpPort, raw, viaTls));
    expect(before.responseCode).toBe(554);
    expect(before.response).toMatch(/Relay access denied/);
    expect(center.reports().some((r) => r.id === envelope.id)).toBe(false);

    const login = await popLogin(gate.popPort, 'alice', 's3cret');
    expect(login.ok).toBe(true);
    expect(login.replies[2]).toMatch(/^\+OK Logged in/);
    expect(gate.logins().map((l) => [l.ip, l.user])).toContainEqual(['127.0.0.1', 'alice']);

    const after = await sendRaw(gate.smtpPort, raw, viaTls);
    expect(after.response).toMatch(new RegExp(`relayed: 250 .*report ${envelope.id} stored`));
    expect(storedOnce(envelope.id).channel).toBe('mail');
    expect(gate.log.some((l) => /554 relay access denied/.test(l))).toBe(true);
  });

  it('a wrong POP password is refused by dovecot and opens nothing', async () => {
    const strict = await startPopBeforeSmtp({ users: { bob: 'right' } });
    try {
      const login = await popLogin(strict.popPort, 'bob', 'wrong');
      expect(login.ok).toBe(false);
      expect(login.replies.join('\n')).toMatch(/-ERR \[AUTH\] Authentication failed/);
      const refused = await refusedWith(sendRaw(strict.smtpPort, await buildReportMail({ envelope: mailEnvelope('alert') })));
      expect(refused.responseCode).toBe(554);
      expect(strict.logins()).toEqual([]);
    } finally {
      await strict.stop();
    }
  }, 30_000);

  it('honours the notice delay: right after the login relaying is still refused, after the wait it is open', async () => {
    const slow = await startPopBeforeSmtp({ users: { carol: 'pw-carol' }, noticeDelayMs: 1500 });
    try {
      const raw = await buildReportMail({ envelope: mailEnvelope('alert') });
      expect((await popLogin(slow.popPort, 'carol', 'pw-carol')).ok).toBe(true);
      const early = await refusedWith(sendRaw(slow.smtpPort, raw));
      expect(early.responseCode).toBe(554);
      await new Promise((r) => setTimeout(r, 1600));
      expect((await sendRaw(slow.smtpPort, raw)).response).toMatch(/^250 /);
      expect(slow.messages).toHaveLength(1);
      expect(slow.messages[0]!.to).toEqual(['express-center@center.example.jp']);
    } finally {
      await slow.stop();
    }
  }, 30_000);
});
