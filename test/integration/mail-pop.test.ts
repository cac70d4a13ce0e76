/**
 * POP before SMTP against Debian dovecot-pop3d (started here in the foreground, a passwd-file
 * user) and an smtp-server that relays only for an address whose POP log-in its log watcher has
 * noticed within the last 10 minutes — as real POP-before-SMTP set-ups do; this watcher notices
 * a log-in 1.5 s after dovecot logs it, which is what the seed's 待ち時間 is for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { createMailReporter, type MailReporterConfig } from '../../src-main/channels/mail/mail-reporter';
import { dovecotAvailable, startDovecot, type Dovecot } from '../helpers/dovecot';
import { baseConfig, outgoing } from '../helpers/mail-report';
import { closedPort, startSmtpPeer, type SmtpPeer } from '../helpers/mail-smtp';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-mail-pop-');
const POP_PASSWORD = 'P0p-s3cret';
const NOTICE_MS = 1_500;
const RELAY_WINDOW_MS = 10 * 60_000;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let watcher: NodeJS.Timeout;
/** when the watcher noticed the newest POP log-in from 127.0.0.1 */
let noticedAt = 0;

beforeAll(async () => {
  dovecot = await startDovecot(tmp.dir, 'alice', POP_PASSWORD);
  // The relay's log watcher: reads dovecot's log every 50 ms and opens relaying NOTICE_MS later.
  watcher = setInterval(() => {
    void dovecot.logins().then((all) => {
      const mine = all.filter((l) => l.ip === '127.0.0.1');
      if (mine.length) noticedAt = Math.max(noticedAt, mine.at(-1)!.seenAt + NOTICE_MS);
    });
  }, 50);
  smtp = await startSmtpPeer({
    onRcptTo(_address, _session, done) {
      const now = Date.now();
      if (noticedAt !== 0 && noticedAt <= now && now - noticedAt < RELAY_WINDOW_MS) return done();
      done(Object.assign(new Error('5.7.1 Relaying denied: log in to POP first'), { responseCode: 554 }));
    },
  });
});
afterAll(async () => {
  clearInterval(watcher);
  closeMailConnections();
  await smtp?.close();
  await dovecot?.stop();
  tmp.remove();
});

function send(pop: MailReporterConfig['pop'], signal?: AbortSignal) {
  return createMailReporter(baseConfig(smtp.port, { pop, timeoutMs: 10_000 })).send(outgoing(), { signal });
}
const pop = (over: Partial<NonNullable<MailReporterConfig['pop']>> = {}) => ({ host: '127.0.0.1', port: dovecot.port, account: 'alice', password: POP_PASSWORD, waitSeconds: 0, ...over });

describe.skipIf(!dovecotAvailable())('POP before SMTP with dovecot', () => {
  it('without POP before SMTP the relay refuses at RCPT, and the failure suggests POP before SMTP or SMTP AUTH', async () => {
    closeMailConnections();
    const out = await send(null);
    expect(out).toMatchObject({ ok: false, step: 'rcpt-to', retryable: false, status: 554 });
    expect(!out.ok && out.detail).toContain('tick POP before SMTP or SMTP authentication');
  });

  it('a POP log-in with no wait is too early for this relay (its watcher has not noticed yet)', async () => {
    noticedAt = 0;
    closeMailConnections();
    const out = await send(pop({ waitSeconds: 0 }));
    expect(out).toMatchObject({ ok: false, step: 'rcpt-to', status: 554 });
  });

  it('with the wait time (待ち時間) the mail goes through after the POP log-in, and the wait is honoured', async () => {
    noticedAt = 0;
    closeMailConnections();
    const before = (await dovecot.logins()).length;
    const started = Date.now();
    const out = await send(pop({ waitSeconds: 2 }));
    expect(out).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect((await dovecot.logins()).length).toBe(before + 1);
    expect(smtp.received.length).toBe(1);
  });

  it('a wrong POP password: -ERR on PASS fails for good, naming the POP step, without the password', async () => {
    const out = await send(pop({ password: 'wrong-P0p' }));
    expect(out).toMatchObject({ ok: false, channel: 'mail', step: 'pop', retryable: false });
    expect(!out.ok && out.detail).toContain('refused the log-in of alice (-ERR');
    expect(!out.ok && out.detail).toContain('check the POP account name and password');
    expect(!out.ok && out.detail).not.toContain('wrong-P0p');
  });

  it('the POP server down: retried', async () => {
    const out = await send(pop({ port: await closedPort() }));
    expect(out).toMatchObject({ ok: false, step: 'pop', retryable: true });
    expect(!out.ok && out.detail).toMatch(/could not connect to the POP server 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('キャンセル during the wait ends it at once', async () => {
    closeMailConnections();
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 300);
    const out = await send(pop({ waitSeconds: 30 }), abort.signal);
    expect(out).toMatchObject({ ok: false, step: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
