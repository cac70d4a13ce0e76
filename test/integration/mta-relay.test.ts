/**
 * Report mail through real mail servers to the center simulator (the built CLI, `serve
 * --smtp-port`): Debian's OpenSMTPD relays to the center; the POP-before-SMTP gate (Debian
 * dovecot-pop3d + smtp-server) relays only for a client that logged in to POP a moment ago — the
 * POP login is a real one against dovecot by the tiny client in mail-peers/pop-client.ts.
 *
 * OpenSMTPD's STARTTLS server fails on this Debian (6.8.0p2 with libssl3 3.0: its privsep key
 * engines, see mail-peers/opensmtpd.ts); the STARTTLS + AUTH test probes that first and runs
 * where it works, else it is skipped with smtpd's error in its name.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCenterCa } from '../center/certs';
import { startMailCenter, type MailCenter } from '../helpers/mail-peers/center';
import { probeOpenSmtpdTls, SMTPD, startOpenSmtpd, type OpenSmtpd } from '../helpers/mail-peers/opensmtpd';
import { DOVECOT, startPopBeforeSmtp, type PopBeforeSmtp } from '../helpers/mail-peers/pop-before-smtp';
import { popLogin } from '../helpers/mail-peers/pop-client';
import { buildReportMail, mailEnvelope, sendRaw, type SmtpFailure } from '../helpers/mail-peers/report-mail';

const hasSmtpd = existsSync(SMTPD);
const tls = hasSmtpd ? await probeOpenSmtpdTls() : { ok: false, reason: 'no /usr/sbin/smtpd' };

let center: MailCenter;

beforeAll(async () => {
  center = await startMailCenter();
}, 60_000);

afterAll(async () => {
  await center?.stop();
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

describe.skipIf(!hasSmtpd)('OpenSMTPD relaying to the center (skipped without /usr/sbin/smtpd)', () => {
  for (const hop of ['plain', 'starttls'] as const) {
    describe(`local relay (mail from 127.0.0.1), the hop to the center ${hop === 'plain' ? 'plain' : 'with STARTTLS, the center certificate verified'}`, () => {
      let mta: OpenSmtpd;
      beforeAll(async () => {
        mta = await startOpenSmtpd({ relayTo: { host: '127.0.0.1', port: center.smtpPort }, submission: 'plain', relayCaPem: hop === 'starttls' ? center.caPem : undefined });
      }, 150_000);
      afterAll(async () => {
        await mta?.stop();
      });

      it('an S/MIME report handed to OpenSMTPD is queued, relayed to the center and stored once by id', async () => {
        const files = [{ name: 'config.zip', data: Buffer.from('PK\x03\x04 not really a zip') }];
        const envelope = mailEnvelope('alert', files);
        const raw = await buildReportMail({ envelope, attachments: files, smimeCertPem: center.smimeCertPem() });
        const sent = await sendRaw(mta.port, raw);
        // OpenSMTPD's own answer: the message is in its queue
        expect(sent.response).toMatch(/^250 2\.0\.0 \w+ Message accepted for delivery/);
        await center.waitForLine(new RegExp(`mail report ${envelope.id} alert stored`));
        const listed = storedOnce(envelope.id);
        expect(listed.channel).toBe('mail');
        expect(listed.attachments).toEqual(envelope.attachments);
        // it went through OpenSMTPD's queue: its log shows the delivery and the center's answer
        for (let waited = 0; !/mta delivery .*result="Ok"/.test(mta.output()) && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
        expect(mta.output()).toMatch(new RegExp(`mta delivery .*result="Ok" stat="250 2\\.6\\.0 report ${envelope.id} stored"`));
        if (hop === 'starttls') expect(mta.output()).toMatch(/mta tls ciphers=TLSv1\.[23][\s\S]*mta server-cert-check result="success"/);
      });
    });
  }

  it('with another CA than the center\'s, OpenSMTPD does not deliver over the unverified hop', async () => {
    const other = createCenterCa();
    const mta = await startOpenSmtpd({ relayTo: { host: '127.0.0.1', port: center.smtpPort }, submission: 'plain', relayCaPem: other.certPem });
    try {
      const envelope = mailEnvelope('alert');
      expect((await sendRaw(mta.port, await buildReportMail({ envelope }))).response).toMatch(/^250 /);
      for (let waited = 0; !/SSL certificate check failed/.test(mta.output()) && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      expect(mta.output()).toMatch(/mta error reason=SSL certificate check failed/);
      expect(center.reports().some((r) => r.id === envelope.id)).toBe(false);
    } finally {
      await mta.stop();
    }
  }, 60_000);

  describe('submission with STARTTLS and SMTP AUTH', () => {
    const name = tls.ok
      ? 'a report submitted with STARTTLS + AUTH is relayed and stored; a wrong password gets 535, no login 530'
      : `skipped: OpenSMTPD's STARTTLS server fails on this machine (${tls.reason})`;
    it.skipIf(!tls.ok)(name, async () => {
      const mta = await startOpenSmtpd({ relayTo: { host: '127.0.0.1', port: center.smtpPort }, users: { sousin: 'Pa55-word' } });
      try {
        const envelope = mailEnvelope('alert');
        const raw = await buildReportMail({ envelope, smimeCertPem: center.smimeCertPem() });
        const sent = await sendRaw(mta.port, raw, { ca: mta.caPem, requireTLS: true, auth: { user: 'sousin', pass: 'Pa55-word' } });
        expect(sent.response).toMatch(/^250 /);
        await center.waitForLine(new RegExp(`mail report ${envelope.id} alert stored`));
        storedOnce(envelope.id);
        const wrong = await refusedWith(sendRaw(mta.port, raw, { ca: mta.caPem, requireTLS: true, auth: { user: 'sousin', pass: 'nope' } }));
        expect(wrong.responseCode).toBe(535);
        const anonymous = await refusedWith(sendRaw(mta.port, raw, { ca: mta.caPem, requireTLS: true }));
        expect(anonymous.responseCode).toBe(530);
      } finally {
        await mta.stop();
      }
    }, 60_000);
  });
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
