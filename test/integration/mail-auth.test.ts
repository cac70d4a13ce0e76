/**
 * SMTP AUTH and connection security against real smtp-server peers on 127.0.0.1: each mechanism
 * over STARTTLS and implicit TLS with a throwaway CA; the seed's order CRAM-MD5 → LOGIN → PLAIN
 * (→ XOAUTH2) over what the server offers, a refused one moving on; XOAUTH2 with a loopback
 * token endpoint (a node:http server here is the real peer); no credentials over plain text
 * unless allowed; and no password in any detail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { createMailReporter, type MailReporterConfig } from '../../src-main/channels/mail/mail-reporter';
import { clearTokens } from '../../src-main/channels/mail/oauth';
import type { SaslMechanism } from '../../src-main/channels/mail/sasl';
import { baseConfig, outgoing } from '../helpers/mail-report';
import { startSmtpPeer, throwawayTls, type PeerOptions, type SmtpPeer, type Throwaway } from '../helpers/mail-smtp';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-mail-auth-');
const PASSWORD = 'pw-S3cret!';
const users = { alice: PASSWORD };
const ALL = ['CRAM-MD5', 'LOGIN', 'PLAIN', 'XOAUTH2'];
let tlsPair: Throwaway;
const peers: SmtpPeer[] = [];

beforeAll(async () => {
  tlsPair = await throwawayTls(tmp.dir);
});
afterEach(() => {
  closeMailConnections();
  clearTokens();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  tmp.remove();
});

async function peer(options: PeerOptions): Promise<SmtpPeer> {
  const p = await startSmtpPeer({ users, tls: tlsPair.server, authOptional: false, ...options });
  peers.push(p);
  return p;
}

function auth(mechanisms: SaslMechanism[], password = PASSWORD, oauth: MailReporterConfig['auth'] extends infer A ? (A extends { oauth: infer O } ? O : never) : never = null) {
  return { account: 'alice', password, mechanisms, oauth };
}

function send(p: SmtpPeer, over: Partial<MailReporterConfig>) {
  return createMailReporter(baseConfig(p.port, { security: 'starttls', caFile: tlsPair.caFile, ...over })).send(outgoing(), {});
}

describe('each mechanism, over STARTTLS and TLS from the start', () => {
  for (const mechanism of ['CRAM-MD5', 'LOGIN', 'PLAIN'] as const) {
    it(`${mechanism} over STARTTLS (port chosen freely, STARTTLS required)`, async () => {
      const p = await peer({ authMethods: [mechanism] });
      const out = await send(p, { auth: auth([mechanism]) });
      expect(out).toMatchObject({ ok: true });
      expect(p.received.map((r) => [r.method, r.user, r.secure])).toEqual([[mechanism, 'alice', true]]);
    });
  }

  it('PLAIN over TLS from the start (the 465 kind), the CA file trusted', async () => {
    const p = await peer({ secure: true, authMethods: ['PLAIN'] });
    const out = await send(p, { security: 'tls', auth: auth(['PLAIN']) });
    expect(out).toMatchObject({ ok: true });
    expect(p.received.map((r) => [r.method, r.secure])).toEqual([['PLAIN', true]]);
  });

  it('STARTTLS when offered: used when the server offers it', async () => {
    const p = await peer({ authMethods: ['LOGIN'] });
    const out = await send(p, { security: 'starttls-if-offered', auth: auth(['LOGIN']) });
    expect(out).toMatchObject({ ok: true });
    expect(p.received[0]!.secure).toBe(true);
  });
});

describe('the order CRAM-MD5 → LOGIN → PLAIN over what the server offers', () => {
  it('uses CRAM-MD5 first when all are checked and offered', async () => {
    const p = await peer({ authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'] });
    expect(await send(p, { auth: auth(['PLAIN', 'LOGIN', 'CRAM-MD5']) })).toMatchObject({ ok: true });
    expect(p.auths).toEqual([{ method: 'CRAM-MD5', ok: true }]);
  });

  it('skips a checked mechanism the server does not offer (CRAM-MD5 not offered: LOGIN)', async () => {
    const p = await peer({ authMethods: ['PLAIN', 'LOGIN'] });
    expect(await send(p, { auth: auth(['CRAM-MD5', 'LOGIN', 'PLAIN']) })).toMatchObject({ ok: true });
    expect(p.auths).toEqual([{ method: 'LOGIN', ok: true }]);
  });

  it('moves on from a refused one to the next checked one on the same connection', async () => {
    const p = await peer({ authMethods: ['CRAM-MD5', 'LOGIN', 'PLAIN'], refuse: ['CRAM-MD5', 'LOGIN'] });
    expect(await send(p, { auth: auth(['CRAM-MD5', 'LOGIN', 'PLAIN']) })).toMatchObject({ ok: true });
    expect(p.auths).toEqual([
      { method: 'CRAM-MD5', ok: false },
      { method: 'LOGIN', ok: false },
      { method: 'PLAIN', ok: true },
    ]);
    expect(p.received.map((r) => r.method)).toEqual(['PLAIN']);
  });

  it('an unchecked mechanism is never tried, even when offered', async () => {
    const p = await peer({ authMethods: ['CRAM-MD5', 'PLAIN'] });
    expect(await send(p, { auth: auth(['PLAIN']) })).toMatchObject({ ok: true });
    expect(p.auths).toEqual([{ method: 'PLAIN', ok: true }]);
  });

  it('a wrong password: the failure names every mechanism tried with the server answer (535), fails for good, and holds no password', async () => {
    const p = await peer({ authMethods: ['CRAM-MD5', 'LOGIN', 'PLAIN'] });
    const out = await send(p, { auth: auth(['CRAM-MD5', 'LOGIN', 'PLAIN'], 'wrong-Passw0rd') });
    expect(out).toMatchObject({ ok: false, channel: 'mail', step: 'auth', retryable: false, status: 535 });
    const detail = !out.ok ? out.detail : '';
    expect(detail).toMatch(/CRAM-MD5: 535 .*; LOGIN: 535 .*; PLAIN: 535 /);
    expect(detail).toContain('check the SMTP account name and password');
    for (const secret of ['wrong-Passw0rd', Buffer.from('wrong-Passw0rd').toString('base64'), Buffer.from('\0alice\0wrong-Passw0rd').toString('base64')]) expect(detail).not.toContain(secret);
    expect(p.received).toEqual([]);
  });

  it('none of the checked ones offered: says what the server offers', async () => {
    const p = await peer({ authMethods: ['PLAIN'] });
    const out = await send(p, { auth: auth(['CRAM-MD5', 'LOGIN']) });
    expect(out).toMatchObject({ ok: false, step: 'auth', retryable: false });
    expect(!out.ok && out.detail).toContain('none of the checked authentication methods (CRAM-MD5, LOGIN) is offered: the server offers PLAIN');
    expect(p.auths).toEqual([]);
  });
});

describe('credentials never go over an unencrypted connection unless allowed', () => {
  it('security none with SMTP AUTH: refused before any AUTH, and the failure says how to allow it', async () => {
    const p = await peer({ authMethods: ['PLAIN'], disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    const out = await send(p, { security: 'none', auth: auth(['PLAIN']) });
    expect(out).toMatchObject({ ok: false, step: 'auth', retryable: false });
    expect(!out.ok && out.detail).toContain('not encrypted');
    expect(!out.ok && out.detail).toContain('allow authentication without encryption');
    expect(p.auths).toEqual([]);
  });

  it('STARTTLS when offered, but the server offers none: the same refusal, not a silent plain-text login', async () => {
    const p = await peer({ authMethods: ['LOGIN'], disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    const out = await send(p, { security: 'starttls-if-offered', auth: auth(['LOGIN']) });
    expect(out).toMatchObject({ ok: false, step: 'auth' });
    expect(p.auths).toEqual([]);
  });

  it('with "allow authentication without encryption" ticked it logs in over plain text', async () => {
    const p = await peer({ authMethods: ['LOGIN'], disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    const out = await send(p, { security: 'none', allowUnencryptedAuth: true, auth: auth(['LOGIN']) });
    expect(out).toMatchObject({ ok: true });
    expect(p.received.map((r) => [r.method, r.secure])).toEqual([['LOGIN', false]]);
  });
});

describe('OAuth 2.0 (XOAUTH2) with a loopback token endpoint', () => {
  interface Endpoint {
    url: string;
    requests: URLSearchParams[];
    answer: (form: URLSearchParams) => { status: number; body: unknown };
    close(): Promise<void>;
  }
  async function endpoint(answer: Endpoint['answer']): Promise<Endpoint> {
    const requests: URLSearchParams[] = [];
    const ep: Partial<Endpoint> = { requests, answer };
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        requests.push(form);
        const out = ep.answer!(form);
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    ep.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    ep.close = () => new Promise<void>((r) => server.close(() => r()));
    return ep as Endpoint;
  }
  const oauth = (url: string, over: Record<string, string> = {}) => ({ tokenUrl: url, clientId: 'client-1', clientSecret: 'client-S3cret', refreshToken: '', scope: 'https://outlook.office.com/SMTP.Send', timeoutMs: 3_000, ...over });

  it('client_credentials: fetches a token, logs in with it, and uses the cached token for the next mail', async () => {
    const ep = await endpoint(() => ({ status: 200, body: { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 } }));
    try {
      const p = await peer({ authMethods: ['XOAUTH2'], tokens: ['tok-1'] });
      const a = auth(['XOAUTH2'], '', oauth(ep.url));
      expect(await send(p, { auth: a })).toMatchObject({ ok: true });
      closeMailConnections(); // a new connection: AUTH again, with the cached token
      expect(await send(p, { auth: a })).toMatchObject({ ok: true });
      expect(ep.requests.map((f) => [f.get('grant_type'), f.get('client_id'), f.get('client_secret'), f.get('scope')])).toEqual([
        ['client_credentials', 'client-1', 'client-S3cret', 'https://outlook.office.com/SMTP.Send'],
      ]);
      expect(p.received.map((r) => r.method)).toEqual(['XOAUTH2', 'XOAUTH2']);
    } finally {
      await ep.close();
    }
  });

  it('refresh_token: a token that expired is fetched again with the refresh token', async () => {
    let n = 0;
    const ep = await endpoint(() => ({ status: 200, body: { access_token: `tok-r${++n}`, expires_in: 1 } }));
    try {
      const p = await peer({ authMethods: ['XOAUTH2'], tokens: ['tok-r1', 'tok-r2'] });
      const a = auth(['XOAUTH2'], '', oauth(ep.url, { clientSecret: '', refreshToken: 'refresh-S3cret' }));
      expect(await send(p, { auth: a })).toMatchObject({ ok: true });
      closeMailConnections();
      expect(await send(p, { auth: a })).toMatchObject({ ok: true });
      expect(ep.requests.map((f) => [f.get('grant_type'), f.get('refresh_token')])).toEqual([
        ['refresh_token', 'refresh-S3cret'],
        ['refresh_token', 'refresh-S3cret'],
      ]);
    } finally {
      await ep.close();
    }
  });

  it('names each OAuth failure: invalid_client, an expired refresh token, the endpoint down (retried), the server refusing the token (535)', async () => {
    const p = await peer({ authMethods: ['XOAUTH2'], tokens: ['good'] });
    const ep = await endpoint((form) =>
      form.get('client_id') === 'bad'
        ? { status: 401, body: { error: 'invalid_client' } }
        : form.get('refresh_token')
          ? { status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS700082: The refresh token has expired' } }
          : { status: 200, body: { access_token: 'refused-token', expires_in: 3600 } },
    );
    try {
      const client = await send(p, { auth: auth(['XOAUTH2'], '', oauth(ep.url, { clientId: 'bad' })) });
      expect(client).toMatchObject({ ok: false, step: 'auth', retryable: false });
      expect(!client.ok && client.detail).toContain('refused the client (invalid_client): check the client ID and client secret');

      const expired = await send(p, { auth: auth(['XOAUTH2'], '', oauth(ep.url, { clientSecret: '', refreshToken: 'old-refresh' })) });
      expect(expired).toMatchObject({ ok: false, step: 'auth', retryable: false });
      expect(!expired.ok && expired.detail).toContain('refused the refresh token (invalid_grant): it has expired or was revoked');

      const refused = await send(p, { auth: auth(['XOAUTH2'], '', oauth(ep.url)) });
      expect(refused).toMatchObject({ ok: false, step: 'auth', retryable: false, status: 535 });
      expect(!refused.ok && refused.detail).toContain('XOAUTH2: 535');
      expect(!refused.ok && refused.detail).not.toContain('refused-token');
    } finally {
      await ep.close();
    }
    const down = await send(p, { auth: auth(['XOAUTH2'], '', oauth(ep.url)) });
    expect(down).toMatchObject({ ok: false, step: 'auth', retryable: true });
    expect(!down.ok && down.detail).toMatch(/token endpoint http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)/);
    for (const out of [down]) expect(!out.ok && out.detail).not.toContain('client-S3cret');
  });

  it('XOAUTH2 comes after the seed three: PLAIN refused, then the token', async () => {
    const ep = await endpoint(() => ({ status: 200, body: { access_token: 'tok-x', expires_in: 3600 } }));
    try {
      const p = await peer({ authMethods: ALL, tokens: ['tok-x'], refuse: ['PLAIN'] });
      expect(await send(p, { auth: auth(['PLAIN', 'XOAUTH2'], PASSWORD, oauth(ep.url)) })).toMatchObject({ ok: true });
      expect(p.auths).toEqual([
        { method: 'PLAIN', ok: false },
        { method: 'XOAUTH2', ok: true },
      ]);
    } finally {
      await ep.close();
    }
  });
});
