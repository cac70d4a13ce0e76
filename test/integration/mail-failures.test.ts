/**
 * Every failure class of docs/formats/mail.md "Failures", each from a real peer that fails on
 * purpose: smtp-server with hooks that refuse, raw node:net servers that answer 421, say nothing,
 * refuse EHLO or drop the connection, a TLS port spoken to in plain text and the reverse, a
 * closed port and a name that does not resolve. Each gives its step, whether it is retried, and
 * a detail that says what to check — and none holds the password.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { createMailReporter, type MailReporterConfig } from '../../src-main/channels/mail/mail-reporter';
import type { Delivery } from '../../src-main/channels/reporter';
import { baseConfig, outgoing } from '../helpers/mail-report';
import { closedPort, startRawServer, startSmtpPeer, throwawayTls, type PeerOptions, type Throwaway } from '../helpers/mail-smtp';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-mail-fail-');
const PASSWORD = 'Fail-pw-123';
let pair: Throwaway;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pair = await throwawayTls(tmp.dir);
});
afterEach(() => closeMailConnections());
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  tmp.remove();
});

async function smtp(options: PeerOptions) {
  const p = await startSmtpPeer(options);
  closers.push(() => p.close());
  return p;
}
async function raw(script: (s: net.Socket) => void) {
  const r = await startRawServer(script);
  closers.push(() => r.close());
  return r;
}
function send(port: number, over: Partial<MailReporterConfig> = {}, host = '127.0.0.1'): Promise<Delivery> {
  return createMailReporter(baseConfig(port, { host, timeoutMs: 3_000, ...over })).send(outgoing(), {});
}
function expectFailure(out: Delivery, step: string, retryable: boolean, text: string | RegExp, status?: number) {
  expect(out).toMatchObject({ ok: false, channel: 'mail', step, retryable, ...(status ? { status } : {}) });
  if (!out.ok) {
    if (typeof text === 'string') expect(out.detail).toContain(text);
    else expect(out.detail).toMatch(text);
    expect(out.detail).not.toContain(PASSWORD);
  }
}

/** A raw SMTP dialogue: the greeting, then one answer per command (EHLO, HELO, …) in turn. */
function dialogue(greeting: string | null, answers: Record<string, string>) {
  return (s: net.Socket) => {
    if (greeting) s.write(`${greeting}\r\n`);
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let nl;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.split(/[ :]/)[0]!.toUpperCase();
        const answer = answers[verb] ?? '502 5.5.2 not here';
        if (answer === 'DROP') return s.destroy();
        s.write(`${answer}\r\n`);
      }
    });
  };
}

