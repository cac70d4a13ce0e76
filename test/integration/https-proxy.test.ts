/**
 * The HTTPS reporter through a real HTTP proxy with Basic authentication (Debian tinyproxy on
 * 127.0.0.1, CONNECT tunnel) to the center simulator over real TLS. tinyproxy answers 407 to a
 * CONNECT without credentials and 401 to a wrong password: both are the proxy-auth step.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpsReporter, type HttpsProxyConfig } from '../../src-main/channels/https/https-reporter';
import type { Delivery } from '../../src-main/channels/reporter';
import { fileAttachment, sampleReport, startCenter, type Center } from '../helpers/center';
import { freePort, startTinyproxy, tinyproxyPath, type Tinyproxy } from '../helpers/tinyproxy';
import { tempDir } from '../helpers/temp';

const USER = 'reporter';
// Distinctive, so that finding it in any detail is a real leak.
const PASSWORD = 'Pw-7hQ2zK9x';
const TOKEN = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

const hasTinyproxy = tinyproxyPath() !== null;
const tmp = tempDir('er-https-proxy-');
let center: Center;
let proxy: Tinyproxy;
const deliveries: Delivery[] = [];

function failed(d: Delivery): Extract<Delivery, { ok: false }> {
  if (d.ok) throw new Error(`expected a failure, got: ${d.detail}`);
  return d;
}

async function send(proxyConfig: HttpsProxyConfig | null, options: { url?: string; timeoutMs?: number; report?: ReturnType<typeof sampleReport> } = {}): Promise<Delivery> {
  const reporter = createHttpsReporter({ url: options.url ?? center.url, caFile: center.ca, proxy: proxyConfig, timeoutMs: options.timeoutMs ?? 10_000 });
  const d = await reporter.send(options.report ?? sampleReport(), {});
  deliveries.push(d);
  return d;
}

describe.skipIf(!hasTinyproxy)('the HTTPS reporter through tinyproxy with Basic auth', () => {
  beforeAll(async () => {
    [center, proxy] = await Promise.all([startCenter(), startTinyproxy({ user: USER, password: PASSWORD })]);
  });
  afterAll(async () => {
    await Promise.all([center?.stop(), proxy?.stop()]);
    tmp.remove();
  });

  const auth = (): HttpsProxyConfig => ({ host: proxy.host, port: proxy.port, user: USER, password: PASSWORD });

  it('the right password delivers; the center lists the report with its attachment', async () => {
    const file = path.join(tmp.dir, 'logs.zip');
    writeFileSync(file, randomBytes(200_000));
    const report = sampleReport('test', [fileAttachment(file, 'logs.zip')]);
    const d = await send(auth(), { report });
    expect(d).toMatchObject({ ok: true, destination: center.url });
    expect(center.reports().find((r) => r.id === report.envelope.id)?.attachments).toEqual([
      { name: 'logs.zip', size: 200_000, sha256: report.attachments[0]!.sha256 },
    ]);
    // It really went through the proxy: tinyproxy logged the CONNECT to the center's port.
    expect(proxy.log()).toContain(`CONNECT 127.0.0.1:${center.port}`);
  });

  it('a wrong password: step proxy-auth with the message to check the user and password (tinyproxy: 401)', async () => {
    const d = failed(await send({ ...auth(), password: 'wrong-password' }));
    expect(d).toMatchObject({ step: 'proxy-auth', retryable: false, status: 401 });
    expect(d.detail).toBe(`the proxy 127.0.0.1:${proxy.port} refused the user name or password (401): check the proxy user and password`);
  });

  it('a wrong user name: step proxy-auth', async () => {
    const d = failed(await send({ ...auth(), user: 'somebody' }));
    expect(d).toMatchObject({ step: 'proxy-auth', retryable: false });
  });

  it('no credentials: step proxy-auth asking for them (407)', async () => {
    const d = failed(await send({ host: proxy.host, port: proxy.port }));
    expect(d).toMatchObject({ step: 'proxy-auth', retryable: false, status: 407 });
    expect(d.detail).toBe(`the proxy 127.0.0.1:${proxy.port} requires a user name and password (407): set the proxy user and password`);
  });

  it('proxy down: step proxy, retryable', async () => {
    const port = await freePort();
    const d = failed(await send({ host: '127.0.0.1', port, user: USER, password: PASSWORD }));
    expect(d).toMatchObject({ step: 'proxy', retryable: true });
    expect(d.detail).toBe(`could not connect to the proxy 127.0.0.1:${port} (ECONNREFUSED): check the proxy address and port and that the proxy is running`);
  });

  it('an unknown proxy host name: step dns naming the proxy', async () => {
    const d = failed(await send({ host: 'proxy.invalid', port: 3128, user: USER, password: PASSWORD }));
    expect(d).toMatchObject({ step: 'dns', retryable: true });
    expect(d.detail).toMatch(/^the proxy host name proxy\.invalid could not be resolved/);
  });

  it('center down behind the proxy: step connect, retryable, saying the proxy could not reach it', async () => {
    const port = await freePort();
    const d = failed(await send(auth(), { url: `https://127.0.0.1:${port}/Scripts/trsRecvAlert.cgi` }));
    expect(d).toMatchObject({ step: 'connect', retryable: true });
    expect(d.detail).toContain(`the proxy 127.0.0.1:${proxy.port} could not connect to the center 127.0.0.1:${port}`);
  });

  it('center 500 through the proxy: step http-status, retryable', async () => {
    await center.fault({ mode: 'status', status: 500 });
    const d = failed(await send(auth()));
    expect(d).toMatchObject({ step: 'http-status', status: 500, retryable: true });
  });

  it('slow center through the proxy: step timeout', async () => {
    await center.fault({ mode: 'delay', delayMs: 4000 });
    const d = failed(await send(auth(), { timeoutMs: 1000 }));
    expect(d).toMatchObject({ step: 'timeout', retryable: true });
    expect(d.detail).toBe(`no answer from the center 127.0.0.1:${center.port} through the proxy 127.0.0.1:${proxy.port} within 1 s: check the network and the proxy; the report is sent again later`);
  });

  it('unknown CA through the proxy: step tls (the tunnel does not weaken verification)', async () => {
    const reporter = createHttpsReporter({ url: center.url, proxy: auth() });
    const d = failed(await reporter.send(sampleReport(), {}));
    deliveries.push(d);
    expect(d).toMatchObject({ step: 'tls', retryable: false });
  });

  it('a resend of the same id through the proxy is stored once', async () => {
    const report = sampleReport('alert');
    expect((await send(auth(), { report })).ok).toBe(true);
    expect(await send(auth(), { report })).toMatchObject({ ok: true, detail: `the center already had report ${report.envelope.id} and acknowledged it again` });
    expect(center.reports().filter((r) => r.id === report.envelope.id)).toHaveLength(1);
  });

  it('no detail holds the password or its Basic token', () => {
    expect(deliveries.length).toBeGreaterThanOrEqual(12);
    for (const d of deliveries) {
      const text = JSON.stringify(d);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
      expect(d.detail).not.toMatch(/[\r\n]/);
    }
  });
});

describe.skipIf(hasTinyproxy)('proxy tests skipped: Debian tinyproxy is not installed (apt-get install -y tinyproxy)', () => {
  it.skip('tinyproxy missing', () => undefined);
});