describe('reaching the server', () => {
  it('DNS: a name that does not resolve (retried)', async () => {
    expectFailure(await send(25, {}, 'no-such-host.invalid'), 'dns', true, 'no-such-host.invalid could not be resolved');
  });
  it('connection refused (retried)', async () => {
    expectFailure(await send(await closedPort()), 'connect', true, /could not connect to the mail server 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
  it('TLS: a certificate from an untrusted CA fails for good, saying to set the CA file', async () => {
    const p = await smtp({ secure: true, tls: pair.server });
    expectFailure(await send(p.port, { security: 'tls' }), 'tls', false, 'not issued by a trusted CA');
  });
  it('TLS from the start to a plain SMTP port: the port does not speak TLS', async () => {
    const p = await smtp({});
    expectFailure(await send(p.port, { security: 'tls' }), 'tls', false, 'does not speak TLS from the start');
  });
  it('STARTTLS to a TLS-from-the-start port: "greeting never received", and the port named as a TLS port', async () => {
    const p = await smtp({ secure: true, tls: pair.server });
    expectFailure(await send(p.port, { security: 'starttls', caFile: pair.caFile }), 'tls', false, 'greeting never received from 127.0.0.1');
    const again = await send(p.port, { security: 'starttls', caFile: pair.caFile });
    expect(!again.ok && again.detail).toContain('choose TLS as the connection security');
  });
  it('STARTTLS required, the server offers none: fails for good', async () => {
    const p = await smtp({ disabledCommands: ['STARTTLS'] });
    expectFailure(await send(p.port, { security: 'starttls' }), 'tls', false, 'did not start TLS (STARTTLS)');
  });
  it('a server that says nothing: greeting timeout (retried)', async () => {
    const r = await raw(() => undefined);
    expectFailure(await send(r.port), 'greeting', true, 'greeting never received');
  });
  it('421 at the greeting: not available now (retried)', async () => {
    const r = await raw((s) => s.end('421 4.3.2 Service not available, closing channel\r\n'));
    expectFailure(await send(r.port), 'greeting', true, 'not available now', 421);
  });
  it('EHLO and HELO refused: fails for good', async () => {
    const r = await raw(dialogue('220 raw.example ESMTP', { EHLO: '500 5.5.1 EHLO not understood', HELO: '501 5.5.4 HELO refused' }));
    expectFailure(await send(r.port), 'greeting', false, 'refused EHLO and HELO', 501);
  });
  it('not a mail server at all (an HTTP answer): fails for good', async () => {
    const r = await raw((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const out = await send(r.port);
    expect(out).toMatchObject({ ok: false, retryable: false });
    expect(!out.ok && ['protocol', 'greeting']).toContain(!out.ok && out.step);
  });
});

describe('the server refuses', () => {
  it('530 authentication required: says to tick SMTP authentication', async () => {
    const p = await smtp({ authOptional: false, allowInsecureAuth: true });
    expectFailure(await send(p.port), 'auth', false, 'requires authentication', 530);
  });
  it('535 wrong password: fails for good', async () => {
    const p = await smtp({ authOptional: false, allowInsecureAuth: true, users: { alice: 'other' }, disabledCommands: ['STARTTLS'] });
    const out = await send(p.port, { allowUnencryptedAuth: true, auth: { account: 'alice', password: PASSWORD, mechanisms: ['PLAIN'], oauth: null } });
    expectFailure(out, 'auth', false, 'PLAIN: 535', 535);
    expect(!out.ok && out.detail).not.toContain(Buffer.from(`\0alice\0${PASSWORD}`).toString('base64'));
  });
  it('relay denied at RCPT (550/554): suggests POP before SMTP or SMTP authentication', async () => {
    const p = await smtp({
      onRcptTo: (_a, _s, done) => done(Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 554 })),
    });
    expectFailure(await send(p.port), 'rcpt-to', false, 'tick POP before SMTP or SMTP authentication', 554);
  });
  it('an unknown destination at RCPT (550): says to check the destination', async () => {
    const p = await smtp({ onRcptTo: (_a, _s, done) => done(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 })) });
    expectFailure(await send(p.port), 'rcpt-to', false, 'check the destination address', 550);
  });
  it('4xx at RCPT (greylisting): retried', async () => {
    const p = await smtp({ onRcptTo: (_a, _s, done) => done(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 })) });
    expectFailure(await send(p.port), 'rcpt-to', true, 'greylisting', 451);
  });
  it('too big for the SIZE the server advertises: fails for good at the size step, before MAIL FROM', async () => {
    const p = await smtp({ size: 200 });
    expectFailure(await send(p.port), 'size', false, 'accepts mails of at most 200 bytes (SIZE)');
  });
  it('552 too big at DATA: fails for good at the size step', async () => {
    const p = await smtp({ onData: () => Object.assign(new Error('5.3.4 Message too big for system'), { responseCode: 552 }) });
    expectFailure(await send(p.port), 'size', false, 'too large', 552);
  });
  it('4xx at DATA: retried', async () => {
    const p = await smtp({ onData: () => Object.assign(new Error('4.3.0 Temporary failure'), { responseCode: 451 }) });
    expectFailure(await send(p.port), 'data', true, 'did not accept the report mail', 451);
  });
  it('5xx at DATA: fails for good', async () => {
    const p = await smtp({ onData: () => Object.assign(new Error('5.7.1 Content rejected'), { responseCode: 554 }) });
    expectFailure(await send(p.port), 'data', false, 'did not accept the report mail', 554);
  });
  it('the connection dropped during DATA: retried', async () => {
    const r = await raw(dialogue('220 raw.example ESMTP', { EHLO: '250 raw.example', MAIL: '250 ok', RCPT: '250 ok', DATA: 'DROP' }));
    expectFailure(await send(r.port), 'data', true, 'dropped during the delivery');
  });
  it('a sender refused at MAIL FROM (5xx): says to check the sender', async () => {
    const p = await smtp({ onMailFrom: (_a, _s, done) => done(Object.assign(new Error('5.1.8 Bad sender'), { responseCode: 553 })) });
    expectFailure(await send(p.port), 'mail-from', false, "check the sender's mail address", 553);
  });
});

describe('configuration the reporter refuses before connecting', () => {
  it('a sender that is not an address, a CA file that is not one', async () => {
    expectFailure(await send(25, { sender: 'not an address' }), 'config', false, 'is not a mail address');
    expectFailure(await send(25, { caFile: '/nonexistent/ca.pem' }), 'config', false, 'could not be read (ENOENT)');
  });
});

describe('the TLS probe never turns verification off', () => {
  it('a plain tls.connect to the throwaway server without the CA is refused (the probe reads that as "speaks TLS")', async () => {
    const p = await smtp({ secure: true, tls: pair.server });
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const s = tls.connect({ host: '127.0.0.1', port: p.port, rejectUnauthorized: true });
      s.once('error', resolve);
    });
    expect(err.code).toMatch(/SELF_SIGNED|ISSUER|CERT|VERIFY/);
  });
});
